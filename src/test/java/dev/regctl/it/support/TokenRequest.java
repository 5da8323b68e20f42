package dev.regctl.it.support;

import java.util.List;

/**
 * One request the {@link TokenServer} answered, as tests assert on it: how the client asked
 * ({@code GET} or OAuth2 {@code POST}), as whom, for which scopes, and what it got. Passwords
 * and tokens are never recorded.
 *
 * @param method    {@code GET} or {@code POST}
 * @param grantType the OAuth2 {@code grant_type} of a POST ({@code password}, {@code refresh_token}),
 *                  or {@code ""} for a GET
 * @param user      the user the client named (or the refresh token belonged to), {@code ""} if anonymous
 * @param scopes    the scopes requested, one {@code type:name:actions} string each
 * @param granted   the scopes put in the issued token; empty when none or on failure
 * @param status    the HTTP status answered
 */
public record TokenRequest(String method, String grantType, String user, List<String> scopes,
                           List<String> granted, int status) {

    /** True when the client sent credentials or a refresh token that identified a user. */
    public boolean authenticated() {
        return !user.isEmpty();
    }
}
