package dev.regctl.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Platform;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Applies {@code --platform} to an index: one matching child becomes the image copied, digest
 * unchanged; several become a new index listing only them, which is the one case where copy
 * changes a digest. {@code inspect} and {@code digest} take the one child instead. A single image
 * is checked against the platforms wanted the same way for every command
 * ({@link #requireImageFor}): an image of another platform is never taken for the one asked for.
 */
public final class PlatformSelection {

    private PlatformSelection() {
    }

    /**
     * The manifest to copy for {@code wanted} out of {@code index}.
     *
     * @param what the index as named in messages
     * @throws RegctlException NOT_FOUND naming the available platforms when one wanted matches none
     */
    public static RawManifest select(RawManifest index, List<Platform> wanted, ImageStore source, String what) {
        Set<Integer> keep = keep(index, wanted, what);
        List<Descriptor> children = index.index().manifests();
        if (keep.size() == 1) {
            return source.fetchManifest(children.get(keep.iterator().next()).digest());
        }
        if (keep.size() == children.size()) {
            // Every child kept: the source's own bytes, so the digest is kept too.
            return index;
        }
        return RawManifest.of(rewrite(index, keep, null), index.mediaType());
    }

    /**
     * The annotation on an index made by {@link #selectRecorded}: the digest of the source index
     * it was cut from, which tells a later sync the copy is current without pulling the source.
     */
    public static final String SOURCE_DIGEST = "dev.regctl.source.digest";

    /**
     * As {@link #select}, but a subset of the children, one alone included, always becomes a new
     * index annotated with {@link #SOURCE_DIGEST}; every child kept is the index itself.
     */
    public static RawManifest selectRecorded(RawManifest index, List<Platform> wanted, String what) {
        Set<Integer> keep = keep(index, wanted, what);
        if (keep.size() == index.index().manifests().size()) {
            return index;
        }
        return RawManifest.of(rewrite(index, keep, index.digest().toString()), index.mediaType());
    }

    /** The positions of the children {@code wanted} picks; NOT_FOUND when one wanted matches none. */
    private static Set<Integer> keep(RawManifest index, List<Platform> wanted, String what) {
        List<Descriptor> children = index.index().manifests();
        Set<Integer> keep = new TreeSet<>();
        List<String> unmatched = new ArrayList<>();
        for (Platform p : wanted) {
            boolean matched = false;
            for (int i = 0; i < children.size(); i++) {
                if (matches(children.get(i).platform(), p)) {
                    keep.add(i);
                    matched = true;
                }
            }
            if (!matched) {
                unmatched.add(p.toString());
            }
        }
        if (!unmatched.isEmpty()) {
            throw noImageFor(what, String.join(", ", unmatched), children);
        }
        return keep;
    }

    /**
     * The one child of {@code index} for {@code wanted}, fetched: what {@code inspect} and
     * {@code digest} show for {@code --platform}.
     *
     * @throws RegctlException NOT_FOUND naming the available platforms when none matches; USAGE
     *     naming the matches when several distinct images do (e.g. {@code linux/arm} and v6 and v7)
     */
    static RawManifest child(RawManifest index, Platform wanted, ImageStore source, String what) {
        List<Descriptor> children = index.index().manifests();
        List<Descriptor> found = children.stream().filter(d -> matches(d.platform(), wanted)).toList();
        if (found.isEmpty()) {
            throw noImageFor(what, wanted.toString(), children);
        }
        if (found.stream().map(Descriptor::digest).distinct().count() > 1) {
            List<String> choices = found.stream().map(d -> d.platform() + " " + d.digest()).toList();
            throw new RegctlException(RegctlException.Kind.USAGE, what + " has " + found.size() + " images for "
                    + wanted + ": " + String.join(", ", choices),
                    "give the variant in --platform (OS/ARCH/VARIANT), or name the image by digest", null);
        }
        return source.fetchManifest(found.get(0).digest());
    }

    /**
     * Checks that {@code image}, one image rather than an index, is for every platform in
     * {@code wanted}, reading its config from {@code store}: what {@code inspect}, {@code digest},
     * {@code copy}, {@code sync} and {@code append} do with {@code --platform} and a single-platform image.
     *
     * @param what {@code image} as named in messages
     * @throws RegctlException NOT_FOUND saying which platform the image is (or that it names none)
     */
    public static void requireImageFor(RawManifest image, List<Platform> wanted, ImageStore store, String what) {
        Platform own = platformOf(image, store);
        for (Platform p : wanted) {
            if (own == null) {
                throw new RegctlException(RegctlException.Kind.NOT_FOUND, what + " is one image that names no platform,"
                        + " not " + p, "leave out --platform", null);
            }
            if (!matches(own, p)) {
                throw new RegctlException(RegctlException.Kind.NOT_FOUND, what + " is one image for " + own + ", not " + p,
                        "leave out --platform, or name an index that has " + p, null);
            }
        }
    }

    /** The platform an image's config (or a schema 1 manifest's history) names; null when none. */
    private static Platform platformOf(RawManifest image, ImageStore store) {
        if (image.isSchema1()) {
            String platform = image.schema1().platform();
            try {
                return platform != null && platform.contains("/") ? Platform.parse(platform) : null;
            } catch (RegctlException e) {
                return null; // the registry's text, not the user's: an unreadable platform is none
            }
        }
        Descriptor config = image.manifest().config();
        if (config == null || !ImageConfig.isImageConfig(config.mediaType())) {
            return null;
        }
        return ImageConfig.fetch(store, config).fields().platform();
    }

    private static RegctlException noImageFor(String what, String wanted, List<Descriptor> children) {
        return new RegctlException(RegctlException.Kind.NOT_FOUND, what + " has no image for " + wanted
                + "; its platforms: " + available(children));
    }

    /** True for a new index made by {@link #select}, false for the index itself or one of its children. */
    public static boolean rewritten(RawManifest source, RawManifest selected) {
        if (selected.digest().equals(source.digest()) || !source.isIndex()) {
            return false;
        }
        return source.index().manifests().stream().noneMatch(d -> selected.digest().equals(d.digest()));
    }

    /**
     * True when the entry's platform is the one wanted. An entry without a variant has its
     * architecture's default one (arm64 is v8, arm v7, amd64 v1), as docker and containerd read
     * it, so {@code linux/arm64/v8} finds an arm64 image whose index leaves the variant out.
     */
    static boolean matches(Platform platform, Platform wanted) {
        if (platform == null || !platform.isSpecified()) {
            return false;
        }
        if (platform.variant() == null || platform.variant().isEmpty()) {
            platform = new Platform(platform.os(), platform.architecture(), defaultVariant(platform.architecture()),
                    platform.osVersion());
        }
        return platform.matches(wanted);
    }

    private static String defaultVariant(String architecture) {
        return switch (architecture) {
            case "arm64" -> "v8";
            case "arm" -> "v7";
            case "amd64" -> "v1";
            default -> null;
        };
    }

    private static String available(List<Descriptor> children) {
        Set<String> names = new LinkedHashSet<>();
        for (Descriptor d : children) {
            Platform p = Platform.specifiedOrNull(d.platform());
            names.add(p == null ? "none" : p.toString());
        }
        return String.join(", ", names);
    }

    /**
     * The index's own JSON with {@code manifests} cut down, every other field kept as it was, and
     * {@code sourceDigest}, when given, recorded as {@link #SOURCE_DIGEST}.
     */
    private static byte[] rewrite(RawManifest index, Set<Integer> keep, String sourceDigest) {
        try {
            ObjectNode root = (ObjectNode) Json.readTree(index.bytes());
            ArrayNode all = (ArrayNode) root.get("manifests");
            ArrayNode kept = Json.mapper().createArrayNode();
            keep.forEach(i -> kept.add(all.get(i)));
            root.set("manifests", kept);
            if (sourceDigest != null) {
                ObjectNode annotations = root.get("annotations") instanceof ObjectNode a ? a : root.putObject("annotations");
                annotations.put(SOURCE_DIGEST, sourceDigest);
            }
            return Json.mapper().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE,
                    "cannot rewrite index " + index.digest() + ": " + e.getMessage(), null, e);
        }
    }
}
