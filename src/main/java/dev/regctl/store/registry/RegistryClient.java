package dev.regctl.store.registry;

import dev.regctl.RegctlException;
import dev.regctl.auth.AuthTarget;
import dev.regctl.auth.Scope;
import dev.regctl.http.ConnectionFailure;
import dev.regctl.http.ErrorBody;
import dev.regctl.http.Origin;
import dev.regctl.http.RequestFor;
import dev.regctl.http.RetryPolicy;
import dev.regctl.http.Transport;
import dev.regctl.oci.Reference;
import dev.regctl.oci.Tag;
import dev.regctl.store.SourceReadException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Runs requests against one registry: picks its base URL, tags each request with the scopes it
 * needs so authentication can happen, and turns transport failures and error answers into
 * {@link RegctlException}s that say what was being done.
 */
public final class RegistryClient {
    private static final int MAX_ERROR_BODY = 16 * 1024;
    /** What endpoint names, tags and digests ({@code sha256:...}) are made of; nothing that encodes or escapes. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.:+=-]+");

    private final Transport transport;
    private final String registry;
    private final String apiHost;
    private final OpenUploads uploads;

    /**
     * @param registry the normalised registry name, used for credentials ({@code docker.io})
     * @param apiHost the host[:port] to speak HTTP to ({@code registry-1.docker.io})
     */
    public RegistryClient(Transport transport, String registry, String apiHost) {
        this(transport, registry, apiHost, new OpenUploads());
    }

    /** @param uploads where this run keeps its open upload sessions, to cancel them if it is stopped */
    public RegistryClient(Transport transport, String registry, String apiHost, OpenUploads uploads) {
        this.transport = transport;
        this.registry = registry;
        this.apiHost = apiHost;
        this.uploads = uploads;
    }

    OpenUploads uploads() {
        return uploads;
    }

    public String registry() {
        return registry;
    }

    /** {@code /v2/}: the API root, which answers the version check and the auth challenge. */
    public HttpUrl url() {
        return base().newBuilder().addPathSegment("v2").addPathSegment("").build();
    }

    /**
     * {@code GET /v2/} through the registry's challenge: succeeds when the registry (or its token
     * server) accepts this run's credentials, and fails with the registry's own answer otherwise.
     */
    public void checkAccess(String what) {
        try (Response ignored = execute(new Request.Builder().url(url()).get(), List.of(), what)) {
            // 200: accepted.
        }
    }

    /** {@code /v2/_catalog}. */
    HttpUrl catalogUrl() {
        return base().newBuilder().addPathSegment("v2").addPathSegment("_catalog").build();
    }

    /**
     * {@code /v2/<repository>/<parts...>}. The repository must be a valid name and each part
     * is one segment: OkHttp resolves {@code ..} even in a single encoded segment, so a tag or
     * digest from a hostile source could otherwise address another repository.
     */
    HttpUrl url(String repository, String... parts) {
        Reference.requireRepositoryName(repository);
        HttpUrl.Builder b = base().newBuilder().addPathSegment("v2");
        for (String component : repository.split("/")) {
            b.addPathSegment(component);
        }
        for (int i = 0; i < parts.length; i++) {
            b.addPathSegment(segment(parts[i], i == parts.length - 1));
        }
        return b.build();
    }

    private static String segment(String part, boolean last) {
        boolean trailingSlash = part.isEmpty() && last; // the slash of ".../uploads/"
        if (!trailingSlash && (!SEGMENT.matcher(part).matches() || part.equals(".") || part.equals(".."))) {
            throw new RegctlException(RegctlException.Kind.FAILURE,
                    "refusing to build a registry URL from " + Tag.quote(part) + ": not a tag or digest");
        }
        return part;
    }

    /** The origin this registry's credentials belong to: its base URL's scheme, host and port. */
    Origin origin() {
        return Origin.of(base());
    }

    HttpUrl base() {
        try {
            return transport.baseUrl(apiHost);
        } catch (IOException e) {
            throw unreachable("connect to " + registry, e);
        }
    }

    /**
     * Executes the request and returns the successful answer (the caller closes it). Any status
     * in {@code alsoAccept} is returned too, so callers can treat e.g. a 404 on HEAD as "absent".
     */
    public Response execute(Request.Builder request, List<Scope> scopes, String what, int... alsoAccept) {
        // Whichever host it reaches (an upload Location, a redirect), the request is made for this
        // registry, and is verified with this registry's TLS trust.
        Request r = request.tag(RequestFor.class, new RequestFor(registry)).build();
        if (origin().owns(r.url())) {
            // Only the registry's own origin is told who we are; an upload Location or a link to
            // any other scheme, host or port gets the request without credentials.
            r = r.newBuilder().tag(AuthTarget.class, new AuthTarget(registry, scopes)).build();
        }
        Response response;
        try {
            response = transport.client().newCall(r).execute();
        } catch (IOException e) {
            throw unreachable(what, e);
        }
        if (response.isSuccessful()) {
            return response;
        }
        for (int ok : alsoAccept) {
            if (response.code() == ok) {
                return response;
            }
        }
        try (response) {
            throw error(what, response);
        }
    }

    /** The error an unsuccessful answer stands for (the body is read; the caller closes the response). */
    RegistryException error(String what, Response response) {
        String body = "";
        ResponseBody rb = response.body();
        if (rb != null) {
            try {
                body = rb.source().readUtf8(Math.min(MAX_ERROR_BODY, Math.max(0, rb.contentLength() < 0
                        ? MAX_ERROR_BODY : rb.contentLength())));
            } catch (IOException | RuntimeException e) {
                // A short or broken error body still leaves the status to report.
                body = readPrefix(rb);
            }
        }
        ErrorBody decoded = ErrorBody.parse(response.code(), response.message(), body);
        int status = response.code();
        String hint = switch (status) {
            case 401 -> "check the credentials, or run 'regctl login " + registry + "'";
            case 403 -> "the credentials for " + registry + " are not allowed to do this";
            default -> null;
        };
        // Without a body, the text is the status line itself: "answered 401 Unauthorized", not "401: 401 Unauthorized".
        String answer = decoded.text().startsWith(String.valueOf(status)) ? decoded.text() : status + ": " + decoded.text();
        return new RegistryException(status, decoded.code(), what + ": " + registry + " answered " + answer, hint,
                RetryPolicy.parseRetryAfter(response.header("Retry-After")));
    }

    private static String readPrefix(ResponseBody rb) {
        try {
            return rb.source().getBuffer().readUtf8();
        } catch (RuntimeException e) {
            return "";
        }
    }

    private RegctlException unreachable(String what, IOException e) {
        if (e instanceof SourceReadException source) {
            return new RegctlException(RegctlException.Kind.FAILURE, source.getMessage(), null, source);
        }
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String failure = ConnectionFailure.describe(apiHost, e);
        if (e instanceof ConnectException) {
            return new RegctlException(RegctlException.Kind.FAILURE, what + ": " + failure,
                    "is the registry running and the address right?", e);
        }
        if (e instanceof UnknownHostException) {
            return new RegctlException(RegctlException.Kind.FAILURE,
                    what + ": unknown host " + apiHost, "check the registry name", e);
        }
        if (e instanceof SSLException tls) {
            return new RegctlException(RegctlException.Kind.FAILURE, what + ": " + failure,
                    ConnectionFailure.hint(apiHost, tls, "registry's", true), e);
        }
        return new RegctlException(RegctlException.Kind.FAILURE, what + ": " + apiHost + ": " + why, null, e);
    }
}
