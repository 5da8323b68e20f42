package dev.regctl.cli;

import dev.regctl.oci.ImageRef;
import dev.regctl.oci.Platform;
import dev.regctl.ops.Inspector;
import dev.regctl.store.ImageStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl digest REF...}: the manifest digest, computed from the bytes received. */
@Command(name = "digest",
        footerHeading = UsageHelp.EXAMPLES, footer = {
            "  # Pin an image by digest in a CI script",
            "  regctl digest alpine:3.20",
            "  regctl digest --platform linux/amd64 alpine:3.20"},
        description = {"Print the manifest digest of REF (computed from the bytes, not a header).",
    "Several REFs are looked up in parallel and printed as REF<TAB>DIGEST lines, in argument order."})
final class DigestCommand implements Callable<Integer>, ManyReferences.Answer<String> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(paramLabel = "REF", arity = "1..*", description = "Image reference, e.g. localhost:5000/app:v1")
    List<String> refTexts;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = {"Of an index, the digest of the image for this platform (default: the index's own).",
                "A Windows build is picked with OS(OSVERSION)/ARCH, e.g. 'windows(10.0.20348)/amd64'."})
    String platform;

    private Platform wanted;

    /** The {@code -o json} document; a record, so its fields keep this order in every run. */
    record Result(String reference, String digest) {
    }

    /** The fields of a reference's entry when several are given. */
    record Found(String digest) {
    }

    @Override
    public Integer call() {
        wanted = platform == null ? null : Platform.parse(platform);
        return ManyReferences.run(global, spec, refTexts, this);
    }

    @Override
    public String read(ImageStore store, ImageRef ref) {
        return new Inspector(store).manifest(ref, wanted).digest().toString();
    }

    @Override
    public void printOne(Output out, ImageRef ref, String digest) {
        out.print(new Result(ref.toString(), digest), w -> w.println(digest));
    }

    @Override
    public List<List<String>> rows(String digest) {
        return List.of(List.of(digest));
    }

    @Override
    public Object fields(String digest) {
        return new Found(digest);
    }
}
