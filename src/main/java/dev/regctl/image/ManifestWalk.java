package dev.regctl.image;

import dev.regctl.RegctlException;
import dev.regctl.oci.Digest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The limits every walk over manifests keeps, so that no source can make one endless or overflow
 * the stack: nesting stops at a depth no real image comes near, a manifest met again on its own
 * path is a cycle, and walks keep their path in a list rather than on the call stack.
 */
public final class ManifestWalk {
    /** Indexes within indexes: real images nest one, rarely two. */
    public static final int MAX_INDEX_DEPTH = 32;
    /** Referrers of referrers (the signature of an SBOM of an image): real chains are two or three long. */
    public static final int MAX_REFERRER_DEPTH = 32;
    /** A cycle longer than this is shown by its start and end only, to keep the message one readable line. */
    private static final int CYCLE_SHOWN = 6;

    private static final String HINT = "real images are far shallower: the source serves a broken or hostile manifest";

    private ManifestWalk() {
    }

    /** For an index found below {@link #MAX_INDEX_DEPTH} others. */
    public static RegctlException indexTooDeep(Digest index, String source) {
        return new RegctlException(RegctlException.Kind.FAILURE, "index " + index + " in " + source
                + " is nested more than " + MAX_INDEX_DEPTH + " indexes deep", HINT, null);
    }

    /** For a referrer found at the end of a chain longer than {@link #MAX_REFERRER_DEPTH}. */
    public static RegctlException referrersTooDeep(Digest referrer, String source) {
        return new RegctlException(RegctlException.Kind.FAILURE, "referrer " + referrer + " in " + source
                + " is at the end of referrers nested more than " + MAX_REFERRER_DEPTH + " deep", HINT, null);
    }

    /**
     * Each node's level: 0 when it depends on no other node, else one more than the highest level
     * of those it depends on (so ordering by level puts every node after what it depends on).
     * Iterative, so the depth of the graph costs heap, not stack.
     *
     * @param dependsOn the nodes (among {@code nodes}) that must come before a node
     * @param source    the store named in messages
     * @throws RegctlException FAILURE naming the manifests of a cycle, which no order satisfies
     */
    public static Map<Digest, Integer> levels(Collection<Digest> nodes, Function<Digest, List<Digest>> dependsOn, String source) {
        Map<Digest, Integer> levels = new HashMap<>();
        for (Digest root : nodes) {
            if (levels.containsKey(root)) {
                continue;
            }
            // The path from root to the node being looked at, with where each stands among its dependencies.
            Deque<Digest> path = new ArrayDeque<>();
            Deque<Iterator<Digest>> pending = new ArrayDeque<>();
            Set<Digest> onPath = new HashSet<>();
            path.addLast(root);
            pending.addLast(dependsOn.apply(root).iterator());
            onPath.add(root);
            while (!path.isEmpty()) {
                Iterator<Digest> next = pending.getLast();
                if (next.hasNext()) {
                    Digest d = next.next();
                    if (onPath.contains(d)) {
                        throw cycle(path, d, source);
                    }
                    if (!levels.containsKey(d)) {
                        path.addLast(d);
                        pending.addLast(dependsOn.apply(d).iterator());
                        onPath.add(d);
                    }
                    continue;
                }
                Digest done = path.removeLast();
                pending.removeLast();
                onPath.remove(done);
                int level = 0;
                for (Digest d : dependsOn.apply(done)) {
                    level = Math.max(level, levels.get(d) + 1);
                }
                levels.put(done, level);
            }
        }
        return levels;
    }

    /**
     * For a referrer met again among its own subjects: only a tag schema index (which any client
     * can rewrite) can say so, since a manifest's digest covers the subject it names.
     *
     * @param path the subjects from the top down to the one that lists {@code again}
     */
    public static RegctlException referrersCycle(Collection<Digest> path, Digest again, String source) {
        return cycle(path, again, source, "a referrers list (a sha256-<hex> tag) names one of its subject's own subjects");
    }

    private static RegctlException cycle(Collection<Digest> path, Digest again, String source) {
        return cycle(path, again, source, "a referrer (e.g. a cosign .sig tag) names a manifest its own subject depends on;"
                + " copy without --referrers");
    }

    private static RegctlException cycle(Collection<Digest> path, Digest again, String source, String hint) {
        List<String> cycle = new ArrayList<>();
        boolean in = false;
        for (Digest d : path) {
            in |= d.equals(again);
            if (in) {
                cycle.add(d.toString());
            }
        }
        cycle.add(again.toString());
        if (cycle.size() > CYCLE_SHOWN) {
            cycle = List.of(cycle.get(0), cycle.get(1), "... (" + (cycle.size() - 4) + " more)",
                    cycle.get(cycle.size() - 2), cycle.get(cycle.size() - 1));
        }
        return new RegctlException(RegctlException.Kind.FAILURE, "the manifests of " + source + " form a cycle: "
                + String.join(" -> ", cycle) + " (each lists the next, or refers to it as a referrer)", hint, null);
    }
}
