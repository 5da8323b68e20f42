package dev.regctl.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.Platform;
import dev.regctl.oci.PlatformMatcher;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
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
 * Which child serves a platform is {@link PlatformMatcher}'s call, containerd's rules: the
 * platform itself, else the best older variant that runs there.
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
        if (keepsEveryImage(children, keep)) {
            // Every child kept: the source's own bytes, so the digest is kept too.
            return index;
        }
        return RawManifest.of(rewrite(index, keep, null), index.mediaType());
    }

    /**
     * The entries of {@code index} that {@code wanted} picks, one per image, as the index lists
     * them: what {@code index create} and {@code index add} take from an index source.
     *
     * @throws RegctlException NOT_FOUND naming the available platforms when one wanted matches none
     */
    public static List<Descriptor> entries(RawManifest index, List<Platform> wanted, String what) {
        List<Descriptor> children = index.index().manifests();
        return keep(index, wanted, what).stream().map(children::get).toList();
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
        if (keepsEveryImage(index.index().manifests(), keep)) {
            return index;
        }
        return RawManifest.of(rewrite(index, keep, index.digest().toString()), index.mediaType());
    }

    /**
     * The positions of the children {@code wanted} picks, one per image: an index that lists one
     * manifest under two platforms ({@code linux/arm64/v8} and {@code linux/arm64}) keeps its first
     * entry only. NOT_FOUND when one wanted platform matches none.
     */
    private static Set<Integer> keep(RawManifest index, List<Platform> wanted, String what) {
        List<Descriptor> children = index.index().manifests();
        Set<Integer> picked = new TreeSet<>();
        List<String> unmatched = new ArrayList<>();
        for (Platform p : wanted) {
            List<Integer> best = best(children, p);
            if (best.isEmpty()) {
                unmatched.add(p.toString());
            }
            picked.addAll(best);
        }
        if (!unmatched.isEmpty()) {
            throw noImageFor(what, String.join(", ", unmatched), children);
        }
        Set<Digest> seen = new HashSet<>();
        Set<Integer> keep = new TreeSet<>();
        for (int i : picked) {
            if (seen.add(children.get(i).digest())) {
                keep.add(i);
            }
        }
        return keep;
    }

    /** True when {@code keep} holds every image the index lists, each once. */
    private static boolean keepsEveryImage(List<Descriptor> children, Set<Integer> keep) {
        return children.stream().map(Descriptor::digest).distinct().count() == keep.size();
    }

    /**
     * The positions of the children that serve {@code wanted} best ({@link PlatformMatcher}): the
     * wanted platform itself where the index has it, else the best older variant; one per image.
     */
    private static List<Integer> best(List<Descriptor> children, Platform wanted) {
        int bestRank = Integer.MAX_VALUE;
        List<Integer> found = new ArrayList<>();
        Set<Digest> seen = new HashSet<>();
        for (int i = 0; i < children.size(); i++) {
            int rank = PlatformMatcher.rank(wanted, children.get(i).platform());
            if (rank == PlatformMatcher.NO_MATCH || rank > bestRank) {
                continue;
            }
            if (rank < bestRank) {
                bestRank = rank;
                found.clear();
                seen.clear();
            }
            if (seen.add(children.get(i).digest())) {
                found.add(i);
            }
        }
        return found;
    }

    /**
     * The one child of {@code index} for {@code wanted}, fetched: what {@code inspect} and
     * {@code digest} show for {@code --platform}.
     *
     * @throws RegctlException NOT_FOUND naming the available platforms when none matches; USAGE
     *     naming the matches when several distinct images serve it equally well (two Windows builds
     *     for {@code windows/amd64})
     */
    public static RawManifest child(RawManifest index, Platform wanted, ImageStore source, String what) {
        List<Descriptor> children = index.index().manifests();
        List<Descriptor> found = best(children, wanted).stream().map(children::get).toList();
        if (found.isEmpty()) {
            throw noImageFor(what, wanted.toString(), children);
        }
        if (found.size() > 1) {
            List<String> choices = found.stream().map(d -> d.platform() + " " + d.digest()).toList();
            throw new RegctlException(RegctlException.Kind.USAGE, what + " has " + found.size() + " images for "
                    + wanted + ": " + String.join(", ", choices), pickOne(found), null);
        }
        return source.fetchManifest(found.get(0).digest());
    }

    /**
     * How to name one of several images that serve the same platform equally well: by Windows build
     * where their os.versions differ (cut to major.minor.build when that still tells them apart, as
     * Windows hosts pick by build), else by digest.
     */
    private static String pickOne(List<Descriptor> found) {
        List<String> builds = found.stream().map(d -> byBuild(Platform.specifiedOrNull(d.platform()))).distinct().toList();
        List<String> versions = found.stream().map(d -> d.platform().toString()).distinct().toList();
        List<String> names = builds.size() == found.size() ? builds : versions;
        if (names.size() < found.size() || Platform.specifiedOrNull(found.get(0).platform()).osVersion() == null) {
            return "name the image by digest";
        }
        // Parentheses are special to the shell: the example is quoted so it can be pasted.
        return "give the Windows build in --platform, e.g. --platform '" + names.get(0) + "' (one of "
                + String.join(", ", names) + "), or name the image by digest";
    }

    /** The platform with its os.version cut to major.minor.build. */
    private static String byBuild(Platform p) {
        String version = p.osVersion();
        if (version == null) {
            return p.toString();
        }
        String[] parts = version.split("\\.");
        return parts.length <= 3 ? p.toString()
                : Platform.withOsVersion(p.osArchVariant(), String.join(".", parts[0], parts[1], parts[2]));
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
            if (PlatformMatcher.rank(p, own) == PlatformMatcher.NO_MATCH) {
                throw new RegctlException(RegctlException.Kind.NOT_FOUND, what + " is one image for " + own + ", not " + p,
                        "leave out --platform, or name an index that has " + p, null);
            }
        }
    }

    /** The platform an image's config (or a schema 1 manifest's history) names; null when none. */
    public static Platform platformOf(RawManifest image, ImageStore store) {
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
