package dev.regctl.cli;

import dev.regctl.RegctlException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The docker config directory of a run, chosen as docker chooses it: the option, else
 * {@code DOCKER_CONFIG}, else {@code $HOME/.docker}. A file named where the directory belongs
 * ({@code --config ~/.docker/config.json}, a common slip) is refused by name, before any lookup
 * could report {@code .../config.json/config.json: Not a directory}.
 */
final class DockerConfigDir {
    private DockerConfigDir() {
    }

    /**
     * @param option     the directory given on the command line, or null
     * @param optionName how it was given ({@code --config} or {@code --docker-config}), for messages
     * @param env        the environment: {@code DOCKER_CONFIG} and {@code HOME}
     * @throws RegctlException USAGE when the directory chosen is a file
     */
    static Path choose(Path option, String optionName, Map<String, String> env) {
        if (option != null) {
            return checked(option, optionName + " " + option + " is a file; " + optionName
                    + " takes the directory that holds config.json", "use " + optionName + " " + parent(option));
        }
        String fromEnv = env.get("DOCKER_CONFIG");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            Path dir = Path.of(fromEnv);
            return checked(dir, "DOCKER_CONFIG=" + fromEnv + " is a file; DOCKER_CONFIG takes the directory that holds"
                    + " config.json", "set DOCKER_CONFIG=" + parent(dir));
        }
        Path dir = home(env).resolve(".docker");
        return checked(dir, dir + " is a file, where the docker config directory belongs",
                "move it away, or give the directory that holds config.json with --config DIR");
    }

    private static Path checked(Path dir, String message, String hint) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new RegctlException(RegctlException.Kind.USAGE, message, hint, null);
        }
        return dir;
    }

    private static Path parent(Path file) {
        Path parent = file.getParent();
        return parent != null ? parent : Path.of(".");
    }

    /**
     * {@code ~} as docker reads it: {@code $HOME} (Go's {@code os.UserHomeDir}). The JVM's
     * {@code user.home} comes from the passwd entry instead, which differs whenever HOME is set
     * elsewhere (CI runners, containers, {@code sudo -E}).
     */
    private static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home"));
    }
}
