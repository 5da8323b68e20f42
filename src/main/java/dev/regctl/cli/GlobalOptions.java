package dev.regctl.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The global options of CLI.md, {@code --config DIR} included; used by every command but inspect. */
public final class GlobalOptions extends BaseOptions {

    @Option(names = "--config", paramLabel = "DIR",
            description = "Docker config directory (default: $DOCKER_CONFIG or ~/.docker).")
    void configDir(Path dir) {
        this.configDir = dir;
        this.configOption = "--config";
    }
}
