package dev.regctl.ops.append;

import dev.regctl.RegctlException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads append's {@link ImageBuilder} with Jib core's jars, which sit apart from regctl's own in
 * {@code lib/append/} beside {@code regctl.jar} (target/ after a build, jars/ in the release) and
 * are on no other command's class path: Jib brings ~11 MB of jars that the start-up of every
 * other command should neither open nor list. The Jib-using classes of regctl (package
 * {@code dev.regctl.ops.append.jib}) are defined by the same loader, since classes they link to
 * must be visible from theirs; all other regctl classes come from the application loader, so the
 * builder and its callers share one {@code ImageBuilder} and one model.
 */
public final class JibLoader {
    static final String BUILDER = "dev.regctl.ops.append.jib.JibImageBuilder";
    private static final String JIB_PACKAGE = "dev.regctl.ops.append.jib.";
    private static final String JIB_API = "com.google.cloud.tools.jib.api.Jib";

    private JibLoader() {
    }

    /** The builder, from {@code lib/append/} beside the jar, or (tests, IDEs) from the class path when Jib is on it. */
    public static ImageBuilder builder() {
        ClassLoader loader = loader();
        try {
            return (ImageBuilder) Class.forName(BUILDER, true, loader).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "append: cannot load Jib core: " + e,
                    "reinstall regctl: its jars/lib/append/ directory is incomplete", e);
        }
    }

    private static ClassLoader loader() {
        ClassLoader own = JibLoader.class.getClassLoader();
        Path dir = appendLibs();
        if (dir == null || !Files.isDirectory(dir)) {
            if (own.getResource(JIB_API.replace('.', '/') + ".class") != null) {
                return own;
            }
            throw new RegctlException(RegctlException.Kind.FAILURE, "append: Jib core's jars are missing"
                    + (dir == null ? "" : " from " + dir), "reinstall regctl, or build it with ./mvnw package", null);
        }
        return new ChildFirst(jars(dir), own);
    }

    /** {@code lib/append} beside the jar regctl runs from, or null when it runs from a classes directory. */
    private static Path appendLibs() {
        try {
            var source = JibLoader.class.getProtectionDomain().getCodeSource();
            Path where = source == null ? null : Path.of(source.getLocation().toURI());
            if (where == null || !Files.isRegularFile(where)) {
                return null;
            }
            return where.resolveSibling("lib").resolve("append");
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return null;
        }
    }

    private static URL[] jars(Path dir) {
        List<URL> urls = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path jar : files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                urls.add(jar.toUri().toURL());
            }
        } catch (IOException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE, "append: cannot list " + dir + ": " + e.getMessage());
        }
        return urls.toArray(URL[]::new);
    }

    /** Defines the {@code ops.append.jib} classes itself; everything else is asked of the parent first. */
    private static final class ChildFirst extends URLClassLoader {
        static {
            registerAsParallelCapable();
        }

        ChildFirst(URL[] jars, ClassLoader parent) {
            super("regctl-append", jars, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(JIB_PACKAGE)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = defineFromParent(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        private Class<?> defineFromParent(String name) throws ClassNotFoundException {
            try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                if (in == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length, JibLoader.class.getProtectionDomain());
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }
}
