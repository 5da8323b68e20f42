package dev.regctl.cli;

import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.Platform;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.ImageSummary;
import dev.regctl.ops.Inspector;
import dev.regctl.store.ImageStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl inspect REF...}: what a manifest or index holds. */
@Command(name = "inspect",
        footerHeading = UsageHelp.EXAMPLES, footer = {
            "  # What an index holds, then its arm64 image's config",
            "  regctl inspect alpine:3.20",
            "  regctl inspect --config --platform linux/arm64 alpine:3.20",
            "  # The manifest exactly as served, for jq",
            "  regctl inspect --raw localhost:5000/app:v1 | jq ."},
        description = {"Show a manifest or index: digest, media type, size, platforms, layers,"
        + " artifact type, subject, annotations.",
    "Several REFs are read in parallel and printed as one REF<TAB>DIGEST<TAB>MEDIATYPE<TAB>SIZE<TAB>PLATFORMS line"
        + " each, in argument order (-o json: the full summaries)."})
final class InspectCommand implements Callable<Integer>, ManyReferences.Answer<InspectCommand.Shown> {
    @Spec
    CommandSpec spec;

    @Mixin
    InspectOptions global;

    @Parameters(paramLabel = "REF", arity = "1..*",
            description = "Image reference, e.g. localhost:5000/app:v1 or redis@sha256:...")
    List<String> refTexts;

    @Option(names = "--raw", description = {"Print the manifest bytes exactly as the registry served them (one REF only).",
            "Data, like cat: control characters in it are not escaped; pipe it rather than read it on a terminal."})
    boolean raw;

    @Option(names = "--config", description = "Print the image config JSON (one REF only).")
    boolean config;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = {"Of an index, show the image for this platform (with --raw and --config too).",
                "A Windows build is picked with OS(OSVERSION)/ARCH, e.g. 'windows(10.0.20348)/amd64'."})
    String platform;

    private Platform wanted;

    /** What inspect shows of a reference: its summary, or with {@code --raw}/{@code --config} a document's bytes. */
    record Shown(ImageSummary summary, byte[] document) {
    }

    @Override
    public Integer call() {
        if (raw && config) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--raw and --config cannot be used together");
        }
        if ((raw || config) && refTexts.size() > 1) {
            // Documents are data, printed byte for byte so they hash to their digest; several would need a framing.
            throw new RegctlException(RegctlException.Kind.USAGE, (raw ? "--raw" : "--config")
                    + " prints one document: give one REF", "for several, a summary line each: regctl inspect REF...", null);
        }
        wanted = platform == null ? null : Platform.parse(platform);
        return ManyReferences.run(global, spec, refTexts, this);
    }

    @Override
    public Shown read(ImageStore store, ImageRef ref) {
        Inspector inspector = new Inspector(store);
        RawManifest manifest = inspector.manifest(ref, wanted);
        if (raw) {
            return new Shown(null, manifest.bytes());
        }
        if (config) {
            if (manifest.isIndex()) {
                throw new RegctlException(RegctlException.Kind.USAGE, ref + " is an index, which has no config",
                        "pick a platform's image: regctl inspect --config --platform OS/ARCH " + ref, null);
            }
            return new Shown(null, inspector.config(manifest.manifest().config()).raw());
        }
        return new Shown(inspector.summarise(ref.toString(), manifest), null);
    }

    @Override
    public void printOne(Output out, ImageRef ref, Shown shown) {
        if (shown.document() != null) {
            RawOutput.write(spec, shown.document());
        } else {
            out.print(shown.summary(), w -> text(w, shown.summary()));
        }
    }

    @Override
    public List<List<String>> rows(Shown shown) {
        ImageSummary s = shown.summary();
        List<String> platforms = s.platforms() == null
                ? (s.platform() == null ? List.of() : List.of(s.platformText()))
                : s.platforms().stream().map(ImageSummary.PlatformEntry::platformText).filter(Objects::nonNull).distinct().toList();
        return List.of(List.of(s.digest(), s.mediaType(), String.valueOf(s.size()),
                platforms.isEmpty() ? "-" : String.join(",", platforms)));
    }

    @Override
    public Object fields(Shown shown) {
        return shown.summary();
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
            s.platforms().forEach(p -> w.println("  " + TerminalText.columns(p.platform() == null ? "-" : p.platformText(),
                    p.digest(), String.valueOf(p.size()))));
        } else {
            optional(w, "Platform:   ", s.platformText());
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
