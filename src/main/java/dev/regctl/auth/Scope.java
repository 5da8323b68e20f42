package dev.regctl.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One resource and the actions wanted on it, in the token spec's grammar
 * ({@code repository:library/ubuntu:pull,push}); {@code toString()} is that wire form.
 */
public record Scope(String type, String name, List<String> actions) {

    public Scope {
        if (type == null || type.isBlank() || type.contains(":")) {
            throw new IllegalArgumentException("scope type must be a non-empty word: " + type);
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("scope name must not be empty");
        }
        if (actions == null || actions.isEmpty()) {
            throw new IllegalArgumentException("scope " + type + ":" + name + " needs at least one action");
        }
        for (String action : actions) {
            if (action == null || action.isBlank() || action.contains(",") || action.contains(" ")) {
                throw new IllegalArgumentException("invalid scope action: " + action);
            }
        }
        actions = List.copyOf(actions);
    }

    /** {@code repository:<name>:<actions>}, e.g. {@code repository("library/ubuntu", "pull")}. */
    public static Scope repository(String name, String... actions) {
        return new Scope("repository", name, List.of(actions));
    }

    /** {@code registry:catalog:*}, what {@code /v2/_catalog} asks for. */
    public static Scope catalog() {
        return new Scope("registry", "catalog", List.of("*"));
    }

    /**
     * Parses one scope in wire form. The name is everything between the first and the last colon,
     * so a type with a class such as {@code repository(plugin)} still parses.
     */
    public static Optional<Scope> parse(String wire) {
        int first = wire.indexOf(':');
        int last = wire.lastIndexOf(':');
        if (first <= 0 || last == first || last == wire.length() - 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Scope(wire.substring(0, first), wire.substring(first + 1, last),
                    List.of(wire.substring(last + 1).split(",", -1))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The scopes to request, in wire form: {@code scopes} first, then each space-separated entry of
     * {@code extra} (a challenge's {@code scope} parameter, may be null). Actions on the same
     * resource are united; entries that are not in the usual grammar (public ECR sends
     * {@code scope="aws"}) are passed on verbatim because the token server defined them.
     */
    static List<String> union(Collection<Scope> scopes, String extra) {
        Map<String, Set<String>> actionsByResource = new LinkedHashMap<>();
        List<String> verbatim = new ArrayList<>();
        for (Scope s : scopes) {
            actionsByResource.computeIfAbsent(s.type + ":" + s.name, k -> new LinkedHashSet<>()).addAll(s.actions);
        }
        if (extra != null) {
            for (String wire : extra.trim().split("\\s+")) {
                if (wire.isEmpty()) {
                    continue;
                }
                Optional<Scope> parsed = parse(wire);
                if (parsed.isPresent()) {
                    Scope s = parsed.get();
                    actionsByResource.computeIfAbsent(s.type + ":" + s.name, k -> new LinkedHashSet<>())
                            .addAll(s.actions);
                } else if (!verbatim.contains(wire)) {
                    verbatim.add(wire);
                }
            }
        }
        List<String> out = new ArrayList<>();
        actionsByResource.forEach((resource, actions) -> out.add(resource + ":" + String.join(",", actions)));
        out.addAll(verbatim);
        return out;
    }

    @Override
    public String toString() {
        return type + ":" + name + ":" + String.join(",", actions);
    }
}
