package dev.regctl.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every subcommand accepts (CLI.md, "Global options"). */
public final class GlobalOptions {

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Option(names = "--insecure",
            description = "Skip TLS verification and allow plain HTTP for the registries named.")
    boolean insecure;

    @Option(names = {"-v", "--verbose"},
            description = "Trace HTTP requests and responses to stderr (secrets redacted).")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @Option(names = "--config", paramLabel = "DIR",
            description = "Docker config directory (default: $DOCKER_CONFIG or ~/.docker).")
    Path configDir;

    public OutputFormat output() {
        return output;
    }

    public boolean insecure() {
        return insecure;
    }

    public boolean verbose() {
        return verbose;
    }

    public boolean quiet() {
        return quiet;
    }

    /** The docker config directory chosen by {@code --config}, {@code DOCKER_CONFIG} or the default. */
    public Path dockerConfigDir() {
        if (configDir != null) {
            return configDir;
        }
        String env = System.getenv("DOCKER_CONFIG");
        if (env != null && !env.isEmpty()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".docker");
    }
}
