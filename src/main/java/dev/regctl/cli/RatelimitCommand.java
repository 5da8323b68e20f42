package dev.regctl.cli;

import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;
import dev.regctl.ops.Session;
import dev.regctl.store.ImageStore;
import dev.regctl.store.RateLimit;
import dev.regctl.store.RegistryRepository;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl ratelimit REF}: the pull limit a registry reports, found with a HEAD that spends none. */
@Command(name = "ratelimit",
        footerHeading = UsageHelp.EXAMPLES, footer = {
            "  # The anonymous pull limit Docker Hub applies to this machine",
            "  regctl ratelimit alpine"},
        description = {
    "Print the pull limit and the pulls left that the registry reports for REF (Docker Hub's ratelimit-* headers).",
    "Asks with a HEAD request, which does not count as a pull."})
final class RatelimitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(index = "0", paramLabel = "REF", description = "An image in a registry: [HOST[:PORT]/]PATH[:TAG]")
    String refText;

    @Override
    public Integer call() {
        ImageRef ref = ImageRef.parse(refText);
        if (ref.apiHosts().isEmpty()) {
            // Refused before anything is opened: a layout or an archive counts no pulls.
            throw new RegctlException(RegctlException.Kind.USAGE, "ratelimit asks a registry, and " + refText + " names none");
        }
        Optional<RateLimit> limit;
        String registry;
        try (Session session = global.session(spec.commandLine().getErr(), ref);
             ImageStore store = session.open(ref, Session.Access.READ)) {
            registry = store.onRegistry().map(RegistryRepository::registry).orElseThrow();
            limit = store.rateLimit(ref.lookup());
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("registry", registry);
        json.put("limited", limit.isPresent());
        json.put("limit", limit.map(RateLimit::limit).orElse(null));
        json.put("remaining", limit.map(RateLimit::remaining).orElse(null));
        json.put("windowSeconds", limit.map(RateLimit::windowSeconds).orElse(null));
        json.put("source", limit.map(RateLimit::source).orElse(null));
        global.output(spec.commandLine().getOut()).print(json, w -> {
            if (limit.isEmpty()) {
                w.println(TerminalText.line(registry + ": no rate limit reported"));
                return;
            }
            RateLimit l = limit.get();
            w.println("limit " + l.limit());
            w.println("remaining " + l.remaining());
            if (l.windowSeconds() != null) {
                w.println("window " + l.windowSeconds() + "s");
            }
            if (l.source() != null) {
                w.println(TerminalText.line("source " + l.source()));
            }
        });
        return ExitCodes.OK;
    }
}
