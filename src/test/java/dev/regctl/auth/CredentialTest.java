package dev.regctl.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CredentialTest {

    @Test
    void toStringNeverShowsSecrets() {
        String basic = new Credential.Basic("alice", "hunter2-secret").toString();
        String token = new Credential.IdentityToken("<token>", "refresh-secret").toString();
        assertTrue(basic.contains("alice"));
        assertFalse(basic.contains("hunter2-secret"), basic);
        assertFalse(token.contains("refresh-secret"), token);
        assertEquals("Anonymous", new Credential.Anonymous().toString());
    }

    @Test
    void equalityStillComparesTheSecret() {
        assertEquals(new Credential.Basic("a", "p"), new Credential.Basic("a", "p"));
        assertFalse(new Credential.Basic("a", "p").equals(new Credential.Basic("a", "q")));
    }
}
