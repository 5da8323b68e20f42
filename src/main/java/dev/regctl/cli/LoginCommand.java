package dev.regctl.cli;

import dev.regctl.RegctlException;
import dev.regctl.auth.Credential;
import dev.regctl.oci.RegistryName;
import dev.regctl.ops.Login;
import dev.regctl.ops.Session;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code regctl login REGISTRY}: check credentials against the registry, then store them like docker. */
@Command(name = "login", description = "Log in to a registry: check the credentials, then store them like docker login.")
public final class LoginCommand implements Callable<Integer> {
    /** A password longer than this on stdin is a mistake (a file piped in by accident). */
    private static final int MAX_PASSWORD = 64 * 1024;

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
        if (password != null && passwordStdin) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--password and --password-stdin are mutually exclusive");
        }
        if (password != null) {
            spec.commandLine().getErr().println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
        }
        Console console = System.console();
        String user = username;
        if (user == null || user.isEmpty()) {
            if (console == null || passwordStdin) {
                throw new RegctlException(RegctlException.Kind.USAGE, "no user name given", "pass -u USER", null);
            }
            user = console.readLine("Username: ");
        }
        String secret = password;
        if (passwordStdin) {
            secret = readStdin();
        } else if (secret == null) {
            if (console == null) {
                throw new RegctlException(RegctlException.Kind.USAGE, "no password given and no terminal to ask on",
                        "pipe it with --password-stdin", null);
            }
            char[] typed = console.readPassword("Password: ");
            secret = typed == null ? "" : new String(typed);
        }
        if (user == null || user.isBlank() || secret.isEmpty()) {
            throw new RegctlException(RegctlException.Kind.USAGE, "user name and password must not be empty");
        }
        try (Session session = global.session(spec.commandLine().getErr(), name.apiHost())) {
            new Login(global.dockerConfigDir(), System.getenv()).login(session, name, new Credential.Basic(user, secret));
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

    private static String readStdin() {
        try {
            InputStream in = System.in;
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] chunk = new byte[4096];
            int n;
            while ((n = in.read(chunk)) > 0) {
                buf.write(chunk, 0, n);
                if (buf.size() > MAX_PASSWORD) {
                    throw new RegctlException(RegctlException.Kind.USAGE, "the password on stdin is longer than 64 KiB");
                }
            }
            // docker strips exactly the trailing line ending a shell 'echo' adds.
            return buf.toString(StandardCharsets.UTF_8).replaceAll("\\r?\\n$", "");
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.USAGE, "cannot read the password from stdin: " + e.getMessage());
        }
    }
}
