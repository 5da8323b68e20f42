package dev.regctl.cli;

import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;
import dev.regctl.ops.Durations;
import dev.regctl.ops.Session;
import dev.regctl.ops.prune.PruneDecision;
import dev.regctl.ops.prune.PrunePolicy;
import dev.regctl.ops.prune.Pruner;
import dev.regctl.store.ImageStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl prune REPO --keep N}: retention, deleting the images of tags beyond the newest N. */
@Command(name = "prune",
        footerHeading = UsageHelp.EXAMPLES, footer = {
            "  # Keep the newest 10 tags, and any created in the last 30 days",
            "  regctl prune localhost:5000/app --keep 10 --older-than 30d --dry-run",
            "  regctl prune localhost:5000/app --keep 10 --older-than 30d"},
        description = "Delete the images of tags beyond the newest N matching ones"
        + " (never an image a remaining tag uses). Referrer tags (sha256-<hex>, .sig, .att, .sbom) are never"
        + " selected: a kept image keeps its signatures and SBOMs, and those of a deleted image go with it.")
final class PruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ProgressOptions global;

    @Parameters(paramLabel = "REPO", description = "Repository, e.g. localhost:5000/app, or oci:DIR")
    String repo;

    @Option(names = "--keep", paramLabel = "N", required = true,
            description = "How many of the newest matching tags always stay.")
    int keep;

    @Option(names = "--older-than", paramLabel = "DURATION",
            description = "Delete only tags created strictly before the cutoff, now minus DURATION rounded down to"
                    + " the minute (a tag created at the cutoff stays): w weeks, d days, h hours, m minutes, s seconds,"
                    + " e.g. 30d, 2w, 12h. Under one hour needs --force.")
    String olderThan;

    @Option(names = "--force", description = "Allow an --older-than under one hour (1m is one minute, not a month).")
    boolean force;

    @Option(names = "--filter", paramLabel = "REGEX", description = "Only tags the regular expression matches in full.")
    String filter;

    @Option(names = "--dry-run", description = "Show what would be deleted, and delete nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        Duration age = olderThan == null ? null : Durations.parse(olderThan);
        PrunePolicy.requireDeliberate(age, force);
        PrunePolicy policy = new PrunePolicy(Filters.compile(filter), keep, age);
        ImageRef ref = ImageRef.parse(repo);
        if (ref.namesImage()) {
            throw notARepository();
        }
        try (Session session = global.session(spec.commandLine().getErr(), ref);
             ImageStore store = session.open(ref, Session.Access.CHANGE)) {
            return run(store, policy);
        }
    }

    private int run(ImageStore store, PrunePolicy policy) {
        Pruner pruner = new Pruner(store);
        Instant now = Instant.now();
        List<PruneDecision> decisions = pruner.plan(policy, now);
        Output out = global.output(spec.commandLine().getOut());
        if (out.isJson()) {
            if (!dryRun) {
                pruner.execute(decisions, d -> { });
            }
            out.json(decisions);
            return ExitCodes.OK;
        }
        if (!global.quiet() && policy.olderThan() != null) {
            // The cutoff as a date, so "1m" meant as a month shows itself; on stderr, so stdout stays the list.
            spec.commandLine().getErr().println(TerminalText.line("prune: due for deletion: " + policy.describe(now)));
        }
        notes(decisions);
        PrintWriter w = out.writer();
        if (dryRun) {
            decisions.stream().filter(PruneDecision::deletes).forEach(d -> line(w, d));
            // On stderr, so stdout stays the list a script reads.
            spec.commandLine().getErr().println("dry run: would delete "
                    + Plural.of(decisions.stream().filter(PruneDecision::deletes).count(), "tag")
                    + "; nothing was deleted");
        } else {
            // Printed as each manifest goes, so an interrupted run still shows what it did.
            pruner.execute(decisions, d -> line(w, d));
        }
        return ExitCodes.OK;
    }

    private static void line(PrintWriter w, PruneDecision d) {
        w.println(TerminalText.columns(d.tag(), d.digest().toString(), d.created() == null ? "-" : d.created()));
        w.flush();
    }

    /** Tags that were due but stay are worth a word; stdout carries only what is deleted. */
    private void notes(List<PruneDecision> decisions) {
        if (global.quiet()) {
            return;
        }
        PrintWriter err = spec.commandLine().getErr();
        for (PruneDecision d : decisions) {
            if (d.action() == PruneDecision.Action.SKIP) {
                err.println(TerminalText.line("note: not deleting " + d.tag() + ": " + d.reason()));
            }
        }
        err.flush();
    }

    private RegctlException notARepository() {
        return new RegctlException(RegctlException.Kind.USAGE, "prune " + repo
                + ": expected a repository without tag or digest, e.g. localhost:5000/app or oci:DIR");
    }
}
