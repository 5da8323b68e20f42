package dev.regctl.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * inspect's global options: its {@code --config} prints the image config, so the docker config directory is
 * only {@code --docker-config DIR} here (picocli cannot give one option name two meanings on one command).
 */
final class InspectOptions extends BaseOptions {

    @Option(names = "--docker-config", paramLabel = "DIR", description = CONFIG_DIR_DESCRIPTION)
    void dockerConfig(Path dir) {
        configDir(dir, "--docker-config");
    }
}
