package dev.regctl.store.ocidir;

import dev.regctl.RegctlException;
import dev.regctl.RegctlException.Kind;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The manifest a tag, a digest, both or neither name in a layout's index.json, by one set of
 * rules for every command: the tags of a layout are its entries' {@code ref.name} annotations,
 * opaque strings that may hold {@code :} and {@code /}.
 */
final class LayoutTargets {

    /**
     * A reference naming one of the digest algorithms regctl knows is a digest; anything else is
     * a tag. The general digest grammar is not used because it also matches {@code app:latest},
     * which some tools write as a ref.name.
     */
    private static final Pattern DIGEST_REFERENCE = Pattern.compile("(?:sha256|sha512):.*");

    private final IndexFile index;
    private final LayoutManifests manifests;
    private final LayoutErrors errors;
    private final String name;

    LayoutTargets(IndexFile index, LayoutManifests manifests, LayoutErrors errors) {
        this.index = index;
        this.manifests = manifests;
        this.errors = errors;
        this.name = errors.name();
    }

    /** A reference as {@link dev.regctl.store.ImageStore} passes it: a digest when it names a known algorithm, else a tag. */
    Target of(String reference) {
        if (DIGEST_REFERENCE.matcher(reference).matches()) {
            return of(null, Digest.parse(reference));
        }
        return of(reference, null);
    }

    /** See {@link OciLayoutStore#resolve} for what each combination names. */
    Target of(String tag, Digest digest) {
        LayoutIndex entries = index.read();
        try {
            if (tag != null) {
                return tagged(entries, tag, digest);
            }
            if (digest != null) {
                return Target.byDigest(digest, entries.withDigest(digest.toString()).orElse(null));
            }
            return onlyImage(entries);
        } catch (IOException e) {
            throw errors.invalidIndex(e);
        }
    }

    /** NOT_FOUND naming the tags the layout has. */
    RegctlException tagNotFound(String tag) {
        return tagNotFound(tag, index.read());
    }

    private Target tagged(LayoutIndex entries, String tag, Digest digest) throws IOException {
        Map<String, Descriptor> byDigest = new LinkedHashMap<>();
        for (Descriptor entry : entries.allTagged(tag)) {
            byDigest.putIfAbsent(String.valueOf(entry.digest()), entry);
        }
        if (byDigest.isEmpty()) {
            throw tagNotFound(tag, entries);
        }
        if (digest != null) {
            Descriptor entry = byDigest.get(digest.toString());
            if (entry == null) {
                throw new RegctlException(Kind.NOT_FOUND, name + ": tag \"" + tag + "\" points at "
                        + String.join(", ", byDigest.keySet()) + ", not " + digest);
            }
            return new Target(tag, true, digest, entry);
        }
        if (byDigest.size() > 1) {
            // Taking the first would be a guess, and another reader of the layout may guess otherwise.
            throw new RegctlException(Kind.USAGE, name + ": tag \"" + tag + "\" is on " + byDigest.size()
                    + " different manifests: " + firstTen(List.copyOf(byDigest.keySet())),
                    "name the image by digest", null);
        }
        Descriptor entry = byDigest.values().iterator().next();
        return new Target(tag, true, entryDigest(entry, "tag \"" + tag + "\""), entry);
    }

    /** With neither tag nor digest, as skopeo reads a layout: it must hold exactly one image. */
    private Target onlyImage(LayoutIndex entries) throws IOException {
        Map<String, Descriptor> images = new LinkedHashMap<>();
        Map<String, List<String>> tags = new LinkedHashMap<>();
        for (Descriptor entry : entries.entries()) {
            String digest = String.valueOf(entry.digest());
            images.putIfAbsent(digest, entry);
            tags.computeIfAbsent(digest, d -> new ArrayList<>());
            String tag = entry.annotations() == null ? null : entry.annotations().get(LayoutIndex.REF_NAME);
            if (tag != null) {
                tags.get(digest).add(tag);
            }
        }
        if (images.size() > 1) {
            images.keySet().removeIf(digest -> tags.get(digest).isEmpty() && manifests.isReferrer(images.get(digest)));
        }
        if (images.isEmpty()) {
            throw new RegctlException(Kind.NOT_FOUND, name + ": the layout holds no image");
        }
        if (images.size() > 1) {
            throw new RegctlException(Kind.USAGE, name + " holds " + images.size()
                    + " images; name one by tag or digest", "choices: " + firstTen(choices(images.keySet(), tags)), null);
        }
        Descriptor entry = images.values().iterator().next();
        return new Target(entry.digest().toString(), false, entryDigest(entry, "its only entry"), entry);
    }

    /** Each image by its tags, except tags that are on several images; by digest when it has none left. */
    private static List<String> choices(Set<String> digests, Map<String, List<String>> tags) {
        Map<String, Integer> uses = new HashMap<>();
        digests.forEach(d -> tags.get(d).stream().distinct().forEach(t -> uses.merge(t, 1, Integer::sum)));
        List<String> choices = new ArrayList<>();
        for (String digest : digests) {
            List<String> own = tags.get(digest).stream().distinct().filter(t -> uses.get(t) == 1).toList();
            if (own.isEmpty()) {
                choices.add(digest);
            } else {
                choices.addAll(own);
            }
        }
        return choices;
    }

    private static String firstTen(List<String> names) {
        return String.join(", ", names.subList(0, Math.min(names.size(), 10))) + (names.size() > 10 ? ", ..." : "");
    }

    private Digest entryDigest(Descriptor entry, String what) {
        if (entry.digest() == null) {
            throw LayoutErrors.failure(name + ": " + IndexFile.NAME + " entry for " + what + " has no digest", null);
        }
        return entry.digest();
    }

    private RegctlException tagNotFound(String tag, LayoutIndex entries) {
        List<String> tags = entries.tags();
        String hint = tags.isEmpty() ? "the layout has no tags" : "tags in the layout: " + firstTen(tags);
        return new RegctlException(Kind.NOT_FOUND, name + ": tag \"" + tag + "\" not found", hint, null);
    }
}
