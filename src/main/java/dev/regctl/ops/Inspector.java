package dev.regctl.ops;

import dev.regctl.RegctlException;
import dev.regctl.image.ImageConfig;
import dev.regctl.image.ImageLookup;
import dev.regctl.image.PlatformSelection;
import dev.regctl.image.Schema1Layers;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.Index;
import dev.regctl.oci.Manifest;
import dev.regctl.oci.Platform;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.Schema1Manifest;
import dev.regctl.store.ImageStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Summarises a manifest or index for {@code inspect}, {@code digest} and {@code tags --long}. */
public final class Inspector {
    private final ImageStore store;

    public Inspector(ImageStore store) {
        this.store = store;
    }

    /** The raw manifest a tag or digest names, verified against its bytes. */
    /**
     * The manifest {@code ref} names in this store (its only image when it names none), or with
     * {@code wanted} the image of an index for that platform. A full GET, never a HEAD: a header
     * alone is not trusted for a digest.
     */
    public RawManifest manifest(ImageRef ref, Platform wanted) {
        RawManifest manifest = manifest(ImageLookup.reference(ref, store));
        return wanted == null ? manifest : forPlatform(manifest, wanted, ref.toString());
    }

    public RawManifest manifest(String reference) {
        return store.fetchManifest(reference);
    }

    /**
     * The image of {@code raw} for {@code wanted}: the child of an index that has that platform, or
     * {@code raw} itself when it is one image of that platform.
     *
     * @param what {@code raw} as named in messages
     * @throws RegctlException NOT_FOUND naming the platforms there are when none matches; USAGE when
     *     several children of an index match
     */
    public RawManifest forPlatform(RawManifest raw, Platform wanted, String what) {
        if (raw.isIndex()) {
            return PlatformSelection.child(raw, wanted, store, what);
        }
        PlatformSelection.requireImageFor(raw, List.of(wanted), store, what);
        return raw;
    }

    /** A summary of {@code raw}; for an image its config is fetched for platform and creation time. */
    public ImageSummary summarise(String name, RawManifest raw) {
        if (raw.isIndex()) {
            Index index = raw.index();
            List<ImageSummary.PlatformEntry> children = new ArrayList<>();
            for (Descriptor d : index.manifests()) {
                Platform p = Platform.specifiedOrNull(d.platform());
                children.add(new ImageSummary.PlatformEntry(p == null ? null : p.osArchVariant(), p == null ? null : p.osVersion(),
                        d.digest().toString(), d.mediaType(), d.size()));
            }
            return new ImageSummary(name, raw.digest().toString(), raw.mediaType(), raw.size(), blankToNull(index.artifactType()),
                    digestOf(index.subject()), null, null, null, null, children, null, null, sorted(index.annotations()));
        }
        if (raw.isSchema1()) {
            return summariseSchema1(name, raw);
        }
        Manifest m = raw.manifest();
        List<ImageSummary.LayerEntry> layers = new ArrayList<>();
        long total = 0;
        for (Descriptor l : m.layers()) {
            layers.add(new ImageSummary.LayerEntry(l.digest().toString(), l.mediaType(), l.size()));
            total += l.size();
        }
        Platform platform = null;
        String created = null;
        ImageSummary.ConfigRef configRef = null;
        if (m.config() != null) {
            configRef = new ImageSummary.ConfigRef(m.config().digest().toString(), m.config().mediaType(), m.config().size());
            if (ImageConfig.isImageConfig(m.config().mediaType())) {
                ImageConfig.Fields f = config(m.config()).fields();
                platform = f.platform();
                created = f.created();
            }
        }
        return new ImageSummary(name, raw.digest().toString(), raw.mediaType(), raw.size(), artifactType(m),
                digestOf(m.subject()), platform == null ? null : platform.osArchVariant(),
                platform == null ? null : platform.osVersion(), created, configRef, null, layers, total, sorted(m.annotations()));
    }

    /** Schema 1 has no config blob: platform and creation time come from its v1 history. */
    private ImageSummary summariseSchema1(String name, RawManifest raw) {
        Schema1Manifest s = raw.schema1();
        List<ImageSummary.LayerEntry> layers = new ArrayList<>();
        long total = 0;
        for (Descriptor l : Schema1Layers.of(store, raw)) {
            layers.add(new ImageSummary.LayerEntry(l.digest().toString(), l.mediaType(), l.size()));
            total += l.size();
        }
        return new ImageSummary(name, raw.digest().toString(), raw.mediaType(), raw.size(), null, null, s.platform(), null,
                s.created(), null, null, layers, total, null);
    }

    /** The config blob of an image manifest. */
    public ImageConfig config(Descriptor config) {
        if (config == null) {
            // Only schema 1 lacks one; its image JSON is history[0].v1Compatibility of the manifest itself.
            throw new RegctlException(RegctlException.Kind.UNSUPPORTED, "the manifest has no config blob",
                    "a schema 1 manifest keeps its config in history[0].v1Compatibility: see 'regctl inspect --raw'", null);
        }
        return ImageConfig.fetch(store, config);
    }

    /**
     * The manifest's {@code artifactType}, else the media type of a config that is not an image
     * config: what the image spec's artifact guidance and the referrers API call its type.
     */
    static String artifactType(Manifest m) {
        String own = blankToNull(m.artifactType());
        if (own != null) {
            return own;
        }
        if (m.config() != null && !ImageConfig.isImageConfig(m.config().mediaType())) {
            return m.config().mediaType();
        }
        return null;
    }

    private static String digestOf(Descriptor d) {
        return d == null ? null : d.digest().toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static SortedMap<String, String> sorted(Map<String, String> annotations) {
        return annotations == null || annotations.isEmpty() ? null : new TreeMap<>(annotations);
    }
}
