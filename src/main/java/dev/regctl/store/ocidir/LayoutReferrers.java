package dev.regctl.store.ocidir;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The referrers an image layout lists: a layout has no referrers API, and the image spec keeps
 * referrers reachable by listing them in {@code index.json}, so they are its entries whose
 * manifest names the subject as its {@code subject}. One rule for a layout directory, a layout
 * read from an archive and one being written into an archive.
 */
public final class LayoutReferrers {

    /** An entry's manifest as JSON, or null when there is none to read (missing, not a manifest). */
    @FunctionalInterface
    public interface Manifests {
        JsonNode read(Descriptor entry);
    }

    private LayoutReferrers() {
    }

    /**
     * The entries of {@code entries} whose manifest's subject is {@code subject}, once each, in
     * index order. Each descriptor gets the referrer's artifact type (its {@code artifactType},
     * else its config's media type) and annotations, as the referrers API reports them.
     */
    public static List<Descriptor> of(Digest subject, List<Descriptor> entries, Manifests manifests) {
        Map<Digest, Descriptor> found = new LinkedHashMap<>();
        for (Descriptor entry : entries) {
            if (entry.digest() == null || found.containsKey(entry.digest())) {
                continue;
            }
            JsonNode manifest = manifests.read(entry);
            if (manifest != null && subject.toString().equals(manifest.path("subject").path("digest").asText(null))) {
                found.put(entry.digest(), descriptor(entry, manifest));
            }
        }
        return List.copyOf(found.values());
    }

    private static Descriptor descriptor(Descriptor entry, JsonNode manifest) {
        String mediaType = manifest.path("mediaType").asText(entry.mediaType());
        String artifactType = manifest.path("artifactType").asText(null);
        if (artifactType == null) {
            artifactType = manifest.path("config").path("mediaType").asText(null);
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        manifest.path("annotations").fields().forEachRemaining(f -> annotations.put(f.getKey(), f.getValue().asText()));
        return new Descriptor(mediaType, entry.digest(), entry.size(), null, artifactType,
                annotations.isEmpty() ? null : annotations, null);
    }
}
