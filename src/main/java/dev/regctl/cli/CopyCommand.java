package dev.regctl.cli;

import dev.regctl.RegctlException;
import dev.regctl.oci.Platform;
import dev.regctl.ops.Session;
import dev.regctl.ops.copy.Copier;
import dev.regctl.ops.copy.CopyListener;
import dev.regctl.ops.copy.CopyOptions;
import dev.regctl.ops.copy.CopyPlan;
import dev.regctl.ops.copy.CopyRequest;
import dev.regctl.ops.copy.CopyResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl copy SRC DST}: an image, an index or a whole repository, digest-exact. */
@Command(name = "copy", description = {
    "Copy an image, an index (all platforms unless --platform) or, with --all-tags, every tag of a repository.",
    "Digest-exact; skips what the destination has, mounts blobs between repositories of one registry."})
public final class CopyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(index = "0", paramLabel = "SRC",
            description = {"Image or repository: [docker://][HOST[:PORT]/]PATH[:TAG][@DIGEST]", "or OCI layout: oci:PATH[:TAG]",
                "or archive: docker-archive:PATH[:NAME:TAG], oci-archive:PATH[:TAG]"})
    String source;

    @Parameters(index = "1", paramLabel = "DST",
            description = {"Where to: a registry reference or oci:PATH[:TAG] (created if missing),",
                "or a new archive: docker-archive:PATH[:NAME:TAG], oci-archive:PATH[:TAG]"})
    String destination;

    @Option(names = "--all-tags", description = "Copy every tag of SRC's repository (SRC and DST without tags).")
    boolean allTags;

    @Option(names = "--filter", paramLabel = "REGEX",
            description = "With --all-tags, only the tags this regular expression matches as a whole.")
    String filter;

    @Option(names = "--platform", split = ",", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Only these platforms of an index; several make a new index (its digest differs). A single"
                    + " image must be of them, else nothing is copied (exit 3).")
    List<String> platforms = new ArrayList<>();

    @Option(names = "--dry-run", description = "Print what would be pushed, mounted, uploaded and skipped; change nothing.")
    boolean dryRun;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "Transfers and lookups at once (default: 8).")
    Integer jobs;

    @Option(names = "--force", description = "Push manifests the destination already has, and fill in any blob they lack.")
    boolean force;

    @Option(names = "--referrers", description = "Also copy referrers (signatures, SBOMs, attestations) of each manifest.")
    boolean referrers;

    @Option(names = "--progress-interval", paramLabel = "DURATION", defaultValue = "10s",
            converter = BaseOptions.DurationConverter.class,
            description = "Off a terminal (CI logs), a progress line on stderr this often (default: ${DEFAULT-VALUE}).")
    Duration progressInterval;

    @Override
    public Integer call() {
        CopyRequest request = CopyRequest.parse(source, destination, allTags);
        CopyOptions options = new CopyOptions(platforms.stream().map(Platform::parse).toList(), force, referrers,
                jobs == null ? CopyOptions.defaultJobs() : jobs);
        Predicate<String> tags = tagFilter();
        Output out = global.output(spec.commandLine().getOut());
        if (!dryRun) {
            // From here, not from the first transfer: a stop while planning is news too.
            EarlyExit.copying();
        }
        try (Session session = global.session(spec.commandLine().getErr(), request.source(), request.destination());
             Copier copier = Copier.open(session, request, options).onlyTags(tags)) {
            CopyPlan plan = dryRun ? copier.plan(request) : copier.planToRun(request);
            plan.warnings().forEach(w -> spec.commandLine().getErr().println("regctl: warning: " + TerminalText.line(w)));
            if (dryRun) {
                CopyReport.plan(out, plan);
                return ExitCodes.OK;
            }
            CopyResult result = copier.execute(plan, new TagCountingListener(progress(out)));
            CopyReport.result(out, result);
        }
        return ExitCodes.OK;
    }

    private Predicate<String> tagFilter() {
        if (filter != null && !allTags) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--filter picks tags of a repository: give --all-tags too");
        }
        Pattern p = Filters.compile(filter);
        return p == null ? tag -> true : tag -> p.matcher(tag).matches();
    }

    /**
     * Bars for a person watching: a terminal, text output, no -v trace to interleave with. Elsewhere
     * (CI logs) a line every --progress-interval. -q silences both.
     */
    private CopyListener progress(Output out) {
        if (global.quiet()) {
            return CopyListener.NONE;
        }
        boolean watched = System.console() != null && !global.verbose() && !out.isJson();
        return watched ? new ProgressBars() : new ProgressLog(spec.commandLine().getErr(), progressInterval);
    }
}
