package dev.regctl.cli;

/** Counted nouns in messages: {@code 1 blob}, {@code 2 blobs}. */
final class Plural {

    private Plural() {
    }

    static String of(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
