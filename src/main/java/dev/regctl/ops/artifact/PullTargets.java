package dev.regctl.ops.artifact;

import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each titled layer of an artifact goes in DIR, decided before a byte is fetched. A title
 * comes from whoever pushed the artifact, so it is untrusted: one that is empty, absolute, holds
 * {@code ..}, passes through a symbolic link already in DIR, or names what another layer names
 * (or a directory above it) is refused, naming the layer.
 */
final class PullTargets {

    /** A layer and the path it is written to, inside DIR. */
    record Target(int index, Descriptor layer, String title, Path path, boolean unpack) {
    }

    private PullTargets() {
    }

    /**
     * The targets of the titled {@code layers} in {@code dir} (a real path). An existing file is
     * refused unless {@code overwrite}.
     */
    static List<Target> plan(Path dir, List<Descriptor> layers, boolean overwrite, String what) {
        List<Target> targets = new ArrayList<>();
        Map<String, Integer> claimed = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            Descriptor layer = layers.get(i);
            String title = layer.annotations() == null ? null : layer.annotations().get(ArtifactManifest.TITLE);
            if (title == null) {
                continue;
            }
            List<String> parts = parts(title, i, layer, what);
            String key = String.join("/", parts);
            claim(claimed, key, parts, i, layer, what);
            Path path = dir;
            for (int p = 0; p < parts.size(); p++) {
                path = path.resolve(parts.get(p));
                if (Files.isSymbolicLink(path)) {
                    throw hostile(what, i, layer, "its title passes through " + path + ", a symbolic link");
                }
                if (p < parts.size() - 1 && Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    throw hostile(what, i, layer, "its title goes through " + path + ", which is not a directory");
                }
            }
            boolean unpack = "true".equals(layer.annotations().get(ArtifactManifest.UNPACK));
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                if (!overwrite) {
                    throw new RegctlException(RegctlException.Kind.USAGE, what + ": " + path + " exists",
                            "--overwrite replaces it", null);
                }
                if (!unpack && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    throw new RegctlException(RegctlException.Kind.USAGE, what + ": " + path
                            + " is a directory, and " + name(i, layer) + " is a file", "move the directory away", null);
                }
            }
            targets.add(new Target(i, layer, key, path, unpack));
        }
        return targets;
    }

    /** How messages name a layer: {@code layer 2 "site" (sha256:...)}. */
    static String name(int index, Descriptor layer) {
        String title = layer.annotations() == null ? null : layer.annotations().get(ArtifactManifest.TITLE);
        return "layer " + (index + 1) + (title == null ? "" : " \"" + title + "\"") + " (" + layer.digest() + ")";
    }

    /** A refusal of what the pusher wrote: exit 1, naming the layer. */
    static RegctlException hostile(String what, int index, Descriptor layer, String why) {
        return new RegctlException(RegctlException.Kind.FAILURE, what + ": " + name(index, layer) + " refused: " + why
                + "; nothing of it was written");
    }

    private static List<String> parts(String title, int i, Descriptor layer, String what) {
        if (title.isEmpty()) {
            throw hostile(what, i, layer, "its title is empty");
        }
        if (title.startsWith("/") || title.startsWith("\\") || title.matches("^[A-Za-z]:.*")) {
            throw hostile(what, i, layer, "its title is an absolute path");
        }
        if (title.indexOf('\0') >= 0 || title.indexOf('\\') >= 0) {
            throw hostile(what, i, layer, "its title holds a NUL or backslash");
        }
        List<String> parts = new ArrayList<>();
        for (String part : title.split("/")) {
            if (part.equals("..")) {
                throw hostile(what, i, layer, "its title leads out of the directory with ..");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        if (parts.isEmpty()) {
            throw hostile(what, i, layer, "its title names the directory itself");
        }
        try {
            Path.of(String.join("/", parts));
        } catch (InvalidPathException e) {
            throw hostile(what, i, layer, "its title is no file name here: " + e.getReason());
        }
        return parts;
    }

    /** Two layers may not write one path, nor one a path inside the other's. */
    private static void claim(Map<String, Integer> claimed, String key, List<String> parts, int i, Descriptor layer, String what) {
        Integer other = claimed.get(key);
        if (other != null) {
            throw hostile(what, i, layer, "layer " + (other + 1) + " has the same title");
        }
        for (int p = 1; p < parts.size(); p++) {
            Integer above = claimed.get(String.join("/", parts.subList(0, p)));
            if (above != null) {
                throw hostile(what, i, layer, "its title is inside layer " + (above + 1) + "'s");
            }
        }
        for (Map.Entry<String, Integer> e : claimed.entrySet()) {
            if (e.getKey().startsWith(key + "/")) {
                throw hostile(what, i, layer, "layer " + (e.getValue() + 1) + "'s title is inside its own");
            }
        }
        claimed.put(key, i);
    }
}
