package dev.regctl.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Lets the global options come before the command name too ({@code regctl -v -o json tags REPO}),
 * as docker, skopeo and crane users type them. picocli only knows them as each command's own
 * options, so they are moved to just after the command name before parsing.
 */
final class LeadingOptions {
    private static final Set<String> FLAGS = Set.of("--insecure", "-v", "--verbose", "-q", "--quiet");
    private static final Set<String> WITH_VALUE = Set.of("-o", "--output", "--timeout", "--config", "--docker-config");

    private LeadingOptions() {
    }

    /**
     * {@code args} with the global options that precede the name of a command {@code takesThem} moved after it; unchanged
     * when they are not followed by such a command (picocli then reports what is wrong).
     * {@code --config DIR} becomes {@code --docker-config DIR}, its spelling on every command
     * (inspect's own {@code --config} prints the image config).
     */
    static String[] afterCommand(String[] args, Predicate<String> takesThem) {
        return afterCommand(args, takesThem, name -> false);
    }

    /**
     * As {@link #afterCommand(String[], Predicate)}, where a command {@code isGroup} names only
     * holds subcommands ({@code manifest get}): the options go after the subcommand's name, which
     * is the command that takes them.
     */
    static String[] afterCommand(String[] args, Predicate<String> takesThem, Predicate<String> isGroup) {
        List<String> moved = new ArrayList<>();
        int i = 0;
        while (i < args.length) {
            String a = args[i];
            if (FLAGS.contains(a) || a.matches("-[vq]{2,}")) {
                moved.add(a);
                i++;
            } else if (WITH_VALUE.contains(a) && i + 1 < args.length) {
                moved.add(a.equals("--config") ? "--docker-config" : a);
                moved.add(args[i + 1]);
                i += 2;
            } else if (a.startsWith("--") && a.contains("=") && WITH_VALUE.contains(a.substring(0, a.indexOf('=')))) {
                moved.add(a.startsWith("--config=") ? "--docker-" + a.substring(2) : a);
                i++;
            } else if (a.startsWith("-o") && a.length() > 2) {
                moved.add(a);
                i++;
            } else {
                break;
            }
        }
        if (moved.isEmpty() || i == args.length || !takesThem.test(args[i])) {
            return args;
        }
        int name = isGroup.test(args[i]) && i + 1 < args.length && !args[i + 1].startsWith("-") ? i + 1 : i;
        List<String> result = new ArrayList<>(args.length);
        result.addAll(Arrays.asList(args).subList(i, name + 1));
        result.addAll(moved);
        result.addAll(Arrays.asList(args).subList(name + 1, args.length));
        return result.toArray(String[]::new);
    }
}
