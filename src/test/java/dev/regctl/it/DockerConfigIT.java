package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.it.support.Launcher;
import dev.regctl.it.support.RegistryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A malformed {@code config.json} through the real launcher, against an htpasswd
 * {@code docker-registry} (so {@code tags} needs a credential): every way of naming the docker
 * config directory ends the same way, exit 2 and one line, and a file given where the directory
 * belongs is named as such.
 */
class DockerConfigIT {
    private static final String MALFORMED = "{\"auths\": {\"x\": {\"auth\": ";

    static RegistryServer registry;
    static Launcher regctl;
    static Path dir;
    static Path home;

    @BeforeAll
    static void start() throws IOException {
        registry = RegistryServer.htpasswd(Map.of("erin", "erin-Secret-71c2")).start();
        regctl = Launcher.create();
        dir = Files.createDirectories(regctl.scratch("malformed").resolve("docker"));
        Files.writeString(dir.resolve("config.json"), MALFORMED);
        home = regctl.scratch("home");
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), MALFORMED);
    }

    @AfterAll
    static void stop() {
        if (regctl != null) {
            regctl.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    /** (how the directory is named, extra arguments, DOCKER_CONFIG, HOME, what the line says) */
    static Stream<Arguments> ways() {
        String file = dir.resolve("config.json").toString();
        String invalid = "config.json: invalid JSON";
        List<Arguments> ways = new ArrayList<>();
        for (String command : List.of("tags", "logout")) {
            ways.add(Arguments.of(command, "--config DIR", List.of("--config", dir.toString()), null, null, invalid));
            ways.add(Arguments.of(command, "--docker-config DIR", List.of("--docker-config", dir.toString()), null, null, invalid));
            ways.add(Arguments.of(command, "DOCKER_CONFIG=DIR", List.of(), dir.toString(), null, invalid));
            ways.add(Arguments.of(command, "HOME/.docker", List.of(), null, home.toString(), invalid));
            ways.add(Arguments.of(command, "--config FILE", List.of("--config", file), null, null,
                    "--config " + file + " is a file; --config takes the directory that holds config.json"));
            ways.add(Arguments.of(command, "DOCKER_CONFIG=FILE", List.of(), file, null,
                    "DOCKER_CONFIG=" + file + " is a file"));
        }
        return ways.stream();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("ways")
    void aMalformedConfigIsExitTwoWhicheverWayItIsFound(String command, String way, List<String> options,
            String dockerConfig, String homeDir, String why) {
        List<String> args = new ArrayList<>(List.of(command,
                command.equals("tags") ? registry.host() + "/private/app" : registry.host()));
        args.addAll(options);
        Launcher.Call call = regctl.call(args.toArray(String[]::new)).env("DOCKER_CONFIG", dockerConfig);
        if (homeDir != null) {
            call.env("HOME", homeDir);
        }
        Launcher.Result r = call.run();
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("", r.stdoutText(), r::toString);
        List<String> lines = r.stderrLines();
        assertTrue(lines.get(0).startsWith("regctl: ") && lines.get(0).contains(why), r::toString);
        assertTrue(lines.size() == 1 || lines.size() == 2 && lines.get(1).startsWith("hint: "), r::toString);
        assertFalse(r.stderr().contains("Exception"), r::toString);
    }
}
