package dev.regctl.auth;

import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * Whose tokens these are: the registry a token is fetched for, the credential presented for it,
 * and the token service asked. Tokens and refresh tokens are kept by it, so a registry that names
 * another's realm in its challenge gets only what its own credential earns there.
 * {@code toString()} never shows the credential's secret.
 */
record RealmAccount(String registry, Credential credential, HttpUrl realm, String service) {

    RealmAccount {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(realm, "realm");
        service = service == null ? "" : service;
    }
}
