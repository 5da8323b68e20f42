package dev.regctl.oci;

import dev.regctl.RegctlException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An image in a registry, {@code [docker://]HOST[:PORT]/PATH[:TAG][@DIGEST]}, parsed by docker's
 * grammar and normalised as docker does (Docker Hub as {@code docker.io}, {@code library/} added
 * to one-part Hub names, {@code latest} when neither tag nor digest is given); we also accept
 * {@code registry-1.docker.io} as a Hub alias.
 *
 * @param registry   {@code host[:port]}, {@code docker.io} for Docker Hub
 * @param repository the path, e.g. {@code library/redis}
 * @param tag        the tag, or null when only a digest was given
 * @param digest     the manifest digest, or null; when present it wins over the tag
 */
public record Reference(String registry, String repository, String tag, Digest digest) implements ImageRef {

    private static final String DOCKER_SCHEME = "docker://";
    private static final String DEFAULT_TAG = "latest";
    private static final String OFFICIAL_PREFIX = "library/";
    private static final Pattern IMAGE_ID = Pattern.compile("[a-f0-9]{64}");

    /**
     * Validates the parts and applies Docker Hub's normalisation, so a reference built in code
     * equals the one parsed from the same text.
     */
    public Reference {
        if (repository == null) {
            throw new RegctlException(RegctlException.Kind.USAGE, "invalid reference: missing repository name");
        }
        registry = new RegistryName(registry).name();
        repository = qualifiedPath(registry, repository);
        check(DockerGrammar.pathProblem(repository));
        check(DockerGrammar.nameLengthProblem(registry + "/" + repository));
        if (tag != null) {
            check(DockerGrammar.tagProblem(tag));
        }
    }

    /**
     * Fails unless {@code path} is a repository name by docker's grammar ({@code library/redis}),
     * for names that come from somewhere other than a parsed reference.
     */
    public static void requireRepositoryName(String path) {
        String problem = DockerGrammar.pathProblem(path);
        if (problem != null) {
            throw new RegctlException(RegctlException.Kind.FAILURE, problem);
        }
    }

    /** {@code repository} with a tag or digest as a reference reads: {@code app:v1}, {@code app@sha256:...}. */
    public static String join(String repository, String tagOrDigest) {
        return repository + (Digest.isDigest(tagOrDigest) ? "@" : ":") + tagOrDigest;
    }

    /**
     * Parses a reference as docker does. Invalid input fails with a USAGE error whose one-line
     * message names the bad part.
     */
    public static Reference parse(String input) {
        String s = input == null ? "" : input;
        // skopeo's prefix for a registry, accepted as it means nothing more.
        if (s.startsWith(DOCKER_SCHEME)) {
            s = s.substring(DOCKER_SCHEME.length());
        }
        NearMisses.Problem url = NearMisses.urlScheme(s, "a reference", NearMisses.REFERENCE_FORMS, rest -> rest);
        if (url != null) {
            throw invalid(input, url);
        }
        try {
            return parseDocker(input, s);
        } catch (RegctlException e) {
            // Only what docker's grammar refuses: "dir:v1" is Docker Hub's library/dir, tag v1.
            NearMisses.Problem transport = NearMisses.otherToolsTransport(s);
            throw transport == null ? e : invalid(input, transport);
        }
    }

    /** {@code s} is {@code input} without {@code docker://}. */
    private static Reference parseDocker(String input, String s) {
        if (s.isEmpty()) {
            throw invalid(input, "empty reference; expected [HOST[:PORT]/]NAME[:TAG][@DIGEST]");
        }
        int blank = DockerGrammar.firstBlankOrControl(s);
        if (blank >= 0) {
            throw invalid(input, "contains a space or control character at position "
                    + (input.length() - s.length() + blank + 1) + "; remove it");
        }
        if (IMAGE_ID.matcher(s).matches()) {
            // docker refuses these so that an image ID is never mistaken for a Hub repository.
            throw invalid(input, "64 hex characters look like an image ID, not a repository name;"
                    + " name the repository, and pin the image with NAME@sha256:<hex>");
        }

        int at = s.indexOf('@');
        String name = at < 0 ? s : s.substring(0, at);
        String digestText = at < 0 ? null : s.substring(at + 1);

        // The first component is a registry only by docker's rule; otherwise the whole name is a Hub path.
        String host = null;
        String rest = name;
        int slash = name.indexOf('/');
        if (slash >= 0 && DockerGrammar.looksLikeHost(name.substring(0, slash))) {
            host = name.substring(0, slash);
            rest = name.substring(slash + 1);
        } else if (slash < 0 && name.startsWith("[")) {
            throw invalid(input, "registry " + DockerGrammar.quote(name) + " has no repository; write "
                    + name + "/NAME");
        }
        int colon = rest.indexOf(':');
        String path = colon < 0 ? rest : rest.substring(0, colon);
        String tag = colon < 0 ? null : rest.substring(colon + 1);

        if (host != null) {
            fail(input, DockerGrammar.hostProblem(host));
            if (path.isEmpty()) {
                throw invalid(input, "missing repository name after registry " + DockerGrammar.quote(host));
            }
        }
        fail(input, DockerGrammar.pathProblem(path));
        if (tag != null) {
            fail(input, DockerGrammar.tagProblem(tag));
        }
        if (host == null && slash < 0) {
            NearMisses.Problem registryAlone = NearMisses.registryAlone(path, tag);
            if (registryAlone != null) {
                throw invalid(input, registryAlone);
            }
        }
        Digest digest = null;
        if (digestText != null) {
            if (digestText.isEmpty()) {
                throw invalid(input, "empty digest after \"@\"; expected sha256:<64 hex> or sha512:<128 hex>");
            }
            try {
                digest = Digest.parse(digestText);
            } catch (RegctlException e) {
                throw invalid(input, e.getMessage());
            }
        }
        String registry = RegistryName.normalise(host == null ? RegistryName.DOCKER_HUB : host);
        fail(input, DockerGrammar.nameLengthProblem(registry + "/" + qualifiedPath(registry, path)));
        return new Reference(registry, path, tag, digest);
    }

    /** The registry as a {@link RegistryName}, for credentials and transport. */
    public RegistryName registryName() {
        return new RegistryName(registry);
    }

    /** The {@code host[:port]} to send HTTP requests to: {@code registry-1.docker.io} for Docker Hub. */
    public String apiHost() {
        return registryName().apiHost();
    }

    /** What goes in {@code /v2/<name>/manifests/<reference>}: the digest when present, else the tag, else {@code latest}. */
    public String reference() {
        return digest != null ? digest.toString() : effectiveTag();
    }

    /** The tag given, or {@code latest} when neither a tag nor a digest was: docker's default. */
    public String effectiveTag() {
        return tag != null || digest != null ? tag : DEFAULT_TAG;
    }

    @Override
    public StoreKind kind() {
        return StoreKind.REGISTRY;
    }

    @Override
    public String lookup() {
        return reference();
    }

    @Override
    public boolean sameRepository(ImageRef other) {
        return other instanceof Reference r && r.registry.equals(registry) && r.repository.equals(repository);
    }

    @Override
    public String tagForCopyOf(String sourceReference) {
        return effectiveTag();
    }

    @Override
    public List<String> apiHosts() {
        return List.of(apiHost());
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("registry", registry);
        fields.put("repository", repository);
        fields.put("tag", effectiveTag());
        fields.put("digest", digest == null ? null : digest.toString());
        fields.put("familiar", familiar());
        return fields;
    }

    @Override
    public String repositoryName() {
        return name();
    }

    /** The fully qualified repository without tag or digest, e.g. {@code docker.io/library/redis}. */
    public String name() {
        return registry + "/" + repository;
    }

    /** Docker's short form, e.g. {@code redis:latest}, {@code user/app:v1}, {@code localhost:5000/app:v1}. */
    public String familiar() {
        return familiarName() + suffix();
    }

    /** The same repository with this tag; the digest is kept (pass null to {@link #withDigest} to drop it). */
    public Reference withTag(String newTag) {
        return new Reference(registry, repository, newTag, digest);
    }

    @Override
    public Reference withDigestOnly(Digest newDigest) {
        return new Reference(registry, repository, null, newDigest);
    }

    /** The same repository and tag pinned to this digest; null drops the digest. */
    public Reference withDigest(Digest newDigest) {
        return new Reference(registry, repository, tag, newDigest);
    }

    /** The fully qualified form, e.g. {@code docker.io/library/redis:latest}. */
    @Override
    public String toString() {
        return name() + suffix();
    }

    private String suffix() {
        String shownTag = effectiveTag();
        return (shownTag == null ? "" : ":" + shownTag) + (digest == null ? "" : "@" + digest);
    }

    /** Docker's short form of the repository alone, e.g. {@code redis}, {@code localhost:5000/app}. */
    public String familiarName() {
        if (!registry.equals(RegistryName.DOCKER_HUB)) {
            return name();
        }
        String path = repository;
        if (path.startsWith(OFFICIAL_PREFIX) && path.indexOf('/', OFFICIAL_PREFIX.length()) < 0) {
            path = path.substring(OFFICIAL_PREFIX.length());
        }
        // Unlike docker, keep docker.io when dropping it would make the path's first component
        // (e.g. "localhost" or "a.b") read back as a registry, or refused as one when a tag of digits
        // follows ("a.b:5000"): the short form must parse to the same image.
        int slash = path.indexOf('/');
        if (slash >= 0 ? DockerGrammar.looksLikeHost(path.substring(0, slash)) : DockerGrammar.looksLikeHostAlone(path)) {
            return name();
        }
        return path;
    }

    /** Docker Hub names of one component live under {@code library/}. */
    private static String qualifiedPath(String registry, String path) {
        return registry.equals(RegistryName.DOCKER_HUB) && !path.isEmpty() && path.indexOf('/') < 0
                ? OFFICIAL_PREFIX + path : path;
    }

    private static void check(String problem) {
        if (problem != null) {
            throw new RegctlException(RegctlException.Kind.USAGE, "invalid reference: " + problem);
        }
    }

    private static void fail(String input, String problem) {
        if (problem != null) {
            throw invalid(input, problem);
        }
    }

    private static RegctlException invalid(String input, String problem) {
        return invalid(input, new NearMisses.Problem(problem, null));
    }

    private static RegctlException invalid(String input, NearMisses.Problem problem) {
        return new RegctlException(RegctlException.Kind.USAGE, "invalid reference "
                + DockerGrammar.quote(input == null ? "" : input) + ": " + problem.text(), problem.hint(), null);
    }
}
