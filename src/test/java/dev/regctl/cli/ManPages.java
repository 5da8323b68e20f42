package dev.regctl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * The man pages, one per command, as AsciiDoc made by picocli's ManPageGenerator from the same
 * command model the binary runs (docs/man/*.adoc; the release turns them into troff), with the
 * exit status of {@code regctl --help} on every page and each command's examples as literal text.
 * {@code main(DIR)} rewrites them: scripts/gen-docs calls it, ManPagesTest checks they are fresh.
 */
public final class ManPages {
    private static final String FOOTER_TAGS = "// tag::picocli-generated-man-section-footer[]\n"
            + "// end::picocli-generated-man-section-footer[]\n";
    private static final Pattern SYNOPSIS = Pattern.compile("(?s)(== Synopsis\n\n)(.*?)(\n// end::picocli-generated-man-section-synopsis)");

    private ManPages() {
    }

    /** File name ({@code regctl.adoc}, {@code regctl-copy.adoc}, ...) to its AsciiDoc text. */
    static Map<String, String> generate() {
        Map<String, String> pages = new LinkedHashMap<>();
        commandsByPage().forEach((name, cli) -> pages.put(name + ".adoc", page(cli)));
        return pages;
    }

    /**
     * Each page's name ({@code regctl}, {@code regctl-copy}, {@code regctl-blob-get}) to the command
     * it documents; public for the release test, which checks the rendered pages against the model.
     */
    public static Map<String, CommandLine> commandsByPage() {
        CommandLine root = Main.commandLine();
        Map<String, CommandLine> pages = new LinkedHashMap<>();
        pages.put("regctl", root);
        for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
            pages.put("regctl-" + sub.getKey(), sub.getValue());
            // A group's subcommands get pages of their own, which its page links (regctl-blob-get).
            sub.getValue().getSubcommands().forEach((name, cli) -> pages.put("regctl-" + sub.getKey() + "-" + name, cli));
        }
        return pages;
    }

    private static String page(CommandLine cli) {
        UsageMessageSpec usage = cli.getCommandSpec().usageMessage();
        if (usage.exitCodeList().isEmpty()) {
            usage.exitCodeListHeading(UsageHelp.EXIT_STATUS).exitCodeList(UsageHelp.exitStatus());
        }
        // The synopsis on one line (AsciiDoc fills paragraphs anyway): picocli's line breaks fell inside
        // _italic_ parameter labels, which AsciiDoc then no longer read as markup.
        usage.width(HelpWrapping.UNWRAPPED);
        String footerHeading = usage.footerHeading();
        String[] footer = usage.footer();
        usage.footer(new String[0]); // written below as literal text, not as picocli's hard-broken paragraphs
        StringWriter text = new StringWriter();
        try (PrintWriter pw = new PrintWriter(text)) {
            ManPageGenerator.writeSingleManPage(pw, cli.getCommandSpec());
        } finally {
            usage.footer(footer);
        }
        String page = text.toString().replace("\r\n", "\n");
        page = page.replaceAll("(?m)^==\\s+(.*?):?$", "== $1");
        page = escapeSynopsis(page);
        return page.replace(FOOTER_TAGS, FOOTER_TAGS.replace("\n// end", "\n" + footer(footerHeading, footer) + "// end"));
    }

    /**
     * The synopsis with its brackets as attribute references: a {@code [} before {@code *bold*} or
     * {@code _italic_} text is read by AsciiDoc as an attribute list, which swallowed the options
     * up to the next {@code ]} ({@code [*--chown*=_UID[:GID]_]} rendered as {@code ]}). Its markup
     * becomes unconstrained ({@code **bold**}), which AsciiDoc reads after a {@code }} too.
     */
    private static String escapeSynopsis(String page) {
        Matcher m = SYNOPSIS.matcher(page);
        if (!m.find()) {
            return page;
        }
        String synopsis = m.group(2).replace("[", "{startsb}").replace("]", "{endsb}")
                .replaceAll("\\*([^*]+)\\*", "**$1**").replaceAll("_([^_]+)_", "__$1__");
        return page.substring(0, m.start(2)) + synopsis + page.substring(m.end(2));
    }

    /**
     * A command's footer as man page sections: its heading, then each unindented line ending in
     * {@code :} starts another; indented lines (commands, YAML) are literal blocks, kept as typed;
     * other lines are paragraphs.
     */
    private static String footer(String heading, String[] lines) {
        if (lines.length == 0) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append("== ").append(title(heading)).append("\n\n");
        List<String> literal = new ArrayList<>();
        for (String formatted : lines) {
            for (String line : String.format(formatted).split("\n", -1)) {
                if (line.startsWith(" ")) {
                    literal.add(line);
                    continue;
                }
                flush(out, literal);
                if (line.isBlank()) {
                    continue;
                }
                out.append(line.endsWith(":") ? "== " + title(line) : line).append("\n\n");
            }
        }
        flush(out, literal);
        return out.toString();
    }

    private static String title(String heading) {
        return String.format(heading).strip().replaceAll(":$", "");
    }

    private static void flush(StringBuilder out, List<String> literal) {
        while (!literal.isEmpty() && literal.get(literal.size() - 1).isBlank()) {
            literal.remove(literal.size() - 1);
        }
        if (literal.isEmpty()) {
            return;
        }
        int indent = literal.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        out.append("....\n");
        literal.forEach(l -> out.append(l.isBlank() ? "" : l.substring(indent)).append('\n'));
        out.append("....\n\n");
        literal.clear();
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "docs/man");
        Files.createDirectories(dir);
        for (Map.Entry<String, String> p : generate().entrySet()) {
            Files.writeString(dir.resolve(p.getKey()), p.getValue());
        }
    }
}
