package dev.regctl.cli;

import dev.regctl.oci.RegistryName;
import dev.regctl.ops.Login;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl logout REGISTRY}: erase stored credentials. */
@Command(name = "logout",
        footerHeading = UsageHelp.EXAMPLES, footer = {
            "  regctl logout registry.example.com"},
        description = "Remove the stored credentials for a registry.")
final class LogoutCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(paramLabel = "REGISTRY", description = "HOST[:PORT]; docker.io for Docker Hub")
    String registry;

    /** The {@code -o json} document; a record, so its fields keep this order in every run. */
    record Result(String registry, boolean removed) {
    }

    @Override
    public Integer call() {
        RegistryName name = RegistryName.parse(registry);
        boolean removed = new Login(global.dockerConfigDir(), System.getenv()).logout(name);
        String text = removed ? "Removed login credentials for " + name.name() : "Not logged in to " + name.name();
        global.output(spec.commandLine().getOut()).print(new Result(name.name(), removed),
                w -> w.println(text));
        return ExitCodes.OK;
    }
}
