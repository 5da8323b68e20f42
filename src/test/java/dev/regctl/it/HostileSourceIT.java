package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.it.support.Launcher;
import dev.regctl.it.support.LayoutImage;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.TestImages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A source that names a tag climbing out of the destination repository, copied with
 * {@code --all-tags} into the real {@code docker-registry}: the image in the repository next
 * door must stay as it was, and nothing may be written there.
 */
class HostileSourceIT {
    private static final String CLIMBING_TAG = "../../victim/manifests/latest";
    private static final ObjectMapper JSON = new ObjectMapper();

    @AutoClose
    static RegistryServer registry;
    @AutoClose
    static Launcher launcher;
    static LayoutImage victim;
    static LayoutImage hostile;

    @BeforeAll
    static void start() throws IOException {
        registry = RegistryServer.open().start();
        launcher = Launcher.create();
        victim = TestImages.singleImage(launcher.scratch("victim"), "latest", 1, 1024, "linux/amd64", 1);
        TestImages.push(victim.dir(), "latest", registry, "team/victim:latest");
        hostile = TestImages.singleImage(launcher.scratch("hostile"), "v1", 1, 1024, "linux/amd64", 2);
        alsoTag(hostile, CLIMBING_TAG);
    }

    /** Adds a second index.json entry for the layout's image under {@code name}, as a hostile layout would. */
    private static void alsoTag(LayoutImage image, String name) throws IOException {
        Path index = image.dir().resolve("index.json");
        ObjectNode root = (ObjectNode) JSON.readTree(index.toFile());
        ArrayNode manifests = (ArrayNode) root.get("manifests");
        ObjectNode copy = manifests.get(0).deepCopy();
        ((ObjectNode) copy.get("annotations")).put("org.opencontainers.image.ref.name", name);
        manifests.add(copy);
        JSON.writeValue(index.toFile(), root);
    }

    @Test
    void aLayoutTagThatClimbsOutNeverReachesTheRepositoryNextDoor() {
        String victimBefore = launcher.run("digest", registry.docker("team/victim:latest")).stdoutText().trim();
        assertEquals(victim.digest(), victimBefore);

        int before = registry.requests().size();
        Launcher.Result r = launcher.run("copy", "--all-tags", "oci:" + hostile.dir(), registry.docker("team/app"));
        List<RegistryServer.Request> during = registry.requests().subList(before, registry.requests().size());

        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.stderrLines().get(0).endsWith("cannot hold: \"" + CLIMBING_TAG + "\""), r.toString());
        assertTrue(r.stderrLines().get(1).startsWith("hint: "), r.toString());
        assertTrue(during.stream().noneMatch(q -> q.uri().startsWith("/v2/team/victim/")), during::toString);
        assertTrue(during.stream().noneMatch(q -> q.method().equals("PUT")), () -> "refused before writing: " + during);
        assertEquals(victim.digest(),
                launcher.run("digest", registry.docker("team/victim:latest")).stdoutText().trim());
    }
}
