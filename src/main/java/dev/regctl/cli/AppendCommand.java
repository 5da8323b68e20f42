package dev.regctl.cli;

import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.Platform;
import dev.regctl.ops.Session;
import dev.regctl.ops.append.AddedPath;
import dev.regctl.ops.append.AppendResult;
import dev.regctl.ops.append.Appender;
import dev.regctl.ops.append.Changes;
import dev.regctl.ops.append.ConfigEdits;
import dev.regctl.ops.append.ImageBuilder;
import dev.regctl.ops.append.JibLoader;
import dev.regctl.ops.append.LayerFiles;
import dev.regctl.ops.append.SourceFiles;
import dev.regctl.ops.copy.CopyOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code regctl append BASE TARGET}: local files as new layers and config edits on every platform of BASE. */
@Command(name = "append",
        footerHeading = UsageHelp.EXAMPLES, footer = {
            "  # A script added to an image, as its entrypoint, on every platform",
            "  regctl append alpine:3.20 localhost:5000/tools:v1 \\",
            "      --add ./tool.sh:/usr/local/bin/ --entrypoint /usr/local/bin/tool.sh",
            "  # Only a label, without a new layer",
            "  regctl append localhost:5000/app:v1 localhost:5000/app:v1 --label team=web"},
        description = {
    "Add local files to BASE as new layers and/or change its config, and push the result as TARGET.",
    "One layer per --add, on every platform of BASE (or those of --platform), reproducibly: the same inputs give"
        + " the same digests. Built with Jib core; the registry traffic is regctl's own."})
final class AppendCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(index = "0", paramLabel = "BASE", description = {"The image or index to build on, any of:",
        "[docker://][HOST[:PORT]/]PATH[:TAG][@DIGEST],", "oci:PATH[:TAG], oci-archive:PATH[:TAG],", "docker-archive:PATH[:REF]"})
    String base;

    @Parameters(index = "1", paramLabel = "TARGET", description = {"Where to push the result, written as BASE is;", "a tag or none (latest), never a digest"})
    String target;

    @Option(names = "--add", paramLabel = "SRC[:DEST]",
            description = {"A local file or directory to add as one layer, at DEST (absolute; default /NAME).",
                "A directory's contents go under DEST; modes are kept, owner root, timestamps fixed. Repeatable."})
    List<String> adds = new ArrayList<>();

    @Option(names = "--chown", paramLabel = "UID[:GID]", description = "Owner of the added files (numeric; default 0:0).")
    String chown;

    @Option(names = "--platform", split = ",", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Only these platforms of a multi-platform BASE (one alone gives a single image).")
    List<String> platforms = new ArrayList<>();

    @Option(names = "--entrypoint", paramLabel = "JSON|WORDS",
            description = "New entrypoint: a JSON array ('[\"/app\",\"-v\"]', '[]' clears) or words split at spaces; drops the base's cmd.")
    String entrypoint;

    @Option(names = "--cmd", paramLabel = "JSON|WORDS", description = "New cmd, written as --entrypoint.")
    String cmd;

    @Option(names = "--env", paramLabel = "KEY=VALUE", description = "Set an environment variable. Repeatable.")
    List<String> env = new ArrayList<>();

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Set a label. Repeatable.")
    List<String> labels = new ArrayList<>();

    @Option(names = "--user", paramLabel = "USER", description = "New user (name or UID[:GID]).")
    String user;

    @Option(names = "--workdir", paramLabel = "DIR", description = "New working directory (absolute).")
    String workdir;

    @Option(names = "--expose", paramLabel = "PORT[/PROTO]", description = "Add an exposed port (tcp or udp; default tcp). Repeatable.")
    List<String> expose = new ArrayList<>();

    @Option(names = "--created", paramLabel = "now|RFC3339",
            description = "The config's created time (default: the epoch, 1970-01-01T00:00:00Z, so builds are reproducible).")
    String created;

    @Option(names = "--dry-run", description = "Pull and build, print the digests TARGET would get; push nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        ImageRef baseRef = ImageRef.parse(base);
        ImageRef targetRef = ImageRef.parse(target);
        List<Platform> wanted = platforms.stream().map(Platform::parse).toList();
        Changes changes = changes();
        ImageBuilder builder = JibLoader.builder();
        AppendResult result;
        try (Session session = global.session(spec.commandLine().getErr(), baseRef, targetRef)) {
            result = new Appender(session, builder, CopyOptions.defaultJobs())
                    .append(baseRef, targetRef, changes, wanted, dryRun);
        }
        global.output(spec.commandLine().getOut()).print(result, w -> w.println(TerminalText.line(line(result))));
        return ExitCodes.OK;
    }

    /** Every option checked, and every SRC read, before BASE is looked at. */
    private Changes changes() {
        Map<String, String> envs = new LinkedHashMap<>();
        env.forEach(kv -> ConfigEdits.put("--env", kv, envs));
        Map<String, String> labelMap = new LinkedHashMap<>();
        labels.forEach(kv -> ConfigEdits.put("--label", kv, labelMap));
        if (user != null && (user.isEmpty() || user.indexOf('\0') >= 0)) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--user: give a name or UID[:GID]");
        }
        ConfigEdits edits = new ConfigEdits(
                entrypoint == null ? null : ConfigEdits.words("--entrypoint", entrypoint),
                cmd == null ? null : ConfigEdits.words("--cmd", cmd),
                envs, labelMap, user, workdir == null ? null : ConfigEdits.workdir(workdir),
                expose.stream().map(ConfigEdits::port).toList(),
                ConfigEdits.created(created, Clock.systemUTC()));
        String owner = Changes.owner(chown);
        List<LayerFiles> layers = adds.stream().map(AddedPath::parse).map(SourceFiles::read).toList();
        return new Changes(layers, owner, edits);
    }

    /** {@code DIGEST [PLATFORM=DIGEST ...]}: the digest first, for scripts. */
    static String line(AppendResult r) {
        String perPlatform = MediaTypes.isIndex(r.mediaType())
                ? r.images().stream().map(i -> " " + i.platform() + "=" + i.digest()).collect(Collectors.joining()) : "";
        return r.digest() + perPlatform + (r.dryRun() ? " (dry run: nothing pushed to " + r.target() + ")" : "");
    }
}
