package dev.regctl.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Data printed as data: bytes go to stdout untouched (no charset round trip, no
 * {@link TerminalText} escaping), so a manifest or a blob printed hashes to its digest, as
 * {@code cat} would print it.
 */
final class RawOutput {

    private RawOutput() {
    }

    static void write(CommandSpec spec, byte[] bytes) {
        PrintStream stdout = stream(spec);
        stdout.write(bytes, 0, bytes.length);
        stdout.flush();
    }

    /** Standard output as bytes, after what the command printed as text so far; not to be closed. */
    static PrintStream stream(CommandSpec spec) {
        spec.commandLine().getOut().flush();
        return System.out;
    }

    /** {@link #stream} that a try-with-resources may close without closing stdout. */
    static OutputStream unclosable(CommandSpec spec) {
        PrintStream stdout = stream(spec);
        return new OutputStream() {
            @Override
            public void write(int b) {
                stdout.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                stdout.write(b, off, len);
            }

            @Override
            public void flush() {
                stdout.flush();
            }
        };
    }
}
