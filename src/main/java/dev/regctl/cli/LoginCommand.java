package dev.regctl.cli;

import dev.regctl.RegctlException;
import dev.regctl.auth.Credential;
import dev.regctl.oci.RegistryName;
import dev.regctl.ops.Login;
import dev.regctl.ops.Session;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl login REGISTRY}: check credentials against the registry, then store them like docker. */
@Command(name = "login",
        footerHeading = UsageHelp.EXAMPLES, footer = {
            "  # In CI: the password or token on stdin, never in the command line",
            "  echo \"$TOKEN\" | regctl login -u ci --password-stdin registry.example.com"},
        description = "Log in to a registry: check the credentials, then store them like docker login.")
final class LoginCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(paramLabel = "REGISTRY", description = "HOST[:PORT]; docker.io for Docker Hub")
    String registry;

    @Option(names = {"-u", "--username"}, paramLabel = "USER", description = "User name (prompted when omitted on a terminal).")
    String username;

    @Option(names = {"-p", "--password"}, paramLabel = "PASS", description = "Password (insecure: visible in the process list; prefer --password-stdin).")
    String password;

    @Option(names = "--password-stdin", description = "Read the password from standard input.")
    boolean passwordStdin;

    /** The {@code -o json} document; a record, so its fields keep this order in every run. */
    record Result(String registry, String status) {
    }

    @Override
    public Integer call() {
        RegistryName name = RegistryName.parse(registry);
        Credential.Basic credential = LoginInput.read(username, password, passwordStdin, System.in, LoginInput.Prompt.terminal());
        if (password != null) {
            spec.commandLine().getErr().println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
        }
        try (Session session = global.session(spec.commandLine().getErr(), name.apiHost())) {
            new Login(global.dockerConfigDir(), System.getenv()).login(session, name, credential);
        } catch (RegctlException e) {
            if (e.kind() != RegctlException.Kind.AUTH) {
                throw e;
            }
            // The registry's usual hint, "run 'regctl login HOST'", names the command that just failed.
            throw new RegctlException(e.kind(), e.getMessage(), "check the user name and password for " + name.name(), e);
        }
        global.output(spec.commandLine().getOut()).print(new Result(name.name(), "Login Succeeded"),
                w -> w.println("Login Succeeded"));
        return ExitCodes.OK;
    }
}
