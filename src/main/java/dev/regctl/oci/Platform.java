package dev.regctl.oci;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.regctl.RegctlException;

/** An image platform as written in an index entry or an image config. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Platform(
        @JsonProperty("os") String os,
        @JsonProperty("architecture") String architecture,
        @JsonProperty("variant") String variant,
        @JsonProperty("os.version") String osVersion) {

    /** Parses {@code os/arch[/variant]} as given to {@code --platform}. */
    public static Platform parse(String s) {
        String[] parts = s.split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new RegctlException(RegctlException.Kind.USAGE,
                    "invalid platform \"" + s + "\": expected OS/ARCH[/VARIANT], e.g. linux/arm64/v8");
        }
        for (String p : parts) {
            if (p.isEmpty()) {
                throw new RegctlException(RegctlException.Kind.USAGE,
                        "invalid platform \"" + s + "\": empty part; expected OS/ARCH[/VARIANT]");
            }
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null, null);
    }

    /**
     * True when an os and an architecture are given. Artifacts that reuse the image config, such as
     * cosign's signatures, write both as empty strings: they have no platform, not the platform "/".
     */
    @JsonIgnore
    public boolean isSpecified() {
        return os != null && !os.isEmpty() && architecture != null && !architecture.isEmpty();
    }

    /** This platform when {@link #isSpecified()}, with an empty variant dropped; else null. */
    public static Platform specifiedOrNull(Platform p) {
        if (p == null || !p.isSpecified()) {
            return null;
        }
        return p.variant != null && p.variant.isEmpty() ? new Platform(p.os, p.architecture, null, p.osVersion) : p;
    }

    /** True when {@code wanted} names this platform; a wanted platform without variant matches any. */
    public boolean matches(Platform wanted) {
        return os.equals(wanted.os) && architecture.equals(wanted.architecture)
                && (wanted.variant == null || wanted.variant.equals(variant));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
