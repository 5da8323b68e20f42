package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The committed man pages (docs/man/*.adoc) are exactly what the current command model generates,
 * and say what the command takes: every option and parameter in SYNOPSIS and OPTIONS, AsciiDoc
 * that renders as written, the exit status and examples.
 */
class ManPagesTest {
    private static final Path DIR = Path.of("docs", "man");
    private static final Pattern BOLD = Pattern.compile("\\*\\*([^*]+)\\*\\*");

    @Test
    void committedPagesAreFresh() throws IOException {
        for (Map.Entry<String, String> page : ManPages.generate().entrySet()) {
            Path committed = DIR.resolve(page.getKey());
            assertTrue(Files.exists(committed), committed + " is missing: run scripts/gen-docs");
            assertEquals(page.getValue(), Files.readString(committed),
                    committed + " is stale: run scripts/gen-docs and commit the result");
        }
    }

    @Test
    void everyCommandHasAPageAndNoPageOutlivesItsCommand() throws IOException {
        Set<String> expected = new TreeSet<>(ManPages.generate().keySet());
        for (String sub : Main.commandLine().getSubcommands().keySet()) {
            assertTrue(expected.contains("regctl-" + sub + ".adoc"), "no man page for " + sub);
        }
        Set<String> committed;
        try (Stream<Path> files = Files.list(DIR)) {
            committed = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".adoc"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(expected, committed, "docs/man has pages for commands that are gone: run scripts/gen-docs");
    }

    @Test
    void pagesAreManPagesWithTheCommandsOptions() {
        String copy = ManPages.generate().get("regctl-copy.adoc");
        assertTrue(copy.contains(":doctype: manpage"), copy);
        assertTrue(copy.contains("--all-tags"), copy);
        assertTrue(copy.contains("regctl-copy"), copy);
    }

    @Test
    void everyOptionAndParameterIsInItsPagesSynopsisAndOptions() {
        Map<String, String> pages = ManPages.generate();
        commands().forEach((page, cli) -> {
            String text = pages.get(page);
            String synopsis = section(text, "Synopsis");
            Set<String> inSynopsis = boldNames(synopsis);
            for (OptionSpec o : cli.getCommandSpec().options()) {
                if (o.hidden()) {
                    continue;
                }
                assertTrue(Stream.of(o.names()).anyMatch(inSynopsis::contains),
                        page + ": " + o.longestName() + " missing from SYNOPSIS: " + synopsis);
                String options = text.substring(text.indexOf("== Options"));
                assertTrue(options.lines().anyMatch(l -> l.endsWith("::") && Stream.of(o.names()).allMatch(
                        n -> l.matches(".*[*,] ?" + Pattern.quote(n) + "[*,].*"))),
                        page + ": " + String.join(", ", o.names()) + " missing from OPTIONS");
            }
            // A label's own brackets are escaped like the synopsis's (FILE{startsb}:MEDIATYPE{endsb}).
            String plain = synopsis.replace("{startsb}", "[").replace("{endsb}", "]");
            for (PositionalParamSpec p : cli.getCommandSpec().positionalParameters()) {
                assertTrue(plain.contains("__" + p.paramLabel() + "__"),
                        page + ": " + p.paramLabel() + " missing from SYNOPSIS: " + synopsis);
            }
        });
    }

    @Test
    void synopsesAreOneLineOfAsciiDocWithBalancedBrackets() {
        ManPages.generate().forEach((page, text) -> {
            String synopsis = section(text, "Synopsis");
            assertEquals(1, synopsis.lines().count(), page + ": AsciiDoc markup cut by a line break: " + synopsis);
            // AsciiDoc reads a "[" before bold or italic text as an attribute list and drops what it spans.
            assertFalse(synopsis.contains("[") || synopsis.contains("]"), page + ": raw brackets: " + synopsis);
            String plain = synopsis.replace("{startsb}", "[").replace("{endsb}", "]");
            int depth = 0;
            for (char c : plain.toCharArray()) {
                depth += c == '[' ? 1 : c == ']' ? -1 : 0;
                assertTrue(depth >= 0, page + ": a ] closes nothing: " + plain);
            }
            assertEquals(0, depth, page + ": a [ is never closed: " + plain);
            assertEquals(0, plain.replace("**", "").chars().filter(c -> c == '*').count() % 2, page + ": " + plain);
        });
    }

    @Test
    void everyPageHasTheExitStatusOfDocsCommandsAndExamples() throws IOException {
        Map<String, String> documented = exitCodesTable(Files.readString(Path.of("docs", "commands.md")));
        assertEquals(documented, UsageHelp.exitStatus(), "the exit codes of docs/commands.md and of the help");
        ManPages.generate().forEach((page, text) -> {
            String exit = section(text, "Exit status") + "\n";
            documented.forEach((code, meaning) ->
                    assertTrue(exit.contains("*" + code + "*::\n  " + meaning + "\n"), page + ": exit " + code + ": " + exit));
            if (!page.equals("regctl-help.adoc")) {
                assertTrue(text.contains("== Examples\n\n....\n"), page + " has no examples");
            }
        });
    }

    @Test
    void theSyncPageDescribesTheSyncFile() {
        String sync = ManPages.generate().get("regctl-sync.adoc");
        String file = section(sync, "The sync file (YAML)");
        for (String key : new String[] {"version: 1", "defaults:", "platforms:", "referrers:", "prune:", "tags:",
            "allow:", "deny:", "semver:", "sync:", "source:", "target:"}) {
            assertTrue(file.contains(key), key + " in " + file);
        }
        assertFalse(sync.contains("README"), sync);
    }

    /** The exit code table of docs/commands.md, code to meaning, Markdown code marks removed. */
    private static Map<String, String> exitCodesTable(String markdown) {
        String table = markdown.substring(markdown.indexOf("## Exit codes"));
        Map<String, String> codes = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| (\\d+) \\| (.*) \\|$").matcher(table.substring(0, table.indexOf("\n\n", 20)));
        while (row.find()) {
            codes.put(row.group(1), row.group(2).replace("`", ""));
        }
        return codes;
    }

    /** Every page's file name to its command, a group's subcommands (regctl-blob-get.adoc) included. */
    private static Map<String, CommandLine> commands() {
        Map<String, CommandLine> commands = new LinkedHashMap<>();
        ManPages.commandsByPage().forEach((name, cli) -> commands.put(name + ".adoc", cli));
        return commands;
    }

    /** The text of the page's section headed {@code title}, without its heading. */
    private static String section(String page, String title) {
        int start = page.indexOf("== " + title + "\n");
        assertTrue(start >= 0, "no section " + title + " in " + page);
        int body = page.indexOf('\n', start) + 1;
        int end = page.indexOf("\n// end::", body);
        int next = page.indexOf("\n== ", body);
        return page.substring(body, next >= 0 && next < end ? next : end).strip();
    }

    /** The option names set in bold, short options clustered as {@code -hqv} counted one by one. */
    private static Set<String> boldNames(String synopsis) {
        Set<String> names = new HashSet<>();
        Matcher m = BOLD.matcher(synopsis);
        while (m.find()) {
            String name = m.group(1);
            names.add(name);
            if (name.matches("-[A-Za-z]{2,}")) {
                name.substring(1).chars().forEach(c -> names.add("-" + (char) c));
            }
        }
        return names;
    }
}
