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
@Command(name = "sync", description = {
    "Mirror the repositories and images a YAML file lists: tag filters, platforms, referrers, prune.",
    "A tag the target already holds at the source's digest costs one HEAD to the source, no pull.",
    "Each image succeeds or fails on its own; exit 1 when any failed."})
public final class SyncCommand implements Callable<Integer> {
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
    GlobalOptions global;

    @Parameters(index = "0", paramLabel = "FILE", description = "The sync file (YAML, see the README).")
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
            return ExitCodes.FAILURE;
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
