package dev.regctl.registries;

import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.Reference;
import dev.regctl.oci.RegistryName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The {@code [[registry]]} entries in effect, after drop-ins, and the resolution of references by them. */
public final class RegistriesConf {
    /** No file, or {@code --no-registries-conf}: every reference is used as written. */
    public static final RegistriesConf NONE = new RegistriesConf(List.of());

    private final List<RegistryEntry> entries;

    public RegistriesConf(List<RegistryEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    public List<RegistryEntry> entries() {
        return entries;
    }

    /**
     * These entries with {@code later}'s laid over them, as drop-ins are: an entry of the same
     * prefix is replaced whole, a new prefix is added.
     */
    RegistriesConf overriddenBy(List<RegistryEntry> later) {
        Map<String, RegistryEntry> byPrefix = new LinkedHashMap<>();
        for (RegistryEntry e : entries) {
            byPrefix.put(e.prefix(), e);
        }
        for (RegistryEntry e : later) {
            byPrefix.put(e.prefix(), e);
        }
        return new RegistriesConf(new ArrayList<>(byPrefix.values()));
    }

    /**
     * The API hosts ({@code host[:port]}) that entries and mirrors mark {@code insecure}: spoken to
     * over plain HTTP or unverified TLS, as {@code --insecure} allows for the registries named.
     */
    public Set<String> insecureHosts() {
        Set<String> hosts = new HashSet<>();
        for (RegistryEntry e : entries) {
            if (e.insecure() && !e.location().isEmpty()) {
                hosts.add(apiHost(e.location()));
            }
            for (Mirror m : e.mirrors()) {
                if (m.insecure()) {
                    hosts.add(apiHost(m.location()));
                }
            }
        }
        return hosts;
    }

    /** A location's API host; locations are checked to read as the start of a reference when the file is read. */
    private static String apiHost(String location) {
        return Reference.parse(location + "/x").apiHost();
    }

    /** How {@code ref} is routed; empty for a layout or an archive, which registries.conf does not apply to. */
    public Optional<Resolution> resolve(ImageRef ref) {
        return ref instanceof Reference image ? Optional.of(resolve(image)) : Optional.empty();
    }

    /**
     * The entry with the longest matching prefix, the location rewritten and the mirrors this
     * pull may use. A blocked entry still resolves, so {@code ref --resolve} can show it.
     */
    public Resolution resolve(Reference ref) {
        String name = ref.toString();
        Match best = longestMatch(name);
        if (best == null) {
            return Resolution.unmatched(ref);
        }
        String rest = name.substring(best.length());
        RegistryEntry entry = best.entry();
        Reference primary = entry.location().isEmpty() ? ref : rewrite(entry, entry.location(), rest, ref);
        List<Resolution.Endpoint> mirrors = new ArrayList<>();
        for (Mirror m : entry.mirrors()) {
            if (m.pullFrom().serves(ref)) {
                mirrors.add(new Resolution.Endpoint(rewrite(entry, m.location(), rest, ref), m.insecure()));
            }
        }
        return new Resolution(ref, entry, primary, mirrors);
    }

    /**
     * Fails when an entry blocks {@code registry} as a whole ({@code ls}, {@code login}): the
     * entry whose prefix matches the bare host, as containers/image looks a registry up for its
     * catalog and login check. An entry for a namespace of it blocks those images only, and a
     * {@code location} does not apply: a registry is listed and logged in to as named, as podman
     * and skopeo do.
     */
    public void requireAllowed(RegistryName registry) {
        Match best = longestMatch(registry.name());
        if (best != null && best.entry().blocked()) {
            throw best.entry().refusal(registry.name());
        }
    }

    /** An entry and how much of a name its prefix covers. */
    private record Match(RegistryEntry entry, int length) {
    }

    /** The entry with the longest prefix matching {@code name}, or null. */
    private Match longestMatch(String name) {
        Match best = null;
        for (RegistryEntry e : entries) {
            int length = PrefixMatch.length(name, e.prefix());
            if (length >= 0 && (best == null || length > best.length())) {
                best = new Match(e, length);
            }
        }
        return best;
    }

    /** {@code location} in place of the matched prefix, keeping the tag and digest as {@code ref} has them. */
    private static Reference rewrite(RegistryEntry entry, String location, String rest, Reference ref) {
        Reference rewritten;
        try {
            rewritten = Reference.parse(location + rest);
        } catch (RegctlException e) {
            throw new RegctlException(RegctlException.Kind.USAGE, ref + ": " + entry.describe() + " rewrites it to \""
                    + location + rest + "\", which is not a valid reference", "fix the location in " + entry.file(), e);
        }
        // The name printed with :latest when neither was given; keep "none given" so copy tags alike.
        return ref.tag() == null && ref.digest() == null ? rewritten.withTag(null) : rewritten;
    }
}
