package dev.regctl.store.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.regctl.RegctlException;
import dev.regctl.auth.Scope;
import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.oci.ReferrerTags;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@code GET /v2/<name>/referrers/<digest>} (OCI distribution 1.1), following every {@code Link}
 * page. A registry without the API answers 404 (distribution 2.8 with a plain-text page); the spec
 * then has clients read the referrers tag schema instead: an index tagged {@code sha256-<hex>}.
 */
final class ReferrersEndpoint {
    private final RegistryClient client;
    private final String repository;
    private final ManifestsEndpoint manifests;

    ReferrersEndpoint(RegistryClient client, String repository, ManifestsEndpoint manifests) {
        this.client = client;
        this.repository = repository;
        this.manifests = manifests;
    }

    List<Descriptor> list(Digest subject) {
        String what = "list referrers of " + repository + "@" + subject;
        List<Descriptor> out = new ArrayList<>();
        HttpUrl url = client.url(repository, "referrers", subject.toString());
        boolean firstPage = true;
        LinkHeader pages = new LinkHeader(url);
        while (url != null) {
            try (Response r = client.execute(new Request.Builder().url(url).header("Accept", MediaTypes.OCI_INDEX),
                    List.of(Scope.repository(repository, "pull")), what, 404)) {
                if (firstPage && r.code() != 404 && !isIndexAnswer(r.header("Content-Type"))) {
                    // A catch-all (a web UI answering every path with 200 HTML) is no referrers API.
                    return fromTagSchema(subject);
                }
                if (r.code() == 404) {
                    if (firstPage) {
                        return fromTagSchema(subject);
                    }
                    throw new RegctlException(RegctlException.Kind.FAILURE,
                            what + ": " + client.registry() + " answered 404 for a page it linked to: " + url);
                }
                for (JsonNode entry : Json.read(r, "referrers of " + repository + "@" + subject).path("manifests")) {
                    out.add(descriptor(what, entry));
                }
                url = pages.next(url, r.header("Link"));
                firstPage = false;
            }
        }
        return out;
    }

    /** The spec has the API answer an OCI index; plain JSON is tolerated, anything else is not the API. */
    private static boolean isIndexAnswer(String contentType) {
        String type = contentType == null ? "" : contentType.split(";")[0].trim();
        return type.equals(MediaTypes.OCI_INDEX) || type.equals("application/json");
    }

    /** The index tagged {@code sha256-<hex>}, or nothing when the tag does not exist. */
    private List<Descriptor> fromTagSchema(Digest subject) {
        RawManifest index;
        try {
            index = manifests.get(ReferrerTags.fallback(subject));
        } catch (RegctlException e) {
            if (e.kind() == RegctlException.Kind.NOT_FOUND) {
                return List.of();
            }
            throw e;
        }
        // A tag of that name that is not an index was not written by the tag schema.
        return index.isIndex() ? index.index().manifests() : List.of();
    }

    private static Descriptor descriptor(String what, JsonNode entry) {
        try {
            return Json.mapper().treeToValue(entry, Descriptor.class);
        } catch (JsonProcessingException e) {
            throw new RegctlException(RegctlException.Kind.FAILURE,
                    what + ": invalid descriptor in the answer: " + e.getOriginalMessage(), null, e);
        }
    }
}
