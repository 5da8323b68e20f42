package dev.regctl.it.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the executables the integration tests run. A missing one is a failure that says what to
 * install, never a skipped test: a suite that silently skips proves nothing.
 */
final class ExternalTools {

    static final String INSTALL = "apt-get install -y docker-registry skopeo (or run scripts/test-deps)";

    private ExternalTools() {
    }

    /** The absolute path of {@code name} on PATH, or an {@link IllegalStateException} naming the package. */
    static Path require(String name) {
        return onPath(name).orElseThrow(() -> new IllegalStateException(
                name + " not found on PATH; the integration tests run the real tool: " + INSTALL));
    }

    /** The keytool of the JDK running the tests, which always matches its key store format. */
    static Path keytool() {
        Path besideJava = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (Files.isExecutable(besideJava)) {
            return besideJava;
        }
        return onPath("keytool").orElseThrow(() -> new IllegalStateException(
                "keytool not found beside java or on PATH; install a full JDK 17: "
                        + "apt-get install -y openjdk-17-jdk-headless"));
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }
}
