package dev.regctl.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.regctl.image.ReferrersIndex;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.ReferrerTags;
import dev.regctl.testing.ForwardingStore;
import dev.regctl.testing.ImageParts;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The fallback referrers index under writers racing on a registry without the referrers API. */
class ReferrersIndexTest {

    /**
     * A registry where another client attaches a referrer at the worst moment: it read the index
     * before our write and writes its own version, without our entry, right after it.
     */
    private static final class RacedStore extends ForwardingStore {
        private final Runnable otherWriter;
        private boolean raced;

        RacedStore(MemoryStore store, Runnable otherWriter) {
            super(store);
            this.otherWriter = otherWriter;
        }

        @Override
        public void putManifest(RawManifest manifest, String tag) {
            super.putManifest(manifest, tag);
            if (tag != null && ReferrerTags.isFallback(tag) && !raced) {
                raced = true;
                otherWriter.run();
            }
        }
    }

    @Test
    void anEntryAnotherWriterOverwroteIsWrittenAgainAndTheirsKept() {
        MemoryStore registry = new MemoryStore("registry/app");
        RawManifest image = Images.image(registry, "v1", "linux/amd64", ImageParts.random(16, 1)).manifest();
        RawManifest early = Images.referrer(registry, image.descriptor(), "application/vnd.early", "early", null);
        Images.tagSchemaIndex(registry, image.digest(), ReferrersIndex.entry(early));
        RawManifest ours = Images.referrer(registry, image.descriptor(), "application/spdx+json", "ours", null);
        RawManifest theirs = Images.referrer(registry, image.descriptor(), "application/vnd.theirs", "theirs", null);
        // Theirs was read before our write: the early entry and their own, not ours.
        RacedStore raced = new RacedStore(registry, () -> Images.tagSchemaIndex(registry, image.digest(),
                ReferrersIndex.entry(early), ReferrersIndex.entry(theirs)));

        ReferrersIndex.list(raced, image.digest(), List.of(ReferrersIndex.entry(ours)));

        assertEquals(Set.of(early.digest(), ours.digest(), theirs.digest()),
                registry.referrers(image.digest()).stream().map(Descriptor::digest).collect(Collectors.toSet()));
    }
}
