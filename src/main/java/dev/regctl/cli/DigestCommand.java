package dev.regctl.cli;

import dev.regctl.oci.RawManifest;
import dev.regctl.oci.ImageRef;
import dev.regctl.ops.ImageLookup;
import dev.regctl.ops.Inspector;
import dev.regctl.ops.Session;
import dev.regctl.store.ImageStore;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

    @Override
    public Integer call() {
        ImageRef ref = ImageRef.parse(refText);
        try (Session session = global.session(spec.commandLine().getErr(), ref);
             ImageStore store = session.open(ref, Session.Access.READ)) {
            // A full GET, not HEAD: a header alone is never trusted for the digest.
            RawManifest manifest = new Inspector(store).manifest(ImageLookup.reference(ref, store));
            String digest = manifest.digest().toString();
            global.output(spec.commandLine().getOut()).print(
                    Map.of("reference", ref.toString(), "digest", digest), w -> w.println(digest));
        }
        return ExitCodes.OK;
    }
}
