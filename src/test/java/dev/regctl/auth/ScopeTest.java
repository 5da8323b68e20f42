package dev.regctl.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScopeTest {

    @Test
    void wireForm() {
        assertEquals("repository:foo/bar:pull,push", Scope.repository("foo/bar", "pull", "push").toString());
        assertEquals("registry:catalog:*", Scope.catalog().toString());
    }

    @Test
    void parsesTheWireFormIncludingTypesWithAClass() {
        assertEquals(Optional.of(Scope.repository("library/ubuntu", "pull", "push")),
                Scope.parse("repository:library/ubuntu:pull,push"));
        assertEquals(Optional.of(new Scope("repository(plugin)", "vieux/sshfs", List.of("pull"))),
                Scope.parse("repository(plugin):vieux/sshfs:pull"));
        assertTrue(Scope.parse("aws").isEmpty());
        assertTrue(Scope.parse("repository:x:").isEmpty());
    }

    @Test
    void rejectsScopesThatWouldCorruptTheWireForm() {
        assertThrows(IllegalArgumentException.class, () -> Scope.repository("foo"));
        assertThrows(IllegalArgumentException.class, () -> Scope.repository("foo", "pull,push"));
        assertThrows(IllegalArgumentException.class, () -> Scope.repository(" ", "pull"));
    }

    @Test
    void unionMergesActionsPerResourceAndKeepsOpaqueScopes() {
        List<String> scopes = Scope.union(List.of(Scope.repository("a", "pull")),
                "repository:a:push  repository:b:pull aws aws");
        assertEquals(List.of("repository:a:pull,push", "repository:b:pull", "aws"), scopes);
        assertEquals(List.of("repository:a:pull"), Scope.union(List.of(Scope.repository("a", "pull")), null));
    }
}
