package dev.regctl.store;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** How a failed file operation on this machine is told to the user. */
public final class FileErrors {

    private FileErrors() {
    }

    /** java.nio's messages are often just a path; say what happened to it. */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            String path = f.getFile();
            if (e instanceof NoSuchFileException) {
                return "no such file or directory: " + path;
            }
            if (e instanceof AccessDeniedException) {
                return "permission denied: " + path;
            }
            if (e instanceof FileAlreadyExistsException) {
                return path + " is in the way (it exists already)";
            }
            if (e instanceof NotDirectoryException) {
                return path + " is not a directory";
            }
            if (e instanceof DirectoryNotEmptyException) {
                return path + " is a directory that is not empty";
            }
            // A rename names its target second, and that is what was in the way.
            String about = f.getOtherFile() != null ? f.getOtherFile() : path;
            return f.getReason() == null ? about : f.getReason() + ": " + about;
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("");
    }
}
