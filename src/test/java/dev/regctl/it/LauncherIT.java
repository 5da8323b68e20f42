package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.it.support.Launcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shell launcher {@code target/regctl}: runs from anywhere, through symlinks, and keeps
 * stdout and stderr clean on every JDK found here, while the class-data archive is first made
 * and then used.
 */
class LauncherIT {
    private static Launcher launcher;

    @BeforeAll
    static void start() {
        launcher = Launcher.create();
    }

    @AfterAll
    static void stop() {
        launcher.close();
    }

    @Test
    void runsThroughASymlinkFromAnotherDirectory() throws IOException {
        Path bin = launcher.scratch("bin");
        Path link = Files.createSymbolicLink(bin.resolve("regctl"), launcher.path());
        Launcher.Result r = launcher.call("ref", "redis").through(link).in(Path.of("/")).run();
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("docker.io/library/redis:latest\n", r.stdoutText());
        assertEquals("", r.stderr());
    }

    /** The JDK running the tests, plus every other JDK 17+ installed beside it. */
    static Stream<Path> javaHomes() throws IOException {
        List<Path> homes = new ArrayList<>();
        homes.add(Path.of(System.getProperty("java.home")));
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> dirs = Files.list(jvms)) {
                dirs.filter(d -> Files.isExecutable(d.resolve("bin/java")) && Files.isRegularFile(d.resolve("release")))
                        .filter(d -> !Files.isSymbolicLink(d))
                        .forEach(homes::add);
            }
        }
        return homes.stream().distinct();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void outputStaysCleanWhileTheClassDataArchiveIsMadeAndUsed(Path javaHome) {
        Path cache = launcher.scratch("cache-" + javaHome.getFileName());
        for (int run = 1; run <= 2; run++) {
            Launcher.Result r = launcher.call("ref", "-o", "json", "localhost:5000/app@sha256:" + "a".repeat(64))
                    .env("JAVA_HOME", javaHome.toString()).env("XDG_CACHE_HOME", cache.toString()).run();
            assertEquals(0, r.exitCode(), javaHome + " run " + run + ": " + r);
            assertTrue(r.stdoutText().startsWith("{"), javaHome + " run " + run + " stdout: " + r.stdoutText());
            assertEquals("", r.stderr(), javaHome + " run " + run);
        }
    }

    @Test
    void theBuildsClassDataArchiveIsUsedAndHoldsPicocli() {
        // picocli's classes are Java 5: a dynamic archive on JDK 17 silently leaves them out, and
        // an archive the runtime JDK cannot map is dropped silently too. Either costs start-up.
        Launcher.Result r = launcher.call("--version").env("REGCTL_JAVA_OPTS", "-Xlog:class+load=info").run();
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdoutText().contains("picocli.CommandLine source: shared objects file"),
                "picocli.CommandLine was not loaded from the archive: " + r.stdoutText().lines()
                        .filter(l -> l.contains("picocli.CommandLine ")).findFirst().orElse("(not logged)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"copy", "sync", "append"})
    void commandsThatMoveBlobsCompileTheDigestLoopWithC2(String command) {
        // With C1 alone SHA-256 runs without the CPU's SHA instructions: twice the CPU per byte copied.
        assertEquals("4", tieredStopAtLevel(command, "--help"));
        assertEquals("4", tieredStopAtLevel("-o", "json", "--timeout", "1m", command, "--help"),
                "the command is found after global options and their values");
        assertEquals("1", tieredStopAtLevel("ref", "copy"), "short commands start soonest with C1 alone");
    }

    private static String tieredStopAtLevel(String... args) {
        Launcher.Result r = launcher.call(args).env("REGCTL_JAVA_OPTS", "-XX:+PrintFlagsFinal").run();
        assertEquals(0, r.exitCode(), r.toString());
        return r.stdoutText().lines().filter(l -> l.matches("\\s*intx TieredStopAtLevel\\s.*"))
                .map(l -> l.trim().split("\\s+")[3]).findFirst().orElse("(not printed)");
    }
}
