package dev.regctl.cli;

import dev.regctl.RegctlException;
import dev.regctl.oci.ManifestFormat;
import dev.regctl.oci.Platform;
import dev.regctl.ops.NamePattern;
import dev.regctl.ops.Session;
import dev.regctl.ops.copy.Copier;
import dev.regctl.ops.copy.CopyListener;
import dev.regctl.ops.copy.CopyOptions;
import dev.regctl.ops.copy.CopyPlan;
import dev.regctl.ops.copy.CopyRequest;
import dev.regctl.ops.copy.CopyResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl copy SRC DST}: an image, an index or a whole repository, digest-exact. */
@Command(name = "copy",
        footerHeading = UsageHelp.EXAMPLES, footer = {
            "  # One image, every platform, from Docker Hub to a local registry",
            "  regctl copy alpine:3.20 localhost:5000/alpine:3.20",
            "  # Only the 3.x tags of a repository, with their signatures and SBOMs",
            "  regctl copy --all-tags --filter '3\\..*' --referrers \\",
            "      alpine localhost:5000/alpine",
            "  # Two platforms into an OCI layout directory, one into a docker archive",
            "  regctl copy --platform linux/amd64,linux/arm64 alpine:3.20 oci:layout:3.20",
            "  regctl copy --platform linux/amd64 alpine:3.20 \\",
            "      docker-archive:alpine.tar:alpine:3.20"},
        description = {
    "Copy an image, an index (all platforms unless --platform) or, with --all-tags, every tag of a repository.",
    "Digest-exact unless --format; skips what the destination has, mounts blobs between repositories of one registry."})
final class CopyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ProgressOptions global;

    @Parameters(index = "0", paramLabel = "SRC",
            description = {"Image or repository: [docker://][HOST[:PORT]/]PATH[:TAG][@DIGEST]",
                "or OCI layout: oci:PATH[:TAG] or oci:PATH@DIGEST",
                "or archive: docker-archive:PATH[:NAME[:TAG]|:@N] or oci-archive:PATH[:TAG]"})
    String source;

    @Parameters(index = "1", paramLabel = "DST",
            description = {"Where to: a registry reference or oci:PATH[:TAG] (created if missing),",
                "or a new archive: docker-archive:PATH[:NAME[:TAG]] or oci-archive:PATH[:TAG]"})
    String destination;

    @Option(names = "--all-tags", description = "Copy every tag of SRC's repository (SRC and DST without tags).")
    boolean allTags;

    @Option(names = "--filter", paramLabel = "REGEX",
            description = "With --all-tags, only the tags this regular expression matches as a whole.")
    String filter;

    @Option(names = "--platform", split = ",", paramLabel = "OS/ARCH[/VARIANT]",
            description = {"Only these platforms of an index; several make a new index (its digest differs). A single"
                    + " image must be of them, else nothing is copied (exit 3).",
                "linux/arm means arm/v7 and takes v6 where there is no v7, as docker does; a Windows build is"
                    + " picked with OS(OSVERSION)/ARCH, e.g. 'windows(10.0.20348)/amd64'."})
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

    @Option(names = "--format", paramLabel = "oci|v2s2", completionCandidates = FormatNames.class,
            description = "Write manifests as oci (what skopeo, buildah and podman look up in layouts) or v2s2 (Docker"
                    + " schema 2), converting those of the other kind: blobs stay as they are, converted manifests get"
                    + " new digests. Default: as the source has them, digest-exact.")
    String format;

    @Option(names = "--progress-interval", paramLabel = "DURATION", defaultValue = "10s",
            converter = BaseOptions.DurationConverter.class,
            description = "Off a terminal (CI logs), a progress line on stderr this often (default: ${DEFAULT-VALUE}).")
    Duration progressInterval;

    @Override
    public Integer call() {
        CopyRequest request = CopyRequest.parse(source, destination, allTags);
        ManifestFormat convertTo = format == null ? null : ManifestFormat.parse(format);
        CopyOptions options = new CopyOptions(platforms.stream().map(Platform::parse).toList(), force, referrers,
                jobs == null ? CopyOptions.defaultJobs() : jobs, convertTo);
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
            plan.notes().forEach(n -> spec.commandLine().getErr().println("regctl: note: " + TerminalText.line(n)));
            if (dryRun) {
                CopyReport.plan(out, plan, convertTo);
                return ExitCodes.OK;
            }
            CopyResult result = copier.execute(plan, new TagCountingListener(progress(out)));
            CopyReport.result(out, result, convertTo);
        }
        return ExitCodes.OK;
    }

    /** What {@code --format} takes, for completion scripts. */
    static final class FormatNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(ManifestFormat.values()).map(ManifestFormat::flag).iterator();
        }
    }

    private Predicate<String> tagFilter() {
        if (filter != null && !allTags) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--filter picks tags of a repository: give --all-tags too");
        }
        NamePattern p = Filters.compile(filter);
        return p == null ? tag -> true : p::matches;
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
