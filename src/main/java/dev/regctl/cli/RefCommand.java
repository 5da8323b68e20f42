package dev.regctl.cli;

import dev.regctl.oci.ImageRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl ref REF}: parses a reference offline and prints it fully qualified, to check what regctl will use. */
@Command(name = "ref",
        footerHeading = UsageHelp.EXAMPLES, footer = {
            "  # What regctl makes of a short name, and of a layout reference",
            "  regctl ref redis",
            "  regctl -o json ref oci:layout:v1"},
        description = {"Parse a reference offline and print it fully qualified.",
            "Shows the registry, repository, tag and digest regctl would use, e.g. redis -> docker.io/library/redis:latest."})
public final class RefCommand implements Runnable {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REF",
            description = {"Image: [docker://][HOST[:PORT]/]PATH[:TAG][@DIGEST]",
                "OCI layout: oci:PATH[:TAG], oci:PATH@DIGEST or ocidir://PATH[:TAG]",
                "Archive: docker-archive:PATH[:NAME[:TAG]], oci-archive:PATH[:TAG] or oci-archive:PATH@DIGEST"})
    String ref;

    @Override
    public void run() {
        ImageRef parsed = ImageRef.parse(ref);
        Output output = new Output(global.output(), spec.commandLine().getOut());
        output.print(parsed.fields(), out -> out.println(parsed));
    }

}
