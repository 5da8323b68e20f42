package dev.regctl.cli;

import dev.regctl.oci.RegistryName;
import dev.regctl.ops.Catalog;
import dev.regctl.ops.NamePattern;
import dev.regctl.ops.Session;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl ls REGISTRY}: the repositories of a registry's catalog. */
@Command(name = "ls",
        footerHeading = UsageHelp.EXAMPLES, footer = {
            "  # Every repository of a registry, then only those under team/",
            "  regctl ls localhost:5000",
            "  regctl ls registry.example.com --filter 'team/.*'"},
        description = "List the repositories of a registry (/v2/_catalog, all pages).")
final class LsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(paramLabel = "REGISTRY", description = "HOST[:PORT], e.g. localhost:5000")
    String registry;

    @Option(names = "--filter", paramLabel = "REGEX", description = "Only repositories the regular expression matches in full.")
    String filter;

    @Option(names = "--limit", paramLabel = "N", description = "At most N repositories (0: all).", defaultValue = "0")
    int limit;

    @Override
    public Integer call() {
        RegistryName name = RegistryName.parse(registry);
        NamePattern keep = Filters.compile(filter);
        if (limit < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be 0 or more");
        }
        try (Session session = global.session(spec.commandLine().getErr(), name.apiHost())) {
            List<String> repos = new Catalog(session).repositories(name, r -> keep == null || keep.matches(r),
                    limit);
            global.output(spec.commandLine().getOut()).print(repos, w -> repos.forEach(r -> w.println(TerminalText.line(r))));
        }
        return ExitCodes.OK;
    }
}
