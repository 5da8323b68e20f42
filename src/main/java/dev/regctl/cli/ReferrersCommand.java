package dev.regctl.cli;

import dev.regctl.image.ImageLookup;
import dev.regctl.oci.ImageRef;
import dev.regctl.ops.ReferrersTree.Node;
import dev.regctl.ops.ReferrersTree;
import dev.regctl.ops.Session;
import dev.regctl.store.ImageStore;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl referrers REF}: the signatures, SBOMs and attestations of an image, and theirs, as a tree. */
@Command(name = "referrers",
        footerHeading = UsageHelp.EXAMPLES, footer = {
            "  # Signatures, SBOMs and attestations of an image, then only its SPDX SBOMs",
            "  regctl referrers localhost:5000/app:v1",
            "  regctl referrers localhost:5000/app:v1 --artifact-type application/spdx+json"},
        description = {"List what refers to REF (signatures, SBOMs, attestations) and what refers to"
        + " those, as a tree: one referrer per line, 'digest  artifactType  (created)', indented by depth.",
        "Read from the registry's referrers API, or its sha256-<hex> tags where it has none, and from cosign's"
        + " sha256-<hex>.sig, .att and .sbom tags (those lines end 'cosign signature (TAG)'): what copy --referrers copies."})
final class ReferrersCommand implements Callable<Integer> {
    private static final String CREATED = "org.opencontainers.image.created";
    private static final String INDENT = "  ";

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(paramLabel = "REF", description = "Image reference, e.g. localhost:5000/app:v1 or localhost:5000/app@sha256:...")
    String refText;

    @Option(names = "--artifact-type", paramLabel = "TYPE",
            description = "Only referrers of this artifact type (e.g. application/spdx+json), at every level.")
    String artifactType;

    @Override
    public Integer call() {
        ImageRef ref = ImageRef.parse(refText);
        try (Session session = global.session(spec.commandLine().getErr(), ref);
             ImageStore store = session.open(ref, Session.Access.READ)) {
            Node top = new ReferrersTree(store).walk(ImageLookup.reference(ref, store), artifactType);
            global.output(spec.commandLine().getOut()).print(top, w -> text(w, top));
        }
        return ExitCodes.OK;
    }

    /** One line of the text tree. */
    private record Line(Node node, int depth) {
    }

    /** Depth first, in the order listed; a stack rather than recursion, as every walk here. */
    static void text(PrintWriter w, Node top) {
        Deque<Line> pending = new ArrayDeque<>();
        pushChildren(pending, top.referrers(), 0);
        while (!pending.isEmpty()) {
            Line line = pending.pop();
            Node n = line.node();
            String created = n.annotations().get(CREATED);
            w.println(INDENT.repeat(line.depth()) + TerminalText.line(n.digest()) + INDENT
                    + (n.artifactType() == null ? "-" : TerminalText.line(n.artifactType()))
                    + (created == null ? "" : INDENT + "(" + TerminalText.line(created) + ")")
                    + (n.tag() == null ? "" : INDENT + "cosign " + n.kind() + " (" + TerminalText.line(n.tag()) + ")"));
            pushChildren(pending, n.referrers(), line.depth() + 1);
        }
    }

    private static void pushChildren(Deque<Line> pending, List<Node> children, int depth) {
        for (int i = children.size() - 1; i >= 0; i--) {
            pending.push(new Line(children.get(i), depth));
        }
    }
}
