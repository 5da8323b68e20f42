package dev.regctl.cli;

import dev.regctl.RegctlException;
import dev.regctl.image.ImageLookup;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.Session;
import dev.regctl.ops.append.ConfigEdits;
import dev.regctl.ops.artifact.AnnotationFile;
import dev.regctl.ops.artifact.ArtifactFile;
import dev.regctl.ops.artifact.ArtifactManifest;
import dev.regctl.ops.artifact.ArtifactPull;
import dev.regctl.ops.artifact.ArtifactPush;
import dev.regctl.ops.artifact.ArtifactResult;
import dev.regctl.ops.compose.InPlaceWrite;
import dev.regctl.ops.compose.LocalInput;
import dev.regctl.store.ExpansionLimits;
import dev.regctl.store.ImageStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code regctl artifact push|attach|pull}: OCI artifacts as ORAS writes them (an empty config,
 * one titled layer per file), made from local files, attached to an image, and pulled back.
 */
@Command(name = "artifact", subcommands = {ArtifactCommand.Push.class, ArtifactCommand.Attach.class, ArtifactCommand.Pull.class},
        footerHeading = UsageHelp.EXAMPLES, footer = {
            "  # Attach an SBOM to the image a pipeline built, find it, fetch it back",
            "  regctl artifact attach localhost:5000/app:1.0 sbom.spdx.json \\",
            "      --artifact-type application/spdx+json",
            "  regctl referrers localhost:5000/app:1.0",
            "  regctl artifact pull localhost:5000/app:1.0 \\",
            "      --artifact-type application/spdx+json --dir out"},
        description = "Push local files as an OCI artifact, attach one to an image, or pull one into a directory.")
final class ArtifactCommand {
    /** A JSON annotation file is small; this bounds what is read of one named by mistake. */
    private static final int ANNOTATION_FILE_LIMIT = 1024 * 1024;

    private static final String FILE_LABEL = "FILE[:MEDIATYPE]";
    private static final String FILE_DESCRIPTION = "A file, one layer titled with its name (default type"
            + " application/vnd.oci.image.layer.v1.tar), or a directory, one reproducible tar+gzip layer that pull unpacks.";

    /** What push and attach both take besides the files (picocli numbers a mixin's positions on their own): how the artifact is described. */
    static final class Content {
        @Option(names = "--annotation", paramLabel = "KEY=VALUE", description = "An annotation of the manifest; repeatable.")
        List<String> annotations = new ArrayList<>();

        @Option(names = "--annotation-file", paramLabel = "FILE",
                description = "ORAS's JSON annotation file: {\"$manifest\": {K: V}, \"$config\": {K: V}, \"FILE NAME\": {K: V}}.")
        String annotationFile;

        @Option(names = "--dry-run", description = "Read the files and print the manifest digest; push nothing.")
        boolean dryRun;

        ArtifactPush.Spec spec(List<String> files, String artifactType) {
            Map<String, String> notes = new LinkedHashMap<>();
            annotations.forEach(a -> ConfigEdits.put("--annotation", a, notes));
            AnnotationFile file = annotationFile == null ? AnnotationFile.none()
                    : AnnotationFile.parse(new LocalInput(Path.of(annotationFile), null).readAtMost(ANNOTATION_FILE_LIMIT, "an annotation file"),
                            annotationFile);
            return new ArtifactPush.Spec(files.stream().map(ArtifactFile::parse).toList(), artifactType, notes, file,
                    annotationFile);
        }
    }

    /** Prints what was pushed: its digest, or the JSON; a dry run says so on stderr. */
    private static void report(CommandSpec spec, GlobalOptions global, ArtifactResult result) {
        Output out = global.output(spec.commandLine().getOut());
        out.print(result, w -> w.println(result.digest()));
        if (result.dryRun() && !out.isJson()) {
            spec.commandLine().getErr().println("dry run: would push " + result.reference() + "; nothing was pushed");
        }
    }

    @Command(name = "push", footerHeading = UsageHelp.EXAMPLES, footer = {
        "  regctl artifact push localhost:5000/reports:1.0 report.html coverage/ \\",
        "      --artifact-type application/vnd.example.report.v1",
        "  regctl artifact push oci:out:chart \\",
        "      chart.tgz:application/vnd.cncf.helm.chart.content.v1.tar+gzip"},
            description = {"Push FILEs as one OCI artifact under REF's tag, as ORAS does: an image manifest with"
                    + " artifactType, the empty config and one layer per FILE titled with its name.",
                "Prints the manifest digest."})
    static final class Push implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        GlobalOptions global;

