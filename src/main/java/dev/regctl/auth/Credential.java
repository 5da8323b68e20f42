package dev.regctl.auth;

import java.util.Objects;

/**
 * What regctl presents to a registry for one host: nothing, a username and password, or an
 * OAuth2 refresh token (docker's {@code identitytoken}). {@code toString()} never shows a secret.
 */
public sealed interface Credential {

    /** No credential: requests go out unauthenticated and token requests carry no Authorization. */
    record Anonymous() implements Credential {
        @Override
        public String toString() {
            return "Anonymous";
        }
    }

    /** A username and password (or access token used as a password). */
    record Basic(String username, String password) implements Credential {
        public Basic {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Basic[username=" + username + ", password=" + Redaction.MASK + "]";
        }
    }

    /**
     * An OAuth2 refresh token, exchanged at the registry's token endpoint for short-lived access
     * tokens. The username is informational; helpers report it as {@code <token>}.
     */
    record IdentityToken(String username, String token) implements Credential {
        public IdentityToken {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String toString() {
            return "IdentityToken[username=" + username + ", token=" + Redaction.MASK + "]";
        }
    }
}
