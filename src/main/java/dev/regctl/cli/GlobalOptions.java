package dev.regctl.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The global options of docs/commands.md, the docker config directory as {@code --config DIR}; used by every command but inspect. */
class GlobalOptions extends BaseOptions {

    @Option(names = "--config", paramLabel = "DIR", description = CONFIG_DIR_DESCRIPTION)
    void config(Path dir) {
        configDir(dir, "--config");
    }

    /** inspect's spelling, accepted everywhere so one script can use it for every command; unlisted where --config is. */
    @Option(names = "--docker-config", paramLabel = "DIR", hidden = true, description = CONFIG_DIR_DESCRIPTION)
    void dockerConfig(Path dir) {
        configDir(dir, "--docker-config");
    }
}
