package dev.regctl.cli;

import dev.regctl.ops.Session;
import dev.regctl.ops.copy.CopyOptions;
import dev.regctl.ops.sync.Shard;
import dev.regctl.ops.sync.SyncEntry;
import dev.regctl.ops.sync.SyncFile;
import dev.regctl.ops.sync.SyncItem;
import dev.regctl.ops.sync.SyncProgress;
import dev.regctl.ops.sync.SyncReport;
import dev.regctl.ops.sync.SyncStep;
import dev.regctl.ops.sync.Syncer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl sync FILE}: mirror what a YAML file lists, each image on its own, free when nothing changed. */
@Command(name = "sync",
        footerHeading = "%nThe sync file (YAML):%n", footer = {
            "  version: 1",
            "  defaults:                    # every key here may also be set per entry",
            "    platforms: [linux/amd64, linux/arm64]   # default: all, digests kept",
            "    referrers: true            # default false: signatures, SBOMs too",
            "    prune: true                # default false: delete target tags, within",
            "                               # the filters, that the source no longer has",
            "    tags:                      # which tags of a repository entry",
            "      allow: ['.*']            # regexes, each matching a whole tag",
            "      deny: ['.*-rc.*']",
            "      semver: '>=1.2.0 <2'     # tags that are versions in this range",
            "  sync:",
            "    - source: docker.io/library/alpine          # a repository: its tags",
            "      target: registry.internal:5000/mirror/alpine",
            "      tags: {allow: ['3\\.[0-9]+(\\.[0-9]+)?']}",
            "    - source: docker.io/library/busybox:1.36    # one image",
            "      target: registry.internal:5000/mirror/busybox:1.36",
            "",
            "An entry's platforms, referrers, prune and each of allow, deny and semver replace the defaults' one by"
                    + " one; tags is for repository entries only. Regular expressions (RE2) match the whole tag. A semver"
                    + " range joins comparators with spaces (all must hold) and alternatives with ||; v1.2, 1.2 and 1.2.0"
                    + " are versions, latest is not, and a pre-release is inside a range only when the range names a"
                    + " pre-release of the same version, as npm decides. Referrer tags (sha256-<hex>, .sig, .att, .sbom)"
                    + " are never taken as images; referrers: true copies them with what they refer to. A mistake in the"
                    + " file stops the run before anything is copied: one line naming the file and the line, exit 2.",
            "",
            "Examples:",
            "  # What would be copied, skipped and pruned, then the mirror itself",
            "  regctl sync sync.yaml --dry-run",
            "  regctl sync sync.yaml",
            "  # Shard 1 of 3, as one job of a CI matrix runs it",
            "  regctl sync sync.yaml --shard 1/3"},
        description = {
    "Mirror the repositories and images a YAML file lists: tag filters, platforms, referrers, prune.",
    "A tag the target already holds at the source's digest costs one HEAD to the source, no pull.",
    "Each image succeeds or fails on its own; when any fails, the exit code is the failures' when they agree"
        + " (4: every failure a refusal), else the highest."})
final class SyncCommand implements Callable<Integer> {
    /** How often a run that is not watched on a terminal says how far it got. */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    /** How often the bars are redrawn for someone watching a terminal. */
    static final Duration REDRAW_EVERY = Duration.ofMillis(250);

    /** How a run shows its progress on stderr. */
    enum Watch {
        /** Nothing: {@code -q}, or {@code -v}, whose trace lines would tear bars and lines apart. */
        NONE,
        /** A bar per image, redrawn in place ({@link SyncBars}). */
        BARS,
        /** A line every {@link #PROGRESS_EVERY} ({@link ProgressLines}), for CI logs. */
        LINES;

        static Watch of(boolean quiet, boolean verbose, boolean terminal) {
            if (quiet || verbose) {
                return NONE;
            }
            return terminal ? BARS : LINES;
        }
    }

    /** Stops a progress printer; the summary follows. */
    private interface Watching extends AutoCloseable {
        @Override
        void close();
    }

    @Spec
    CommandSpec spec;

    @Mixin
    ProgressOptions global;

    @Parameters(index = "0", paramLabel = "FILE", description = "The sync file (YAML, below).")
    Path file;