        @Parameters(index = "0", paramLabel = "REF", description = "Where: [HOST[:PORT]/]PATH[:TAG] (default tag: latest) or oci:DIR:TAG.")
        String refText;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = FILE_LABEL, description = FILE_DESCRIPTION)
        List<String> files;

        @Mixin
        Content content;

        @Option(names = "--artifact-type", paramLabel = "TYPE",
                description = "The artifact's type (default: " + ArtifactManifest.DEFAULT_ARTIFACT_TYPE + ").")
        String artifactType;

        @Override
        public Integer call() {
            ImageRef ref = ImageRef.parse(refText);
            InPlaceWrite.require("artifact push", ref);
            if (ref.digest() != null) {
                throw new RegctlException(RegctlException.Kind.USAGE, "artifact push " + refText
                        + ": an artifact is pushed under a tag; its digest is known once it is made",
                        "name a tag, e.g. " + ref.repositoryName() + ":1.0", null);
            }
            ArtifactPush.Spec wanted = content.spec(files, artifactType == null ? ArtifactManifest.DEFAULT_ARTIFACT_TYPE : artifactType);
            ArtifactResult result;
            try (Session session = global.session(spec.commandLine().getErr(), ref);
                 ImageStore store = session.open(ref, Session.Access.CREATE);
                 ArtifactPush push = ArtifactPush.prepare(wanted, null, Clock.systemUTC())) {
                result = push.push(store, ref.lookup(), content.dryRun);
            }
            report(spec, global, result);
            return ExitCodes.OK;
        }
    }

    @Command(name = "attach", footerHeading = UsageHelp.EXAMPLES, footer = {
        "  regctl artifact attach localhost:5000/app:1.0 sbom.spdx.json \\",
        "      --artifact-type application/spdx+json"},
            description = {"Push FILEs as an OCI artifact whose subject is SUBJECT's manifest, by digest into SUBJECT's"
                    + " repository, and list it among SUBJECT's referrers: where the registry has no referrers API,"
                    + " in the sha256-<hex> tag's index, with every entry others added kept.",
                "Prints the artifact's digest."})
    static final class Attach implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        GlobalOptions global;

        @Parameters(index = "0", paramLabel = "SUBJECT", description = "The image: [HOST[:PORT]/]PATH[:TAG|@DIGEST] or oci:DIR[:TAG|@DIGEST].")
        String subjectText;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = FILE_LABEL, description = FILE_DESCRIPTION)
        List<String> files;

        @Mixin
        Content content;

        @Option(names = "--artifact-type", paramLabel = "TYPE", description = "The artifact's type, e.g. application/spdx+json (required).")
        String artifactType;

        @Override
        public Integer call() {
            if (artifactType == null || artifactType.isBlank()) {
                throw new RegctlException(RegctlException.Kind.USAGE, "artifact attach needs --artifact-type",
                        "what readers pick it by, e.g. --artifact-type application/spdx+json", null);
            }
            ImageRef ref = ImageRef.parse(subjectText);
            InPlaceWrite.require("artifact attach", ref);
            ArtifactPush.Spec wanted = content.spec(files, artifactType);
            ArtifactResult result;
            try (Session session = global.session(spec.commandLine().getErr(), ref);
                 ImageStore store = session.open(ref, Session.Access.CREATE)) {
                RawManifest subject = store.fetchManifest(ImageLookup.reference(ref, store));
                try (ArtifactPush push = ArtifactPush.prepare(wanted, subject.descriptor(), Clock.systemUTC())) {
                    result = push.push(store, null, content.dryRun);
                }
            }
            report(spec, global, result);
            return ExitCodes.OK;
        }
    }

    @Command(name = "pull", footerHeading = UsageHelp.EXAMPLES, footer = {
        "  regctl artifact pull localhost:5000/reports:1.0 --dir reports",
        "  # An image's newest SBOM",
        "  regctl artifact pull localhost:5000/app:1.0 \\",
        "      --artifact-type application/spdx+json"},
            description = {"Write every titled layer of the artifact REF into DIR, each verified against its digest while"
                    + " it streams to a temporary file renamed into place; a directory layer is unpacked.",
                "Titles come from whoever pushed the artifact: one that is absolute, holds .., goes through a symbolic"
                    + " link in DIR or repeats another, and a directory layer's tar entry that leads out of it or is a"
                    + " device or a link pointing out, is refused (exit 1) naming the layer. Prints each path written."})
    static final class Pull implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        GlobalOptions global;

        @Parameters(index = "0", paramLabel = "REF", description = "The artifact, or with --artifact-type an image whose referrer to pull.")
        String refText;

        @Option(names = "--dir", paramLabel = "DIR", description = "Where to write the files (default: the current directory).")
        Path dir = Path.of(".");

        @Option(names = "--artifact-type", paramLabel = "TYPE",
                description = "Pull REF if it is of this type, else its newest referrer of this type.")
        String artifactType;

        @Option(names = "--overwrite", description = "Replace files and directories that exist in DIR.")
        boolean overwrite;

        @Override
        public Integer call() {
            ImageRef ref = ImageRef.parse(refText);
            ArtifactPull.Result result;
            try (Session session = global.session(spec.commandLine().getErr(), ref);
                 ImageStore store = session.open(ref, Session.Access.READ)) {
                ArtifactPull pull = new ArtifactPull(store, ExpansionLimits.fromEnvironment(System.getenv()));
                result = pull.pull(ref, pull.find(ref, artifactType), dir, overwrite);
            }
            global.output(spec.commandLine().getOut()).print(result, w -> result.files().forEach(f -> w.println(f.path())));
            return ExitCodes.OK;
        }
    }
}
