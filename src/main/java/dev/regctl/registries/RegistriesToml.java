package dev.regctl.registries;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.oci.Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the {@code [[registry]]} tables of one registries.conf file (version 2). Settings regctl
 * has no use for ({@code unqualified-search-registries}, {@code [aliases]}, short-name modes) are
 * ignored, as they only matter to tools that search short names; version 1's
 * {@code [registries.*]} lists are refused rather than silently dropped, since they may block
 * registries.
 */
final class RegistriesToml {
    private RegistriesToml() {
    }

    static List<RegistryEntry> read(Path file) {
        JsonNode root = parse(file);
        if (root.has("registries")) {
            throw bad(file, "the version 1 [registries.*] tables are not read; write them as [[registry]] tables"
                    + " (version 2, see containers-registries.conf(5))");
        }
        JsonNode tables = root.get("registry");
        if (tables == null) {
            return List.of();
        }
        if (!tables.isArray()) {
            throw bad(file, "registry must be written as [[registry]] tables");
        }
        List<RegistryEntry> entries = new ArrayList<>();
        Set<String> prefixes = new HashSet<>();
        int n = 0;
        for (JsonNode table : tables) {
            n++;
            RegistryEntry entry = entry(file, n, table);
            if (!prefixes.add(entry.prefix())) {
                throw bad(file, "prefix \"" + entry.prefix() + "\" is defined by more than one [[registry]] table");
            }
            entries.add(entry);
        }
        return entries;
    }

    private static JsonNode parse(Path file) {
        // TOML's own parser with Json's tree builder, not a TomlMapper: setting up an ObjectMapper
        // took ~50 ms of every run on a machine with a registries.conf, archived classes or not.
        try (JsonParser p = new TomlFactory().createParser(Files.readAllBytes(file))) {
            JsonNode root = Json.readTree(p);
            return root.isMissingNode() ? Json.objectNode() : root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr();
            throw bad(file, "invalid TOML" + where + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "cannot read " + file + ": " + e.getMessage(),
                    null, e);
        }
    }

    private static RegistryEntry entry(Path file, int n, JsonNode table) {
        String where = "[[registry]] #" + n;
        if (!table.isObject()) {
            throw bad(file, where + " is not a table");
        }
        String location = text(file, where, table, "location");
        String prefix = text(file, where, table, "prefix");
        if (prefix.isEmpty()) {
            prefix = location;
        }
        if (prefix.isEmpty()) {
            throw bad(file, where + " has neither prefix nor location");
        }
        where = "[[registry]] prefix \"" + prefix + "\"";
        // containers/image refuses these too: a wildcard names hosts, so a path or a port after it matches nothing.
        if (prefix.startsWith("*.") && !prefix.substring(2).matches("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*")) {
            throw bad(file, where + ": a wildcard prefix is a domain alone, as in *.example.com");
        }
        if (location.isEmpty() && !prefix.startsWith("*.")) {
            throw bad(file, where + " needs a location (only a *.domain prefix may go without one)");
        }
        checkLocation(file, where, location);
        PullFromMirror defaultPull = flag(file, where, table, "mirror-by-digest-only")
                ? PullFromMirror.DIGEST_ONLY : PullFromMirror.ALL;
        List<Mirror> mirrors = new ArrayList<>();
        JsonNode mirrorTables = table.get("mirror");
        if (mirrorTables != null) {
            if (!mirrorTables.isArray()) {
                throw bad(file, where + ": mirror must be written as [[registry.mirror]] tables");
            }
            for (JsonNode m : mirrorTables) {
                mirrors.add(mirror(file, where, m, defaultPull));
            }
        }
        return new RegistryEntry(prefix, location, flag(file, where, table, "insecure"),
                flag(file, where, table, "blocked"), mirrors, file);
    }

    private static Mirror mirror(Path file, String where, JsonNode table, PullFromMirror defaultPull) {
        String location = table.isObject() ? text(file, where, table, "location") : "";
        if (location.isEmpty()) {
            throw bad(file, where + ": a [[registry.mirror]] needs a location");
        }
        String mirrorWhere = where + " mirror \"" + location + "\"";
        checkLocation(file, mirrorWhere, location);
        PullFromMirror pull = defaultPull;
        String pullText = text(file, mirrorWhere, table, "pull-from-mirror");
        if (!pullText.isEmpty()) {
            pull = PullFromMirror.parse(pullText);
            if (pull == null) {
                throw bad(file, mirrorWhere + ": pull-from-mirror must be all, digest-only or tag-only, not \""
                        + pullText + "\"");
            }
            if (defaultPull == PullFromMirror.DIGEST_ONLY && pull != PullFromMirror.DIGEST_ONLY) {
                throw bad(file, mirrorWhere + ": pull-from-mirror cannot widen mirror-by-digest-only");
            }
        }
        return new Mirror(location, flag(file, mirrorWhere, table, "insecure"), pull);
    }

    /** A location must read as the start of a reference: a registry host, optionally with namespaces. */
    private static void checkLocation(Path file, String where, String location) {
        if (location.isEmpty()) {
            return;
        }
        try {
            Reference ref = Reference.parse(location + "/x");
            if (!location.startsWith(ref.registry()) && !location.contains(".") && !location.contains(":")) {
                throw new RegctlException(RegctlException.Kind.USAGE, "no registry host");
            }
        } catch (RegctlException e) {
            throw bad(file, where + ": location \"" + location + "\" is not host[:port][/namespace]");
        }
    }

    private static String text(Path file, String where, JsonNode table, String key) {
        JsonNode v = table.get(key);
        if (v == null) {
            return "";
        }
        if (!v.isTextual()) {
            throw bad(file, where + ": " + key + " must be a string");
        }
        return v.asText().strip();
    }

    private static boolean flag(Path file, String where, JsonNode table, String key) {
        JsonNode v = table.get(key);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            throw bad(file, where + ": " + key + " must be true or false");
        }
        return v.asBoolean();
    }

    private static RegctlException bad(Path file, String why) {
        return new RegctlException(RegctlException.Kind.USAGE, file + ": " + why,
                "fix the file, or pass --no-registries-conf to ignore registries.conf", null);
    }
}
