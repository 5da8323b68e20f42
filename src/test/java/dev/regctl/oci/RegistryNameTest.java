package dev.regctl.oci;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regctl.RegctlException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryNameTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            # input                          | name               | apiHost              | configKey
            docker.io                        | docker.io          | registry-1.docker.io | https://index.docker.io/v1/
            index.docker.io                  | docker.io          | registry-1.docker.io | https://index.docker.io/v1/
            registry-1.docker.io             | docker.io          | registry-1.docker.io | https://index.docker.io/v1/
            docker.io/                       | docker.io          | registry-1.docker.io | https://index.docker.io/v1/
            index.docker.io/v1/              | docker.io          | registry-1.docker.io | https://index.docker.io/v1/
            localhost:5000/v2/               | localhost:5000     | localhost:5000       | localhost:5000
            localhost                        | localhost          | localhost            | localhost
            localhost:5000                   | localhost:5000     | localhost:5000       | localhost:5000
            ghcr.io                          | ghcr.io            | ghcr.io              | ghcr.io
            quay.io:443                      | quay.io:443        | quay.io:443          | quay.io:443
            127.0.0.1:5000                   | 127.0.0.1:5000     | 127.0.0.1:5000       | 127.0.0.1:5000
            [::1]:5000                       | [::1]:5000         | [::1]:5000           | [::1]:5000
            [fe80::1]                        | [fe80::1]          | [fe80::1]            | [fe80::1]
            Myregistry                       | Myregistry         | Myregistry           | Myregistry
            my-registry.example.com:8443/v2  | my-registry.example.com:8443 | my-registry.example.com:8443 | my-registry.example.com:8443
            """)
    void parses(String input, String name, String apiHost, String configKey) {
        RegistryName r = RegistryName.parse(input);
        assertAll(
                () -> assertEquals(name, r.name(), "name"),
                () -> assertEquals(name, r.toString(), "toString"),
                () -> assertEquals(apiHost, r.apiHost(), "apiHost"),
                () -> assertEquals(configKey, r.configKey(), "configKey"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            # input                       | the message must contain
            ''                            | empty registry name
            https://                      | a registry name takes no URL scheme; write HOST[:PORT]
            https://index.docker.io/v1/   | a registry name takes no URL scheme; write docker.io
            http://localhost:5000/v2/     | a registry name takes no URL scheme; write localhost:5000
            HTTPS://ghcr.io/              | a registry name takes no URL scheme; write ghcr.io
            http://ghcr.io/owner/app      | a registry name takes no URL scheme; write ghcr.io
            localhost:5000/app            | path "/app"
            ftp://ghcr.io                 | unsupported scheme "ftp://"; expected HOST[:PORT]
            my_registry.io                | invalid registry host "my_registry.io"
            -bad.io                       | invalid registry host "-bad.io"
            localhost:port                | invalid port "port"
            localhost:                    | invalid port ""
            [fe80::1%eth0]:5000           | invalid registry host "[fe80::1%eth0]"
            [::1                          | invalid registry host "[::1"
            [::1]x                        | unexpected "x" after registry host "[::1]"
            'ghcr.io '                    | space or control character at position 8
            """)
    void rejects(String input, String expected) {
        RegctlException e = assertThrows(RegctlException.class, () -> RegistryName.parse(input));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().startsWith("invalid registry \""), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aUrlSchemeIsRefusedWithWhatToDoForPlainHttp() {
        RegctlException e = assertThrows(RegctlException.class, () -> RegistryName.parse("http://registry.lan:5000"));
        assertEquals("invalid registry \"http://registry.lan:5000\": a registry name takes no URL scheme; write registry.lan:5000",
                e.getMessage());
        assertTrue(e.hint().contains("--insecure"), e.hint());
    }

    @Test
    void nullIsEmpty() {
        RegctlException e = assertThrows(RegctlException.class, () -> RegistryName.parse(null));
        assertTrue(e.getMessage().contains("empty registry name"), e.getMessage());
    }

    @Test
    void constructorNormalisesDockerHubAndValidates() {
        assertEquals(new RegistryName("docker.io"), new RegistryName("index.docker.io"));
        assertTrue(new RegistryName("registry-1.docker.io").isDockerHub());
        assertFalse(new RegistryName("ghcr.io").isDockerHub());
        RegctlException e = assertThrows(RegctlException.class, () -> new RegistryName("a/b"));
        assertEquals(RegctlException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains("\"a/b\""), e.getMessage());
    }
}
