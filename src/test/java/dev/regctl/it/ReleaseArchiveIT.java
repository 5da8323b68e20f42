package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.regctl.cli.ManPages;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.Seeder;
import dev.regctl.store.archive.TarBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The release archive ({@code ./mvnw -Prelease package}): unpacked where it was not built, it
 * starts and talks to a real registry with nothing from the outside but /usr/bin and /bin on
 * PATH (no JAVA_HOME), and ships its checksum, man pages, completions and licence.
 */
class ReleaseArchiveIT {
    @TempDir
    static Path work;

    private static Path archive;
    private static Path home;
    private static RegistryServer registry;

    @BeforeAll
    static void unpack() throws Exception {
        String dir = System.getProperty("regctl.release.dir", "target/release");
        List<Path> archives = List.of();
        if (Files.isDirectory(Path.of(dir))) {
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                archives = files.filter(f -> f.getFileName().toString().endsWith(".tar.gz")).toList();
            }
        }
        if (archives.size() != 1) {
            fail("expected one release archive in " + dir + ", found " + archives
                    + ": build it with ./mvnw -B -Prelease package (scripts/test does, and runs this test in the same build)");
        }
        archive = archives.get(0);
        Path into = Files.createDirectories(work.resolve("unpacked here"));
        Result tar = run(into, List.of("tar", "-xzf", archive.toString()), Map.of());
        assertEquals(0, tar.code, tar.toString());
        try (Stream<Path> top = Files.list(into)) {
            List<Path> dirs = top.toList();
            assertEquals(1, dirs.size(), "the archive holds one top directory: " + dirs);
            home = dirs.get(0);
        }
        assertEquals(archive.getFileName().toString().replace(".tar.gz", ""), home.getFileName().toString());
        registry = RegistryServer.open().start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        // The first run here started the training run that makes the cache's archive: it ends before this class does.
        if (work != null) {
            trainedArchives(work.resolve("home/.cache/regctl"));
        }
    }

    /** The class-data archives in {@code cache}, once the training run making one has ended (its .lock gone). */
    private static List<Path> trainedArchives(Path cache) throws Exception {
        for (int i = 0; i < 600 && Files.isDirectory(cache); i++) {
            try (Stream<Path> files = Files.list(cache)) {
                List<Path> all = files.toList();
                if (all.stream().noneMatch(f -> f.toString().endsWith(".lock"))) {
                    return all.stream().filter(f -> f.toString().endsWith(".jsa")).toList();
                }
            }
            Thread.sleep(100);
        }
        if (Files.isDirectory(cache)) {
            fail("the training run did not end within a minute: " + cache);
        }
        return List.of();
    }

    @Test
    void theFirstRunMakesAnArchiveOfRegctlsClassesInTheCacheThatLaterRunsMap() throws Exception {
        // JDK 17 archives name the jars' absolute paths, so the release carries none of regctl's own.
        // Unpacked where the path has no space: JDK 17 maps no class of a jar whose path has one
        // (the JDK's own classes in the archive still are; the run is only slower).
        Path into = Files.createDirectories(work.resolve("unpacked-without-spaces"));
        Result tar = run(into, List.of("tar", "-xzf", archive.toString()), Map.of());
        assertEquals(0, tar.code, tar.toString());
        Path bin = into.resolve(home.getFileName()).resolve("bin/regctl");
        Path cache = work.resolve("first-run-cache");
        // An empty registries.conf for the first run and for the training run it starts, which inherits its
        // environment: the training run reads one of its own, as many machines have none.
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString(),
                "CONTAINERS_REGISTRIES_CONF", Files.writeString(work.resolve("empty.conf"), "").toString());
        Result first = run(Path.of("/"), List.of(bin.toString(), "ref", "alpine"), env);
        assertEquals(0, first.code, first.toString());
        assertEquals("", first.err, first.toString());
        assertEquals(1, trainedArchives(cache.resolve("regctl")).size(), "one archive made in " + cache);
        Map<String, String> logged = new java.util.HashMap<>(env);
        logged.put("REGCTL_JAVA_OPTS", "-Xlog:class+load=info");
        Path conf = Files.writeString(work.resolve("registries.conf"),
                "[[registry]]\nprefix = \"docker.io\"\nlocation = \"docker.io\"\n");
        Result later = run(Path.of("/"), List.of(bin.toString(), "ref", "--resolve", "--registries-conf", conf.toString(), "alpine"), logged);
        assertEquals(0, later.code, later.toString());
        assertTrue(later.out.contains("dev.regctl.cli.Main source: shared objects file (top)"),
                "regctl's classes were not mapped from the cache's archive");
        // picocli's, once left out of it as Java 5 class files (the build lifts them), and regctl's
        // classes that implement its interfaces, which were left out with them.
        // And the registries.conf reader's, TOML's parser among them, which a user's file needs.
        for (String type : List.of("picocli.CommandLine", "picocli.CommandLine$Interpreter", "dev.regctl.cli.MemberBinding",
                "dev.regctl.registries.RegistriesToml", "com.fasterxml.jackson.dataformat.toml.Parser",
                "com.fasterxml.jackson.dataformat.toml.Lexer")) {
            assertTrue(later.out.contains(type + " source: shared objects file (top)"), type + " not mapped from the cache's archive");
        }
    }

    @Test
    void everyShippedClassFileIsOneTheClassDataArchiveTakes() throws IOException {
        // JDK 17 leaves class files older than Java 6 (version 50) out of its archives, as it did all of picocli's.
        List<String> old = new ArrayList<>();
        int classes = 0;
        try (Stream<Path> jars = Files.walk(home.resolve("jars"), 2)) {
            for (Path jar : jars.filter(j -> j.toString().endsWith(".jar")).toList()) {
                try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
                    for (java.util.zip.ZipEntry e : java.util.Collections.list(zip.entries())) {
                        if (!e.getName().endsWith(".class")) {
                            continue;
                        }
                        byte[] head = zip.getInputStream(e).readNBytes(8);
                        int major = ((head[6] & 0xff) << 8) | (head[7] & 0xff);
                        classes++;
                        if (major < 50) {
                            old.add(jar.getFileName() + "!" + e.getName() + " (" + major + ")");
                        }
                    }
                }
            }
        }
        assertTrue(classes > 1000, "only " + classes + " class files under jars/");
        assertEquals(List.of(), old.subList(0, Math.min(old.size(), 10)), old.size() + " class files older than Java 6");
    }

    @Test
    void versionRunsOnTheBundledRuntimeWithoutAJdkOnPath() throws Exception {
        Result r = regctl(Map.of("REGCTL_JAVA_OPTS", "-XshowSettings:properties"), "--version");
        assertEquals(0, r.code, r.toString());
        assertTrue(r.out.startsWith("regctl "), r.toString());
        assertTrue(r.err.contains("java.home = " + home.resolve("lib/runtime").toRealPath()), "not the bundled runtime: " + r);
    }

    @Test
    void theRuntimesOwnClassDataArchiveIsUsed() throws Exception {
        assertTrue(Files.isRegularFile(home.resolve("lib/runtime/lib/server/classes.jsa")), "no class-data archive in lib/runtime/lib/server");
        Result r = regctl(Map.of("REGCTL_JAVA_OPTS", "-Xlog:class+load=info"), "--version");
        assertEquals(0, r.code, r.toString());
        assertTrue(r.out.contains("java.lang.Object source: shared objects file"), "class-data archive not mapped");
    }

    @Test
    void tagsAndCopyAgainstARealRegistry() throws Exception {
        try (Seeder seeder = Seeder.of(registry)) {
            seeder.tags("release/app", List.of("v1", "v2"));
        }
        Result tags = regctl(Map.of(), "tags", registry.host() + "/release/app");
        assertEquals(0, tags.code, tags.toString());
        assertEquals("v1\nv2\n", tags.out);

        Result copy = regctl(Map.of(), "copy", registry.host() + "/release/app:v1", registry.host() + "/release/copy:v1");
        assertEquals(0, copy.code, copy.toString());
        assertTrue(copy.out.startsWith("copied "), copy.toString());
        Result copied = regctl(Map.of(), "tags", registry.host() + "/release/copy");
        assertEquals("v1\n", copied.out, copied.toString());
    }

    @Test
    void appendLoadsJibFromItsOwnDirectoryOnTheBundledRuntime() throws Exception {
        try (Seeder seeder = Seeder.of(registry)) {
            seeder.tags("release/base", List.of("v1"));
        }
        assertTrue(Files.isRegularFile(home.resolve("jars/lib/append").resolve("jib-core-0.28.1.jar")),
                "jib-core ships in jars/lib/append");
        try (Stream<Path> jars = Files.list(home.resolve("jars/lib"))) {
            assertTrue(jars.noneMatch(j -> j.getFileName().toString().startsWith("jib-")), "Jib is not on the class path");
        }
        Path file = Files.writeString(work.resolve("hello.txt"), "hello\n");
        Result r = regctl(Map.of(), "append", registry.host() + "/release/base:v1", registry.host() + "/release/appended:v1",
                "--add", file + ":/hello.txt", "--label", "from=release");
        assertEquals(0, r.code, r.toString());
        assertTrue(r.out.startsWith("sha256:"), r.toString());
        Result digest = regctl(Map.of(), "digest", registry.host() + "/release/appended:v1");
        assertEquals(r.out, digest.out, digest.toString());
    }

    /**
     * zstd-jni ships this platform's native library alone, and it loads on the bundled runtime:
     * a {@code zstd --long=27} archive is read, and nothing is left in TMPDIR.
     */
    @Test
    void aLongWindowZstdArchiveIsReadWithTheShippedNativeLibrary() throws Exception {
        try (Stream<Path> jars = Files.list(home.resolve("jars/lib"))) {
            Path zstdJni = jars.filter(j -> j.getFileName().toString().startsWith("zstd-jni-")).findFirst().orElseThrow();
            assertTrue(Files.size(zstdJni) < (2 << 20), "one platform's native library, not all of them: " + Files.size(zstdJni));
        }
        byte[] layer = TarBytes.concat(TarBytes.file("hello.txt", "hello\n".getBytes(StandardCharsets.UTF_8)), TarBytes.end());
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(layer)) + "\"]}}").getBytes(StandardCharsets.UTF_8);
        byte[] saved = TarBytes.concat(TarBytes.file("config.json", config), TarBytes.file("layer.tar", layer),
                TarBytes.file("manifest.json", "[{\"Config\":\"config.json\",\"RepoTags\":[\"app:1\"],\"Layers\":[\"layer.tar\"]}]"
                        .getBytes(StandardCharsets.UTF_8)), TarBytes.end());
        java.io.ByteArrayOutputStream zstd = new java.io.ByteArrayOutputStream();
        try (ZstdOutputStreamNoFinalizer out = new ZstdOutputStreamNoFinalizer(zstd)) {
            out.setLong(27);
            out.write(saved);
        }
        Path archive = Files.write(work.resolve("saved.tar.zst"), zstd.toByteArray());
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        Result r = regctl(Map.of("TMPDIR", tmp.toString()), "inspect", "docker-archive:" + archive);
        assertEquals(0, r.code, r.toString());
        assertTrue(r.out.contains("linux/amd64"), r.toString());
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void binHoldsTheLauncherAloneSoPathShadowsNoJava() throws IOException {
        try (Stream<Path> bin = Files.list(home.resolve("bin"))) {
            assertEquals(List.of("regctl"), bin.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertTrue(Files.isExecutable(home.resolve("lib/runtime/bin/java")), "the runtime is in lib/runtime");
    }

    /**
     * A build in a used target/ once shipped the jars of dependencies since dropped or upgraded
     * (aircompressor, and in lib/append older commons-* than regctl's own): jars/lib holds what
     * regctl.jar's class path names, and lib/append none of those and no artifact twice.
     */
    @Test
    void theArchiveShipsOnlyTheJarsRegctlRunsWith() throws IOException {
        String classPath;
        try (JarFile jar = new JarFile(home.resolve("jars/regctl.jar").toFile())) {
            classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
        }
        List<String> named = Stream.of(classPath.split(" ")).map(p -> p.substring("lib/".length())).sorted().toList();
        assertEquals(named, jarNames(home.resolve("jars/lib")), "jars/lib is regctl.jar's class path, no more");
        List<String> append = jarNames(home.resolve("jars/lib/append")).stream().map(ReleaseArchiveIT::artifact).toList();
        assertEquals(append.stream().distinct().toList(), append, "an artifact twice in jars/lib/append");
        List<String> both = named.stream().map(ReleaseArchiveIT::artifact).filter(append::contains).toList();
        assertEquals(List.of(), both, "jars/lib/append holds what regctl's class path already has");
    }

    private static List<String> jarNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().toList();
        }
    }

    /** A jar's artifact without its version: guava-32.1.2-jre.jar is guava. */
    private static String artifact(String jar) {
        return jar.replaceFirst("^(.*?)-\\d.*\\.jar$", "$1");
    }

    @Test
    void aLinkedLauncherRunsAndACopiedOneSaysWhatToDo() throws Exception {
        Path elsewhere = Files.createDirectories(work.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(elsewhere.resolve("regctl"), home.resolve("bin/regctl"));
        Result linked = run(Path.of("/"), List.of(link.toString(), "ref", "alpine"), Map.of());
        assertEquals(0, linked.code, linked.toString());
        assertEquals("docker.io/library/alpine:latest\n", linked.out);

        Path copyDir = Files.createDirectories(work.resolve("copied"));
        Path copy = Files.copy(home.resolve("bin/regctl"), copyDir.resolve("regctl"));
        Result copied = run(Path.of("/"), List.of(copy.toString(), "ref", "alpine"), Map.of());
        assertEquals(1, copied.code, copied.toString());
        assertTrue(copied.err.startsWith("regctl: no regctl.jar beside " + copyDir), copied.toString());
        assertTrue(copied.err.contains("hint: link it instead"), copied.toString());
        assertFalse(copied.err.contains("Exception"), copied.toString());
    }

    @Test
    void checksumFileMatchesTheArchive() throws IOException, NoSuchAlgorithmException {
        Path sums = archive.resolveSibling(archive.getFileName() + ".sha256");
        assertTrue(Files.isRegularFile(sums), "no checksum file " + sums);
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(archive)));
        assertEquals(hex + "  " + archive.getFileName() + "\n", Files.readString(sums));
    }

    @Test
    void shipsLicenceCompletionsAndAManPagePerCommand() throws Exception {
        for (String f : List.of("LICENSE", "README.md", "completions/regctl.bash", "completions/_regctl",
                "completions/regctl.fish", "docs/commands.md", "docs/security.md")) {
            assertTrue(Files.isRegularFile(home.resolve(f)), "missing " + f);
        }
        assertEquals(Files.readString(Path.of("completions/regctl.bash")), Files.readString(home.resolve("completions/regctl.bash")));
        // The README a user unpacks links docs/: every page it names is in the archive too.
        Matcher link = Pattern.compile("\\]\\(([^)#\\s:]+)(#[^)]*)?\\)")
                .matcher(Files.readString(home.resolve("README.md")));
        while (link.find()) {
            assertTrue(Files.exists(home.resolve(link.group(1))), "the README links " + link.group(1) + ", not in the archive");
        }
        List<String> expected = new ArrayList<>();
        try (Stream<Path> adoc = Files.list(Path.of("docs/man"))) {
            adoc.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".adoc"))
                    .forEach(n -> expected.add(n.replace(".adoc", ".1")));
        }
        assertFalse(expected.isEmpty());
        for (String page : expected) {
            assertTrue(Files.isRegularFile(home.resolve("share/man/man1/" + page)), "missing man page " + page);
        }
    }

    @Test
    void manRendersEveryPage() throws Exception {
        Path man = Path.of("/usr/bin/man");
        if (!Files.isExecutable(man)) {
            fail("man is not installed: apt-get install man-db (scripts/test-deps installs it)");
        }
        Map<String, CommandLine> commands = ManPages.commandsByPage();
        List<String> rendered = new ArrayList<>();
        try (Stream<Path> pages = Files.list(home.resolve("share/man/man1"))) {
            for (Path page : pages.sorted().toList()) {
                Result r = run(home, List.of("man", "-l", page.toString()),
                        Map.of("MANPAGER", "cat", "PAGER", "cat", "MANWIDTH", "80", "LANG", "C.UTF-8"));
                assertEquals(0, r.code, page + ": " + r);
                assertEquals("", r.err, page + ": " + r);
                String name = page.getFileName().toString().replace(".1", "");
                rendered.add(name);
                assertTrue(r.out.contains("NAME") && r.out.contains(name) && r.out.contains("SYNOPSIS"), page + ":\n" + r.out);
                if (!name.equals("regctl") && !name.equals("regctl-help")) {
                    assertTrue(r.out.contains("EXIT STATUS") && r.out.contains("EXAMPLES"), page + ":\n" + r.out);
                }
                CommandLine command = commands.get(name);
                assertNotNull(command, page + " documents no command");
                saysWhatTheCommandTakes(name, command.getCommandSpec(), r.out);
            }
        }
        assertEquals(new TreeSet<>(commands.keySet()), new TreeSet<>(rendered), "a page per command, no other");
    }

    /**
     * What a rendered page says, not only that it renders (a garbled SYNOPSIS once lost --platform,
     * --chown, --add and --expose): every option the command lists is in its SYNOPSIS and has its
     * names together in one entry, and every parameter is in the SYNOPSIS.
     */
    private static void saysWhatTheCommandTakes(String page, CommandSpec spec, String text) {
        String synopsis = text.substring(text.indexOf("\nSYNOPSIS\n"), text.indexOf("\nDESCRIPTION\n"));
        Set<String> inSynopsis = new HashSet<>();
        Matcher option = Pattern.compile("(?<![\\w-])(--?[A-Za-z][\\w-]*)").matcher(synopsis);
        while (option.find()) {
            String name = option.group(1);
            inSynopsis.add(name);
            if (name.matches("-[A-Za-z]{2,}")) { // clustered short options: -hqv
                name.chars().skip(1).forEach(c -> inSynopsis.add("-" + (char) c));
            }
        }
        // An entry's names head its paragraph, indented 7 columns: "       -j, --jobs=N".
        List<List<String>> entries = text.lines().filter(l -> l.matches(" {7}-.*"))
                .map(l -> Stream.of(l.strip().split(", ")).map(n -> n.replaceAll("[=\\s].*", "")).toList()).toList();
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) {
                continue;
            }
            List<String> names = List.of(o.names());
            assertTrue(names.stream().anyMatch(inSynopsis::contains), page + ": SYNOPSIS lacks " + o.longestName() + ":\n" + synopsis);
            assertTrue(entries.stream().anyMatch(e -> e.containsAll(names)), page + ": no entry for " + names + ":\n" + text);
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            assertTrue(synopsis.contains(p.paramLabel()), page + ": SYNOPSIS lacks " + p.paramLabel() + ":\n" + synopsis);
        }
    }

        /** bin/regctl from the unpacked archive, run from / with PATH=/usr/bin:/bin and a fresh HOME only. */
    private static Result regctl(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/regctl").toString());
        cmd.addAll(List.of(args));
        return run(Path.of("/"), cmd, env);
    }

    private static Result run(Path dir, List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().put("HOME", Files.createDirectories(work.resolve("home")).toString());
        pb.environment().putAll(env);
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(cmd + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\nstdout: " + out + "\nstderr: " + err;
        }
    }
}
