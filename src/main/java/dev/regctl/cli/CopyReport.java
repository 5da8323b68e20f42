package dev.regctl.cli;

import dev.regctl.oci.ManifestFormat;
import dev.regctl.ops.copy.CopyPlan.BlobAction;
import dev.regctl.ops.copy.CopyPlan.BlobStep;
import dev.regctl.ops.copy.CopyPlan.ManifestStep;
import dev.regctl.ops.copy.CopyPlan;
import dev.regctl.ops.copy.CopyResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How {@code copy} reports: the summary line (or JSON document) of a copy, and the plan of a
 * dry run, one step per line.
 */
final class CopyReport {

    private CopyReport() {
    }

    /** @param format the {@code --format} the copy converted to, or null */
    static void result(Output out, CopyResult result, ManifestFormat format) {
        out.print(result, w -> w.println(TerminalText.line(summary(result, format))));
    }

    /**
     * {@code copied SRC -> DST DIGEST (3 blobs uploaded, 1 mounted, 2 skipped, 12.3 MiB in 0.4 s)};
     * with {@code --all-tags} the tag count replaces the digest.
     */
    static String summary(CopyResult r, ManifestFormat format) {
        String what = r.digest() != null ? r.source() + " -> " + r.destination() + " " + r.digest()
                : Plural.of(r.images().size(), "tag") + " " + r.source() + " -> " + r.destination();
        String counts = Plural.of(r.blobs().uploaded(), "blob") + " uploaded, "
                + r.blobs().mounted() + " mounted, " + r.blobs().skipped() + " skipped, "
                + Sizes.human(r.bytes()) + " in " + String.format(Locale.ROOT, "%.1f s", r.seconds());
        return "copied " + what + " (" + counts + newDigestNote(r, format) + ")";
    }

    private static String newDigestNote(CopyResult r, ManifestFormat format) {
        if (!r.digestChanged()) {
            return "";
        }
        if (r.digest() != null) {
            return "; " + newDigest(format) + ", the source's is " + r.images().get(0).sourceDigest();
        }
        long changed = r.images().stream().filter(CopyResult.Image::digestChanged).count();
        return "; " + (format != null ? changed + " written as " + format.label() + " with new digests"
                : changed + " new index" + (changed == 1 ? "" : "es") + " for the selected platforms");
    }

    /** Why a copy's digest is not the source's: {@code --format} converted it, or {@code --platform} cut the index. */
    private static String newDigest(ManifestFormat format) {
        return format != null ? "written as " + format.label() + " with a new digest" : "new index for the selected platforms";
    }

    /**
     * A dry run: what would be pushed, mounted, uploaded and skipped, and nothing changed.
     *
     * @param format the {@code --format} the copy converts to, or null
     */
    static void plan(Output out, CopyPlan plan, ManifestFormat format) {
        out.print(planJson(plan), w -> planText(w, plan, format));
    }

    private static void planText(PrintWriter w, CopyPlan plan, ManifestFormat format) {
        String digest = plan.allTags() ? plan.images().size() + " tags" : plan.images().get(0).digest().toString();
        CopyPlan.Image first = plan.images().get(0);
        w.println(TerminalText.line("plan: copy " + plan.source() + " -> " + plan.destination() + " " + digest
                + (!plan.allTags() && first.digestChanged()
                        ? " (" + newDigest(format) + "; the source's is " + first.sourceDigest() + ")" : "")));
        for (ManifestStep m : plan.manifests()) {
            w.println(TerminalText.line("manifest " + (m.push() ? "push" : "skip") + " " + m.manifest().digest() + " "
                    + m.manifest().mediaType() + " " + Sizes.human(m.manifest().size())
                    + (m.subject() != null ? " (referrer of " + m.subject() + ")" : "")
                    + (m.push() ? "" : " (present)")));
        }
        for (BlobStep b : plan.blobs()) {
            w.println(TerminalText.line("blob " + b.action().name().toLowerCase(Locale.ROOT) + " " + b.blob().digest() + " "
                    + Sizes.human(b.blob().size())
                    + (b.action() == BlobAction.MOUNT ? " from " + b.mountFrom() : "")
                    + (b.action() == BlobAction.SKIP ? " (present)" : "")));
        }
        for (ManifestStep m : plan.manifests()) {
            m.tags().forEach(t -> w.println(TerminalText.line("tag " + t + " -> " + m.manifest().digest())));
            m.tagsPresent().forEach(t -> w.println(TerminalText.line("tag " + t + " -> " + m.manifest().digest() + " (present)")));
        }
        int present = plan.manifests().size() - plan.manifestsToPush();
        w.println("dry run: " + Plural.of(plan.manifestsToPush(), "manifest") + " to push, " + present + " present; "
                + Plural.of(plan.count(BlobAction.UPLOAD), "blob") + " to upload (" + Sizes.human(plan.bytes(BlobAction.UPLOAD)) + "), "
                + plan.count(BlobAction.MOUNT) + " to mount (" + Sizes.human(plan.bytes(BlobAction.MOUNT)) + "), "
                + plan.count(BlobAction.SKIP) + " present (" + Sizes.human(plan.bytes(BlobAction.SKIP)) + "); nothing changed");
    }

    /** The dry-run document; field names are part of the JSON contract in docs/commands.md. */
    private static Map<String, Object> planJson(CopyPlan plan) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("source", plan.source());
        doc.put("destination", plan.destination());
        doc.put("dryRun", true);
        doc.put("digest", plan.allTags() ? null : plan.images().get(0).digest().toString());
        doc.put("digestChanged", plan.images().stream().anyMatch(CopyPlan.Image::digestChanged));
        List<Map<String, Object>> manifests = new ArrayList<>();
        for (ManifestStep m : plan.manifests()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("digest", m.manifest().digest().toString());
            entry.put("mediaType", m.manifest().mediaType());
            entry.put("size", m.manifest().size());
            entry.put("action", m.push() ? "push" : "skip");
            entry.put("tags", m.tags());
            entry.put("tagsPresent", m.tagsPresent());
            entry.put("subject", m.subject() == null ? null : m.subject().toString());
            manifests.add(entry);
        }
        doc.put("manifests", manifests);
        List<Map<String, Object>> blobs = new ArrayList<>();
        for (BlobStep b : plan.blobs()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("digest", b.blob().digest());
            entry.put("mediaType", b.blob().mediaType());
            entry.put("size", b.blob().size());
            entry.put("action", b.action().name().toLowerCase(Locale.ROOT));
            entry.put("from", b.mountFrom());
            blobs.add(entry);
        }
        doc.put("blobs", blobs);
        Map<String, Object> totals = new LinkedHashMap<>();
        for (BlobAction a : List.of(BlobAction.UPLOAD, BlobAction.MOUNT, BlobAction.SKIP)) {
            // (a --dry-run plan asks about every blob, so it has no upload-unless-present)
            Map<String, Object> total = new LinkedHashMap<>();
            total.put("count", plan.count(a));
            total.put("bytes", plan.bytes(a));
            totals.put(a.name().toLowerCase(Locale.ROOT), total);
        }
        doc.put("totals", totals);
        doc.put("tags", plan.tags());
        return doc;
    }
}
