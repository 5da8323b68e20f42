package dev.regctl.cli;

import dev.regctl.oci.ImageRef;
import dev.regctl.oci.Platform;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.Inspector;
import dev.regctl.ops.Session;
import dev.regctl.store.ImageStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl digest REF}: the manifest digest, computed from the bytes received. */
@Command(name = "digest", description = "Print the manifest digest of REF (computed from the bytes, not a header).")
public final class DigestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(paramLabel = "REF", description = "Image reference, e.g. localhost:5000/app:v1")
    String refText;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Of an index, the digest of the image for this platform (default: the index's own).")
    String platform;

    /** The {@code -o json} document; a record, so its fields keep this order in every run. */
    record Result(String reference, String digest) {
    }

    @Override
    public Integer call() {
        Platform wanted = platform == null ? null : Platform.parse(platform);
        ImageRef ref = ImageRef.parse(refText);
        try (Session session = global.session(spec.commandLine().getErr(), ref);
             ImageStore store = session.open(ref, Session.Access.READ)) {
            Inspector inspector = new Inspector(store);
            RawManifest manifest = inspector.manifest(ref, wanted);
            String digest = manifest.digest().toString();
            global.output(spec.commandLine().getOut()).print(
                    new Result(ref.toString(), digest), w -> w.println(digest));
        }
        return ExitCodes.OK;
    }
}
