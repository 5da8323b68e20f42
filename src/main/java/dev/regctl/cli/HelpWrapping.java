package dev.regctl.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Help text wrapped at spaces only. picocli wraps with {@code java.text.BreakIterator}, which also breaks after
 * {@code :}, {@code .} and {@code -} and before {@code [}, so it cut references ({@code oci-archive:PATH[:} /
 * {@code TAG]}, {@code localhost:} / {@code 5000/app}) and even "e.g." in two. Each section is rendered
 * unwrapped by picocli and wrapped here, with picocli's indentation.
 */
final class HelpWrapping {
    /** picocli's default width, which the help keeps. */
    static final int WIDTH = 80;
    /** Wide enough that picocli wraps nothing; not more, as its tables allocate each cell at the column's width. */
    static final int UNWRAPPED = 2_000;
    /** What picocli adds to the column of a wrapped table cell's continuation lines. */
    private static final int CONTINUATION_INDENT = 2;
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");

    private HelpWrapping() {
    }

    /** Makes every help section of {@code cli} and of the subcommands it has now wrap at spaces only. */
    static void install(CommandLine cli) {
        Map<String, IHelpSectionRenderer> sections = new LinkedHashMap<>(cli.getHelpSectionMap());
        sections.replaceAll(HelpWrapping::wrapping);
        cli.setHelpSectionMap(sections);
    }

    private static IHelpSectionRenderer wrapping(String key, IHelpSectionRenderer section) {
        return switch (key) {
            case UsageMessageSpec.SECTION_KEY_SYNOPSIS -> help -> wrap(unwrapped(section, help),
                    // The heading ("Usage: ") is printed before the synopsis, which continues under its first word.
                    help.synopsisHeadingLength(), line -> help.synopsisHeadingLength()
                            + help.commandSpec().qualifiedName().length() + 1);
            case UsageMessageSpec.SECTION_KEY_OPTION_LIST, UsageMessageSpec.SECTION_KEY_PARAMETER_LIST -> help -> {
                String text = unwrapped(section, help);
                int column = descriptionColumn(help);
                return wrap(text, 0, line -> column + CONTINUATION_INDENT);
            };
            case UsageMessageSpec.SECTION_KEY_COMMAND_LIST, UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST -> help -> {
                String text = unwrapped(section, help);
                int column = secondColumn(text);
                return wrap(text, 0, line -> column + CONTINUATION_INDENT);
            };
            default -> help -> wrap(unwrapped(section, help), 0, HelpWrapping::indentation);
        };
    }

    /** What {@code section} renders when picocli has all the width it could want. */
    private static String unwrapped(IHelpSectionRenderer section, Help help) {
        UsageMessageSpec usage = help.commandSpec().usageMessage();
        int width = usage.width();
        usage.width(UNWRAPPED);
        try {
            return section.render(help);
        } finally {
            usage.width(width);
        }
    }

    /** Where the option and parameter descriptions start: after every column of picocli's layout but the last. */
    private static int descriptionColumn(Help help) {
        UsageMessageSpec usage = help.commandSpec().usageMessage();
        int width = usage.width();
        usage.width(UNWRAPPED);
        try {
            Help.Column[] columns = help.createDefaultLayout().textTable().columns();
            int start = 0;
            for (int i = 0; i < columns.length - 1; i++) {
                start += columns[i].width;
            }
            return start + columns[columns.length - 1].indent;
        } finally {
            usage.width(width);
        }
    }

    /** The column a two-column table's text starts at (after the indented first word of its first row). */
    private static int secondColumn(String table) {
        String first = plain(table.lines().findFirst().orElse(""));
        Matcher m = Pattern.compile("^\\s*\\S+\\s+").matcher(first);
        return m.find() ? m.end() : 0;
    }

    private static int indentation(String line) {
        String plain = plain(line);
        int i = 0;
        while (i < plain.length() && plain.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /**
     * {@code text} with each line longer than {@link #WIDTH} broken at spaces, its continuation lines indented
     * by {@code hanging}; the first line starts {@code firstOffset} columns in. A word longer than the room
     * left overflows rather than being cut.
     */
    static String wrap(String text, int firstOffset, ToIntFunction<String> hanging) {
        StringBuilder out = new StringBuilder();
        int offset = firstOffset;
        for (String line : text.split("\n", -1)) {
            int indent = hanging.applyAsInt(line);
            String rest = line;
            while (visibleLength(rest) + offset > WIDTH) {
                int at = breakAt(rest, WIDTH - offset, indent - offset);
                if (at < 0) {
                    break;
                }
                out.append(stripTrailingSpaces(rest.substring(0, at))).append('\n');
                rest = " ".repeat(indent) + stripLeadingSpaces(rest.substring(at));
                offset = 0;
            }
            out.append(rest).append('\n');
            offset = 0;
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }

    /**
     * The index in {@code line} of the space to break it at so that at most {@code room} columns stay on the
     * line, and more than {@code after} (the indentation is no place to break); -1 when there is none.
     */
    private static int breakAt(String line, int room, int after) {
        List<int[]> spaces = new ArrayList<>(); // {index, visible column}
        int column = 0;
        Matcher escape = ANSI.matcher(line);
        for (int i = 0; i < line.length(); ) {
            if (escape.region(i, line.length()).lookingAt()) {
                i = escape.end();
                continue;
            }
            if (line.charAt(i) == ' ' && column > after) {
                spaces.add(new int[] {i, column});
            }
            column++;
            i++;
        }
        int best = -1;
        for (int[] space : spaces) {
            if (space[1] <= room) {
                best = space[0];
            } else if (best < 0) {
                return space[0];
            }
        }
        return best;
    }

    static int visibleLength(String s) {
        return plain(s).length();
    }

    private static String plain(String s) {
        return ANSI.matcher(s).replaceAll("");
    }

    private static String stripTrailingSpaces(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(0, end);
    }

    private static String stripLeadingSpaces(String s) {
        int start = 0;
        while (start < s.length() && s.charAt(start) == ' ') {
            start++;
        }
        return s.substring(start);
    }
}
