package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regctl.RegctlException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which docker config directory a run uses, and the words for a file given where it belongs. */
class DockerConfigDirTest {
    @TempDir
    Path tmp;
    Path dotDocker;
    Path configJson;

    @BeforeEach
    void setUp() throws IOException {
        dotDocker = Files.createDirectories(tmp.resolve("home/.docker"));
        configJson = Files.writeString(dotDocker.resolve("config.json"), "{}");
    }

    @Test
    void theOptionWinsOverDockerConfigWhichWinsOverHome() {
        Path option = tmp.resolve("from-option");
        Map<String, String> env = Map.of("DOCKER_CONFIG", tmp.resolve("from-env").toString(),
                "HOME", tmp.resolve("home").toString());
        assertEquals(option, DockerConfigDir.choose(option, "--config", env));
        assertEquals(tmp.resolve("from-env"), DockerConfigDir.choose(null, null, env));
        assertEquals(dotDocker, DockerConfigDir.choose(null, null, Map.of("DOCKER_CONFIG", "", "HOME", tmp.resolve("home").toString())));
    }

    @Test
    void aMissingDirectoryIsNoError() {
        // no config yet is anonymous, and login creates it
        assertEquals(tmp.resolve("nowhere"), DockerConfigDir.choose(tmp.resolve("nowhere"), "--config", Map.of()));
    }

    @Test
    void configGivenTheFileSaysItTakesTheDirectoryAndSuggestsTheParent() {
        RegctlException e = assertThrows(RegctlException.class,
                () -> DockerConfigDir.choose(configJson, "--config", Map.of()));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertEquals("--config " + configJson + " is a file; --config takes the directory that holds config.json",
                e.getMessage());
        assertEquals("use --config " + dotDocker, e.hint());
    }

    @Test
    void dockerConfigGivenTheFileIsNamedAsTheUserWroteIt() {
        RegctlException e = assertThrows(RegctlException.class,
                () -> DockerConfigDir.choose(null, null, Map.of("DOCKER_CONFIG", configJson.toString())));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertEquals("DOCKER_CONFIG=" + configJson + " is a file; DOCKER_CONFIG takes the directory that holds config.json",
                e.getMessage());
        assertEquals("set DOCKER_CONFIG=" + dotDocker, e.hint());
    }

    @Test
    void aRelativeFileNameGetsTheCurrentDirectorySuggested() throws IOException {
        Path relative = Path.of("").toAbsolutePath().relativize(configJson);
        Path bare = Path.of("pom.xml");
        RegctlException e = assertThrows(RegctlException.class, () -> DockerConfigDir.choose(bare, "--docker-config", Map.of()));
        assertEquals("use --docker-config .", e.hint());
        assertEquals("use --config " + relative.getParent(),
                assertThrows(RegctlException.class, () -> DockerConfigDir.choose(relative, "--config", Map.of())).hint());
    }

    @Test
    void aFileAtHomeDotDockerIsNamed() throws IOException {
        Path home = Files.createDirectories(tmp.resolve("other-home"));
        Files.writeString(home.resolve(".docker"), "not a directory");
        RegctlException e = assertThrows(RegctlException.class,
                () -> DockerConfigDir.choose(null, null, Map.of("HOME", home.toString())));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertEquals(home.resolve(".docker") + " is a file, where the docker config directory belongs", e.getMessage());
    }

    @Test
    void everyCommandRefusesTheFileWithExitTwoAndOneLine() {
        // logout needs no registry: today it failed to lock .../config.json/config.json.lock (exit 1)
        for (String option : new String[] {"--config", "--docker-config"}) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = Main.run(new String[] {"logout", "127.0.0.1:5000", option, configJson.toString()},
                    new PrintWriter(out), new PrintWriter(err));
            assertEquals(ExitCodes.USAGE, exit, err.toString());
            assertEquals("regctl: " + option + " " + configJson + " is a file; " + option
                    + " takes the directory that holds config.json\nhint: use " + option + " " + dotDocker + "\n", err.toString());
            assertEquals("", out.toString());
        }
    }
}
