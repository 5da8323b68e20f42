package dev.regctl.ops.sync;

import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.Platform;
import dev.regctl.ops.NamePattern;
import dev.regctl.ops.sync.SyncYaml.Field;
import dev.regctl.ops.sync.SyncYaml.Mapping;
import dev.regctl.ops.sync.SyncYaml.Node;
import dev.regctl.ops.sync.SyncYaml.Problem;
import dev.regctl.ops.sync.SyncYaml.Scalar;
import dev.regctl.ops.sync.SyncYaml.Sequence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A sync file: what to mirror where, read from YAML. Every mistake in it (an unknown key, a value
 * of the wrong kind, a reference that does not parse, a bad regex, YAML that does not parse) is a
 * USAGE failure naming the file and the line, {@code FILE line N: ...}, found before anything is
 * copied. What is allowed but probably not meant (an entry given twice) is a warning.
 *
 * <pre>{@code
 * version: 1
 * defaults: {platforms: [linux/amd64], referrers: true, prune: true, tags: {allow: ['.*'], deny: ['.*-rc.*']}}
 * sync:
 *   - source: docker.io/library/alpine
 *     target: registry.internal:5000/mirror/alpine
 *     tags: {semver: '>=3.18'}
 * }</pre>
 *
 * An entry's keys replace the defaults' one by one, {@code tags}' {@code allow}, {@code deny} and
 * {@code semver} each on their own.
 *
 * @param entries  what to mirror, in the file's order, an entry given twice taken once
 * @param warnings one line each, {@code FILE line N: ...}
 */
public record SyncFile(List<SyncEntry> entries, List<String> warnings) {
    private static final Set<String> FILE_KEYS = Set.of("version", "defaults", "sync");
    private static final Set<String> SETTINGS_KEYS = Set.of("platforms", "referrers", "prune", "tags");
    private static final Set<String> ENTRY_KEYS = Set.of("source", "target", "platforms", "referrers", "prune", "tags");
    private static final Set<String> TAGS_KEYS = Set.of("allow", "deny", "semver");
    private static final String REGEXES = "a list of regular expressions (strings)";

    public SyncFile {
        entries = List.copyOf(entries);
        warnings = List.copyOf(warnings);
    }

    /** The keys an entry shares with the defaults, as given; null where not. */
    private record Settings(List<Platform> platforms, Boolean referrers, Boolean prune, Tags tags) {
        static final Settings NONE = new Settings(null, null, null, Tags.NONE);
    }

    /** The tag filters as given; null where not. */
    private record Tags(List<NamePattern> allow, List<NamePattern> deny, SemverRange semver) {
        static final Tags NONE = new Tags(null, null, null);
    }

