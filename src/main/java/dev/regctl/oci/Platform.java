package dev.regctl.oci;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.regctl.RegctlException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image platform as written in an index entry or an image config. Written as text the way
 * containerd writes it: {@code os/arch[/variant]}, with a Windows build as
 * {@code windows(10.0.20348.2340)/amd64}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Platform(
        @JsonProperty("os") String os,
        @JsonProperty("architecture") String architecture,
        @JsonProperty("variant") String variant,
        @JsonProperty("os.version") String osVersion) {

    /** containerd's grammar for the first part: an os, optionally with its version in parentheses. */
    private static final Pattern OS_AND_VERSION = Pattern.compile("([A-Za-z0-9_-]+)(?:\\(([A-Za-z0-9_.-]*)\\))?");
    private static final Pattern COMPONENT = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final String EXPECTED = "expected OS/ARCH[/VARIANT] or OS(OSVERSION)/ARCH, e.g. linux/arm64/v8 or"
            + " windows(10.0.20348)/amd64";

    /** Parses {@code os[(osversion)]/arch[/variant]} as given to {@code --platform}. */
    public static Platform parse(String s) {
        String[] parts = s.split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw invalid(s, EXPECTED);
        }
        Matcher os = OS_AND_VERSION.matcher(parts[0]);
        if (!os.matches()) {
            throw invalid(s, parts[0].isEmpty() ? "empty part; " + EXPECTED : "\"" + parts[0] + "\" is not an OS"
                    + " (letters, digits, '_' and '-', then optionally a version in parentheses)");
        }
        for (int i = 1; i < parts.length; i++) {
            if (!COMPONENT.matcher(parts[i]).matches()) {
                throw invalid(s, parts[i].isEmpty() ? "empty part; " + EXPECTED
                        : "\"" + parts[i] + "\" is not an architecture or variant (letters, digits, '_', '.' and '-')");
            }
        }
        String version = os.group(2);
        return new Platform(os.group(1), parts[1], parts.length == 3 ? parts[2] : null,
                version == null || version.isEmpty() ? null : version);
    }

    private static RegctlException invalid(String s, String why) {
        return new RegctlException(RegctlException.Kind.USAGE, "invalid platform \"" + s + "\": " + why);
    }

    /**
     * True when an os and an architecture are given. Artifacts that reuse the image config, such as
     * cosign's signatures, write both as empty strings: they have no platform, not the platform "/".
     */
    @JsonIgnore
    public boolean isSpecified() {
        return os != null && !os.isEmpty() && architecture != null && !architecture.isEmpty();
    }

    /** This platform when {@link #isSpecified()}, with an empty variant and os.version dropped; else null. */
    public static Platform specifiedOrNull(Platform p) {
        if (p == null || !p.isSpecified()) {
            return null;
        }
        return new Platform(p.os, p.architecture, blankToNull(p.variant), blankToNull(p.osVersion));
    }

    /**
     * The same platform in containerd's canonical names, so that two spellings of one platform
     * compare equal: lower case, {@code aarch64} is arm64, {@code x86_64} amd64, {@code armhf}
     * arm/v7, {@code armel} arm/v6, {@code i386} 386, {@code macos} darwin, and a missing variant is
     * its architecture's default, written out (arm v7, arm64 v8, amd64 v1).
     */
    public Platform normalized() {
        String o = lower(os);
        if ("macos".equals(o)) {
            o = "darwin";
        }
        String arch = lower(architecture);
        String v = blankToNull(lower(variant));
        switch (arch == null ? "" : arch) {
            case "i386" -> {
                arch = "386";
                v = null;
            }
            case "x86_64", "x86-64", "amd64" -> {
                arch = "amd64";
                v = v == null ? "v1" : v;
            }
            case "aarch64", "arm64" -> {
                arch = "arm64";
                v = v == null || v.equals("8") || v.equals("v8.0") ? "v8" : v.equals("9") || v.equals("v9.0") ? "v9" : v;
            }
            case "armhf" -> {
                arch = "arm";
                v = "v7";
            }
            case "armel" -> {
                arch = "arm";
                v = "v6";
            }
            case "arm" -> v = v == null ? "v7" : v.matches("[5-8]") ? "v" + v : v;
            default -> {
                // other architectures have no variants to normalise
            }
        }
        return new Platform(o, arch, v, blankToNull(osVersion));
    }

    /** {@code os/arch[/variant]}, without the os.version: the {@code platform} field of JSON output. */
    public String osArchVariant() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }

    /** As {@code --platform} takes it: {@code os[(osversion)]/arch[/variant]}. */
    @Override
    public String toString() {
        return withOsVersion(osArchVariant(), osVersion);
    }

    /** {@code os/arch[/variant]} with {@code osVersion}, when there is one, after the os, as containerd writes it. */
    public static String withOsVersion(String osArchVariant, String osVersion) {
        if (osVersion == null || osVersion.isEmpty()) {
            return osArchVariant;
        }
        int slash = osArchVariant.indexOf('/');
        if (slash < 0) {
            return osArchVariant + "(" + osVersion + ")";
        }
        return osArchVariant.substring(0, slash) + "(" + osVersion + ")" + osArchVariant.substring(slash);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
