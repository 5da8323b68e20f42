package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * docs/commands.md tells the truth about the options: each command's row of its command table
 * names every option of the command, and the paragraph on global options names each of those.
 * (A user found {@code login -p} working but undocumented.)
 */
class CommandsDocTest {
    private static final String DOC = "docs/commands.md";

    @Test
    void everyCommandsRowNamesEachOfItsOwnOptions() throws IOException {
        List<String> rows = Files.readString(Path.of(DOC)).lines().filter(l -> l.startsWith("| `regctl ")).toList();
        Set<String> global = globalNames();
        List<String> missing = new ArrayList<>();
        ManPages.commandsByPage().forEach((page, cli) -> {
            // a group (regctl blob) has its subcommands' rows; help is picocli's own
            if (page.equals("regctl") || page.equals("regctl-help") || !cli.getSubcommands().isEmpty()) {
                return;
            }
            String path = cli.getCommandSpec().qualifiedName(" ");
            List<String> own = rows.stream().filter(r -> r.startsWith("| `" + path + " ") || r.startsWith("| `" + path + "`")).toList();
            if (own.isEmpty()) {
                missing.add(path + ": no row");
                return;
            }
            String row = own.get(0);
            for (OptionSpec o : cli.getCommandSpec().options()) {
                if (o.hidden() || o.usageHelp() || Stream.of(o.names()).anyMatch(global::contains)) {
                    continue;
                }
                if (Stream.of(o.names()).noneMatch(n -> row.matches(".*(?<![\\w-])" + Pattern.quote(n) + "(?![\\w-]).*"))) {
                    missing.add(path + ": " + o.longestName());
                }
            }
        });
        assertEquals(List.of(), missing, "options " + DOC + " does not name in the command's row");
    }

    /** The names of the global options (regctl --help's), which the paragraph on them documents instead. */
    private static Set<String> globalNames() {
        CommandLine root = Main.commandLine();
        return root.getCommandSpec().options().stream().flatMap(o -> Stream.of(o.names())).collect(Collectors.toSet());
    }

    @Test
    void theGlobalOptionsParagraphNamesEachGlobalOption() throws IOException {
        String text = Files.readString(Path.of(DOC));
        int start = text.indexOf("Global options on every command");
        String paragraph = text.substring(start, text.indexOf("\n\n", start));
        List<String> missing = new ArrayList<>();
        for (OptionSpec o : Main.commandLine().getCommandSpec().options()) {
            if (Stream.of(o.names()).noneMatch(n -> paragraph.contains("`" + n + " ") || paragraph.contains("`" + n + "`")
                    || paragraph.contains("`" + n + "/") || paragraph.contains("/" + n + "`") || paragraph.contains("/" + n + " "))) {
                missing.add(o.longestName());
            }
        }
        assertEquals(List.of(), missing, "global options the paragraph of " + DOC + " does not name");
    }
}
