package dev.regctl.image;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.ReferrerTags;
import dev.regctl.store.ImageStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What refers to a manifest in a store, found every way tools record it: the store's referrers
 * list (its referrers API, its {@code sha256-<hex>} tag schema index, or a layout's index.json)
 * and cosign's {@code sha256-<hex>.sig}, {@code .att} and {@code .sbom} tags, whose manifests
 * name no subject. {@code copy --referrers} and {@code referrers} both look here, so what is
 * copied and what is shown agree.
 */
public final class ReferrerLookup {

    private ReferrerLookup() {
    }

    /**
     * The referrers of one subject.
     *
     * @param referrers as the store lists them, each with its artifact type and annotations where known
     * @param tagged    cosign's tags that exist, each with the manifest it holds, in {@link ReferrerTags#cosign} order
     */
    public record Found(Digest subject, List<Descriptor> referrers, Map<String, RawManifest> tagged) {
        public Found {
            referrers = List.copyOf(referrers);
            tagged = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tagged));
        }
    }

    /** Asks {@code store} for the referrers of {@code subject}: its list, and each cosign tag. */
    public static Found find(ImageStore store, Digest subject) {
        Map<String, RawManifest> tagged = new LinkedHashMap<>();
        for (String tag : ReferrerTags.cosign(subject)) {
            store.findManifest(tag).ifPresent(m -> tagged.put(tag, m));
        }
        return new Found(subject, store.referrers(subject), tagged);
    }
}
