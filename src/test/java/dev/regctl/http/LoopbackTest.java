package dev.regctl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoopbackTest {
    @ParameterizedTest
    @CsvSource({
        "localhost, true", "localhost:5000, true", "127.0.0.1:5000, true", "127.1.2.3, true",
        "'[::1]:5000', true", "'[::1]', true", "registry.localhost:443, true",
        "10.0.0.1:5000, false", "example.com, false", "128.0.0.1, false", "localhost.example.com, false",
        "'[fe80::1]:5000', false", "my127.0.0.1.host, false"
    })
    void loopbackHosts(String host, boolean loopback) {
        assertEquals(loopback, Loopback.isLoopback(host), host);
    }
}
