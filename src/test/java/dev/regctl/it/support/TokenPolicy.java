package dev.regctl.it.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may do what, as the {@link TokenServer} decides it: users and passwords, repositories
 * anyone may pull, and per-user grants on repository-name globs ({@code *} matches any run of
 * characters, slashes included). Built once by the server's builder, then read-only.
 */
final class TokenPolicy {

    /** A parsed {@code type:name:action,action} scope, as sent by clients and written into tokens. */
    record Scope(String type, String name, Set<String> actions) {

        static Scope parse(String s) {
            int first = s.indexOf(':');
            int last = s.lastIndexOf(':');
            if (first <= 0 || last == first) {
                throw new IllegalArgumentException("malformed scope \"" + s + "\": expected type:name:actions");
            }
            Set<String> actions = new LinkedHashSet<>();
            for (String a : s.substring(last + 1).split(",")) {
                if (!a.isEmpty()) {
                    actions.add(a);
                }
            }
            return new Scope(s.substring(0, first), s.substring(first + 1, last), actions);
        }

        @Override
        public String toString() {
            return type + ":" + name + ":" + String.join(",", actions);
        }
    }

    private record Grant(String user, String type, Pattern name, Set<String> actions) {
    }

    private final Map<String, String> passwords = new LinkedHashMap<>();
    private final List<Pattern> publicRepositories = new ArrayList<>();
    private final List<Grant> grants = new ArrayList<>();

    void addUser(String user, String password) {
        passwords.put(user, password);
    }

    void addPublicRepository(String glob) {
        publicRepositories.add(glob(glob));
    }

    void addGrant(String user, String type, String nameGlob, Set<String> actions) {
        grants.add(new Grant(user, type, glob(nameGlob), Set.copyOf(actions)));
    }

    boolean knowsUser(String user) {
        return passwords.containsKey(user);
    }

    boolean authenticate(String user, String password) {
        String expected = passwords.get(user);
        return expected != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The requested scope cut down to what {@code user} (empty for anonymous) holds. As the token
     * spec says, a partial or empty grant is not an error: the registry refuses the request later.
     */
    Scope grant(String user, Scope requested) {
        Set<String> allowed = new LinkedHashSet<>();
        if (requested.type().equals("repository") && matchesAny(publicRepositories, requested.name())) {
            allowed.add("pull");
        }
        for (Grant g : grants) {
            if (g.user().equals(user) && g.type().equals(requested.type()) && g.name().matcher(requested.name()).matches()) {
                allowed.addAll(g.actions());
            }
        }
        Set<String> granted = new LinkedHashSet<>();
        for (String action : requested.actions()) {
            if (allowed.contains(action) || allowed.contains("*")) {
                granted.add(action);
            }
        }
        return new Scope(requested.type(), requested.name(), granted);
    }

    private static boolean matchesAny(List<Pattern> patterns, String name) {
        return patterns.stream().anyMatch(p -> p.matcher(name).matches());
    }

    private static Pattern glob(String glob) {
        String[] literals = glob.split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < literals.length; i++) {
            if (i > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(literals[i]));
        }
        return Pattern.compile(regex.toString());
    }
}
