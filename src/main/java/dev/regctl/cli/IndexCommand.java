package dev.regctl.cli;

import dev.regctl.RegctlException;
import dev.regctl.oci.Digest;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.ManifestFormat;
import dev.regctl.oci.Platform;
import dev.regctl.ops.Session;
import dev.regctl.ops.append.ConfigEdits;
import dev.regctl.ops.copy.CopyOptions;
import dev.regctl.ops.index.IndexEditor;
import dev.regctl.ops.index.IndexPlan;
import dev.regctl.ops.index.IndexResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code regctl index create|add|remove}: multi-platform indexes made from images anywhere. A group:
 * the global options belong to each subcommand, and go after its name however they were typed.
 */
@Command(name = "index",
        subcommands = {IndexCommand.Create.class, IndexCommand.Add.class, IndexCommand.Remove.class},
        footerHeading = UsageHelp.EXAMPLES, footer = {
            "  # One index of two single-platform builds",
            "  regctl index create localhost:5000/app:1.0 \\",
            "      localhost:5000/app-amd64:1.0 localhost:5000/app-arm64:1.0",
            "  # Replace the arm64 image, then drop s390x",
            "  regctl index add localhost:5000/app:1.0 localhost:5000/app-arm64:1.0.1",
            "  regctl index remove localhost:5000/app:1.0 --platform linux/s390x"},
        description = "Create a multi-platform index from images and indexes, or add and remove its images.")
final class IndexCommand {
    private static final String PLATFORM_LABEL = "OS/ARCH[/VARIANT]";

    /** Opens a session for {@code refs}, builds a plan, and prints the result of running it (or looking with --dry-run). */
    static int edit(CommandSpec command, GlobalOptions global, Integer jobs, boolean dryRun, List<ImageRef> refs,
                    Function<IndexEditor, IndexPlan> plan) {
        Output out = global.output(command.commandLine().getOut());
        try (Session session = global.session(command.commandLine().getErr(), refs.toArray(ImageRef[]::new));
             IndexEditor editor = new IndexEditor(session, jobs == null ? CopyOptions.defaultJobs() : jobs)) {
            IndexPlan built = plan.apply(editor);
            IndexResult result = dryRun ? editor.dryRun(built) : editor.execute(built);
            out.print(result, w -> w.println(dryRun ? TerminalText.line(wouldPush(result)) : result.digest()));
        }
        return ExitCodes.OK;
    }

    /** {@code would push TARGET DIGEST (2 entries; 3 blobs to upload, 1 to mount, 2 present, 4.0 MiB)}. */
    private static String wouldPush(IndexResult r) {
        return "would push " + r.target() + " " + r.digest() + " (" + r.children().size() + (r.children().size() == 1 ? " entry" : " entries")
                + "; " + Plural.of(r.blobs().uploaded(), "blob") + " to upload, " + r.blobs().mounted() + " to mount, "
                + r.blobs().skipped() + " present, " + Sizes.human(r.bytes()) + ")";
    }

    private static List<Platform> platforms(List<String> given) {
        return given.stream().map(Platform::parse).toList();
    }

    /** What {@code create} and {@code add} both take: TARGET, the sources, the platforms of index sources, parallelism. */
    static final class Sources {
        @Parameters(index = "0", paramLabel = "TARGET",
                description = "The index: [HOST[:PORT]/]PATH[:TAG] (default tag: latest) or oci:DIR:TAG.")
        String target;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "SRC",
                description = {"An image or index: a registry reference, oci:DIR[:TAG|@DIGEST],",
                    "docker-archive:PATH[:NAME[:TAG]] or oci-archive:PATH[:TAG]"})
        List<String> sources;

        @Option(names = "--platform", split = ",", paramLabel = PLATFORM_LABEL,
                description = "Take only these platforms from each index SRC (an image SRC is taken whole).")
        List<String> platforms = new ArrayList<>();

        @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Transfers and lookups at once (default: 8).")
        Integer jobs;

