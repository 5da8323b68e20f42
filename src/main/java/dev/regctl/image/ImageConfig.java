package dev.regctl.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.Platform;
import dev.regctl.store.ImageStore;
import java.io.IOException;
import java.io.InputStream;

/**
 * The fields of an image config blob regctl reports, and the raw bytes for {@code --config}.
 */
public record ImageConfig(byte[] raw, Fields fields) {
    /** Configs are small; anything larger is refused rather than held in memory. */
    static final int MAX_CONFIG = 8 * 1024 * 1024;

    /** The config fields we read; everything else is left in {@link #raw}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Fields(String created, String os, String architecture, String variant,
                         @JsonProperty("os.version") String osVersion) {
        /** The image's platform, or null when the config names none (see {@link Platform#isSpecified()}). */
        public Platform platform() {
            return Platform.specifiedOrNull(new Platform(os, architecture, variant, osVersion));
        }
    }

    /**
     * True for the media types of an image config (and for none, as schema 1 and old manifests
     * leave it out). Artifacts (signatures, SBOMs) carry other configs, which are not read as one.
     */
    public static boolean isImageConfig(String mediaType) {
        return mediaType == null || mediaType.equals(MediaTypes.OCI_CONFIG) || mediaType.equals(MediaTypes.DOCKER_CONFIG);
    }

    /** Reads and verifies the config blob the descriptor names. */
    public static ImageConfig fetch(ImageStore store, Descriptor config) {
        if (config.size() > MAX_CONFIG) {
            throw new RegctlException(RegctlException.Kind.FAILURE,
                    "config blob " + config.digest() + " is " + config.size() + " bytes, over the " + MAX_CONFIG + " limit");
        }
        try (InputStream in = store.openBlob(config)) {
            byte[] raw = in.readNBytes(MAX_CONFIG + 1);
            if (raw.length != config.size()) {
                throw new RegctlException(RegctlException.Kind.FAILURE, "config blob " + config.digest()
                        + " has " + raw.length + " bytes, the manifest says " + config.size());
            }
            if (!config.digest().isDigestOf(raw)) {
                throw new RegctlException(RegctlException.Kind.FAILURE,
                        "config blob " + config.digest() + ": digest mismatch in the bytes received");
            }
            return new ImageConfig(raw, Json.mapper().readValue(raw, Fields.class));
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE,
                    "cannot read config blob " + config.digest() + " from " + store.name() + ": " + e.getMessage(), null, e);
        }
    }
}
