package dev.regctl.store.ocidir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regctl.RegctlException;
import dev.regctl.store.ocidir.TestImages.Image;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NewLayoutStoreTest {

    @TempDir
    Path tmp;

    @Test
    void readsFindNothingAndMakeNoDirectoryUntilTheFirstWrite() {
        Path dir = tmp.resolve("new");
        NewLayoutStore store = new NewLayoutStore(dir);
        Image image = TestImages.image("amd64", new byte[] {1});

        assertEquals(RegctlException.Kind.NOT_FOUND,
                assertThrows(RegctlException.class, () -> store.resolve(null, null)).kind());
        assertFalse(store.headManifest("v1").isPresent());
        assertFalse(Files.exists(dir));

        image.config().putInto(store);
        store.putManifest(image.manifest(), null);
        assertEquals(image.manifest().descriptor(), store.resolve(null, null).bare());
    }
}
