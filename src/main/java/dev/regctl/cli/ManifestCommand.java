package dev.regctl.cli;

import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.Platform;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.Inspector;
import dev.regctl.ops.Session;
import dev.regctl.ops.compose.InPlaceWrite;
import dev.regctl.ops.compose.LocalInput;
import dev.regctl.ops.compose.ManifestUpload;
import dev.regctl.store.ImageStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl manifest get|put}: a manifest's bytes by hand, fetched or pushed exactly as they are. */
@Command(name = "manifest", subcommands = {ManifestCommand.Get.class, ManifestCommand.Put.class},
        footerHeading = UsageHelp.EXAMPLES, footer = {
            "  # Edit a manifest by hand and push it back under a new tag",
            "  regctl manifest get localhost:5000/app:v1 > m.json",
            "  regctl manifest put localhost:5000/app:v1-edited m.json"},
        description = "Fetch or push a manifest's bytes exactly as they are.")
final class ManifestCommand {

    /** {@code regctl manifest get REF}: the bytes as served, as {@code inspect --raw} prints them. */
    @Command(name = "get",
            footerHeading = UsageHelp.EXAMPLES, footer = {
                "  regctl manifest get localhost:5000/app:v1 | jq .",
                "  regctl manifest get --platform linux/arm64 localhost:5000/app:v1"},
            description = "Print the manifest REF names, byte for byte as served, so it hashes to its digest.")
    public static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        GlobalOptions global;

        @Parameters(paramLabel = "REF", description = "Image reference, e.g. localhost:5000/app:v1, oci:DIR:TAG")
        String refText;

        @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
                description = "Of an index, the manifest of the image for this platform (default: the index itself).")
        String platform;

        @Override
        public Integer call() {
            ImageRef ref = ImageRef.parse(refText);
            Platform wanted = platform == null ? null : Platform.parse(platform);
            byte[] bytes;
            try (Session session = global.session(spec.commandLine().getErr(), ref);
                 ImageStore store = session.open(ref, Session.Access.READ)) {
                bytes = new Inspector(store).manifest(ref, wanted).bytes();
            }
            RawOutput.write(spec, bytes);
            return ExitCodes.OK;
        }
    }

    /** {@code regctl manifest put REF [FILE|-]}: bytes pushed as given, their digest printed. */
    @Command(name = "put",
            footerHeading = UsageHelp.EXAMPLES, footer = {
                "  regctl manifest put localhost:5000/app:v1 manifest.json",
                "  regctl manifest get other.example:5000/app:v1 | regctl manifest put localhost:5000/app:v1 -",
                "  regctl manifest put --media-type application/vnd.oci.image.manifest.v1+json localhost:5000/app:v1 m.json"},
            description = {"Push manifest bytes exactly as given under REF's tag (or digest), and print their digest.",
                "The media type is the document's mediaType field, else --media-type. The blobs and manifests it"
                        + " names must be in the repository already (regctl copy or blob put brings them)."})
    public static final class Put implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        GlobalOptions global;

        @Parameters(index = "0", paramLabel = "REF", description = "Where to push, with a tag or digest:"
                + " localhost:5000/app:v1, localhost:5000/app@sha256:..., oci:DIR:TAG")
        String refText;

        @Parameters(index = "1", arity = "0..1", paramLabel = "FILE",
                description = "The manifest; - or none reads standard input.")
        String file;

        @Option(names = "--media-type", paramLabel = "TYPE",
                description = "The manifest's media type, for a document without a mediaType field.")
        String mediaType;

        @Option(names = "--dry-run", description = "Check the manifest and print its digest, and push nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            ImageRef ref = ImageRef.parse(refText);
            InPlaceWrite.require("manifest put", ref);
            if (!ref.namesImage()) {
                throw new RegctlException(RegctlException.Kind.USAGE, "manifest put " + refText
                        + ": name the tag or digest to push under, e.g. " + ref.repositoryName() + ":latest");
            }
            LocalInput input = LocalInput.of(file, System.in);
            RawManifest manifest = ManifestUpload.manifest(input.readAtMost(RawManifest.MAX_SIZE, "a manifest"),
                    mediaType, input.name());
            ManifestUpload.Result result;
            try (Session session = global.session(spec.commandLine().getErr(), ref);
                 ImageStore store = session.open(ref, Session.Access.CREATE)) {
                result = new ManifestUpload(store).put(ref, manifest, dryRun);
            }
            Output out = global.output(spec.commandLine().getOut());
            out.print(result, w -> w.println(result.digest()));
            if (dryRun && !out.isJson()) {
                spec.commandLine().getErr().println("dry run: would push " + result.digest() + "; nothing was pushed");
            }
            return ExitCodes.OK;
        }
    }
}
