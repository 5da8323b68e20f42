package dev.regctl.store.archive;

/**
 * One member of a tar archive, found by {@link TarIndex}: its normalised name, what it is, and
 * where its content lies in the (uncompressed) file.
 *
 * @param offset where the content starts, in bytes from the start of the file
 * @param size   the content's length; 0 for anything but a regular file
 */
record TarEntry(String name, Type type, long offset, long size) {

    /** What an entry is; only regular files are ever read. */
    enum Type {
        FILE("a regular file"),
        DIRECTORY("a directory"),
        LINK("a link"),
        OTHER("a special file");

        private final String words;

        Type(String words) {
            this.words = words;
        }

        /** The kind in words, for messages. */
        String words() {
            return words;
        }
    }
}
