package dev.regctl.ops.sync;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.Platform;
import dev.regctl.ops.NamePattern;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A sync file: what to mirror where, read from YAML. Every mistake in it (an unknown key, a
 * reference that does not parse, a bad regex) is a USAGE failure naming the file and where,
 * found before anything is copied.
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
 */
public record SyncFile(List<SyncEntry> entries) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public SyncFile {
        entries = List.copyOf(entries);
    }

    // The file's shape, as written; absent keys are null. Classes with fields rather than records:
    // Jackson reads fields as the parser goes, so an unknown key is reported at its own line,
    // where a record's constructor would have it buffered and reported at the end of its mapping.

    static final class Document {
        public Integer version;
        public Settings defaults;
        public List<Entry> sync;
    }

    static class Settings {
        public List<String> platforms;
        public Boolean referrers;
        public Boolean prune;
        public Tags tags;
    }

    static final class Tags {
        public List<String> allow;
        public List<String> deny;
        public String semver;
    }

    static final class Entry extends Settings {
        public String source;
        public String target;
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
        Document doc;
        try {
            doc = YAML.readValue(text, Document.class);
        } catch (UnrecognizedPropertyException e) {
            throw bad(name, e.getLocation(), "unknown key \"" + e.getPropertyName() + "\" (known: "
                    + String.join(", ", new TreeSet<>(e.getKnownPropertyIds().stream().map(String::valueOf).toList())) + ")");
        } catch (JsonProcessingException e) {
            throw bad(name, e.getLocation(), e.getOriginalMessage().lines().findFirst().orElse("not valid YAML"));
        }
        if (doc == null) {
            throw bad(name, null, "empty file");
        }
        if (!Objects.equals(doc.version, 1)) {
            throw bad(name, null, "version must be 1" + (doc.version == null ? " (missing)" : ", not " + doc.version));
        }
        if (doc.sync == null || doc.sync.isEmpty()) {
            throw bad(name, null, "\"sync\" lists nothing to mirror");
        }
        Settings defaults = doc.defaults == null ? new Settings() : doc.defaults;
        List<SyncEntry> entries = new ArrayList<>();
        for (Entry e : doc.sync) {
            entries.add(entry(name, entries.size() + 1, e, defaults));
        }
        return new SyncFile(entries);
    }

    private static SyncEntry entry(String name, int number, Entry e, Settings defaults) {
        String where = "sync entry " + number;
        if (e == null || e.source == null || e.target == null) {
            throw bad(name, null, where + " needs both source and target");
        }
        try {
            ImageRef source = ImageRef.parse(e.source);
            ImageRef target = ImageRef.parse(e.target);
            if (!source.namesImage() && target.namesImage()) {
                throw new RegctlException(RegctlException.Kind.USAGE, "source " + e.source
                        + " is a repository, so the target must be one too (tags keep their names), not " + e.target);
            }
            if (source.tag() == null && source.digest() != null && target.tag() == null) {
                throw new RegctlException(RegctlException.Kind.USAGE, "source " + e.source
                        + " names a digest alone, so the target needs a tag to put it under");
            }
            if (target.digest() != null) {
                throw new RegctlException(RegctlException.Kind.USAGE, "target " + e.target + " names a digest; give a tag or none");
            }
            Tags tags = merge(defaults.tags, e.tags);
            List<String> platforms = first(e.platforms, defaults.platforms, List.of());
            return new SyncEntry(number, source, target, platforms.stream().map(Platform::parse).toList(),
                    first(e.referrers, defaults.referrers, false), first(e.prune, defaults.prune, false),
                    filter(tags));
        } catch (RegctlException x) {
            throw bad(name, null, where + " (" + e.source + "): " + x.getMessage());
        }
    }

    private static Tags merge(Tags defaults, Tags entry) {
        Tags d = defaults == null ? new Tags() : defaults;
        Tags t = entry == null ? new Tags() : entry;
        Tags merged = new Tags();
        merged.allow = first(t.allow, d.allow, null);
        merged.deny = first(t.deny, d.deny, null);
        merged.semver = first(t.semver, d.semver, null);
        return merged;
    }

    private static TagFilter filter(Tags tags) {
        return new TagFilter(
                tags.allow == null ? TagFilter.all().allow() : patterns("allow", tags.allow),
                tags.deny == null ? List.of() : patterns("deny", tags.deny),
                tags.semver == null ? null : SemverRange.parse(tags.semver));
    }

    private static List<NamePattern> patterns(String key, List<String> regexes) {
        return regexes.stream().map(r -> NamePattern.compile(r, "tags." + key)).toList();
    }

    private static <T> T first(T value, T fallback, T otherwise) {
        return value != null ? value : fallback != null ? fallback : otherwise;
    }

    private static RegctlException bad(String name, JsonLocation at, String why) {
        String where = at != null && at.getLineNr() > 0 ? name + " line " + at.getLineNr() : name;
        return new RegctlException(RegctlException.Kind.USAGE, where + ": " + why);
    }
}
