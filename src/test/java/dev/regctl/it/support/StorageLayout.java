package dev.regctl.it.support;

import dev.regctl.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The part of distribution's filesystem-driver layout that holds one repository's manifests and
 * tags, for {@link Seeder}. Paths follow distribution's {@code registry/storage/paths.go}:
 * <pre>
 * docker/registry/v2/blobs/sha256/AB/ABCD…/data                                 content
 * docker/registry/v2/repositories/NAME/_manifests/revisions/sha256/ABCD…/link   manifest in repo
 * docker/registry/v2/repositories/NAME/_manifests/tags/TAG/current/link         what TAG names
 * docker/registry/v2/repositories/NAME/_manifests/tags/TAG/index/sha256/ABCD…/link  TAG history
 * </pre>
 * A link file holds the digest string and nothing else.
 */
final class StorageLayout {

    private final Path v2;
    private final Path manifests;

    StorageLayout(Path storageRoot, String repository) {
        this.v2 = storageRoot.resolve("docker/registry/v2");
        this.manifests = v2.resolve("repositories").resolve(repository).resolve("_manifests");
    }

    /**
     * Fails unless the registry's own PUT of {@code tag} left exactly the files {@link #writeTag}
     * would write, so a registry that lays storage out differently stops the seeding loudly.
     */
    void verifyWrittenByRegistry(String tag, byte[] manifest) {
        String digest = Digest.sha256(manifest).toString();
        for (Path file : files(tag, digest)) {
            byte[] expected = file.getFileName().toString().equals("data") ? manifest : link(digest);
            try {
                if (!Files.isRegularFile(file) || !Arrays.equals(expected, Files.readAllBytes(file))) {
                    throw new IllegalStateException("the registry's storage layout is not the one Seeder writes: "
                            + file + " is missing or differs after the registry stored " + tag + " as " + digest
                            + "; seed over HTTP for this registry version");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + file, e);
            }
        }
    }

    /** Stores {@code manifest} and points {@code tag} at it; returns its digest. */
    String writeTag(String tag, byte[] manifest) {
        String digest = Digest.sha256(manifest).toString();
        List<Path> files = files(tag, digest);
        write(files.get(0), manifest);
        for (Path link : files.subList(1, files.size())) {
            write(link, link(digest));
        }
        return digest;
    }

    /** The blob's data file first (written before anything points at it), then the links. */
    private List<Path> files(String tag, String digest) {
        String hex = digest.substring("sha256:".length());
        Path tagDir = manifests.resolve("tags").resolve(tag);
        return List.of(
                v2.resolve("blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex).resolve("data"),
                manifests.resolve("revisions/sha256").resolve(hex).resolve("link"),
                tagDir.resolve("index/sha256").resolve(hex).resolve("link"),
                tagDir.resolve("current/link"));
    }

    private static byte[] link(String digest) {
        return digest.getBytes(StandardCharsets.US_ASCII);
    }

    private static void write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }
}
