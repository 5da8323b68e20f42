package dev.regctl.auth;

import java.util.List;

/** A token scope as the token spec writes it, e.g. {@code repository:foo/bar:pull,push}. */
public record Scope(String type, String name, List<String> actions) {
    public static Scope repository(String name, String... actions) {
        return new Scope("repository", name, List.of(actions));
    }

    public static Scope catalog() {
        return new Scope("registry", "catalog", List.of("*"));
    }

    @Override
    public String toString() {
        return type + ":" + name + ":" + String.join(",", actions);
    }
}