        /** TARGET, then every SRC. */
        List<ImageRef> refs() {
            return Stream.concat(Stream.of(target), sources.stream()).map(ImageRef::parse).toList();
        }
    }

    @Command(name = "create", footerHeading = UsageHelp.EXAMPLES, footer = {
        "  # Two architectures built elsewhere, one index, pushed under a release tag",
        "  regctl index create registry.example.com/app:1.0 \\",
        "      registry.example.com/ci/app:1.0-amd64 \\",
        "      registry.example.com/ci/app:1.0-arm64",
        "  # linux/amd64 and linux/arm64 of an index, and a local build, into a layout",
        "  regctl index create --platform linux/amd64,linux/arm64 \\",
        "      oci:out:1.0 alpine:3.20 oci:build:riscv64"},
            description = {"Create an index at TARGET listing every image SRC (its platform read from its config) and the"
                    + " images of every index SRC.",
                "Copies what the images need into TARGET's repository first (mounted, skipped or uploaded), then pushes"
                    + " the index, then the tag. Prints the index digest."})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        GlobalOptions global;

        @Mixin
        Sources sources;

        @Option(names = "--annotation", paramLabel = "KEY=VALUE", description = "An annotation of the index; repeatable.")
        List<String> annotations = new ArrayList<>();

        @Option(names = "--format", paramLabel = "oci|v2s2", completionCandidates = CopyCommand.FormatNames.class,
                description = "oci (default): an OCI image index; v2s2: a Docker manifest list, which takes Docker schema 2"
                        + " images only.")
        String format;

        @Option(names = "--dry-run", description = "Print the index digest and what would be moved; change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            ManifestFormat as = format == null ? ManifestFormat.OCI : ManifestFormat.parse(format);
            Map<String, String> notes = annotations(annotations);
            List<ImageRef> refs = sources.refs();
            List<Platform> wanted = platforms(sources.platforms);
            return edit(spec, global, sources.jobs, dryRun, refs,
                    editor -> editor.create(refs.get(0), refs.subList(1, refs.size()), wanted, notes, as));
        }

        private static Map<String, String> annotations(List<String> given) {
            Map<String, String> parsed = new LinkedHashMap<>();
            given.forEach(a -> ConfigEdits.put("--annotation", a, parsed));
            return parsed;
        }
    }

    @Command(name = "add", footerHeading = UsageHelp.EXAMPLES, footer = {
        "  regctl index add localhost:5000/app:1.0 localhost:5000/app-riscv64:1.0"},
            description = {"Add images to the index at TARGET: each image SRC, and the images of each index SRC.",
                "An image TARGET lists for the same platform is replaced. The index's other fields and annotations are"
                    + " kept; it is pushed under TARGET's tag and its digest printed."})
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        GlobalOptions global;

        @Mixin
        Sources sources;

        @Option(names = "--dry-run", description = "Print the new index digest and what would be moved; change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            List<ImageRef> refs = sources.refs();
            List<Platform> wanted = platforms(sources.platforms);
            return edit(spec, global, sources.jobs, dryRun, refs, editor -> editor.add(refs.get(0), refs.subList(1, refs.size()), wanted));
        }
    }

    @Command(name = "remove", footerHeading = UsageHelp.EXAMPLES, footer = {
        "  regctl index remove localhost:5000/app:1.0 --platform linux/s390x --platform linux/ppc64le"},
            description = {"Remove images from the index at TARGET, by platform or digest, with the attestations that"
                    + " describe them.",
                "The index's other fields and annotations are kept; it is pushed under TARGET's tag and its digest"
                    + " printed. Removing every image is refused (exit 2)."})
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        GlobalOptions global;

        @Parameters(index = "0", paramLabel = "TARGET", description = "The index: [HOST[:PORT]/]PATH[:TAG] or oci:DIR:TAG.")
        String target;

        @Option(names = "--platform", split = ",", paramLabel = PLATFORM_LABEL,
                description = "Remove the image of this platform; repeatable.")
        List<String> platforms = new ArrayList<>();

        @Option(names = "--digest", paramLabel = "DIGEST", description = "Remove the entry of this digest; repeatable.")
        List<String> digests = new ArrayList<>();

        @Option(names = "--dry-run", description = "Print the new index digest; change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            if (platforms.isEmpty() && digests.isEmpty()) {
                throw new RegctlException(RegctlException.Kind.USAGE, "index remove needs --platform or --digest",
                        "e.g. regctl index remove " + target + " --platform linux/s390x", null);
            }
            ImageRef ref = ImageRef.parse(target);
            List<Platform> wanted = platforms(platforms);
            List<Digest> gone = digests.stream().map(Digest::parse).toList();
            return edit(spec, global, null, dryRun, List.of(ref), editor -> editor.remove(ref, wanted, gone));
        }
    }
}
