import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * A build step, run by the build as a source file ({@code java -cp ASM_JAR LiftClassFiles.java JAR...}),
 * never shipped: rewrites, in place, every class file of each jar whose version is older than
 * Java 6 (50) to version 50 with the stack map frames that version carries. The bytecode is not
 * otherwise touched.
 *
 * <p>Why: picocli's class files are Java 5's, and JDK 17's class-data archives (the one the
 * launcher makes in the user's cache) leave out every class older than Java 6, so each run of
 * regctl loaded and verified picocli's 170-odd classes from the jar, a third of a short command's
 * time. Version 50 is the oldest the archive takes, and the one version whose verifier falls back
 * to the old type-inferring one should frames ever disagree, so no class can fail to load.
 */
public final class LiftClassFiles {
    private static final int JAVA_6 = Opcodes.V1_6;

    private LiftClassFiles() {
    }

    public static void main(String[] args) throws IOException {
        for (String jar : args) {
            int lifted = lift(Path.of(jar));
            if (lifted > 0) {
                System.out.println("LiftClassFiles: " + jar + ": " + lifted + " class files lifted to version " + JAVA_6);
            }
        }
    }

    /** Rewrites {@code jar}'s old class files; returns how many (0 leaves the file untouched). */
    static int lift(Path jar) throws IOException {
        Path out = jar.resolveSibling(jar.getFileName() + ".lifting");
        int lifted = 0;
        try (ZipFile zip = new ZipFile(jar.toFile());
             URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
             ZipOutputStream to = new ZipOutputStream(Files.newOutputStream(out))) {
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                if (entry.getName().endsWith(".class") && majorVersion(bytes) < JAVA_6) {
                    bytes = lift(bytes, classes);
                    lifted++;
                }
                // The entry's name and time as they were (a reproducible jar stays so); sizes are recomputed.
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                to.putNextEntry(copy);
                to.write(bytes);
                to.closeEntry();
            }
        }
        if (lifted == 0) {
            Files.delete(out);
        } else {
            Files.move(out, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return lifted;
    }

    private static int majorVersion(byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    private static byte[] lift(byte[] classFile, ClassLoader classes) {
        ClassReader reader = new ClassReader(classFile);
        // Not given the reader: with it ASM copies unchanged methods' code as it was, frames and all.
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            // Frames merge types by their common superclass, looked up among the jar's own classes
            // and the JDK's (the default looks in this program's class loader, which has neither).
            @Override
            protected ClassLoader getClassLoader() {
                return classes;
            }
        };
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                super.visit(JAVA_6, access, name, signature, superName, interfaces);
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }
}
