package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.it.support.Launcher;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.Seeder;
import dev.regctl.it.support.Skopeo;
import dev.regctl.it.support.TokenRequest;
import dev.regctl.it.support.TokenServer;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code digest}, {@code inspect} and {@code tags} given many references, through the real
 * launcher, against a token-auth docker-registry whose {@code public/*} repositories anyone may
 * pull: fifty digests in one run equal fifty single runs and skopeo's, missing images and refused
 * repositories get their own stderr lines and the worst exit code, and the token server is asked
 * once for the fifty, not fifty times.
 */
class ManyReferencesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPO = "public/app";
    private static final int TAGS = 50;

    @AutoClose
    static TokenServer tokens;
    @AutoClose
    static RegistryServer registry;
    @AutoClose
    static Launcher regctl;

    private static Map<String, String> digestByTag;

    @BeforeAll
    static void seed() {
        tokens = TokenServer.builder().publicRepository("public/*").start();
        registry = RegistryServer.token(tokens).start();
        regctl = Launcher.create();
        try (Seeder seeder = Seeder.withBearer(registry, repo -> tokens.mintToken("seeder", "repository:" + repo + ":pull,push"))) {
            digestByTag = seeder.tags(REPO, TAGS);
            seeder.tags("private/app", List.of("v1"));
        }
    }

    @BeforeEach
    void forgetTokenRequests() {
        tokens.clearRequests();
    }

    private static String ref(String tag) {
        return registry.host() + "/" + REPO + ":" + tag;
    }

    private static List<String> refs() {
        return digestByTag.keySet().stream().map(ManyReferencesIT::ref).toList();
    }

    private static String[] args(String command, List<String> refs) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(refs);
        return args.toArray(String[]::new);
    }

    @Test
    void fiftyDigestsInOneRunEqualFiftySingleRunsAndSkopeos() throws NoSuchAlgorithmException {
        assertEquals(TAGS, digestByTag.values().stream().distinct().count(), "fixture sanity: one image per tag");

        Launcher.Result all = regctl.run(args("digest", refs()));

        assertEquals(0, all.exitCode(), all::toString);
        assertEquals("", all.stderr(), all::toString);
        List<String> lines = all.stdoutLines();
        assertEquals(TAGS, lines.size(), all::toString);
        Skopeo skopeo = Skopeo.anonymous();
        int i = 0;
        for (Map.Entry<String, String> tag : digestByTag.entrySet()) {
            String ref = ref(tag.getKey());
            assertEquals(ref + "\t" + tag.getValue(), lines.get(i++), "in argument order, with the seeded digest");
            Launcher.Result one = regctl.run("digest", ref);
            assertEquals(0, one.exitCode(), one::toString);
            assertEquals(tag.getValue() + "\n", one.stdoutText(), "a single reference prints the digest alone");
            assertEquals(tag.getValue(), sha256(skopeo.inspectRaw(registry.docker(REPO + ":" + tag.getKey()))));
        }
    }

    @Test
    void theTokenServerIsAskedOnceForFiftyReferencesToOneRepository() {
        Launcher.Result all = regctl.run(args("digest", refs()));

        assertEquals(0, all.exitCode(), all::toString);
        List<TokenRequest> asked = tokens.requests();
        assertEquals(1, asked.size(), "one token for the repository's pull scope, shared by the 50 lookups: " + asked);
        assertEquals(List.of("repository:" + REPO + ":pull"), asked.get(0).scopes());
    }

    @Test
    void missingImagesGetTheirOwnStderrLinesWhileTheOthersPrintAndTheExitCodeIsNotFound() throws IOException {
        List<String> tags = new ArrayList<>(digestByTag.keySet()).subList(0, 3);
        String missingTag = ref("gone");
        String missingRepo = registry.host() + "/public/nothing:v1";
        List<String> refs = List.of(ref(tags.get(0)), missingTag, ref(tags.get(1)), missingRepo, ref(tags.get(2)));

        Launcher.Result text = regctl.run(args("digest", refs));
        Launcher.Result json = regctl.run("digest", "-o", "json", refs.get(0), missingTag);

        assertEquals(3, text.exitCode(), text::toString);
        assertEquals(List.of(ref(tags.get(0)) + "\t" + digestByTag.get(tags.get(0)),
                ref(tags.get(1)) + "\t" + digestByTag.get(tags.get(1)),
                ref(tags.get(2)) + "\t" + digestByTag.get(tags.get(2))), text.stdoutLines());
        List<String> errors = text.stderrLines();
        assertEquals(2, errors.size(), text::toString);
        assertTrue(errors.get(0).startsWith("regctl: " + missingTag + ": ") && errors.get(0).contains("MANIFEST_UNKNOWN"),
                text::toString);
        // distribution 2.8 answers MANIFEST_UNKNOWN for a manifest of a repository it does not have
        assertTrue(errors.get(1).startsWith("regctl: " + missingRepo + ": ") && errors.get(1).contains("404"),
                text::toString);

        assertEquals(3, json.exitCode(), json::toString);
        JsonNode entries = JSON.readTree(json.stdout());
        assertEquals(digestByTag.get(tags.get(0)), entries.get(0).get("digest").asText(), json::toString);
        assertEquals(missingTag, entries.get(1).get("reference").asText(), json::toString);
        assertEquals(3, entries.get(1).get("error").get("exitCode").asInt(), json::toString);
    }

    @Test
    void aRefusedRepositoryOutranksAMissingImage() {
        String tag = digestByTag.keySet().iterator().next();
        String refused = registry.host() + "/private/app:v1";

        Launcher.Result r = regctl.run("digest", ref("gone"), refused, ref(tag));

        assertEquals(4, r.exitCode(), r::toString);
        assertEquals(List.of(ref(tag) + "\t" + digestByTag.get(tag)), r.stdoutLines());
        List<String> errors = r.stderrLines().stream().filter(l -> l.startsWith("regctl: ")).toList();
        assertEquals(2, errors.size(), r::toString);
        assertTrue(errors.get(0).startsWith("regctl: " + ref("gone") + ": "), r::toString);
        assertTrue(errors.get(1).startsWith("regctl: " + refused + ": "), r::toString);
    }

    @Test
    void inspectAndTagsOfSeveralPrintOneLinePerReferenceAndPerTag() {
        List<String> tags = new ArrayList<>(digestByTag.keySet()).subList(0, 2);

        Launcher.Result inspect = regctl.run("inspect", ref(tags.get(1)), ref(tags.get(0)));
        Launcher.Result listed = regctl.run("tags", "--filter", "t0000[01]", registry.host() + "/" + REPO,
                registry.host() + "/" + REPO);

        assertEquals(0, inspect.exitCode(), inspect::toString);
        List<String> rows = inspect.stdoutLines();
        assertEquals(2, rows.size(), inspect::toString);
        assertTrue(rows.get(0).startsWith(ref(tags.get(1)) + "\t" + digestByTag.get(tags.get(1)) + "\t"), inspect::toString);
        assertTrue(rows.get(1).startsWith(ref(tags.get(0)) + "\t" + digestByTag.get(tags.get(0)) + "\t"), inspect::toString);
        assertEquals(0, listed.exitCode(), listed::toString);
        String repo = registry.host() + "/" + REPO;
        List<String> once = regctl.run("tags", "--filter", "t0000[01]", repo).stdoutLines();
        assertEquals(2, once.size(), "fixture sanity: " + once);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            once.forEach(t -> expected.add(repo + "\t" + t)); // each repository's tags in the registry's order
        }
        assertEquals(expected, listed.stdoutLines());
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
