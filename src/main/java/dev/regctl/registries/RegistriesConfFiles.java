package dev.regctl.registries;

import dev.regctl.RegctlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Which registries.conf files a run reads, in containers/image's order for the default files: the main file
 * ({@code --registries-conf FILE}, else {@code $CONTAINERS_REGISTRIES_CONF}, both of which must exist, else
 * {@code $HOME/.config/containers/registries.conf} if it exists, else
 * {@code /etc/containers/registries.conf}), then the {@code *.conf} drop-ins in name order, each
 * overriding what came before. Drop-ins are read from the {@code registries.conf.d} directory beside
 * the main file; for the system file, also from {@code $HOME/.config/containers/registries.conf.d}.
 * containers/image reads the system and user directories for a file named by the option or the
 * environment too; here such a file keeps its drop-ins beside it, so one directory is the whole
 * set-up and the machine's never leaks into it.
 */
public final class RegistriesConfFiles {
    static final String ENV = "CONTAINERS_REGISTRIES_CONF";
    private static final Path SYSTEM_FILE = Path.of("/etc/containers/registries.conf");
    private static final String USER_FILE = ".config/containers/registries.conf";
    private static final String DROP_INS = "registries.conf.d";

    private RegistriesConfFiles() {
    }

    /**
     * The configuration in effect.
     *
     * @param option   {@code --registries-conf FILE}, or null; it must exist
     * @param disabled {@code --no-registries-conf}: nothing is read
     * @param env      the environment: {@code CONTAINERS_REGISTRIES_CONF}, {@code HOME}
     */
    public static RegistriesConf load(Path option, boolean disabled, Map<String, String> env) {
        if (disabled) {
            return RegistriesConf.NONE;
        }
        List<Path> dropInDirs = new ArrayList<>();
        Path main;
        if (option != null) {
            if (!Files.isRegularFile(option)) {
                throw new RegctlException(RegctlException.Kind.USAGE, "--registries-conf " + option + ": no such file",
                        "name an existing registries.conf file", null);
            }
            main = option;
        } else if (!env.getOrDefault(ENV, "").isEmpty()) {
            main = Path.of(env.get(ENV));
            // As podman: a mistyped path must not silently drop the blocks and mirrors it was meant to name.
            if (!Files.exists(main)) {
                throw new RegctlException(RegctlException.Kind.USAGE, "$" + ENV + " names " + main + ", which does not exist",
                        "correct or unset the variable, or pass --no-registries-conf to read no registries.conf", null);
            }
        } else {
            Path home = env.getOrDefault("HOME", "").isEmpty() ? null : Path.of(env.get("HOME"));
            Path user = home == null ? null : home.resolve(USER_FILE);
            main = user != null && Files.exists(user) ? user : SYSTEM_FILE;
            if (main.equals(SYSTEM_FILE) && home != null) {
                dropInDirs.add(home.resolve(USER_FILE).resolveSibling(DROP_INS));
            }
        }
        dropInDirs.add(0, main.resolveSibling(DROP_INS));
        RegistriesConf conf = Files.isRegularFile(main) ? new RegistriesConf(RegistriesToml.read(main)) : RegistriesConf.NONE;
        for (Path dir : dropInDirs) {
            for (Path dropIn : dropIns(dir)) {
                conf = conf.overriddenBy(RegistriesToml.read(dropIn));
            }
        }
        return conf;
    }

    /** The {@code *.conf} files of {@code dir} in name order; other files and directories are not read. */
    private static List<Path> dropIns(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".conf") && Files.isRegularFile(f))
                    .sorted().toList();
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "cannot list " + dir + ": " + e.getMessage(), null, e);
        }
    }
}
