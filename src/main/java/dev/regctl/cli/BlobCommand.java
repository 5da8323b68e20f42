package dev.regctl.cli;

import dev.regctl.RegctlException;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.ImageRef;
import dev.regctl.ops.Session;
import dev.regctl.ops.compose.BlobDownload;
import dev.regctl.ops.compose.BlobUpload;
import dev.regctl.ops.compose.InPlaceWrite;
import dev.regctl.ops.compose.LocalInput;
import dev.regctl.store.ImageStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl blob get|put}: one blob by hand, verified against its digest. */
@Command(name = "blob", subcommands = {BlobCommand.Get.class, BlobCommand.Put.class},
        footerHeading = UsageHelp.EXAMPLES, footer = {
            "  regctl blob get localhost:5000/app@sha256:<hex> config.json",
            "  regctl blob put localhost:5000/app layer.tar.gz",
            "  regctl blob put localhost:5000/app layer.tar.gz --mount-from localhost:5000/base"},
        description = "Fetch or upload one blob, verified against its digest.")
final class BlobCommand {

    /** {@code regctl blob get REPO@DIGEST [FILE|-]}. */
    @Command(name = "get",
            footerHeading = UsageHelp.EXAMPLES, footer = {
                "  # An image's config, from the digest inspect shows",
                "  regctl blob get localhost:5000/app@sha256:<hex> config.json",
                "  regctl blob get localhost:5000/app@sha256:<hex> | tar -tz"},
            description = {"Fetch the blob REPO@DIGEST, verified against DIGEST while it streams.",
                "Into FILE, the bytes are written to a temporary file renamed into place once they matched, so a"
                        + " mismatch leaves no FILE; to standard output, what was written stays and the exit code is 1."})
    public static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        GlobalOptions global;

        @Parameters(index = "0", paramLabel = "REPO@DIGEST", description = "The blob, e.g. localhost:5000/app@sha256:...")
        String refText;

        @Parameters(index = "1", arity = "0..1", paramLabel = "FILE", description = "Where to write it; - or none is standard output.")
        String file;

        @Override
        public Integer call() {
            ImageRef ref = ImageRef.parse(refText);
            if (ref.digest() == null) {
                throw new RegctlException(RegctlException.Kind.USAGE, "blob get " + refText
                        + ": name the blob by digest, e.g. " + ref.repositoryName() + "@sha256:<hex>");
            }
            boolean toStdout = file == null || file.equals("-");
            Output out = global.output(spec.commandLine().getOut());
            if (toStdout && out.isJson()) {
                throw new RegctlException(RegctlException.Kind.USAGE, "blob get -o json: the blob's bytes are the output",
                        "give a FILE to write the blob to, and the JSON goes to stdout", null);
            }
            BlobDownload.Result result;
            try (Session session = global.session(spec.commandLine().getErr(), ref);
                 ImageStore store = session.open(ref, Session.Access.READ)) {
                BlobDownload download = new BlobDownload(store);
                Descriptor blob = download.find(ref.digest());
                result = toStdout ? download.toStream(blob, RawOutput.unclosable(spec)) : download.toFile(blob, Path.of(file));
            }
            if (!toStdout) {
                out.print(result, w -> { });
            }
            return ExitCodes.OK;
        }
    }

    /** {@code regctl blob put REPO [FILE|-]}. */
    @Command(name = "put",
            footerHeading = UsageHelp.EXAMPLES, footer = {
                "  regctl blob put localhost:5000/app layer.tar.gz",
                "  tar -cz ./site | regctl blob put localhost:5000/app -",
                "  # Linked from another repository of the registry, not sent again",
                "  regctl blob put localhost:5000/app layer.tar.gz --mount-from localhost:5000/base"},
            description = {"Upload a blob to the repository REPO and print its digest (sha256).",
                "The file is read twice, to compute the digest and then to send it (standard input is first kept"
                        + " in a temporary file); a blob the repository has already is not sent again. With"
                        + " --mount-from, the registry is asked to link the blob from that repository (a cross-repository"
                        + " mount), and the file is only sent when the registry declines."})
    public static final class Put implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        GlobalOptions global;

        @Parameters(index = "0", paramLabel = "REPO", description = "The repository, without tag or digest: localhost:5000/app, oci:DIR")
        String refText;

        @Parameters(index = "1", arity = "0..1", paramLabel = "FILE", description = "The blob; - or none reads standard input.")
        String file;

        @Option(names = "--dry-run", description = "Compute the digest and ask whether REPO has the blob, and upload nothing.")
        boolean dryRun;

        @Option(names = "--mount-from", paramLabel = "REPO",
                description = "Another repository of the same registry holding the blob, e.g. localhost:5000/base:"
                        + " the blob is mounted from there rather than uploaded.")
        String mountFromText;

        @Override
        public Integer call() {
            ImageRef ref = ImageRef.parse(refText);
            InPlaceWrite.require("blob put", ref);
            if (ref.namesImage()) {
                throw new RegctlException(RegctlException.Kind.USAGE, "blob put " + refText
                        + ": a blob goes into a repository: give it without tag or digest, e.g. " + ref.repositoryName());
            }
            ImageRef mountFrom = mountFromText == null ? null : mountSource(ref);
            BlobUpload.Result result;
            try (Session session = global.session(spec.commandLine().getErr(), ref);
                 ImageStore store = session.open(ref, Session.Access.CREATE);
                 ImageStore source = mountFrom == null ? null : session.open(mountFrom, Session.Access.READ)) {
                BlobUpload upload = new BlobUpload(store);
                if (source != null) {
                    upload.mountingFrom(source, mountable(store, source));
                }
                result = upload.put(LocalInput.of(file, System.in), dryRun);
            }
            Output out = global.output(spec.commandLine().getOut());
            out.print(result, w -> w.println(result.digest()));
            if (dryRun && !out.isJson()) {
                spec.commandLine().getErr().println("dry run: " + (result.present() ? result.repository() + " has "
                        + result.digest() : result.mountedFrom() != null ? "would mount " + result.digest() + " from "
                        + result.mountedFrom() : "would upload " + result.digest()) + "; nothing was uploaded");
            }
            return ExitCodes.OK;
        }

        /**
         * {@code --mount-from}: a repository, without tag or digest. Layouts and archives have no
         * API host, so they are refused here too. Whether it is another repository of REPO's
         * registry is asked of the opened stores ({@link #mountable}): registries.conf may send
         * two names typed on different hosts to one registry, or one host's names to two.
         */
        private ImageRef mountSource(ImageRef target) {
            if (target.apiHosts().isEmpty()) {
                throw new RegctlException(RegctlException.Kind.USAGE, "blob put --mount-from: " + target
                        + " is not a registry repository; a registry mounts blobs between its own repositories only");
            }
            ImageRef from = ImageRef.parse(mountFromText);
            if (from.namesImage() || from.apiHosts().isEmpty()) {
                throw notMountable(target);
            }
            return from;
        }

        /** The repository {@code store} mounts from {@code source}'s; refused when the registry could not. */
        private String mountable(ImageStore store, ImageStore source) {
            String repository = store.mountFrom(source);
            if (repository == null) {
                throw notMountable(ImageRef.parse(refText));
            }
            return repository;
        }

        private RegctlException notMountable(ImageRef target) {
            return new RegctlException(RegctlException.Kind.USAGE, "blob put --mount-from " + mountFromText
                    + ": name another repository of " + target.repositoryName() + "'s registry, without tag or digest:"
                    + " a registry mounts blobs between its own repositories only");
        }
    }
}
