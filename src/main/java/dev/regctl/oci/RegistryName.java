package dev.regctl.oci;

import dev.regctl.RegctlException;
import java.util.Set;

/**
 * A registry on its own, {@code HOST[:PORT]}, as named by {@code ls}, {@code login} and
 * {@code logout}; Docker Hub's aliases are normalised to {@code docker.io}.
 *
 * @param name the host with optional port, e.g. {@code localhost:5000}, {@code [::1]:5000}, {@code docker.io}
 */
public record RegistryName(String name) {

    /** How references and config files name Docker Hub. */
    public static final String DOCKER_HUB = "docker.io";

    /** Docker Hub's v2 API lives on a different host than its name. */
    private static final String DOCKER_HUB_API = "registry-1.docker.io";

    /** The {@code auths} key docker has used for Hub since v1, kept so our logins and docker's are shared. */
    private static final String DOCKER_HUB_CONFIG_KEY = "https://index.docker.io/v1/";

    private static final Set<String> DOCKER_HUB_ALIASES = Set.of(DOCKER_HUB, "index.docker.io", DOCKER_HUB_API);

    /** Validates the name and folds Docker Hub's aliases into {@code docker.io}. */
    public RegistryName {
        if (name == null) {
            throw new RegctlException(RegctlException.Kind.USAGE, "empty registry name; expected HOST[:PORT]");
        }
        String problem = DockerGrammar.hostProblem(name);
        if (problem != null) {
            throw new RegctlException(RegctlException.Kind.USAGE,
                    "invalid registry " + DockerGrammar.quote(name) + ": " + problem);
        }
        name = normalise(name);
    }

    /**
     * Parses {@code HOST[:PORT]}, also accepting a trailing {@code /}, {@code /v1/} or {@code /v2/}
     * as registry docs write them. A URL scheme is refused, as in references: {@code http://}
     * could not mean plain HTTP here without meaning something else there.
     */
    public static RegistryName parse(String input) {
        if (input == null || input.isEmpty()) {
            throw invalid(input == null ? "" : input, "empty registry name; expected HOST[:PORT]");
        }
        int blank = DockerGrammar.firstBlankOrControl(input);
        if (blank >= 0) {
            throw invalid(input, "contains a space or control character at position " + (blank + 1)
                    + "; expected HOST[:PORT]");
        }
        NearMisses.Problem url = NearMisses.urlScheme(input, "a registry name", "HOST[:PORT]", RegistryName::hostOf);
        if (url != null) {
            throw new RegctlException(RegctlException.Kind.USAGE,
                    "invalid registry " + DockerGrammar.quote(input) + ": " + url.text(), url.hint(), null);
        }
        String s = withoutApiPath(input);
        int slash = s.indexOf('/');
        if (slash >= 0) {
            throw invalid(input, "registry " + DockerGrammar.quote(s.substring(0, slash)) + " is followed by path "
                    + DockerGrammar.quote(s.substring(slash)) + "; give HOST[:PORT] only");
        }
        String problem = DockerGrammar.hostProblem(s);
        if (problem != null) {
            throw invalid(input, problem);
        }
        return new RegistryName(s);
    }

    /** True for Docker Hub. */
    public boolean isDockerHub() {
        return name.equals(DOCKER_HUB);
    }

    /** The {@code host[:port]} to send HTTP requests to. */
    public String apiHost() {
        return isDockerHub() ? DOCKER_HUB_API : name;
    }

    /** The key of this registry in the {@code auths} map of docker's {@code config.json}. */
    public String configKey() {
        return isDockerHub() ? DOCKER_HUB_CONFIG_KEY : name;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Docker Hub's aliases become {@code docker.io}; any other name is kept as written. */
    static String normalise(String hostAndPort) {
        return DOCKER_HUB_ALIASES.contains(hostAndPort) ? DOCKER_HUB : hostAndPort;
    }

    /** {@code s} without a trailing {@code /}, {@code /v1/} or {@code /v2/}. */
    private static String withoutApiPath(String s) {
        s = stripTrailingSlashes(s);
        if (s.endsWith("/v1") || s.endsWith("/v2")) {
            s = stripTrailingSlashes(s.substring(0, s.length() - 3));
        }
        return s;
    }

    /** The registry a URL without its scheme names, as it should be written: {@code index.docker.io/v1/} is {@code docker.io}. */
    private static String hostOf(String afterScheme) {
        String s = withoutApiPath(afterScheme);
        int slash = s.indexOf('/');
        String host = slash < 0 ? s : s.substring(0, slash);
        return host.isEmpty() ? "HOST[:PORT]" : normalise(host);
    }

    private static String stripTrailingSlashes(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(0, end);
    }

    private static RegctlException invalid(String input, String problem) {
        return new RegctlException(RegctlException.Kind.USAGE,
                "invalid registry " + DockerGrammar.quote(input) + ": " + problem);
    }
}
