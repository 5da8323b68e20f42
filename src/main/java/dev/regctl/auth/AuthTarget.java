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

    /** A target with the given scopes (none, for a {@code /v2/} ping). */
    public static AuthTarget of(String registry, Scope... scopes) {
        return new AuthTarget(registry, List.of(scopes));
    }
}
