package dev.regctl.build;

import dev.regctl.cli.CommandModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The build's step that stores every command's picocli model beside the classes (not a user
 * command): {@code CommandModelStore DIR}. A command it cannot store keeps reading its
 * annotations at run time, which works but starts slower; it is named here, and a test fails.
 */
public final class CommandModelStore {
    private CommandModelStore() {
    }

    public static void main(String[] args) throws IOException {
        List<String> left = CommandModels.store(Path.of(args[0]));
        for (String why : left) {
            System.err.println("warning: model not stored, read from annotations at run time: " + why);
        }
    }
}
