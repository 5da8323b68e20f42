package dev.regctl.auth;

import java.util.List;
import java.util.Objects;

/**
 * Tells {@link RegistryAuthInterceptor} which registry a request is for and which scopes it
 * needs; attach it with {@code new Request.Builder().tag(AuthTarget.class, target)}. The registry
 * is the normalised name credentials are looked up by ({@code docker.io}, not the API host
 * {@code registry-1.docker.io}).
 */
public record AuthTarget(String registry, List<Scope> scopes) {

    public AuthTarget {
        Objects.requireNonNull(registry, "registry");
        scopes = List.copyOf(scopes);
    }

    /**
     * The repository the request is for (its first repository scope; a mount's target), whose
     * credential is used, or null for a request to the registry as a whole.
     */
    public String repository() {
        return scopes.stream().filter(s -> s.type().equals("repository")).map(Scope::name).findFirst().orElse(null);
    }

    /** A target with the given scopes (none, for a {@code /v2/} ping). */
    public static AuthTarget of(String registry, Scope... scopes) {
        return new AuthTarget(registry, List.of(scopes));
    }
}
