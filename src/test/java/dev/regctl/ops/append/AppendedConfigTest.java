package dev.regctl.ops.append;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.Json;
import dev.regctl.RegctlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppendedConfigTest {

    private static JsonNode write(String base, ConfigEdits edits) throws IOException {
        return Json.readTree(AppendedConfig.write(base.getBytes(StandardCharsets.UTF_8), edits, List.of(), List.of()));
    }

    private static ConfigEdits env(Map<String, String> env) {
        return new ConfigEdits(null, null, env, Map.of(), null, null, List.of(), null);
    }

    @Test
    void envKeepsTheBasesOrderReplacingInPlaceAndAppendingNewOnesInTheOrderGiven() throws IOException {
        Map<String, String> edits = new LinkedHashMap<>();
        edits.put("ZED", "new");
        edits.put("MIDDLE", "2");
        edits.put("ALPHA", "new");
        JsonNode config = write("{\"config\":{\"Env\":[\"PATH=/bin\",\"MIDDLE=1\",\"HOME=/root\",\"MIDDLE=again\"]}}", env(edits));
        assertEquals("[\"PATH=/bin\",\"MIDDLE=2\",\"HOME=/root\",\"MIDDLE=2\",\"ZED=new\",\"ALPHA=new\"]",
                config.path("config").path("Env").toString());
    }

    @Test
    void aBaseWithoutRunConfigGetsOneAndFieldsNoModelKnowsStay() throws IOException {
        JsonNode config = write("{\"architecture\":\"arm\",\"variant\":\"v7\",\"x-tool\":[1,{\"a\":null}],\"config\":null}",
                env(Map.of("A", "1")));
        assertEquals("{\"architecture\":\"arm\",\"variant\":\"v7\",\"x-tool\":[1,{\"a\":null}],"
                + "\"config\":{\"Env\":[\"A=1\"]},\"created\":\"1970-01-01T00:00:00Z\"}", config.toString());
    }

    @Test
    void aNewEntrypointDropsTheBasesCmdUnlessACmdIsGivenAndTheLayersGoAfterTheBases() throws IOException {
        String base = "{\"created\":\"2024-01-01T00:00:00Z\",\"config\":{\"Entrypoint\":[\"/old\"],\"Cmd\":[\"arg\"],"
                + "\"StopSignal\":\"SIGQUIT\"},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:aa\"]},"
                + "\"history\":[{\"created_by\":\"base\"}]}";
        ConfigEdits entrypoint = new ConfigEdits(List.of("/new"), null, Map.of(), Map.of(), "1000", "/app",
                List.of("8080/tcp"), Instant.parse("2024-05-01T12:00:00Z"));
        JsonNode config = Json.readTree(AppendedConfig.write(base.getBytes(StandardCharsets.UTF_8), entrypoint,
                List.of("sha256:bb"), List.of(Json.objectNode().put("created_by", "regctl:append"))));
        assertEquals("{\"created\":\"2024-05-01T12:00:00Z\",\"config\":{\"Entrypoint\":[\"/new\"],\"StopSignal\":\"SIGQUIT\","
                + "\"User\":\"1000\",\"WorkingDir\":\"/app\",\"ExposedPorts\":{\"8080/tcp\":{}}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:aa\",\"sha256:bb\"]},"
                + "\"history\":[{\"created_by\":\"base\"},{\"created_by\":\"regctl:append\"}]}", config.toString());

        ConfigEdits both = new ConfigEdits(List.of("/new"), List.of("x"), Map.of(), Map.of(), null, null, List.of(), null);
        assertEquals("[\"x\"]", write(base, both).path("config").path("Cmd").toString());
    }

    @Test
    void aBaseConfigThatIsNoObjectIsRefusedInOneLine() {
        for (String bad : List.of("[]", "{\"config\":[1]}", "{\"config\":{\"Env\":\"A=1\"}}", "not json")) {
            RegctlException e = assertThrows(RegctlException.class, () -> write(bad, env(Map.of("A", "1"))));
            assertEquals(RegctlException.Kind.UNSUPPORTED, e.kind());
            assertTrue(e.getMessage().startsWith("append: the base's image config cannot be edited: "), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
