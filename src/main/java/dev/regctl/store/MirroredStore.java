package dev.regctl.store;

import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.RawManifest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An image store read through mirrors, as registries.conf configures them: each read tries the
 * mirrors in order and then the primary, moving on when a mirror lacks the content (not found) or
 * cannot be reached; writes, deletes and tag lists go to the primary alone. Content read from a
 * mirror is verified against its digest like any other.
 */
public final class MirroredStore implements ImageStore {

    /** A place to read from, and how it is named when it answers. */
    public record Endpoint(String label, ImageStore store) {
    }

    private final ImageStore primary;
    private final List<Endpoint> readOrder;
    private final Consumer<String> note;
    /** Mirrors that could not be reached once: not asked again this run. */
    private final Set<Integer> unreachable = ConcurrentHashMap.newKeySet();
    private volatile Endpoint lastAnswered;
    /** Which endpoint each manifest fetched came from, by the tag or digest it was fetched by. */
    private final Map<String, String> servedBy = new ConcurrentHashMap<>();

    /**
     * @param note told which endpoint answered, each time that changes (for {@code -v}); may ignore it
     */
    public MirroredStore(ImageStore primary, String primaryLabel, List<Endpoint> mirrors, Consumer<String> note) {
        this.primary = primary;
        List<Endpoint> order = new ArrayList<>(mirrors);
        order.add(new Endpoint(primaryLabel, primary));
        this.readOrder = List.copyOf(order);
        this.note = note;
    }

    private <T> T read(String what, Function<ImageStore, T> op) {
        return readAt(what, op).value();
    }

    /** A read's result and the endpoint that gave it. */
    private record Answer<T>(T value, Endpoint from) {
    }

    private <T> Answer<T> readAt(String what, Function<ImageStore, T> op) {
        RegctlException lastFailure = null;
        for (int i = 0; i < readOrder.size(); i++) {
            Endpoint e = readOrder.get(i);
            boolean isPrimary = e.store() == primary;
            if (!isPrimary && unreachable.contains(i)) {
                continue;
            }
            try {
                T result = op.apply(e.store());
                answered(what, e);
                return new Answer<>(result, e);
            } catch (RegctlException failure) {
                if (isPrimary) {
                    throw failure;
                }
                if (unreachable(failure)) {
                    unreachable.add(i);
                } else if (failure.kind() != RegctlException.Kind.NOT_FOUND) {
                    throw failure;
                }
                note.accept("mirror " + e.label() + " did not serve " + what + ": " + failure.getMessage());
                lastFailure = failure;
            }
        }
        throw lastFailure; // not reached: the primary is always last
    }

    private static boolean unreachable(RegctlException failure) {
        return failure.kind() == RegctlException.Kind.FAILURE && failure.getCause() instanceof IOException;
    }

    private void answered(String what, Endpoint e) {
        if (lastAnswered != e) {
            lastAnswered = e;
            note.accept(what + " read from " + (e.store() == primary ? "" : "mirror ") + e.label());
        }
    }

    @Override
    public String name() {
        return primary.name();
    }

    @Override
    public RawManifest fetchManifest(String reference) {
        Answer<RawManifest> answer = readAt("manifest " + reference, s -> s.fetchManifest(reference));
        servedBy.put(reference, answer.from().label());
        return answer.value();
    }

    @Override
    public String servedBy(String reference) {
        return servedBy.getOrDefault(reference, ImageStore.super.servedBy(reference));
    }

    @Override
    public Optional<Descriptor> headManifest(String reference) {
        return absentAsEmpty(() -> read("manifest " + reference,
                s -> s.headManifest(reference).orElseThrow(() -> notFound("manifest " + reference))));
    }

    /** Absent everywhere is empty; a mirror's "absent" only sends the question on. */
    private static <T> Optional<T> absentAsEmpty(Supplier<T> lookup) {
        try {
            return Optional.of(lookup.get());
        } catch (RegctlException e) {
            if (e.kind() == RegctlException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Boolean throwAbsent(String what) {
        throw notFound(what);
    }

    private RegctlException notFound(String what) {
        return new RegctlException(RegctlException.Kind.NOT_FOUND, name() + ": no " + what);
    }

    @Override
    public boolean hasBlob(Descriptor blob) {
        return absentAsEmpty(() -> read("blob " + blob.digest(),
                s -> s.hasBlob(blob) ? Boolean.TRUE : throwAbsent("blob " + blob.digest()))).isPresent();
    }

    @Override
    public InputStream openBlob(Descriptor blob) {
        return read("blob " + blob.digest(), s -> s.openBlob(blob));
    }

    @Override
    public long blobSize(Digest blob) {
        return read("blob " + blob, s -> s.blobSize(blob));
    }

    @Override
    public List<Descriptor> referrers(Digest subject) {
        return read("referrers of " + subject, s -> s.referrers(subject));
    }

    /** The primary's: pull limits and known tags belong to where the name lives, not to a mirror. */
    @Override
    public Optional<RegistryRepository> onRegistry() {
        return primary.onRegistry();
    }

    /**
     * The mirrors, then the primary: a blob is read from the first that has it, so a copy into
     * a mirror's registry mounts from the mirror's repository rather than moving the bytes.
     */
    @Override
    public List<RegistryRepository> readsFrom() {
        return readOrder.stream().flatMap(e -> e.store().onRegistry().stream()).toList();
    }

    @Override
    public Optional<RateLimit> rateLimit(String reference) {
        return primary.rateLimit(reference);
    }

    @Override
    public Optional<Set<String>> knownTags() {
        return primary.knownTags();
    }

    @Override
    public boolean canStore(RawManifest manifest) {
        return primary.canStore(manifest);
    }

    @Override
    public boolean canHoldTag(String tag) {
        return primary.canHoldTag(tag);
    }

    @Override
    public List<String> listTags() {
        return primary.listTags();
    }

    @Override
    public void putManifest(RawManifest manifest, String tag) {
        primary.putManifest(manifest, tag);
    }

    @Override
    public void putBlob(Descriptor blob, InputStream content) {
        primary.putBlob(blob, content);
    }

    @Override
    public boolean putBlobUnlessPresent(Descriptor blob, Supplier<InputStream> content) {
        return primary.putBlobUnlessPresent(blob, content);
    }

    @Override
    public boolean mountBlob(Descriptor blob, String fromRepository) {
        return primary.mountBlob(blob, fromRepository);
    }

    @Override
    public void deleteTag(String tag) {
        primary.deleteTag(tag);
    }

    @Override
    public void deleteManifest(Digest digest) {
        primary.deleteManifest(digest);
    }

    @Override
    public void close() {
        readOrder.forEach(e -> e.store().close());
    }
}