    /** @throws RegctlException USAGE for a file that cannot be read or is not a valid sync file */
    public static SyncFile read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new RegctlException(RegctlException.Kind.USAGE, file + ": no such file");
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.USAGE, file + ": cannot read: " + e.getMessage(), null, e);
        }
        return parse(text, file.toString());
    }

    /** Parses the YAML {@code text}; {@code name} says which file in messages. */
    public static SyncFile parse(String text, String name) {
        try {
            return of(SyncYaml.read(text), name);
        } catch (Problem p) {
            throw new RegctlException(RegctlException.Kind.USAGE, at(name, p.line()) + ": " + p.getMessage());
        }
    }

    private static String at(String name, int line) {
        return line > 0 ? name + " line " + line : name;
    }

    private static SyncFile of(Node root, String name) {
        if (root == null) {
            throw new Problem(0, "empty file");
        }
        Mapping file = mapping(new Field(null, root.line(), root), "a mapping with version and sync", FILE_KEYS);
        Field version = file.fields().get("version");
        if (version == null) {
            throw new Problem(0, "version must be 1 (missing)");
        }
        if (!(version.value() instanceof Scalar v && "1".equals(v.text()))) {
            throw new Problem(version.line(), "version must be 1, not " + (version.value() instanceof Scalar s
                    ? s.text() : describe(version.value())));
        }
        Field defaultsField = file.fields().get("defaults");
        Settings defaults = defaultsField == null ? Settings.NONE
                : settings(mapping(defaultsField, "a mapping of platforms, referrers, prune and tags", SETTINGS_KEYS));
        Field sync = file.fields().get("sync");
        if (sync == null) {
            throw new Problem(0, "\"sync\" lists nothing to mirror");
        }
        if (!(sync.value() instanceof Sequence list)) {
            throw new Problem(sync.line(), "sync: a list of entries (each with source and target) was expected"
                    + got(sync.value()));
        }
        if (list.items().isEmpty()) {
            throw new Problem(sync.line(), "\"sync\" lists nothing to mirror");
        }
        List<SyncEntry> entries = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Node item : list.items()) {
            lines.add(item.line());
            SyncEntry entry = entry(lines.size(), item, defaults);
            String self = at(name, item.line()) + ": sync entry " + entry.number();
            Optional<SyncEntry> same = entries.stream()
                    .filter(e -> e.source().equals(entry.source()) && e.target().equals(entry.target())).findFirst();
            if (same.isPresent()) {
                warnings.add(self + " repeats " + named(same.get(), lines) + ": done once");
                continue;
            }
            // Two sources into one repository or tag: each overwrites, and with prune deletes, what the other writes.
            boolean oneTarget = entry.wholeRepository() || entry.target().tag() != null;
            entries.stream().filter(e -> oneTarget && e.target().equals(entry.target())).findFirst()
                    .ifPresent(e -> warnings.add(self + " writes to "
                            + (entry.wholeRepository() ? entry.targetRepository() : entry.target()) + " as "
                            + named(e, lines) + " does: each may overwrite, or prune, what the other writes"));
            entries.add(entry);
        }
        return new SyncFile(entries, warnings);
    }

    private static String named(SyncEntry entry, List<Integer> lines) {
        return "sync entry " + entry.number() + " (line " + lines.get(entry.number() - 1) + ")";
    }

    private static SyncEntry entry(int number, Node item, Settings defaults) {
        String where = "sync entry " + number;
        Mapping m = mapping(new Field(where, item.line(), item), "a mapping with source and target", ENTRY_KEYS);
        Field sourceField = m.fields().get("source");
        Field targetField = m.fields().get("target");
        if (sourceField == null || targetField == null) {
            throw new Problem(item.line(), where + " needs both source and target");
        }
        ImageRef source = value(sourceField, "source", "a reference (a string)", ImageRef::parse);
        ImageRef target = value(targetField, "target", "a reference (a string)", ImageRef::parse);
        // As written: a message shows what the user typed, not the reference filled in.
        String sourceText = ((Scalar) sourceField.value()).text();
        String targetText = ((Scalar) targetField.value()).text();
        where += " (" + sourceText + ")";
        if (!source.namesImage() && target.namesImage()) {
            throw new Problem(targetField.line(), where + ": source " + sourceText + " is a repository, so the target"
                    + " must be one too (tags keep their names), not " + targetText);
        }
        if (source.tag() == null && source.digest() != null && target.tag() == null) {
            throw new Problem(targetField.line(), where + ": source " + sourceText
                    + " names a digest alone, so the target needs a tag to put it under");
        }
        if (target.digest() != null) {
            throw new Problem(targetField.line(), where + ": target " + targetText + " names a digest; give a tag or none");
        }
        Field tagsField = m.fields().get("tags");
        if (tagsField != null && source.namesImage()) {
            throw new Problem(tagsField.line(), where + ": tags filters pick tags of a repository, and the source names"
                    + " one image; remove tags, or the tag from the source");
        }
        Settings own = settings(m);
        Tags tags = new Tags(first(own.tags().allow(), defaults.tags().allow(), null),
                first(own.tags().deny(), defaults.tags().deny(), null),
                first(own.tags().semver(), defaults.tags().semver(), null));
        return new SyncEntry(number, source, target, first(own.platforms(), defaults.platforms(), List.of()),
                first(own.referrers(), defaults.referrers(), false), first(own.prune(), defaults.prune(), false),
                new TagFilter(tags.allow() == null ? TagFilter.all().allow() : tags.allow(),
                        tags.deny() == null ? List.of() : tags.deny(), tags.semver()));
    }

    private static Settings settings(Mapping m) {
        Field tagsField = m.fields().get("tags");
        Tags tags = Tags.NONE;
        if (tagsField != null) {
            Mapping t = mapping(tagsField, "a mapping of allow, deny and semver", TAGS_KEYS);
            tags = new Tags(regexes(t.fields().get("allow"), "tags.allow"), regexes(t.fields().get("deny"), "tags.deny"),
                    t.fields().get("semver") == null ? null
                            : value(t.fields().get("semver"), "tags.semver", "a range such as '>=1.2 <2' (a string)",
                                    SemverRange::parse));
        }
        Field platforms = m.fields().get("platforms");
        return new Settings(platforms == null ? null
                : list(platforms, "platforms", "a list of platforms (such as linux/amd64)", Platform::parse),
                bool(m.fields().get("referrers")), bool(m.fields().get("prune")), tags);
    }

    private static List<NamePattern> regexes(Field field, String key) {
        return field == null ? null : list(field, key, REGEXES, regex -> NamePattern.compile(regex, key));
    }

    /** The field's mapping, every key in it one of {@code known}. */
    private static Mapping mapping(Field field, String what, Set<String> known) {
        if (!(field.value() instanceof Mapping m)) {
            throw new Problem(field.line(), (field.key() == null ? "" : field.key() + ": ") + what + " was expected"
                    + got(field.value()));
        }
        for (Field f : m.fields().values()) {
            if (!known.contains(f.key())) {
                throw new Problem(f.line(), "unknown key \"" + f.key() + "\" (known: "
                        + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
        return m;
    }

    /** A string read by {@code parse}, whose complaint is told at the field's line. */
    private static <T> T value(Field field, String key, String what, Function<String, T> parse) {
        if (!(field.value() instanceof Scalar s) || s.text() == null) {
            throw new Problem(field.line(), key + ": " + what + " was expected" + got(field.value()));
        }
        return parsed(s, key, parse);
    }

    /** A list of strings (or one alone) each read by {@code parse}, at its own line. */
    private static <T> List<T> list(Field field, String key, String what, Function<String, T> parse) {
        List<Node> items = field.value() instanceof Sequence seq ? seq.items() : List.of(field.value());
        List<T> out = new ArrayList<>();
        for (Node item : items) {
            if (!(item instanceof Scalar s) || s.text() == null) {
                throw new Problem(field.value() instanceof Sequence ? item.line() : field.line(),
                        key + ": " + what + " was expected" + (field.value() instanceof Sequence ? "" : got(item)));
            }
            out.add(parsed(s, key, parse));
        }
        return out;
    }

    /** {@code parse} of the scalar's text, its complaint told at the scalar's line, after the key unless it names it. */
    private static <T> T parsed(Scalar scalar, String key, Function<String, T> parse) {
        try {
            return parse.apply(scalar.text());
        } catch (RegctlException e) {
            String message = e.getMessage();
            throw new Problem(scalar.line(), message.startsWith(key + " ") ? message : key + ": " + message);
        }
    }

    private static Boolean bool(Field field) {
        if (field == null) {
            return null;
        }
        if (field.value() instanceof Scalar s && s.bool() != null) {
            return s.bool();
        }
        if (field.value() instanceof Scalar s && ("true".equals(s.text()) || "false".equals(s.text()))) {
            return Boolean.valueOf(s.text()); // quoted, as Jackson took it
        }
        throw new Problem(field.line(), field.key() + ": true or false expected, got " + describe(field.value()));
    }

    private static String got(Node node) {
        return ", got " + describe(node);
    }

    /** A value as the user would recognise it: {@code "yes please"}, a list, a mapping, nothing. */
    private static String describe(Node node) {
        if (node instanceof Scalar s) {
            if (s.text() == null) {
                return "nothing";
            }
            return "\"" + (s.text().length() > 60 ? s.text().substring(0, 60) + "..." : s.text()) + "\"";
        }
        return node instanceof Sequence ? "a list" : "a mapping";
    }

    private static <T> T first(T value, T fallback, T otherwise) {
        return value != null ? value : fallback != null ? fallback : otherwise;
    }
}
