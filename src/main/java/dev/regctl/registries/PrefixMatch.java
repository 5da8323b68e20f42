package dev.regctl.registries;

/**
 * containers-registries.conf(5)'s rule for whether a {@code prefix} matches an image name: the
 * name starts with it and goes on with {@code /}, {@code :} or {@code @} or ends there; a
 * {@code *.example.com} prefix matches any subdomain of example.com, never example.com itself.
 */
final class PrefixMatch {
    private PrefixMatch() {
    }

    /**
     * How many characters of {@code name} the prefix covers (what a location replaces), or -1
     * when it does not match. The longest match picks the entry.
     */
    static int length(String name, String prefix) {
        if (prefix.startsWith("*.")) {
            return subdomainLength(name, prefix.substring(1));
        }
        if (!name.startsWith(prefix)) {
            return -1;
        }
        return endsComponent(name, prefix.length()) ? prefix.length() : -1;
    }

    /** {@code dotDomain} is {@code .example.com}: it must sit in the host part, at its end. */
    private static int subdomainLength(String name, String dotDomain) {
        int at = name.indexOf(dotDomain);
        if (at <= 0 || name.substring(0, at).contains("/")) {
            return -1;
        }
        int end = at + dotDomain.length();
        return endsComponent(name, end) ? end : -1;
    }

    private static boolean endsComponent(String name, int at) {
        if (at == name.length()) {
            return true;
        }
        char c = name.charAt(at);
        return c == '/' || c == ':' || c == '@';
    }
}
