package dev.regctl.ops;

import dev.regctl.RegctlException;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import java.util.List;
import java.util.Objects;

/** Lists a repository's tags, optionally with what each points to. */
public final class TagLister {
    private static final int DETAIL_THREADS = 8;

    private final ImageStore store;

    public TagLister(ImageStore store) {
        this.store = store;
    }

    /** Every tag (all pages), keeping only those {@code filter} matches in full when given. */
    public List<String> tags(NamePattern filter) {
        List<String> all = store.listTags();
        return filter == null ? all : all.stream().filter(t -> filter.matches(t)).toList();
    }

    /**
     * Digest, platforms, size and creation time of each tag, fetched in parallel, in tag order. A
     * tag that cannot be read (its manifest or config gone, corrupt or refused) gets a row saying
     * why instead, so one broken tag does not hide the others.
     */
    public List<TagDetail> details(List<String> tags) {
        Inspector inspector = new Inspector(store);
        return Parallel.map(tags, DETAIL_THREADS, tag -> {
            try {
                return detail(inspector, tag);
            } catch (RegctlException e) {
                return TagDetail.unreadable(tag, e.getMessage());
            }
        });
    }

    private static TagDetail detail(Inspector inspector, String tag) {
        RawManifest raw = inspector.manifest(tag);
        ImageSummary s = inspector.summarise(tag, raw);
        if (s.platforms() != null) {
            List<String> platforms = s.platforms().stream().map(ImageSummary.PlatformEntry::platformText)
                    .filter(Objects::nonNull).toList();
            return new TagDetail(tag, s.digest(), s.mediaType(), platforms, null, null, null);
        }
        long size = s.layersSize() + (s.config() == null ? 0 : s.config().size());
        return new TagDetail(tag, s.digest(), s.mediaType(),
                s.platform() == null ? List.of() : List.of(s.platformText()), size, s.created(), null);
    }
}
