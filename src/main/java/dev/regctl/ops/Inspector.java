package dev.regctl.ops;

import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Index;
import dev.regctl.oci.Manifest;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.Schema1Manifest;
import dev.regctl.store.ImageStore;
import java.util.ArrayList;
import java.util.List;

/** Summarises a manifest or index for {@code inspect}, {@code digest} and {@code tags --long}. */
public final class Inspector {
    private final ImageStore store;

    public Inspector(ImageStore store) {
        this.store = store;
    }

    /** The raw manifest a tag or digest names, verified against its bytes. */
    public RawManifest manifest(String reference) {
        return store.fetchManifest(reference);
    }

    /** A summary of {@code raw}; for an image its config is fetched for platform and creation time. */
    public ImageSummary summarise(String name, RawManifest raw) {
        if (raw.isIndex()) {
            Index index = raw.index();
            List<ImageSummary.PlatformEntry> children = new ArrayList<>();
            for (Descriptor d : index.manifests()) {
                children.add(new ImageSummary.PlatformEntry(
                        d.platform() == null ? "unknown" : d.platform().toString(), d.digest(), d.mediaType(), d.size()));
            }
            return new ImageSummary(name, raw.digest().toString(), raw.mediaType(), raw.size(), null, null, null,
                    children, null, null);
        }
        if (raw.isSchema1()) {
            return summariseSchema1(name, raw);
        }
        Manifest m = raw.manifest();
        List<ImageSummary.LayerEntry> layers = new ArrayList<>();
        long total = 0;
        for (Descriptor l : m.layers()) {
            layers.add(new ImageSummary.LayerEntry(l.digest(), l.mediaType(), l.size()));
            total += l.size();
        }
        String platform = null;
        String created = null;
        ImageSummary.ConfigRef configRef = null;
        if (m.config() != null) {
            configRef = new ImageSummary.ConfigRef(m.config().digest(), m.config().mediaType(), m.config().size());
            if (isImageConfig(m.config().mediaType())) {
                ImageConfig.Fields f = config(m.config()).fields();
                platform = f.platform() == null ? null : f.platform().toString();
                created = f.created();
            }
        }
        return new ImageSummary(name, raw.digest().toString(), raw.mediaType(), raw.size(), platform, created,
                configRef, null, layers, total);
    }

    /** Schema 1 has no config blob: platform and creation time come from its v1 history. */
    private ImageSummary summariseSchema1(String name, RawManifest raw) {
        Schema1Manifest s = raw.schema1();
        List<ImageSummary.LayerEntry> layers = new ArrayList<>();
        long total = 0;
        for (Descriptor l : Schema1Layers.of(store, raw)) {
            layers.add(new ImageSummary.LayerEntry(l.digest(), l.mediaType(), l.size()));
            total += l.size();
        }
        return new ImageSummary(name, raw.digest().toString(), raw.mediaType(), raw.size(), s.platform(), s.created(),
                null, null, layers, total);
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

    /** Artifacts (signatures, SBOMs) carry configs that are not image configs; they are not fetched. */
    private static boolean isImageConfig(String mediaType) {
        return mediaType == null || mediaType.equals(dev.regctl.oci.MediaTypes.OCI_CONFIG)
                || mediaType.equals(dev.regctl.oci.MediaTypes.DOCKER_CONFIG);
    }
}
