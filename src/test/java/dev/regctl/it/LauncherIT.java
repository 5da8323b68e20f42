package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regctl.it.support.Launcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
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

    @Test
    void aShortRunLooksForNoClassThatIsNotThere() {
        // A class not found has been looked for in every jar on the class path, each opened for it:
        // picocli looked for Groovy's Closure at every start.
        Launcher.Result r = launcher.call("ref", "redis").env("REGCTL_JAVA_OPTS", "-Xlog:class+init=info").run();
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdoutText().contains("Initializing 'dev/regctl/cli/RefCommand'"), "no class-initialization log: " + r);
        assertFalse(r.stdoutText().contains("Initializing 'java/lang/ClassNotFoundException'"),
                "a class was looked for on the class path and not found");
    }

    @Test
    void readingARegistriesConfSetsUpNoObjectMapper() throws IOException {
        // A TomlMapper is an ObjectMapper: setting one up took ~50 ms of every run on a machine with
        // a registries.conf, its classes archived or not. Commands that bind no JSON need none.
        Path conf = Files.writeString(launcher.scratch("conf").resolve("registries.conf"), """
                [[registry]]
                prefix = "docker.io"
                location = "docker.io"

                [[registry.mirror]]
                location = "mirror.example:5000"
                """);
        Launcher.Result r = launcher.call("ref", "--resolve", "--registries-conf", conf.toString(), "redis")
                .env("REGCTL_JAVA_OPTS", "-Xlog:class+load=info").run();
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdoutText().contains("dev.regctl.registries.RegistriesToml "), "registries.conf was not read: " + r);
        assertFalse(r.stdoutText().contains("com.fasterxml.jackson.databind.ObjectMapper "),
                "an ObjectMapper was set up to read registries.conf");
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
        // (--version prints without picocli: a command.)
        Launcher.Result r = launcher.call("ref", "redis").env("REGCTL_JAVA_OPTS", "-Xlog:class+load=info").run();
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdoutText().contains("picocli.CommandLine source: shared objects file"),
                "picocli.CommandLine was not loaded from the archive: " + r.stdoutText().lines()
                        .filter(l -> l.contains("picocli.CommandLine ")).findFirst().orElse("(not logged)"));
    }

    /**
     * An installation laid out as the release archive is (bin/, jars/), without the build's
     * archive, as every release is: on JDK 17 the launcher makes one in the cache.
     */
    private static Path releaseLayout() throws IOException {
        Path target = launcher.path().getParent();
        Path home = launcher.scratch("release");
        Path lib = Files.createDirectories(home.resolve("jars/lib"));
        Files.createDirectories(home.resolve("bin"));
        Files.copy(launcher.path(), home.resolve("bin/regctl"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(target.resolve("regctl.jar"), home.resolve("jars/regctl.jar"), StandardCopyOption.REPLACE_EXISTING);
        try (Stream<Path> jars = Files.list(target.resolve("lib"))) {
            for (Path jar : jars.filter(j -> j.toString().endsWith(".jar")).toList()) {
                Files.copy(jar, lib.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return home.resolve("bin/regctl");
    }

    private static Launcher.Result refRun(Path bin, Path cache, String javaOpts) {
        Launcher.Call call = launcher.call("ref", "-o", "json", "localhost:5000/app:v1").through(bin)
                .env("XDG_CACHE_HOME", cache.toString());
        return (javaOpts == null ? call : call.env("REGCTL_JAVA_OPTS", javaOpts)).run();
    }

    /** The archives in {@code cache}, once no training run is going on (its .lock gone). */
    private static List<Path> archivesOnceTrained(Path cache) throws IOException, InterruptedException {
        Path dir = cache.resolve("regctl");
        for (int i = 0; i < 600; i++) {
            try (Stream<Path> files = Files.list(dir)) {
                List<Path> all = files.toList();
                if (all.stream().noneMatch(f -> f.toString().endsWith(".lock"))) {
                    return all.stream().filter(f -> f.toString().endsWith(".jsa")).toList();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the training run did not end within a minute: " + dir);
    }

    @Test
    void onJdk17TheReleaseMakesItsArchiveInTheCacheIgnoresABrokenOrStaleOneAndNeedsNoCache() throws Exception {
        assumeTrue(Runtime.version().feature() < 19, "JDK 19 and later keep the archive themselves");
        Path bin = releaseLayout();
        Path cache = launcher.scratch("release-cache");
        Launcher.Result first = refRun(bin, cache, null);
        assertEquals(0, first.exitCode(), first.toString());
        assertEquals("", first.stderr());
        List<Path> archives = archivesOnceTrained(cache);
        assertEquals(1, archives.size(), archives.toString());
        Path archive = archives.get(0);

        Launcher.Result mapped = refRun(bin, cache, "-Xlog:class+load=info");
        assertEquals(0, mapped.exitCode(), mapped.toString());
        assertTrue(mapped.stdoutText().contains("dev.regctl.cli.Main source: shared objects file (top)"),
                "regctl's classes did not come from the cache's archive");

        // Garbage where the archive was: ignored by the JVM, silently.
        byte[] garbage = new byte[(int) Files.size(archive)];
        new java.util.Random(1).nextBytes(garbage);
        Files.write(archive, garbage);
        Launcher.Result broken = refRun(bin, cache, null);
        assertEquals(0, broken.exitCode(), broken.toString());
        assertTrue(broken.stdoutText().startsWith("{"), broken.toString());
        assertEquals("", broken.stderr());

        // A truncated archive would crash the JVM: its size no longer matches its name, so it is
        // not mapped, and a new training run replaces it.
        Files.write(archive, Arrays.copyOf(garbage, garbage.length / 2));
        Launcher.Result truncated = refRun(bin, cache, null);
        assertEquals(0, truncated.exitCode(), truncated.toString());
        assertEquals("", truncated.stderr());
        List<Path> retrained = archivesOnceTrained(cache);
        assertEquals(1, retrained.size(), retrained.toString());
        assertEquals(Files.size(retrained.get(0)) + ".jsa", retrained.get(0).getFileName().toString()
                .replaceAll(".*\\.(\\d+\\.jsa)$", "$1"));

        // Stale: an upgrade replaces the jar. The old jar's archive is not mapped (the JVM would
        // ignore it anyway) but replaced by one for the new jar.
        Path jar = bin.getParent().resolveSibling("jars/regctl.jar");
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
        Launcher.Result upgraded = refRun(bin, cache, null);
        assertEquals(0, upgraded.exitCode(), upgraded.toString());
        assertEquals("", upgraded.stderr());
        List<Path> replaced = archivesOnceTrained(cache);
        assertEquals(1, replaced.size(), replaced.toString());
        assertNotEquals(retrained.get(0).getFileName(), replaced.get(0).getFileName());

        // A cache others may write to: an archive there could be anyone's, so none is used or made.
        Path shared = launcher.scratch("shared-cache");
        Files.createDirectories(shared.resolve("regctl"));
        Files.setPosixFilePermissions(shared.resolve("regctl"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.copy(replaced.get(0), shared.resolve("regctl").resolve(replaced.get(0).getFileName()));
        Launcher.Result planted = refRun(bin, shared, "-Xlog:class+load=info");
        assertEquals(0, planted.exitCode(), planted.toString());
        assertFalse(planted.stdoutText().contains("source: shared objects file (top)"), "an archive in a shared cache was mapped");
        try (Stream<Path> files = Files.list(shared.resolve("regctl"))) {
            assertEquals(1, files.count(), "no training run in a shared cache");
        }

        // A cache that cannot be made (a file in the way): no archive, nothing said.
        Path file = Files.writeString(launcher.scratch("not-a-dir").resolve("file"), "x");
        Launcher.Result noCache = refRun(bin, file, null);
        assertEquals(0, noCache.exitCode(), noCache.toString());
        assertTrue(noCache.stdoutText().startsWith("{"), noCache.toString());
        assertEquals("", noCache.stderr());
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
