package dev.regctl.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.RawManifest;
import dev.regctl.ops.Fixtures;
import dev.regctl.ops.MemoryStore;
import dev.regctl.testing.ForwardingStore;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MirroredStoreTest {
    private final MemoryStore primary = new MemoryStore("docker.io/library/app");
    private final MemoryStore first = new MemoryStore("mirror-one");
    private final MemoryStore second = new MemoryStore("mirror-two");
    private final List<String> notes = new ArrayList<>();

    private MirroredStore store(ImageStore... mirrors) {
        List<MirroredStore.Endpoint> endpoints = new ArrayList<>();
        for (ImageStore m : mirrors) {
            endpoints.add(new MirroredStore.Endpoint(m.name(), m));
        }
        return new MirroredStore(primary, primary.name(), endpoints, notes::add);
    }

    @Test
    void readsTryTheMirrorsInOrderAndSayWhichAnswered() throws Exception {
        RawManifest image = Fixtures.image(second, "v1", null, "s");
        MirroredStore store = store(first, second);
        assertEquals(image.digest(), store.fetchManifest("v1").digest());
        assertEquals(List.of("fetchManifest v1"), first.calls());
        assertEquals(List.of(), primary.calls());
        assertTrue(notes.get(notes.size() - 1).endsWith("manifest v1 read from mirror mirror-two"), notes.toString());
        byte[] bytes = "layer".getBytes(StandardCharsets.UTF_8);
        Descriptor layer = new Descriptor("application/octet-stream", Digest.sha256(bytes), bytes.length);
        second.putBlob(layer, new ByteArrayInputStream(bytes));
        try (var in = store.openBlob(layer)) {
            assertArrayEquals(bytes, in.readAllBytes());
        }
        assertTrue(store.hasBlob(layer));
        assertEquals(List.of(), primary.calls());
    }

    @Test
    void whatNoMirrorHasComesFromThePrimary() {
        RawManifest image = Fixtures.image(primary, "v1", null, "p");
        primary.clearCalls();
        MirroredStore store = store(first);
        assertEquals(image.digest(), store.fetchManifest("v1").digest());
        assertEquals(List.of("fetchManifest v1"), primary.calls());
        assertTrue(store.headManifest("v2").isEmpty());
        assertTrue(store.findManifest("v2").isEmpty());
        assertThrows(RegctlException.class, () -> store.fetchManifest("v2"));
    }

    @Test
    void anUnreachableMirrorIsAskedOnce() {
        Fixtures.image(primary, "v1", null, "p");
        AtomicInteger asked = new AtomicInteger();
        ImageStore down = (ImageStore) Proxy.newProxyInstance(ImageStore.class.getClassLoader(),
                new Class<?>[] {ImageStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("name")) {
                        return "down";
                    }
                    asked.incrementAndGet();
                    throw new RegctlException(RegctlException.Kind.FAILURE, "connect to down: refused", null,
                            new ConnectException("refused"));
                });
        MirroredStore store = store(down);
        store.fetchManifest("v1");
        store.fetchManifest("v1");
        assertEquals(1, asked.get());
    }

    @Test
    void aMirrorThatRefusesForOtherReasonsStopsTheRead() {
        Fixtures.image(primary, "v1", null, "p");
        ImageStore denied = (ImageStore) Proxy.newProxyInstance(ImageStore.class.getClassLoader(),
                new Class<?>[] {ImageStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("name")) {
                        return "denied";
                    }
                    throw new RegctlException(RegctlException.Kind.AUTH, "denied: 401");
                });
        RegctlException e = assertThrows(RegctlException.class, () -> store(denied).fetchManifest("v1"));
        assertEquals(RegctlException.Kind.AUTH, e.kind());
    }

    @Test
    void writesGoToThePrimaryOnly() {
        RawManifest image = Fixtures.image(first, "v1", null, "f");
        MirroredStore store = store(first);
        first.clearCalls();
        store.putManifest(image, "v2");
        store.deleteManifest(image.digest());
        assertEquals(List.of(), first.calls());
        assertFalse(primary.calls("putManifest").isEmpty());
        assertEquals(primary.name(), store.name());
    }

    @Test
    void whatOnlyTheRegistryAnswersIsThePrimarys() {
        // Mounts and pull limits are decided by the store's registry: a wrapper that hid it would
        // turn every mount from a mirrored source into an upload.
        ImageStore onRegistry = new ForwardingStore(new MemoryStore("docker.io/library/app")) {
            @Override
            public Optional<RegistryRepository> onRegistry() {
                return Optional.of(new RegistryRepository("docker.io", "library/app"));
            }
        };
        MirroredStore mirrored = new MirroredStore(onRegistry, "docker.io", List.of(new MirroredStore.Endpoint("m", first)), notes::add);

        assertEquals(Optional.of(new RegistryRepository("docker.io", "library/app")), mirrored.onRegistry());
    }

    /** A store that says it is {@code repository} of {@code registry}, as a registry repository does. */
    private static ImageStore on(String registry, String repository) {
        return new ForwardingStore(new MemoryStore(registry + "/" + repository)) {
            @Override
            public Optional<RegistryRepository> onRegistry() {
                return Optional.of(new RegistryRepository(registry, repository));
            }
        };
    }

    @Test
    void aCopyIntoAMirrorsRegistryMountsFromWhereTheReadsGo() {
        // docker.io is read through a mirror on the company registry: a copy into that registry
        // mounts from the mirror's repository, which holds the blobs, instead of moving the bytes.
        ImageStore hub = on("docker.io", "library/app");
        ImageStore elsewhere = on("mirror.example:5000", "hub/library/app");
        ImageStore company = on("corp.example:5000", "dockerhub/library/app");
        MirroredStore source = new MirroredStore(hub, "docker.io",
                List.of(new MirroredStore.Endpoint("m1", elsewhere), new MirroredStore.Endpoint("m2", company)), notes::add);

        assertEquals("dockerhub/library/app", on("corp.example:5000", "team/app").mountFrom(source));
        assertEquals("hub/library/app", on("mirror.example:5000", "team/app").mountFrom(source), "the first reached wins");
        assertEquals("library/app", on("docker.io", "team/app").mountFrom(source), "the primary, as before");
        assertEquals(null, on("corp.example:5000", "dockerhub/library/app").mountFrom(source),
                "into the mirror itself: its blobs are there already");
        assertEquals(null, on("other.example", "team/app").mountFrom(source));
        assertEquals(null, primary.mountFrom(source), "a store on no registry mounts nothing");
    }
}
