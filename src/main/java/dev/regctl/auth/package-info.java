/**
 * Registry authentication: where credentials come from (docker config, credential helpers,
 * podman's auth.json), how registries ask for them ({@code WWW-Authenticate} challenges) and
 * the OkHttp interceptor that answers with Basic or Bearer tokens. Nothing here ever puts a
 * secret in an exception message, a {@code toString()} or a log line.
 */
package dev.regctl.auth;
