package dev.regctl.cli;

import dev.regctl.oci.ImageRef;
import dev.regctl.ops.Session;
import dev.regctl.store.ImageStore;
import dev.regctl.ops.TagDetail;
import dev.regctl.ops.TagLister;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl tags REPO}: a repository's tags. */
@Command(name = "tags", description = "List the tags of a repository (all pages).")
public final class TagsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(paramLabel = "REPO", description = "Repository, e.g. localhost:5000/app or redis")
    String repo;

    @Option(names = "--filter", paramLabel = "REGEX", description = "Only tags the regular expression matches in full.")
    String filter;

    @Option(names = "--long", description = {"Add digest, platforms, size and creation time per tag.",
            "A tag that cannot be read gets a line on stderr instead, and the exit code is 1."})
    boolean longFormat;

    @Override
    public Integer call() {
        ImageRef ref = ImageRef.parse(repo);
        var keep = Filters.compile(filter);
        try (Session session = global.session(spec.commandLine().getErr(), ref);
             ImageStore store = session.open(ref, Session.Access.READ)) {
            TagLister lister = new TagLister(store);
            List<String> tags = lister.tags(keep);
            Output out = global.output(spec.commandLine().getOut());
            if (!longFormat) {
                out.print(tags, w -> tags.forEach(t -> w.println(TerminalText.line(t))));
                return ExitCodes.OK;
            }
            List<TagDetail> details = lister.details(tags);
            out.print(details, w -> details.stream().filter(TagDetail::readable).forEach(d -> w.println(row(d))));
            return unreadable(details);
        }
    }

    private static String row(TagDetail d) {
        return TerminalText.columns(d.tag(), d.digest(),
                d.platforms().isEmpty() ? "-" : String.join(",", d.platforms()),
                d.size() == null ? "-" : String.valueOf(d.size()),
                d.created() == null ? "-" : d.created());
    }

    /** One stderr line per tag that could not be read; exit 1 when there was any. */
    private int unreadable(List<TagDetail> details) {
        List<TagDetail> failed = details.stream().filter(d -> !d.readable()).toList();
        if (failed.isEmpty()) {
            return ExitCodes.OK;
        }
        // A stop (Ctrl-C, --timeout) fails every read in flight; its own line says so, not one per tag.
        EarlyExit.awaitStop();
        PrintWriter err = spec.commandLine().getErr();
        failed.forEach(d -> err.println("regctl: tags --long: " + TerminalText.line(d.tag() + ": " + d.error())));
        err.flush();
        return ExitCodes.FAILURE;
    }
}
