package dev.regctl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * The man pages, one per command, as AsciiDoc made by picocli's ManPageGenerator from the same
 * command model the binary runs (docs/man/*.adoc; the release turns them into troff).
 * {@code main(DIR)} rewrites them: scripts/gen-docs calls it, ManPagesTest checks they are fresh.
 */
public final class ManPages {
    private ManPages() {
    }

    /** File name ({@code regctl.adoc}, {@code regctl-copy.adoc}, ...) to its AsciiDoc text. */
    static Map<String, String> generate() {
        CommandLine root = Main.commandLine();
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("regctl.adoc", page(root));
        for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
            pages.put("regctl-" + sub.getKey() + ".adoc", page(sub.getValue()));
        }
        return pages;
    }

    private static String page(CommandLine cli) {
        StringWriter text = new StringWriter();
        try (PrintWriter pw = new PrintWriter(text)) {
            ManPageGenerator.writeSingleManPage(pw, cli.getCommandSpec());
        }
        return text.toString().replace("\r\n", "\n");
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "docs/man");
        Files.createDirectories(dir);
        for (Map.Entry<String, String> p : generate().entrySet()) {
            Files.writeString(dir.resolve(p.getKey()), p.getValue());
        }
    }
}
