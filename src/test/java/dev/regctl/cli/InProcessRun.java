package dev.regctl.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One regctl run in this JVM, what it printed and its exit code; its own docker config, so no developer's credentials take part. */
public record InProcessRun(int exit, String out, String err) {

    public static InProcessRun of(Path dockerConfig, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> argv = new ArrayList<>(List.of(args));
        // --docker-config, not --config: on inspect, --config prints the image config.
        argv.addAll(List.of("--docker-config", dockerConfig.toString()));
        int exit = Main.run(argv.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new InProcessRun(exit, out.toString(), err.toString());
    }
}
