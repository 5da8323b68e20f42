package dev.regctl.cli;

import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;
import dev.regctl.ops.NamePattern;
import dev.regctl.ops.Session;
import dev.regctl.ops.TagDetail;
import dev.regctl.ops.TagLister;
import dev.regctl.store.ImageStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl tags REPO...}: a repository's tags. */
@Command(name = "tags",
        footerHeading = UsageHelp.EXAMPLES, footer = {
            "  # The tags of an image on Docker Hub that start with 3.2",
            "  regctl tags alpine --filter '3\\.2.*'",
            "  # Digest, platforms, size and creation time of every tag",
            "  regctl tags --long localhost:5000/app"},
        description = {"List the tags of a repository (all pages).",
    "Several REPOs are listed in parallel and printed as REPO<TAB>TAG lines, in argument order."})
final class TagsCommand implements Callable<Integer>, ManyReferences.Answer<List<String>> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(paramLabel = "REPO", arity = "1..*", description = "Repository, e.g. localhost:5000/app or redis")
    List<String> repos;

    @Option(names = "--filter", paramLabel = "REGEX", description = "Only tags the regular expression matches in full.")
    String filter;

    @Option(names = "--long", description = {"Add digest, platforms, size and creation time per tag (one REPO only).",
            "A tag that cannot be read gets a line on stderr instead, and the exit code is 1."})
    boolean longFormat;

    private NamePattern keep;

    /** The fields of a repository's entry when several are given. */
    record Listed(List<String> tags) {
    }

    @Override
    public Integer call() {
        keep = Filters.compile(filter);
        if (longFormat) {
            if (repos.size() > 1) {
                throw new RegctlException(RegctlException.Kind.USAGE, "--long reads every tag of one REPO: give one",
                        "for several repositories, their tags as REPO<TAB>TAG lines: regctl tags REPO...", null);
            }
            return longListing(ImageRef.parse(repos.get(0)));
        }
        return ManyReferences.run(global, spec, repos, this);
    }

    @Override
    public List<String> read(ImageStore store, ImageRef ref) {
        return new TagLister(store).tags(keep);
    }

    @Override
    public void printOne(Output out, ImageRef ref, List<String> tags) {
        out.print(tags, w -> tags.forEach(t -> w.println(TerminalText.line(t))));
    }

    @Override
    public List<List<String>> rows(List<String> tags) {
        return tags.stream().map(List::of).toList();
    }

    @Override
    public Object fields(List<String> tags) {
        return new Listed(tags);
    }

    private int longListing(ImageRef ref) {
        try (Session session = global.session(spec.commandLine().getErr(), ref);
             ImageStore store = session.open(ref, Session.Access.READ)) {
            TagLister lister = new TagLister(store);
            List<TagDetail> details = lister.details(lister.tags(keep));
            List<TagDetail> readable = details.stream().filter(TagDetail::readable).toList();
            boolean terminal = System.console() != null;
            global.output(spec.commandLine().getOut()).print(details, w -> table(readable, terminal).forEach(w::println));
            return unreadable(details);
        }
    }

    /**
     * The rows of {@code tags --long}: for a pipe, tab-separated with sizes in bytes, as scripts
     * read them; for a person at a terminal, a header row, human sizes and aligned columns.
     */
    static List<String> table(List<TagDetail> details, boolean terminal) {
        List<String[]> rows = new ArrayList<>();
        if (terminal) {
            rows.add(new String[] {"TAG", "DIGEST", "PLATFORMS", "SIZE", "CREATED"});
        }
        for (TagDetail d : details) {
            rows.add(new String[] {d.tag(), d.digest(),
                d.platforms().isEmpty() ? "-" : String.join(",", d.platforms()),
                d.size() == null ? "-" : terminal ? Sizes.human(d.size()) : String.valueOf(d.size()),
                d.created() == null ? "-" : d.created()});
        }
        return terminal ? aligned(rows) : rows.stream().map(TerminalText::columns).toList();
    }

    /** Each column padded to its widest value, two spaces apart; values escaped as by {@link TerminalText#line}. */
    private static List<String> aligned(List<String[]> rows) {
        List<String[]> escaped = rows.stream().map(r -> Arrays.stream(r).map(TerminalText::line).toArray(String[]::new)).toList();
        int[] widths = new int[escaped.get(0).length];
        escaped.forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        });
        List<String> lines = new ArrayList<>();
        for (String[] r : escaped) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                b.append(i == r.length - 1 ? r[i] : String.format("%-" + widths[i] + "s  ", r[i]));
            }
            lines.add(b.toString());
        }
        return lines;
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
