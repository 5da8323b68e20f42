package dev.regctl.cli;

import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;
import dev.regctl.ops.DeletePlan;
import dev.regctl.ops.Deleter;
import dev.regctl.ops.Session;
import dev.regctl.store.ImageStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl delete REF}: delete a manifest with every tag on it, or one tag. */
@Command(name = "delete",
        footerHeading = UsageHelp.EXAMPLES, footer = {
            "  # A tag that is its manifest's only one, then just one tag of several",
            "  regctl delete localhost:5000/app:v1",
            "  regctl delete --tag-only localhost:5000/app:latest",
            "  # What deleting a manifest would remove, without deleting it",
            "  regctl delete --dry-run localhost:5000/app@sha256:<hex>"},
        description = "Delete a manifest with every tag on it: named by digest, or by a tag that is"
        + " its only one (a tag that shares its manifest with other tags is refused: --tag-only removes just that"
        + " tag, --force the manifest and all its tags).")
final class DeleteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(paramLabel = "REF", description = "What to delete, with an explicit tag or digest:"
            + " localhost:5000/app:v1, localhost:5000/app@sha256:..., oci:DIR:TAG")
    String refText;

    @Option(names = "--tag-only", description = "Remove only this tag; the manifest and its other tags stay.")
    boolean tagOnly;

    @Option(names = "--force", description = "Delete the manifest REPO:TAG points to even when other tags are on it;"
            + " they go too.")
    boolean force;

    @Option(names = "--dry-run", description = "Show what would be deleted, and delete nothing.")
    boolean dryRun;

    /** The JSON document: the plan, and whether it was only shown. */
    record Result(String repository, String digest, List<String> tags, boolean manifest, boolean dryRun) {
    }

    @Override
    public Integer call() {
        ImageRef ref = ImageRef.parse(refText);
        if (!ref.namesImage()) {
            // Docker's default of ":latest" is fine for reading, but a delete should say what it deletes.
            throw new RegctlException(RegctlException.Kind.USAGE, "delete " + refText
                    + ": name the tag or digest to delete, e.g. " + ref.repositoryName() + ":latest");
        }
        if (tagOnly && force) {
            throw new RegctlException(RegctlException.Kind.USAGE, "delete " + refText
                    + ": --tag-only keeps the manifest and --force deletes it; give one of them");
        }
        if (tagOnly && ref.digest() != null) {
            throw new RegctlException(RegctlException.Kind.USAGE, "delete --tag-only " + refText
                    + ": --tag-only removes a tag; give REPO:TAG without a digest");
        }
        try (Session session = global.session(spec.commandLine().getErr(), ref);
             ImageStore store = session.open(ref, Session.Access.CHANGE)) {
            return run(store, ref.lookup());
        }
    }

    private int run(ImageStore store, String reference) {
        Deleter deleter = new Deleter(store);
        DeletePlan plan = tagOnly ? deleter.planTag(reference) : deleter.planManifest(reference, force);
        if (!dryRun) {
            deleter.execute(plan);
        }
        Output out = global.output(spec.commandLine().getOut());
        out.print(new Result(plan.repository(), plan.digest().toString(), plan.tags(), plan.manifest(), dryRun), w -> text(w, plan));
        if (dryRun && !out.isJson()) {
            // On stderr, so stdout stays the list a script reads; the person reading learns nothing went.
            spec.commandLine().getErr().println("dry run: would delete " + Plural.of(plan.tags().size(), "tag")
                    + (plan.manifest() ? " and the manifest" : "") + "; nothing was deleted");
        }
        return ExitCodes.OK;
    }

    /** One deleted reference per line: the tags first, then the manifest itself. */
    private static void text(PrintWriter w, DeletePlan plan) {
        plan.tags().forEach(t -> w.println(TerminalText.line(plan.repository() + ":" + t)));
        if (plan.manifest()) {
            w.println(TerminalText.line(plan.repository() + "@" + plan.digest()));
        }
    }

}
