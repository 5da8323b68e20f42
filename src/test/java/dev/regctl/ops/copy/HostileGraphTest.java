package dev.regctl.ops.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.image.ManifestWalk;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.ReferrerTags;
import dev.regctl.ops.Images.Image;
import dev.regctl.ops.Images;
import dev.regctl.ops.MemoryStore;
import dev.regctl.ops.prune.PrunePolicy;
import dev.regctl.ops.prune.Pruner;
import dev.regctl.testing.ImageParts;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Manifest graphs a hostile source can serve (referrer cycles, indexes nested thousands deep, endless
 * referrer chains) end every walk in one clear error, never a stack overflow or an endless walk.
 */
class HostileGraphTest {
    private static final int HOSTILE_DEPTH = 6000;
    /** Referrers are looked up one by one in the fake, so a shorter (still far too deep) chain. */
    private static final int HOSTILE_CHAIN = 100;

    private final MemoryStore source = new MemoryStore("src");
    private final MemoryStore target = new MemoryStore("dst");

    /** An image inside {@code depth} indexes, each listing only the next; the outermost tagged {@code tag}. */
    private static RawManifest nested(MemoryStore store, String tag, int depth) {
        RawManifest inner = Images.image(store, null, "linux/amd64", ImageParts.random(10, 1)).manifest();
        for (int i = 0; i < depth; i++) {
            Descriptor d = inner.descriptor();
            String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                    + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size()
                    + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}";
            inner = RawManifest.of(json.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_INDEX);
            store.putManifest(inner, i == depth - 1 ? tag : null);
        }
        return inner;
    }

    private static RegctlException oneLine(RegctlException e) {
        assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
        return e;
    }

    @Test
    void aCosignTagSigningAChildOfItsIndexIsACycleNamedInOneLine() {
        Image amd = Images.image(source, null, "linux/amd64", ImageParts.random(10, 1));
        Image arm = Images.image(source, null, "linux/arm64", ImageParts.random(10, 2));
        RawManifest index = Images.index(source, "v1", MediaTypes.OCI_INDEX, amd, arm);
        // The "signature" of the index is the index's own child: the child must go after the index it
        // signs, and the index after the child it lists.
        source.putManifest(amd.manifest(), ReferrerTags.cosign(index.digest()).get(0));

        Copier copier = new Copier(source, target, null, new CopyOptions(List.of(), false, true, 2));
        RegctlException e = oneLine(assertThrows(RegctlException.class,
                () -> copier.plan(CopyRequest.parse("r.example/a:v1", "r.example/b:v1", false))));

        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        assertTrue(e.getMessage().contains("cycle") && e.getMessage().contains(amd.digest().toString())
                && e.getMessage().contains(index.digest().toString()), e.getMessage());
        assertTrue(target.calls("putManifest").isEmpty(), "nothing written");
    }

    @Test
    void indexesNestedThousandsDeepStopACopyAtTheDepthLimit() {
        nested(source, "deep", HOSTILE_DEPTH);

        Copier copier = new Copier(source, target, null, new CopyOptions(List.of(), false, false, 2));
        RegctlException e = oneLine(assertThrows(RegctlException.class,
                () -> copier.plan(CopyRequest.parse("r.example/a:deep", "r.example/b:deep", false))));

        assertEquals(RegctlException.Kind.FAILURE, e.kind());
        assertTrue(e.getMessage().contains("nested more than " + ManifestWalk.MAX_INDEX_DEPTH), e.getMessage());
        assertTrue(source.calls("fetchManifest").size() <= ManifestWalk.MAX_INDEX_DEPTH + 2,
                "stops fetching at the limit: " + source.calls("fetchManifest").size());
    }

    @Test
    void indexesNestedWithinTheLimitStillCopy() {
        RawManifest top = nested(source, "deep", ManifestWalk.MAX_INDEX_DEPTH);

        Copier copier = new Copier(source, target, null, new CopyOptions(List.of(), false, false, 2));
        copier.execute(copier.plan(CopyRequest.parse("r.example/a:deep", "r.example/b:deep", false)), CopyListener.NONE);

        assertEquals(top.digest().toString(), target.tagged("deep"));
    }

    @Test
    void anEndlessChainOfReferrersStopsAtTheDepthLimit() {
        source.withReferrersApi();
        Image image = Images.image(source, "v1", "linux/amd64", ImageParts.random(10, 1));
        Descriptor subject = image.manifest().descriptor();
        for (int i = 0; i < HOSTILE_CHAIN; i++) {
            subject = Images.referrer(source, subject, "application/vnd.example.sig", "sig " + i, null).descriptor();
        }

        Copier copier = new Copier(source, target, null, new CopyOptions(List.of(), false, true, 2));
        RegctlException e = oneLine(assertThrows(RegctlException.class,
                () -> copier.plan(CopyRequest.parse("r.example/a:v1", "r.example/b:v1", false))));

        assertTrue(e.getMessage().contains("referrers nested more than " + ManifestWalk.MAX_REFERRER_DEPTH), e.getMessage());
    }

    @Test
    void pruneProtectingNestedImagesStopsAtTheDepthLimit() {
        nested(source, "deep", HOSTILE_DEPTH);

        RegctlException e = oneLine(assertThrows(RegctlException.class,
                () -> new Pruner(source).plan(new PrunePolicy(null, 0, null), Instant.parse("2024-06-30T00:00:00Z"))));

        assertTrue(e.getMessage().contains("nested more than " + ManifestWalk.MAX_INDEX_DEPTH), e.getMessage());
    }
}
