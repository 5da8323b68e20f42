package dev.regctl.image;

import dev.regctl.RegctlException;
import dev.regctl.oci.Attestations;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Manifest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * When an image was made, for retention. An image's time is its config's {@code created}, else
 * its manifest's {@code org.opencontainers.image.created} annotation (charts and other artifacts
 * carry only that). An index's time is that of its newest image, else its own annotation: the
 * newest because an index is as recent as the last image added to it, and that errs towards keeping.
 * Times at or before the Unix epoch are placeholders (reproducible builders such as Jib and ko write
 * 1970-01-01 or 0001-01-01 on purpose) and count as unknown.
 */
public final class ImageCreated {
    static final String ANNOTATION = "org.opencontainers.image.created";

    private ImageCreated() {
    }

    /** The creation time of {@code raw}, or null when unknown. */
    public static Instant of(ImageStore store, RawManifest raw) {
        if (raw.isIndex()) {
            Instant newest = null;
            for (Descriptor child : raw.index().manifests()) {
                if (!MediaTypes.isImageManifest(child.mediaType()) || Attestations.isAttestation(child)) {
                    continue;
                }
                Instant created = ofChild(store, child);
                if (created != null && (newest == null || created.isAfter(newest))) {
                    newest = created;
                }
            }
            return newest != null ? newest : annotation(raw.index().annotations());
        }
        return ofImage(store, raw.manifest());
    }

    private static Instant ofChild(ImageStore store, Descriptor child) {
        RawManifest raw;
        try {
            raw = store.fetchManifest(child.digest());
        } catch (RegctlException e) {
            return unknownIfMissing(e);
        }
        return raw.isIndex() ? null : ofImage(store, raw.manifest());
    }

    private static Instant ofImage(ImageStore store, Manifest m) {
        Descriptor config = m.config();
        if (config != null && ImageConfig.isImageConfig(config.mediaType())) {
            try {
                Instant created = parse(ImageConfig.fetch(store, config).fields().created());
                if (created != null) {
                    return created;
                }
            } catch (RegctlException e) {
                unknownIfMissing(e);
            }
        }
        return annotation(m.annotations());
    }

    /** Content that is gone leaves the age unknown, which keeps the image; any other failure is real. */
    private static Instant unknownIfMissing(RegctlException e) {
        if (e.kind() != RegctlException.Kind.NOT_FOUND) {
            throw e;
        }
        return null;
    }

    /** Parses an RFC 3339 time; null when absent, unreadable or a placeholder. */
    static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Instant t;
        try {
            t = OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
        return t.isAfter(Instant.EPOCH) ? t : null;
    }

    private static Instant annotation(Map<String, String> annotations) {
        return annotations == null ? null : parse(annotations.get(ANNOTATION));
    }
}
