package dev.regctl.cli;

import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;
import dev.regctl.registries.Resolution;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl ref REF}: parses a reference offline and prints it fully qualified, to check what regctl will use. */
@Command(name = "ref",
        footerHeading = UsageHelp.EXAMPLES, footer = {
            "  # What regctl makes of a short name, and of a layout reference",
            "  regctl ref redis",
            "  regctl -o json ref oci:layout:v1",
            "  # Where registries.conf sends it: entry, location, mirrors, blocked",
            "  regctl ref --resolve docker.io/library/alpine:3.20"},
        description = {"Parse a reference offline and print it fully qualified.",
            "Shows the registry, repository, tag and digest regctl would use, e.g. redis -> docker.io/library/redis:latest."})
final class RefCommand implements Runnable {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REF",
            description = {"Image: [docker://][HOST[:PORT]/]PATH[:TAG][@DIGEST]",
                "OCI layout: oci:PATH[:TAG], oci:PATH@DIGEST or ocidir://PATH[:TAG]",
                "Archive: docker-archive:PATH[:NAME[:TAG]], oci-archive:PATH[:TAG] or oci-archive:PATH@DIGEST"})
    String ref;

    @Option(names = "--resolve",
            description = "Show how registries.conf routes REF: the entry that matches, the location it is read from,"
                    + " its mirrors in order, and whether it is blocked (offline: nothing is contacted).")
    boolean resolve;

    @Override
    public void run() {
        ImageRef parsed = ImageRef.parse(ref);
        Output output = new Output(global.output(), spec.commandLine().getOut());
        if (!resolve) {
            output.print(parsed.fields(), out -> out.println(parsed));
            return;
        }
        Resolution route = global.registries().resolve(parsed).orElseThrow(() -> new RegctlException(
                RegctlException.Kind.USAGE, ref + ": --resolve is for registry images;"
                        + " registries.conf does not apply to layouts and archives"));
        output.print(route.fields(), out -> text(out, route));
    }

    private static void text(PrintWriter out, Resolution route) {
        out.println(TerminalText.line("reference: " + route.requested()));
        out.println(TerminalText.line("entry: " + (route.entry() == null ? "none" : route.entry().describe())));
        out.println(TerminalText.line("location: " + route.primary() + (route.insecure() ? " (insecure)" : "")));
        for (Resolution.Endpoint m : route.mirrors()) {
            out.println(TerminalText.line("mirror: " + m.reference() + (m.insecure() ? " (insecure)" : "")));
        }
        out.println("blocked: " + route.blocked());
    }

}
