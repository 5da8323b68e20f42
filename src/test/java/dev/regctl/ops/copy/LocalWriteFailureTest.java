package dev.regctl.ops.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.oci.Digest;
import dev.regctl.ops.Images.Image;
import dev.regctl.ops.Images;
import dev.regctl.ops.MemoryStore;
import dev.regctl.store.ImageStore;
import dev.regctl.store.LocalWriteException;
import dev.regctl.store.ocidir.OciLayoutStore;
import dev.regctl.testing.ImageParts;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layout that cannot be written is not a network that may come back: the copy fails at its
 * first write, without another attempt, with the file's problem first.
 */
class LocalWriteFailureTest {
    private static final CopyOptions OPTIONS = new CopyOptions(List.of(), false, false, 1);

    @TempDir
    Path tmp;

    private final MemoryStore source = new MemoryStore("src");
    private final List<Integer> pauses = Collections.synchronizedList(new ArrayList<>());

    private RegctlException copyFails(ImageStore target) {
        Copier copier = new Copier(source, target, null, OPTIONS, (attempt, retryAfter) -> pauses.add(attempt));
        return assertThrows(RegctlException.class, () -> copier.execute(
                copier.plan(CopyRequest.parse("r.example/app:v1", "oci:" + tmp.resolve("out") + ":v1", false)),
                CopyListener.NONE));
    }

    @Test
    void aFullDiskFailsAtOnceNamingTheLayoutFirst() {
        Image image = Images.image(source, "v1", "linux/amd64", ImageParts.random(5000, 1));
        try (OciLayoutStore layout = OciLayoutStore.create(tmp.resolve("out"))) {
            AtomicInteger writes = new AtomicInteger();

            RegctlException e = copyFails(diskFull(layout, writes));

            assertTrue(e instanceof LocalWriteException, e.getClass() + ": " + e.getMessage());
            assertTrue(e.getMessage().matches("oci:" + tmp.resolve("out") + ": storing blob sha256:[0-9a-f]{64}: No space left on device"),
                    e.getMessage());
            assertEquals(List.of(), pauses, "no pause before another attempt");
            assertEquals(1, writes.get(), "one attempt");
            assertEquals(Optional.empty(), layout.headManifest("v1"), "nothing tagged");
            assertFalse(layout.hasBlob(image.blobs().get(0)));
        }
    }

    @Test
    void aDirectoryWhereABlobFileGoesFailsAtOnce() throws IOException {
        Image image = Images.image(source, "v1", "linux/amd64", ImageParts.random(5000, 2));
        try (OciLayoutStore layout = OciLayoutStore.create(tmp.resolve("out"))) {
            Digest layer = image.blobs().get(1).digest();
            Path inTheWay = tmp.resolve("out/blobs/sha256").resolve(layer.hex());
            Files.createDirectories(inTheWay.resolve("not-empty"));

            RegctlException e = copyFails(layout);

            assertTrue(e instanceof LocalWriteException, e.getClass() + ": " + e.getMessage());
            assertTrue(e.getMessage().startsWith("oci:" + tmp.resolve("out") + ": storing blob " + layer + ": "), e.getMessage());
            assertEquals(List.of(), pauses, "no pause before another attempt");
            assertTrue(Files.isDirectory(inTheWay), "left as it was");
        }
    }

    /**
     * The layout, with its disk full once a blob is written: the failure is raised inside the
     * layout's own write loop, where a write(2) failing with ENOSPC surfaces. Every other call
     * goes to the layout unchanged.
     */
    private static ImageStore diskFull(OciLayoutStore layout, AtomicInteger writes) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("putBlobUnlessPresent")) {
                return InvocationHandler.invokeDefault(proxy, method, args); // so its write comes here
            }
            if (method.getName().equals("putBlob")) {
                writes.incrementAndGet();
                args = new Object[] {args[0], new FilterInputStream((InputStream) args[1]) {
                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        throw new IOException("No space left on device");
                    }
                }};
            }
            try {
                return method.invoke(layout, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (ImageStore) Proxy.newProxyInstance(ImageStore.class.getClassLoader(), new Class<?>[] {ImageStore.class}, handler);
    }
}
