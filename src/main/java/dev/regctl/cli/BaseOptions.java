package dev.regctl.cli;

import dev.regctl.RegctlException;
import dev.regctl.oci.ImageRef;
import dev.regctl.ops.Durations;
import dev.regctl.ops.Session;
import dev.regctl.registries.RegistriesConf;
import dev.regctl.registries.RegistriesConfFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Options every subcommand accepts (the global options of docs/commands.md) but the docker config
 * directory, whose names differ: {@link GlobalOptions} takes it as {@code --config DIR} (and {@code --docker-config DIR},
 * unlisted), {@link InspectOptions} as {@code --docker-config DIR} only, since {@code inspect --config}
 * prints the image config. {@code -q} is only on the commands that report progress ({@link ProgressOptions}).
 */
abstract class BaseOptions {
    static final String CONFIG_DIR_DESCRIPTION = "The docker config directory, with config.json"
            + " (default: $DOCKER_CONFIG, else ~/.docker).";

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Option(names = "--insecure",
            description = "Skip TLS verification and allow plain HTTP for the registries named.")
    boolean insecure;

    @Option(names = {"-v", "--verbose"},
            description = "Trace HTTP requests and responses to stderr (secrets redacted).")
    boolean verbose;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop the whole command after this long (h, m, s or ms: 30s, 10m, 1h30m); open uploads are"
                    + " cancelled and nothing half-copied is tagged. Default: none.")
    Duration timeout;

    @Option(names = "--registries-conf", paramLabel = "FILE",
            description = "The registries.conf to follow (mirrors, remapped and blocked registries) instead of"
                    + " $CONTAINERS_REGISTRIES_CONF, ~/.config/containers/ or /etc/containers/registries.conf.")
    Path registriesConf;

    @Option(names = "--no-registries-conf",
            description = "Ignore registries.conf: use every reference as written, with no mirror.")
    boolean noRegistriesConf;

    /** Set by each subclass's option for the directory, under the names it takes. */
    private Path configDir;
    /** The option {@link #configDir} came from, named in messages about it. */
    private String configOption;

    /** Records the docker config directory {@code dir}, given as {@code option}. */
    final void configDir(Path dir, String option) {
        this.configDir = dir;
        this.configOption = option;
    }

    public OutputFormat output() {
        return output;
    }

    public boolean insecure() {
        return insecure;
    }

    public boolean verbose() {
        return verbose;
    }

    /** The docker config directory chosen by {@code --config}, {@code DOCKER_CONFIG} or the default; never a file. */
    public Path dockerConfigDir() {
        return DockerConfigDir.choose(configDir, configOption, System.getenv());
    }

    /** A session for a run that reads or writes the stores {@code refs} name; the trace goes to {@code err} with -v. */
    public Session session(PrintWriter err, ImageRef... refs) {
        return session(err, Arrays.stream(refs).flatMap(r -> r.apiHosts().stream()).distinct().toArray(String[]::new));
    }

    /** A session for a run that talks to {@code apiHosts}; the trace goes to {@code err} with -v. */
    public Session session(PrintWriter err, String... apiHosts) {
        if (timeout != null) {
            EarlyExit.deadline(timeout);
        }
        Session session = new Session(new Session.Options(dockerConfigDir(), insecure, verbose ? err : null,
                System.getenv(), this::registries), List.of(apiHosts));
        EarlyExit.watch(session);
        return session;
    }

    /** The registries.conf in effect, as {@code --registries-conf}, {@code --no-registries-conf} and the environment say. */
    public RegistriesConf registries() {
        return RegistriesConfFiles.load(registriesConf, noRegistriesConf, System.getenv());
    }

    /** A wait ({@code --timeout}, {@code --progress-interval}): hours down to milliseconds. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                Duration d = Durations.parseWait(value);
                if (d.isZero()) {
                    throw new CommandLine.TypeConversionException("must be longer than 0s");
                }
                return d;
            } catch (RegctlException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Renders results in the chosen format. */
    public Output output(PrintWriter out) {
        return new Output(output, out);
    }
}
