package dev.regctl.it.support;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * A docker token-auth server on a loopback port for registries started with
 * {@link RegistryServer#token(TokenServer)}: the GET {@code /token} flow (optional Basic auth) and
 * the OAuth2 POST {@code /token} flow ({@code password} and {@code refresh_token} grants), issuing
 * RS256 JWTs that carry only what the test's policy allows. Every request is recorded.
 *
 * <pre>{@code
 * TokenServer tokens = TokenServer.builder()
 *         .user("alice", "alice-pw").grant("alice", "*", "pull", "push", "delete").catalog("alice")
 *         .user("bob", "bob-pw").grant("bob", "team/*", "pull")
 *         .publicRepository("public/*")
 *         .start();
 * RegistryServer registry = RegistryServer.token(tokens).start();
 * }</pre>
 */
public final class TokenServer implements AutoCloseable {

    private final String service;
    private final String issuer;
    private final Path dir;
    private final Path certificatePem;
    private final TokenEndpoint endpoint;
    private final HttpServer server;
    private final ExecutorService executor;

    private TokenServer(Builder b) {
        this.service = b.service;
        this.issuer = b.issuer;
        this.dir = Cleanup.tempDirectory("regctl-it-token-");
        try {
            TokenSigningKey key = TokenSigningKey.generate(dir);
            this.certificatePem = dir.resolve("issuer.pem");
            key.writeCertificatePem(certificatePem);
            this.endpoint = new TokenEndpoint(b.policy, key, service, issuer, b.lifetime, b.refreshTokensAlways);
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            if (b.certificate == null) {
                this.server = HttpServer.create(address, 16);
            } else {
                HttpsServer https = HttpsServer.create(address, 16);
                https.setHttpsConfigurator(new HttpsConfigurator(
                        new HandshakeCertificates.Builder().heldCertificate(b.certificate).build().sslContext()));
                this.server = https;
            }
        } catch (IOException e) {
            Cleanup.delete(dir);
            throw new UncheckedIOException("cannot start the token server", e);
        } catch (RuntimeException e) {
            Cleanup.delete(dir);
            throw e;
        }
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "regctl-it-token-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/token", endpoint);
        server.start();
    }

    /** A builder with no users, no public repositories and no grants. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The realm URL registries send in their {@code WWW-Authenticate} challenge: on
     * {@code https://localhost} when serving TLS (another name than the registry's {@code 127.0.0.1}).
     */
    public String realm() {
        return (server instanceof HttpsServer ? "https://localhost:" : "http://127.0.0.1:")
                + server.getAddress().getPort() + "/token";
    }

    /** The service name the registry announces and tokens carry as their audience. */
    public String service() {
        return service;
    }

    /** The {@code iss} of every token; the registry's {@code auth.token.issuer} must equal it. */
    public String issuer() {
        return issuer;
    }

    /** The issuer certificate as PEM, for the registry's {@code auth.token.rootcertbundle}. */
    public Path certificatePem() {
        return certificatePem;
    }

    /** Every request answered so far, oldest first. */
    public List<TokenRequest> requests() {
        return endpoint.requests();
    }

    /** Forgets the recorded requests, so a test can count only its own. */
    public void clearRequests() {
        endpoint.clearRequests();
    }

    /**
     * Signs a token for {@code subject} holding exactly {@code scopes}, bypassing the policy: for
     * harness code such as {@link Seeder} that must write fixtures whatever the test's policy is.
     */
    public String mintToken(String subject, String... scopes) {
        return endpoint.mint(subject, List.of(scopes));
    }

    /** Stops serving and deletes the key material. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        Cleanup.delete(dir);
    }

    /** Configures the policy and names; {@link #start()} generates the key and starts serving. */
    public static final class Builder {
        private final TokenPolicy policy = new TokenPolicy();
        private String service = "regctl-it-registry";
        private String issuer = "regctl-it-token-issuer";
        private Duration lifetime = Duration.ofMinutes(5);
        private boolean refreshTokensAlways;
        private HeldCertificate certificate;

        private Builder() {
        }

        /** Adds a user who authenticates with {@code password} (Basic auth or OAuth2 password grant). */
        public Builder user(String name, String password) {
            policy.addUser(name, password);
            return this;
        }

        /** Lets anyone, anonymous included, pull repositories whose name matches {@code glob}. */
        public Builder publicRepository(String glob) {
            policy.addPublicRepository(glob);
            return this;
        }

        /** Grants {@code user} the actions ({@code pull}, {@code push}, {@code delete}, {@code *}) on matching repositories. */
        public Builder grant(String user, String repositoryGlob, String... actions) {
            requireUser(user);
            policy.addGrant(user, "repository", repositoryGlob, Set.of(actions));
            return this;
        }

        /** Grants {@code user} {@code registry:catalog:*}, which distribution requires for {@code /v2/_catalog}. */
        public Builder catalog(String user) {
            requireUser(user);
            policy.addGrant(user, "registry", "catalog", Set.of("*"));
            return this;
        }

        /** The service name (token audience); the default is {@code regctl-it-registry}. */
        public Builder service(String service) {
            this.service = service;
            return this;
        }

        /** The issuer name; the default is {@code regctl-it-token-issuer}. */
        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        /** How long issued tokens live ({@code expires_in}); short values let tests exercise renewal. */
        public Builder tokenLifetime(Duration lifetime) {
            this.lifetime = lifetime;
            return this;
        }

        /**
         * Hands a refresh token to every authenticated client, asked for or not (a new one for a
         * GET or password grant, the same one back for a refresh grant), as some OAuth2 servers do.
         */
        public Builder refreshTokensAlways() {
            this.refreshTokensAlways = true;
            return this;
        }

        /** Serves HTTPS with {@code certificate} (which should name {@code localhost}) instead of plain HTTP. */
        public Builder https(HeldCertificate certificate) {
            this.certificate = certificate;
            return this;
        }

        /** Generates the signing key with keytool and starts serving on a free loopback port. */
        public TokenServer start() {
            return new TokenServer(this);
        }

        private void requireUser(String user) {
            if (!policy.knowsUser(user)) {
                throw new IllegalArgumentException("grant for unknown user \"" + user + "\": add it with user() first");
            }
        }
    }
}
