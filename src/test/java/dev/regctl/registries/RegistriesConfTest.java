package dev.regctl.registries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import dev.regctl.oci.Reference;
import dev.regctl.oci.RegistryName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistriesConfTest {
    private static final String DIGEST = "sha256:" + "a".repeat(64);

    @TempDir
    Path dir;

    private RegistriesConf load(String toml) throws IOException {
        Path file = dir.resolve("registries.conf");
        Files.writeString(file, toml);
        return RegistriesConfFiles.load(file, false, Map.of());
    }

    @Test
    void settingsRegctlIgnoresMayHoldAnyTomlValue() throws IOException {
        // Read through TOML's parser and Json's tree builder: every kind of TOML value must come
        // through it, infinities and NaN too, which JSON has no number for.
        RegistriesConf conf = load("""
                unqualified-search-registries = ["docker.io"]
                credential-helpers = ["containers-auth.json"]
                x-ratio = inf
                x-nothing = nan
                x-fraction = 0.25
                x-huge = 99999999999999999999
                x-when = 2024-01-01T00:00:00Z
                x-day = 2024-01-01

                [aliases]
                "redis" = "quay.io/library/redis"

                [[registry]]
                prefix = "docker.io"
                location = "docker.io"
                [[registry.mirror]]
                location = "mirror.corp:5000"
                """);
        assertEquals(List.of("mirror.corp:5000/library/redis:latest"), mirrors(conf.resolve(Reference.parse("redis"))));
    }

    private static List<String> mirrors(Resolution r) {
        return r.mirrors().stream().map(m -> m.reference().toString()).toList();
    }

    @Test
    void mirrorsOfDockerHubServeItsNamesInOrder() throws IOException {
        RegistriesConf conf = load("""
                [[registry]]
                prefix = "docker.io"
                location = "docker.io"
                [[registry.mirror]]
                location = "mirror.corp:5000/dockerhub"
                [[registry.mirror]]
                location = "backup.corp/hub"
                insecure = true
                """);
        Resolution r = conf.resolve(Reference.parse("alpine:3.20"));
        assertEquals("docker.io/library/alpine:3.20", r.primary().toString());
        assertEquals(List.of("mirror.corp:5000/dockerhub/library/alpine:3.20", "backup.corp/hub/library/alpine:3.20"),
                mirrors(r));
        assertFalse(r.mirrors().get(0).insecure());
        assertTrue(r.mirrors().get(1).insecure());
        assertFalse(r.blocked());
    }

    @Test
    void insecureHostsAreThoseOfInsecureLocationsAndMirrors() throws IOException {
        RegistriesConf conf = load("""
                [[registry]]
                location = "docker.io"
                insecure = true
                [[registry.mirror]]
                location = "mirror.corp:5000/hub"
                insecure = true
                [[registry.mirror]]
                location = "verified.corp/hub"
                [[registry]]
                location = "quay.io"
                """);
        assertEquals(java.util.Set.of("registry-1.docker.io", "mirror.corp:5000"), conf.insecureHosts());
    }

    @Test
    void longestPrefixWinsAndRewritesTheLocation() throws IOException {
        RegistriesConf conf = load("""
                [[registry]]
                location = "quay.io"
                [[registry]]
                prefix = "quay.io/org"
                location = "internal.corp/quay-org"
                """);
        Resolution r = conf.resolve(Reference.parse("quay.io/org/app@" + DIGEST));
        assertEquals("quay.io/org", r.entry().prefix());
        assertEquals("internal.corp/quay-org/app@" + DIGEST, r.primary().toString());
        assertEquals("quay.io", conf.resolve(Reference.parse("quay.io/other/app:1")).entry().prefix());
        // A prefix matches whole components only: quay.io/organisation is not under quay.io/org.
        assertEquals("quay.io", conf.resolve(Reference.parse("quay.io/organisation/app")).entry().prefix());
    }

    @Test
    void aRewrittenReferenceWithoutTagStaysWithoutTag() throws IOException {
        RegistriesConf conf = load("""
                [[registry]]
                prefix = "example.com/team"
                location = "internal.corp/team"
                """);
        Reference primary = conf.resolve(Reference.parse("example.com/team/app")).primary();
        assertNull(primary.tag());
        assertEquals("internal.corp/team/app:latest", primary.toString());
    }

    @Test
    void wildcardMatchesSubdomainsOnly() {
        assertEquals("sub.example.com".length(), PrefixMatch.length("sub.example.com/app:1", "*.example.com"));
        assertEquals("a.b.example.com:5000".length() - 5, PrefixMatch.length("a.b.example.com:5000/app", "*.example.com"));
        assertEquals(-1, PrefixMatch.length("example.com/app:1", "*.example.com"));
        assertEquals(-1, PrefixMatch.length("other.com/sub.example.com/app", "*.example.com"));
        assertEquals(-1, PrefixMatch.length("sub.example.community/app", "*.example.com"));
    }

    @Test
    void wildcardEntryWithoutLocationKeepsTheName() throws IOException {
        RegistriesConf conf = load("""
                [[registry]]
                prefix = "*.corp.example"
                blocked = true
                """);
        Resolution r = conf.resolve(Reference.parse("registry.corp.example/app:1"));
        assertTrue(r.blocked());
        assertEquals("registry.corp.example/app:1", r.primary().toString());
        RegctlException e = assertThrows(RegctlException.class, r::requireAllowed);
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertEquals("registry.corp.example/app:1: blocked by " + dir.resolve("registries.conf")
                + " [[registry]] prefix \"*.corp.example\"", e.getMessage());
    }

    @Test
    void pullFromMirrorChoosesByDigestOrTag() throws IOException {
        RegistriesConf conf = load("""
                [[registry]]
                location = "docker.io"
                [[registry.mirror]]
                location = "digests.corp/hub"
                pull-from-mirror = "digest-only"
                [[registry.mirror]]
                location = "tags.corp/hub"
                pull-from-mirror = "tag-only"
                """);
        assertEquals(List.of("tags.corp/hub/library/alpine:3.20"), mirrors(conf.resolve(Reference.parse("alpine:3.20"))));
        assertEquals(List.of("digests.corp/hub/library/alpine@" + DIGEST),
                mirrors(conf.resolve(Reference.parse("alpine@" + DIGEST))));
    }

    @Test
    void mirrorByDigestOnlyAppliesToEveryMirror() throws IOException {
        RegistriesConf conf = load("""
                [[registry]]
                location = "docker.io"
                mirror-by-digest-only = true
                [[registry.mirror]]
                location = "mirror.corp/hub"
                """);
        assertEquals(List.of(), mirrors(conf.resolve(Reference.parse("alpine:3.20"))));
        assertEquals(1, conf.resolve(Reference.parse("alpine@" + DIGEST)).mirrors().size());
    }

    @Test
    void settingsOnlyShortNameToolsUseAreIgnored() throws IOException {
        RegistriesConf conf = load("""
                unqualified-search-registries = ["docker.io", "quay.io"]
                short-name-mode = "enforcing"
                [aliases]
                "centos" = "quay.io/centos/centos"
                """);
        assertEquals(List.of(), conf.entries());
    }

    @Test
    void aTomlSyntaxErrorNamesFileAndLine() {
        RegctlException e = assertThrows(RegctlException.class, () -> load("""
                [[registry]]
                prefix = "docker.io"
                location = docker.io
                """));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().startsWith(dir.resolve("registries.conf") + ": invalid TOML at line 3"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void badValuesNameTheEntry() {
        RegctlException e = assertThrows(RegctlException.class, () -> load("""
                [[registry]]
                location = "docker.io"
                [[registry.mirror]]
                location = "mirror.corp"
                pull-from-mirror = "sometimes"
                """));
        assertEquals(dir.resolve("registries.conf") + ": [[registry]] prefix \"docker.io\" mirror \"mirror.corp\":"
                + " pull-from-mirror must be all, digest-only or tag-only, not \"sometimes\"", e.getMessage());
        assertThrows(RegctlException.class, () -> load("[[registry]]\nlocation = \"docker.io\"\nblocked = \"yes\"\n"));
        assertThrows(RegctlException.class, () -> load("[[registry]]\nprefix = \"docker.io\"\n"));
        assertThrows(RegctlException.class, () -> load("[registries.search]\nregistries = [\"docker.io\"]\n"));
        for (String wildcard : new String[] {"*.example.com/team", "*.example.com:5000", "*.", "*.*.example.com"}) {
            RegctlException w = assertThrows(RegctlException.class,
                    () -> load("[[registry]]\nprefix = \"" + wildcard + "\"\nlocation = \"mirror.corp\"\n"), wildcard);
            assertEquals(dir.resolve("registries.conf") + ": [[registry]] prefix \"" + wildcard + "\":"
                    + " a wildcard prefix is a domain alone, as in *.example.com", w.getMessage());
        }
    }

    @Test
    void dropInsOverrideEntriesOfTheSamePrefixInNameOrder() throws IOException {
        Path main = dir.resolve("registries.conf");
        Files.writeString(main, """
                [[registry]]
                prefix = "docker.io"
                location = "docker.io"
                [[registry.mirror]]
                location = "old.corp/hub"
                [[registry]]
                location = "quay.io"
                """);
        Path dropIns = Files.createDirectory(dir.resolve("registries.conf.d"));
        Files.writeString(dropIns.resolve("20-hub.conf"), """
                [[registry]]
                prefix = "docker.io"
                location = "docker.io"
                [[registry.mirror]]
                location = "new.corp/hub"
                """);
        Files.writeString(dropIns.resolve("10-hub.conf"), """
                [[registry]]
                prefix = "docker.io"
                location = "docker.io"
                blocked = true
                """);
        Files.writeString(dropIns.resolve("30-hub.conf.disabled"), "[[registry]]\nlocation = \"docker.io\"\nblocked = true\n");
        RegistriesConf conf = RegistriesConfFiles.load(main, false, Map.of());
        Resolution hub = conf.resolve(Reference.parse("alpine"));
        assertFalse(hub.blocked());
        assertEquals(List.of("new.corp/hub/library/alpine"), hub.mirrors().stream()
                .map(m -> m.reference().name()).toList());
        assertEquals(dropIns.resolve("20-hub.conf"), hub.entry().file());
        assertEquals("quay.io", conf.resolve(Reference.parse("quay.io/a/b")).entry().prefix());
    }

    @Test
    void lookupOrderAndSwitches() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home/.config/containers"));
        Files.writeString(home.resolve("registries.conf"), "[[registry]]\nlocation = \"docker.io\"\nblocked = true\n");
        Map<String, String> env = Map.of("HOME", dir.resolve("home").toString());
        assertTrue(RegistriesConfFiles.load(null, false, env).resolve(Reference.parse("alpine")).blocked());
        assertEquals(List.of(), RegistriesConfFiles.load(null, true, env).entries());
        // The environment's file wins over the user's.
        Path empty = Files.writeString(dir.resolve("empty.conf"), "");
        assertEquals(List.of(), RegistriesConfFiles.load(null, false,
                Map.of("HOME", env.get("HOME"), "CONTAINERS_REGISTRIES_CONF", empty.toString())).entries());
        // A missing file named by the option or the environment is refused, as podman does: a typo must not
        // silently drop the blocks it was meant to bring.
        RegctlException e = assertThrows(RegctlException.class,
                () -> RegistriesConfFiles.load(dir.resolve("none.conf"), false, env));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        RegctlException fromEnv = assertThrows(RegctlException.class, () -> RegistriesConfFiles.load(null, false,
                Map.of("HOME", env.get("HOME"), "CONTAINERS_REGISTRIES_CONF", dir.resolve("none.conf").toString())));
        assertEquals(RegctlException.Kind.USAGE, fromEnv.kind());
        assertEquals("$CONTAINERS_REGISTRIES_CONF names " + dir.resolve("none.conf") + ", which does not exist",
                fromEnv.getMessage());
        assertEquals(List.of(), RegistriesConfFiles.load(null, true,
                Map.of("CONTAINERS_REGISTRIES_CONF", dir.resolve("none.conf").toString())).entries(),
                "--no-registries-conf reads nothing, whatever the environment names");
    }

    @Test
    void aRegistryNamedAsAWholeIsBlockedByAnEntryForItsHostAlone() throws IOException {
        RegistriesConf conf = load("""
                [[registry]]
                prefix = "*.blocked.example"
                location = ""
                blocked = true
                [[registry]]
                location = "corp.example/secret"
                blocked = true
                [[registry]]
                prefix = "docker.io"
                location = "docker.io"
                blocked = true
                """);
        RegctlException wildcard = assertThrows(RegctlException.class,
                () -> conf.requireAllowed(RegistryName.parse("a.blocked.example:5000")));
        assertEquals(RegctlException.Kind.USAGE, wildcard.kind());
        assertTrue(wildcard.getMessage().startsWith("a.blocked.example:5000: blocked by "), wildcard.getMessage());
        assertTrue(wildcard.getMessage().endsWith(" [[registry]] prefix \"*.blocked.example\""), wildcard.getMessage());
        assertThrows(RegctlException.class, () -> conf.requireAllowed(RegistryName.parse("index.docker.io")),
                "Docker Hub by any of its names");
        conf.requireAllowed(RegistryName.parse("blocked.example"));
        conf.requireAllowed(RegistryName.parse("corp.example"));
    }
}
