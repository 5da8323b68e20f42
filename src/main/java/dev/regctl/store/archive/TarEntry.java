package dev.regctl.store.archive;

/**
 * One member of a tar archive, found by {@link TarIndex}: its normalised name, what it is, and
 * where its content lies in the (uncompressed) file.
 *
 * @param offset     where the content starts, in bytes from the start of the file
 * @param size       the content's length; 0 for anything but a regular file
 * @param linkTarget what a link names, as written in the archive; null for anything but a link
 */
record TarEntry(String name, Type type, long offset, long size, String linkTarget) {

    /** A member that is not a link. */
    TarEntry(String name, Type type, long offset, long size) {
        this(name, type, offset, size, null);
    }

    /** What an entry is; only regular files are ever read, some reached through a symbolic link. */
    enum Type {
        FILE("a regular file"),
        DIRECTORY("a directory"),
        HARD_LINK("a hard link"),
        SYMLINK("a symbolic link"),
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
