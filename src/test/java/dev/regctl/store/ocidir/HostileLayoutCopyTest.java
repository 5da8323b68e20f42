package dev.regctl.store.ocidir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.cli.Main;
import dev.regctl.oci.Digest;
import dev.regctl.store.ocidir.TestImages.Image;
import dev.regctl.testing.ImageParts.Blob;
import dev.regctl.testing.ImageParts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code regctl copy} out of a layout whose layer is a link to a file outside it. */
class HostileLayoutCopyTest {

    @TempDir
    Path tmp;

    @Test
    void aSymlinkedLayerEndsTheCopyAtOnceWithOneLineAndNothingCopied() throws IOException {
        Path src = tmp.resolve("src");
        Image image = TestImages.image("amd64", ImageParts.random(4096, 1));
        try (OciLayoutStore store = OciLayoutStore.create(src)) {
            image.config().putInto(store);
            store.putManifest(image.manifest(), "v1");
        }
        Blob layer = image.layers()[0];
        Path outside = Files.write(tmp.resolve("outside"), layer.bytes());
        Files.createSymbolicLink(blobPath(src, layer.digest()), outside);
        Path dst = tmp.resolve("dst");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new String[] {"copy", "oci:" + src + ":v1", "oci:" + dst + ":v1",
                "--config", tmp.resolve("docker").toString()}, new PrintWriter(out), new PrintWriter(err));

        assertEquals(1, exit, err.toString());
        List<String> lines = err.toString().lines().filter(l -> l.contains("symlink")).toList();
        assertEquals(1, lines.size(), err.toString());
        assertTrue(lines.get(0).contains("oci:" + src + ": blob " + layer.digest()
                + " is a symlink leading outside the layout; refusing to read it"), err.toString());
        assertFalse(err.toString().contains("attempts"), "a refusal is final, not retried: " + err);
        assertFalse(err.toString().contains("Exception"), err.toString());
        assertFalse(Files.exists(blobPath(dst, layer.digest())), "nothing of the linked file reached the destination");
    }

    private static Path blobPath(Path layout, Digest digest) {
        return layout.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }
}
