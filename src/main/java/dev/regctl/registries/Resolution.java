package dev.regctl.registries;

import dev.regctl.oci.Reference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What registries.conf makes of one reference: the entry that matched (null: none), where the
 * image really is ({@code primary}, the location rewritten), and the mirrors to read it from
 * first, in order, those whose {@code pull-from-mirror} excludes this pull already left out.
 */
public record Resolution(Reference requested, RegistryEntry entry, Reference primary, List<Endpoint> mirrors) {

    /** One place the image can be read from, and whether its host may be spoken to without verified TLS. */
    public record Endpoint(Reference reference, boolean insecure) {
    }

    public Resolution {
        mirrors = List.copyOf(mirrors);
    }

    /** A reference no entry matches: used as written. */
    static Resolution unmatched(Reference ref) {
        return new Resolution(ref, null, ref, List.of());
    }

    public boolean blocked() {
        return entry != null && entry.blocked();
    }

    /** Whether the primary location's host is insecure by its entry. */
    public boolean insecure() {
        return entry != null && entry.insecure();
    }

    /**
     * Fails when the entry blocks the image: before any request, naming the file and entry so
     * the user can see which setting refused it.
     */
    public void requireAllowed() {
        if (blocked()) {
            throw entry.refusal(requested.toString());
        }
    }

    /** For {@code ref --resolve -o json}. */
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("reference", requested.toString());
        fields.put("file", entry == null ? null : entry.file().toString());
        fields.put("prefix", entry == null ? null : entry.prefix());
        fields.put("location", primary.toString());
        fields.put("insecure", insecure());
        fields.put("blocked", blocked());
        fields.put("mirrors", mirrors.stream().map(m -> {
            Map<String, Object> mirror = new LinkedHashMap<>();
            mirror.put("location", m.reference().toString());
            mirror.put("insecure", m.insecure());
            return mirror;
        }).toList());
        return fields;
    }
}
