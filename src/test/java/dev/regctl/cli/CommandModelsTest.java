package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

class CommandModelsTest {

    @Test
    void everyCommandHasAStoredModelThatMatchesItsAnnotations() {
        // The build stores them (process-classes); one left out would silently start slower.
        for (Map.Entry<String, Supplier<Object>> command : Main.COMMANDS.entrySet()) {
            Class<?> type = command.getValue().get().getClass();
            assertNotNull(CommandModels.class.getResource(CommandModels.resource(type)),
                    command.getKey() + ": no stored model; the build says why");
            CommandSpec stored = CommandModels.of(command.getValue().get());
            // Every option and parameter is bound by name, none by reading an annotation.
            for (ArgSpec arg : stored.args()) {
                assertInstanceOf(MemberBinding.class, arg.getter(), command.getKey() + " " + arg);
            }
            assertEquals(CommandModels.fingerprint(CommandSpec.forAnnotatedObject(command.getValue().get())),
                    CommandModels.fingerprint(stored), command.getKey());
        }
    }

    @Test
    void aRunOfOneCommandSetsFieldsMixinsAndSetterMethodsFromTheStoredModel() {
        String[] args = {"copy", "-o", "json", "--timeout", "1m30s", "--config", "/etc/dc", "--platform", "linux/amd64",
            "--platform", "linux/arm64", "-q", "--progress-interval", "2s", "a:1", "b:1"};
        CommandLine cli = Main.commandLine(args);
        assertEquals(List.of("copy"), List.copyOf(cli.getSubcommands().keySet()));
        cli.parseArgs(args);
        CopyCommand copy = cli.getSubcommands().get("copy").getCommand();
        assertEquals(OutputFormat.json, copy.global.output());
        assertEquals(Duration.ofSeconds(90), copy.global.timeout);
        assertEquals(Path.of("/etc/dc"), copy.global.dockerConfigDir());
        assertEquals(List.of("linux/amd64", "linux/arm64"), copy.platforms);
        assertEquals(Duration.ofSeconds(2), copy.progressInterval);
        assertEquals(true, copy.global.quiet());
        assertEquals("a:1", copy.source);
        assertEquals("b:1", copy.destination);
        assertEquals(cli.getSubcommands().get("copy").getCommandSpec(), copy.spec);
    }

    @Test
    void defaultsAndInitialValuesHoldWhenNothingIsGiven() {
        String[] args = {"copy", "a:1", "b:1"};
        CommandLine cli = Main.commandLine(args);
        cli.parseArgs(args);
        CopyCommand copy = cli.getSubcommands().get("copy").getCommand();
        assertEquals(OutputFormat.text, copy.global.output());
        assertEquals(Duration.ofSeconds(10), copy.progressInterval);
        assertNull(copy.global.timeout);
        assertEquals(List.of(), copy.platforms);
    }
}
