package dev.regctl.cli;

import dev.regctl.oci.ImageRef;
import dev.regctl.ops.Session;
import dev.regctl.ops.compose.InPlaceWrite;
import dev.regctl.ops.compose.Tagger;
import dev.regctl.store.ImageStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl tag REF NEWTAG...}: more tags on REF's manifest, in its repository, moving no blob. */
@Command(name = "tag",
        footerHeading = UsageHelp.EXAMPLES, footer = {
            "  # Release a tested build: tag its digest, without pulling or pushing a layer",
            "  regctl tag localhost:5000/app@sha256:<hex> v1.4.0 latest",
            "  regctl tag oci:./images:candidate stable"},
        description = {"Point more tags at the manifest REF names, in the same repository or layout.",
    "The manifest is fetched once and put under each NEWTAG; no blob is requested."})
final class TagCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(index = "0", paramLabel = "REF", description = "The image to tag, by tag or digest:"
            + " localhost:5000/app:v1, localhost:5000/app@sha256:..., oci:DIR:TAG")
    String refText;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "NEWTAG", description = "A tag to add, e.g. v1.4.0 (a tag, not a reference)")
    List<String> newTags;

    @Option(names = "--dry-run", description = "Check REF and the tags, and tag nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        ImageRef ref = ImageRef.parse(refText);
        InPlaceWrite.require("tag", ref);
        Tagger.Result result;
        try (Session session = global.session(spec.commandLine().getErr(), ref);
             ImageStore store = session.open(ref, Session.Access.CHANGE)) {
            result = new Tagger(store).tag(ref, newTags, dryRun);
        }
        Output out = global.output(spec.commandLine().getOut());
        out.print(result, w -> result.tags().forEach(t -> w.println(TerminalText.line(result.repository() + ":" + t))));
        if (dryRun && !out.isJson()) {
            spec.commandLine().getErr().println("dry run: would tag " + result.digest() + "; nothing was tagged");
        }
        return ExitCodes.OK;
    }
}
