package dev.regctl.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.regctl.oci.ImageRef;
import dev.regctl.ops.ReferenceBatch;
import dev.regctl.ops.Session;
import dev.regctl.store.ImageStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How {@code digest}, {@code inspect} and {@code tags} answer the references they are given.
 * Every reference is parsed before any request (one that does not parse fails the whole command
 * as bad usage). One reference prints the command's own output and fails as any command does.
 * Several are read in parallel in one session and printed in argument order: text as
 * {@code REF<TAB>...} lines, JSON as one array of {@code {"reference", ..., "error"}}; a failed
 * reference gets its own {@code regctl: REF: why} line on stderr instead, the others still print,
 * and the exit code is the worst of the failures'.
 */
final class ManyReferences {

    private ManyReferences() {
    }

    /** What a command reads of each reference and how it shows the answer. */
    interface Answer<R> {
        /** Reads what the command shows of {@code ref}. */
        R read(ImageStore store, ImageRef ref);

        /** The command's output when it was given one reference. */
        void printOne(Output out, ImageRef ref, R value);

        /** Several references: the columns after REF, one list per line (none for an empty answer). */
        List<List<String>> rows(R value);

        /** Several references with {@code -o json}: the object whose fields follow {@code "reference"}. */
        Object fields(R value);
    }

    /** An entry of the JSON array: the reference as given, then its answer's fields or its error. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(String reference, @JsonUnwrapped Object fields, Failure error) {
    }

    /** Why a reference has no answer: the stderr line's text and the exit code it alone would give. */
    record Failure(String message, int exitCode) {
    }

    /**
     * An answer reduced to what will be printed of it, as soon as it is read: text keeps only its
     * lines' columns, not a whole summary with every annotation, so fifty answers held for
     * argument order weigh little. One of the two is set, by the output format.
     */
    record Printable(List<List<String>> rows, Object fields) {
        static <R> Printable of(Answer<R> answer, R value, boolean json) {
            return json ? new Printable(null, answer.fields(value)) : new Printable(answer.rows(value), null);
        }
    }

    /** Reads and prints every reference in {@code texts}; returns the exit code. */
    static <R> int run(BaseOptions global, CommandSpec spec, List<String> texts, Answer<R> answer) {
        List<ImageRef> refs = texts.stream().map(ImageRef::parse).toList();
        PrintWriter err = spec.commandLine().getErr();
        Output out = global.output(spec.commandLine().getOut());
        try (Session session = global.session(err, refs.toArray(ImageRef[]::new))) {
            if (refs.size() == 1) {
                ImageRef ref = refs.get(0);
                R value;
                try (ImageStore store = session.open(ref, Session.Access.READ)) {
                    value = answer.read(store, ref);
                }
                answer.printOne(out, ref, value);
                return ExitCodes.OK;
            }
            boolean json = out.isJson();
            List<ReferenceBatch.Outcome<Printable>> outcomes = ReferenceBatch.read(session, refs,
                    (store, ref) -> Printable.of(answer, answer.read(store, ref), json));
            return print(texts, outcomes, out, err);
        }
    }

    /** Answers on stdout and failures on stderr, each in argument order; returns the exit code. */
    static int print(List<String> texts, List<ReferenceBatch.Outcome<Printable>> outcomes, Output out, PrintWriter err) {
        List<Main.ErrorReport> failures = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            ReferenceBatch.Outcome<Printable> o = outcomes.get(i);
            String text = texts.get(i);
            if (o.succeeded() && out.isJson()) {
                entries.add(new Entry(text, o.value().fields(), null));
            } else if (o.succeeded()) {
                o.value().rows().forEach(row -> lines.add(line(text, row)));
            } else {
                Main.ErrorReport report = Main.ErrorReport.of(o.failure());
                String message = report.message().startsWith(text + ": ") ? report.message() : text + ": " + report.message();
                failures.add(new Main.ErrorReport(message, report.hint(), report.exitCode()));
                entries.add(new Entry(text, null, new Failure(report.message(), report.exitCode())));
            }
        }
        out.print(entries, w -> lines.forEach(w::println));
        if (failures.isEmpty()) {
            return ExitCodes.OK;
        }
        // A stop (Ctrl-C, --timeout) fails every read in flight; its own line says so, not one per reference.
        EarlyExit.awaitStop();
        Set<String> hints = new LinkedHashSet<>();
        for (Main.ErrorReport f : failures) {
            err.println("regctl: " + TerminalText.line(f.message()));
            if (f.hint() != null) {
                hints.add(f.hint());
            }
        }
        hints.forEach(h -> err.println("hint: " + TerminalText.line(h)));
        err.flush();
        return worst(failures.stream().map(Main.ErrorReport::exitCode).toList());
    }

    /**
     * The exit code of a run whose references failed with {@code codes}: theirs when they agree,
     * else the highest, so "all not found" stays 3 and a refusal (4) is not hidden by a miss (3).
     */
    static int worst(List<Integer> codes) {
        return codes.stream().mapToInt(Integer::intValue).max().orElse(ExitCodes.OK);
    }

    private static String line(String reference, List<String> columns) {
        List<String> all = new ArrayList<>(columns.size() + 1);
        all.add(reference);
        all.addAll(columns);
        return TerminalText.columns(all.toArray(String[]::new));
    }
}
