package dev.regctl.ops.sync;

import dev.regctl.RegctlException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A range of versions such as {@code >=1.2.0 <2} (comparators joined by spaces must all hold;
 * {@code ||} separates alternatives), applied to tags. A tag that is not a version
 * ({@code latest}, {@code edge}) is never in a range. Versions may start with {@code v} and leave
 * out minor and patch ({@code 3.19} is 3.19.0); a pre-release ({@code 1.2.0-rc1}) sorts before
 * its release, as semver says, and is in a range only where the range names a pre-release of the
 * same version, as npm decides; build metadata ({@code +...}) is ignored.
 */
final class SemverRange {
    private static final Pattern VERSION = Pattern.compile(
            "v?(\\d{1,9})(?:\\.(\\d{1,9}))?(?:\\.(\\d{1,9}))?(?:-([0-9A-Za-z.-]+))?(?:\\+[0-9A-Za-z.-]+)?");
    private static final Pattern COMPARATOR = Pattern.compile("(>=|<=|>|<|=)?(.+)");

    private record Comparator(String op, Version version) {
        boolean holds(Version v) {
            int c = v.compareTo(version);
            return switch (op) {
                case ">=" -> c >= 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                case "<" -> c < 0;
                default -> c == 0;
            };
        }
    }

    private final String text;
    private final List<List<Comparator>> alternatives;

    private SemverRange(String text, List<List<Comparator>> alternatives) {
        this.text = text;
        this.alternatives = alternatives;
    }

    /** @throws RegctlException USAGE naming the part that is not a comparator */
    public static SemverRange parse(String text) {
        List<List<Comparator>> alternatives = new ArrayList<>();
        for (String alternative : text.split("\\|\\|")) {
            List<Comparator> all = new ArrayList<>();
            for (String part : alternative.trim().split("\\s+")) {
                if (part.isEmpty()) {
                    continue;
                }
                Matcher m = COMPARATOR.matcher(part);
                Optional<Version> v = m.matches() ? Version.parse(m.group(2)) : Optional.empty();
                if (v.isEmpty()) {
                    throw new RegctlException(RegctlException.Kind.USAGE, "semver range \"" + text + "\": \"" + part
                            + "\" is not a comparator such as >=1.2.0 or <2");
                }
                all.add(new Comparator(m.group(1) == null ? "=" : m.group(1), v.get()));
            }
            if (all.isEmpty()) {
                throw new RegctlException(RegctlException.Kind.USAGE, "semver range \"" + text + "\" has an empty alternative");
            }
            alternatives.add(List.copyOf(all));
        }
        return new SemverRange(text, List.copyOf(alternatives));
    }

    /**
     * True when {@code tag} is a version inside the range. A pre-release is inside only an
     * alternative that names a pre-release of the same major.minor.patch (npm's rule), so
     * {@code >=1.0.0 <2} takes no {@code 1.1.0-rc1} nor {@code 1.5.0-alpine}.
     */
    public boolean contains(String tag) {
        Optional<Version> v = Version.parse(tag);
        return v.isPresent() && alternatives.stream().anyMatch(all -> all.stream().allMatch(c -> c.holds(v.get()))
                && (v.get().pre().isEmpty()
                        || all.stream().anyMatch(c -> c.version().isPreReleaseOfSameVersionAs(v.get()))));
    }

    @Override
    public String toString() {
        return text;
    }

    /** A version's numbers and pre-release identifiers, ordered as semver orders them. */
    record Version(long major, long minor, long patch, List<String> pre) implements Comparable<Version> {

        static Optional<Version> parse(String s) {
            Matcher m = VERSION.matcher(s);
            if (!m.matches()) {
                return Optional.empty();
            }
            return Optional.of(new Version(Long.parseLong(m.group(1)), number(m.group(2)), number(m.group(3)),
                    m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."))));
        }

        /**
         * True when this is a pre-release of the same major.minor.patch as {@code other}: a
         * comparator naming it lets that version's pre-releases into its range.
         */
        boolean isPreReleaseOfSameVersionAs(Version other) {
            return !pre.isEmpty() && major == other.major && minor == other.minor && patch == other.patch;
        }

        private static long number(String s) {
            return s == null ? 0 : Long.parseLong(s);
        }

        @Override
        public int compareTo(Version o) {
            int c = java.util.Comparator.comparingLong(Version::major).thenComparingLong(Version::minor)
                    .thenComparingLong(Version::patch).compare(this, o);
            if (c != 0 || pre.equals(o.pre)) {
                return c;
            }
            if (pre.isEmpty() || o.pre.isEmpty()) {
                return pre.isEmpty() ? 1 : -1; // a release is above its pre-releases
            }
            for (int i = 0; i < Math.min(pre.size(), o.pre.size()); i++) {
                int d = compareIdentifier(pre.get(i), o.pre.get(i));
                if (d != 0) {
                    return d;
                }
            }
            return Integer.compare(pre.size(), o.pre.size());
        }

        private static int compareIdentifier(String a, String b) {
            boolean na = a.chars().allMatch(Character::isDigit);
            boolean nb = b.chars().allMatch(Character::isDigit);
            if (na && nb) {
                return new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b));
            }
            return na != nb ? (na ? -1 : 1) : a.compareTo(b);
        }
    }
}
