package dev.regctl.auth;

import java.util.List;

/** Which registry's credentials and which scopes a request needs; attached as a request tag. */
public record AuthTarget(String registry, List<Scope> scopes) {
}