    @Option(names = "--shard", paramLabel = "K/N",
            description = {"Only the target repositories of shard K of N (K from 0); N alone takes K from "
                    + Shard.INDEX_VARIABLE + " (a Kubernetes Indexed Job)."})
    String shard;

    @Option(names = "--dry-run", description = "Print per image whether it would be copied, skipped or pruned; change nothing.")
    boolean dryRun;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "Images copied at once, and blob transfers at once across all of them (default: 8).")
    Integer jobs;

    @Override
    public Integer call() {
        SyncFile syncFile = SyncFile.read(file);
        Shard part = Shard.parse(shard, System.getenv());
        int j = jobs == null ? CopyOptions.defaultJobs() : jobs;
        new CopyOptions(List.of(), false, false, j); // the same -j check as copy
        Output out = global.output(spec.commandLine().getOut());
        PrintWriter err = spec.commandLine().getErr();
        syncFile.warnings().forEach(w -> err.println("regctl: warning: " + TerminalText.line(w)));
        String[] hosts = syncFile.entries().stream()
                .flatMap(e -> java.util.stream.Stream.concat(e.source().apiHosts().stream(), e.target().apiHosts().stream()))
                .distinct().toArray(String[]::new);
        SyncReport report;
        if (!dryRun) {
            // From here, not from the first copy: a stop while planning is news too.
            EarlyExit.copying();
        }
        try (Session session = global.session(err, hosts); Syncer syncer = new Syncer(session, j).shard(part)) {
            List<SyncEntry> mine = syncer.select(syncFile.entries());
            List<SyncStep> plan = syncer.plan(mine);
            if (dryRun) {
                report = syncer.dryRun(plan);
            } else {
                SyncProgress progress = new SyncProgress();
                try (Watching watching = watch(progress, err)) {
                    report = syncer.execute(plan, progress);
                }
            }
        }
        print(out, report);
        if (report.stopped() != null) {
            err.println("regctl: sync stopped starting images: " + TerminalText.line(report.stopped()));
        }
        if (!report.failures().isEmpty()) {
            err.println("regctl: sync: " + report.failed() + " of " + report.images().size() + " images failed:");
            report.failures().forEach(f -> err.println("  " + TerminalText.line(name(f) + ": " + f.error())));
            err.flush();
            return ManyReferences.worst(report.failures().stream().map(f -> ExitCodes.of(f.failure())).toList());
        }
        return ExitCodes.OK;
    }

    private Watching watch(SyncProgress progress, PrintWriter err) {
        return switch (Watch.of(global.quiet(), global.verbose(), System.console() != null)) {
            case NONE -> () -> { };
            case BARS -> SyncBars.start(progress, err, REDRAW_EVERY)::close;
            case LINES -> ProgressLines.start(progress, err, PROGRESS_EVERY)::close;
        };
    }

    private static void print(Output out, SyncReport report) {
        out.print(report, w -> {
            for (SyncItem i : report.images()) {
                String line = switch (i.action()) {
                    case "copy", "copied" -> i.action() + " " + i.source() + " -> " + i.target()
                            + (i.targetDigest() != null ? " " + i.targetDigest() : "");
                    case "skip", "skipped" -> i.action() + " " + i.target() + " " + i.targetDigest();
                    case "prune", "pruned" -> i.action() + " " + i.target();
                    default -> i.action() + " " + name(i) + ": " + i.error();
                };
                w.println(TerminalText.line(line));
            }
            if (!report.dryRun()) {
                w.println(TerminalText.line(summary(report)));
            }
        });
    }

    /** {@code synced 3 copied, 27 skipped, 1 pruned, 0 failed (12.3 MiB in 4.2 s, shard 0/1)}. */
    static String summary(SyncReport r) {
        return "synced " + r.copied() + " copied, " + r.skipped() + " skipped, " + r.pruned() + " pruned, "
                + r.failed() + " failed (" + Sizes.human(r.bytes()) + " in "
                + String.format(Locale.ROOT, "%.1f s", r.seconds()) + ", shard " + r.shard() + ")";
    }

    private static String name(SyncItem i) {
        return i.source() != null ? i.source() + " -> " + i.target() : i.target();
    }
}
