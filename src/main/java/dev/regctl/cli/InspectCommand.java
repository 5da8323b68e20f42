package dev.regctl.cli;

import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.Platform;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.ImageSummary;
import dev.regctl.ops.Inspector;
import dev.regctl.ops.Session;
import dev.regctl.store.ImageStore;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl inspect REF}: what a manifest or index holds. */
@Command(name = "inspect", description = "Show a manifest or index: digest, media type, size, platforms, layers,"
        + " artifact type, subject, annotations.")
public final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BaseOptions global;

    @Parameters(paramLabel = "REF", description = "Image reference, e.g. localhost:5000/app:v1 or redis@sha256:...")
    String refText;

    @Option(names = "--raw", description = {"Print the manifest bytes exactly as the registry served them.",
            "Data, like cat: control characters in it are not escaped; pipe it rather than read it on a terminal."})
    boolean raw;

    @Option(names = "--config", description = "Print the image config JSON.")
    boolean config;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Of an index, show the image for this platform (with --raw and --config too).")
    String platform;

    @Override
    public Integer call() {
        if (raw && config) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--raw and --config cannot be used together");
        }
        Platform wanted = platform == null ? null : Platform.parse(platform);
        ImageRef ref = ImageRef.parse(refText);
        try (Session session = global.session(spec.commandLine().getErr(), ref);
             ImageStore store = session.open(ref, Session.Access.READ)) {
            Inspector inspector = new Inspector(store);
            RawManifest manifest = inspector.manifest(ref, wanted);
            if (raw) {
                writeBytes(manifest.bytes());
                return ExitCodes.OK;
            }
            if (config) {
                if (manifest.isIndex()) {
                    throw new RegctlException(RegctlException.Kind.USAGE, ref + " is an index, which has no config",
                            "pick a platform's image: regctl inspect --config --platform OS/ARCH " + ref, null);
                }
                writeBytes(inspector.config(manifest.manifest().config()).raw());
                return ExitCodes.OK;
            }
            ImageSummary s = inspector.summarise(ref.toString(), manifest);
            global.output(spec.commandLine().getOut()).print(s, w -> text(w, s));
        }
        return ExitCodes.OK;
    }

    /**
     * Bytes go to stdout untouched (no charset round trip, no {@link TerminalText} escaping) so they
     * hash to the digest: {@code --raw} and {@code --config} print data, as {@code cat} does.
     */
    private void writeBytes(byte[] bytes) {
        spec.commandLine().getOut().flush();
        PrintStream stdout = System.out;
        stdout.write(bytes, 0, bytes.length);
        stdout.flush();
    }

    /** Fields that are absent get no line, as {@code -o json} omits them. */
    private static void text(PrintWriter w, ImageSummary s) {
        w.println("Name:       " + TerminalText.line(s.name()));
        w.println("Digest:     " + TerminalText.line(s.digest()));
        w.println("MediaType:  " + TerminalText.line(s.mediaType()));
        w.println("Size:       " + s.size());
        optional(w, "ArtifactType: ", s.artifactType());
        optional(w, "Subject:    ", s.subject());
        if (s.platforms() != null) {
            w.println("Platforms:");
            s.platforms().forEach(p -> w.println("  " + TerminalText.columns(p.platform() == null ? "-" : p.platform(),
                    p.digest(), String.valueOf(p.size()))));
        } else {
            optional(w, "Platform:   ", s.platform());
            optional(w, "Created:    ", s.created());
            if (s.config() != null) {
                w.println("Config:     " + TerminalText.columns(s.config().digest(), String.valueOf(s.config().size())));
            }
            w.println("Layers:     " + s.layers().size() + " (" + s.layersSize() + " bytes)");
            s.layers().forEach(l -> w.println("  " + TerminalText.columns(l.digest(), String.valueOf(l.size()), l.mediaType())));
        }
        if (s.annotations() != null) {
            s.annotations().forEach((k, v) -> w.println("annotation " + TerminalText.line(k + "=" + v)));
        }
    }

    private static void optional(PrintWriter w, String label, String value) {
        if (value != null) {
            w.println(label + TerminalText.line(value));
        }
    }
}
