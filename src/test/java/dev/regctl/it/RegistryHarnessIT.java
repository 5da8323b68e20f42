package dev.regctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regctl.it.support.AuthFile;
import dev.regctl.it.support.CommandFailedException;
import dev.regctl.it.support.LayoutImage;
import dev.regctl.it.support.RegistryServer;
import dev.regctl.it.support.Seeder;
import dev.regctl.it.support.Skopeo;
import dev.regctl.it.support.TestImages;
import dev.regctl.it.support.TokenRequest;
import dev.regctl.it.support.TokenServer;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the integration-test harness against the real CNCF distribution registry 2.8 and skopeo:
 * every fixture shape the regctl ITs rely on is built here once and checked with an independent
 * client. If this class fails, fix the harness before trusting any other IT.
 */
class RegistryHarnessIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64/v8", "linux/arm/v7");
    private static final Pattern NEXT_LINK = Pattern.compile("^<([^>]+)>;\\s*rel=\"next\"$");

    @TempDir
    static Path work;

    /** Open, delete disabled (distribution's default), catalog pages of at most five. */
    @AutoClose
    static RegistryServer open;
    @AutoClose
    static RegistryServer basic;
    @AutoClose
    static TokenServer tokens;
    @AutoClose
    static RegistryServer secured;

    private static final OkHttpClient http = new OkHttpClient();

    @BeforeAll
    static void startServers() {
        open = RegistryServer.open().deleteEnabled(false).catalogMaxEntries(5).start();
        basic = RegistryServer.htpasswd(Map.of("carol", "carol-secret")).start();
        tokens = TokenServer.builder()
                .user("alice", "alice-secret").grant("alice", "*", "pull", "push", "delete").catalog("alice")
                .user("bob", "bob-secret").grant("bob", "team/*", "pull")
                .publicRepository("public/*")
                .start();
        secured = RegistryServer.token(tokens).start();
    }

    @Test
    void skopeoPushesLayoutsWithEveryDigestKept() throws IOException {
        Path oci = work.resolve("oci");
        LayoutImage single = TestImages.singleImage(oci, "single", 3, 64 * 1024, "linux/amd64", 1L);
        LayoutImage index = TestImages.multiPlatformIndex(oci, "multi", PLATFORMS);
        LayoutImage dockerList = TestImages.multiPlatformIndex(work.resolve("docker"), "multi", PLATFORMS, 7L,
                TestImages.Format.DOCKER);

        TestImages.push(oci, "single", open, "harness/app:single");
        TestImages.push(oci, "multi", open, "harness/app:multi");
        TestImages.push(dockerList.dir(), "multi", open, "harness/app:docker-multi");

        Skopeo skopeo = Skopeo.anonymous();
        for (var pushed : Map.of("single", single, "multi", index, "docker-multi", dockerList).entrySet()) {
            byte[] raw = skopeo.inspectRaw(open.docker("harness/app:" + pushed.getKey()));
            assertEquals(pushed.getValue().digest(), sha256(raw), "digest of harness/app:" + pushed.getKey());
            assertEquals(pushed.getValue().mediaType(), JSON.readTree(raw).path("mediaType").asText());
        }
        assertEquals(PLATFORMS.size(), index.children().size());
        byte[] child = skopeo.inspectRaw(open.docker("harness/app@" + index.children().get(1)));
        assertEquals(index.children().get(1), sha256(child), "a child manifest is addressable by its digest");

        JsonNode config = skopeo.inspectConfig(open.docker("harness/app:single"));
        assertEquals("amd64", config.path("architecture").asText());
        assertEquals(3, config.path("rootfs").path("diff_ids").size());
        JsonNode arm = skopeo.inspectConfig(open.docker("harness/app:multi"),
                "--override-arch", "arm64", "--override-variant", "v8");
        assertEquals("v8", arm.path("variant").asText());

        assertEquals(List.of("docker-multi", "multi", "single"),
                skopeo.listTags(open.docker("harness/app")).stream().sorted().toList());

        // The access log lets tests count work: a second push of the same image uploads no blob.
        long uploads = open.countRequests("PUT", "/v2/harness/app/blobs/uploads/.*");
        assertTrue(uploads >= single.blobs().size(), "blob uploads logged: " + uploads);
        TestImages.push(oci, "single", open, "harness/app:single-again");
        assertEquals(uploads, open.countRequests("PUT", "/v2/harness/app/blobs/uploads/.*"));
    }

    @Test
    void htpasswdRegistryAcceptsOnlyTheRightPassword() {
        Path layout = work.resolve("basic");
        LayoutImage image = TestImages.singleImage(layout, "v1", 1, 1024, "linux/amd64", 2L);
        try (AuthFile good = AuthFile.create().login(basic.host(), "carol", "carol-secret");
             AuthFile wrong = AuthFile.create().login(basic.host(), "carol", "not-her-password")) {
            TestImages.push(layout, "v1", basic, "private/app:v1", good.path());
            assertEquals(image.digest(), sha256(Skopeo.withAuthFile(good.path()).inspectRaw(basic.docker("private/app:v1"))));

            CommandFailedException refused = assertThrows(CommandFailedException.class,
                    () -> Skopeo.withAuthFile(wrong.path()).inspectRaw(basic.docker("private/app:v1")));
            assertTrue(refused.stderr().toLowerCase().contains("unauthorized"), refused.stderr());
            assertFalse(String.join(" ", refused.command()).contains("not-her-password"), "no secret in argv");
            assertThrows(CommandFailedException.class, () -> Skopeo.anonymous().inspectRaw(basic.docker("private/app:v1")));
        }
    }

    @Test
    void tokenRegistryGrantsWhatThePolicyAllows() {
        Path layout = work.resolve("token");
        LayoutImage image = TestImages.singleImage(layout, "v1", 1, 2048, "linux/arm64/v8", 3L);
        try (AuthFile alice = AuthFile.create().login(secured.host(), "alice", "alice-secret");
             AuthFile bob = AuthFile.create().login(secured.host(), "bob", "bob-secret")) {
            for (String repository : List.of("public/app", "team/app", "private/app")) {
                TestImages.push(layout, "v1", secured, repository + ":v1", alice.path());
            }
            assertTrue(tokens.requests().stream().anyMatch(r -> r.user().equals("alice")
                    && r.granted().contains("repository:private/app:pull,push")), tokens.requests().toString());

            tokens.clearRequests();
            assertEquals(image.digest(), sha256(Skopeo.anonymous().inspectRaw(secured.docker("public/app:v1"))));
            CommandFailedException anonymous = assertThrows(CommandFailedException.class,
                    () -> Skopeo.anonymous().inspectRaw(secured.docker("private/app:v1")));
            assertTrue(anonymous.stderr().toLowerCase().contains("unauthorized")
                    || anonymous.stderr().toLowerCase().contains("authentication required"), anonymous.stderr());
            TokenRequest refused = tokens.requests().stream()
                    .filter(r -> r.scopes().contains("repository:private/app:pull")).findFirst().orElseThrow();
            assertEquals(List.of(), refused.granted(), "anonymous gets an empty grant, not an error");
            assertEquals(200, refused.status());

            assertEquals(image.digest(), sha256(Skopeo.withAuthFile(bob.path()).inspectRaw(secured.docker("team/app:v1"))));
            assertThrows(CommandFailedException.class,
                    () -> TestImages.push(layout, "v1", secured, "team/app:from-bob", bob.path()));
            assertFalse(tokens.requests().toString().contains("bob-secret"), "passwords are never recorded");
        }
    }

    @Test
    void tokenServerSpeaksOAuth2AndItsTokensOpenTheRegistry() throws IOException {
        String service = tokens.service();
        JsonNode issued = postToken(new FormBody.Builder().add("grant_type", "password").add("service", service)
                .add("client_id", "regctl-it").add("username", "alice").add("password", "alice-secret")
                .add("scope", "registry:catalog:*").build(), 200);
        assertNotNull(issued.get("refresh_token"), issued.toString());
        assertEquals("registry:catalog:*", issued.path("scope").asText());

        JsonNode refreshed = postToken(new FormBody.Builder().add("grant_type", "refresh_token").add("service", service)
                .add("client_id", "regctl-it").add("refresh_token", issued.get("refresh_token").asText())
                .add("scope", "registry:catalog:*").build(), 200);
        assertFalse(refreshed.has("refresh_token"), "online refresh grants return no new refresh token");
        try (Response catalog = http.newCall(new Request.Builder().url(secured.url() + "/v2/_catalog")
                .header("Authorization", "Bearer " + refreshed.get("access_token").asText()).build()).execute()) {
            assertEquals(200, catalog.code(), catalog.body().string());
        }

        JsonNode wrong = postToken(new FormBody.Builder().add("grant_type", "password").add("service", service)
                .add("client_id", "regctl-it").add("username", "alice").add("password", "guess").build(), 401);
        assertEquals("invalid_grant", wrong.path("error").asText());

        String basicWrong = Credentials.basic("bob", "guess");
        try (Response get = http.newCall(new Request.Builder().url(tokens.realm() + "?service=" + service
                + "&scope=repository:team/app:pull").header("Authorization", basicWrong).build()).execute()) {
            assertEquals(401, get.code());
            assertEquals("UNAUTHORIZED", JSON.readTree(get.body().string()).path("errors").path(0).path("code").asText());
        }

        try (Response challenge = http.newCall(new Request.Builder().url(secured.url() + "/v2/private/app/tags/list").build()).execute()) {
            assertEquals(401, challenge.code());
            assertEquals("Bearer realm=\"" + tokens.realm() + "\",service=\"" + service
                    + "\",scope=\"repository:private/app:pull\"", challenge.header("WWW-Authenticate"));
        }
    }

    @Test
    void seederWritesThousandsOfTagsThatSkopeoLists() {
        long started = System.nanoTime();
        Map<String, String> digests;
        try (Seeder seeder = Seeder.of(open)) {
            digests = seeder.tags("seeded/many", 3000);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("seeded 3000 tags in %d ms%n", millis);

        List<String> listed = Skopeo.anonymous().listTags(open.docker("seeded/many"));
        assertEquals(3000, listed.size());
        assertEquals(List.copyOf(digests.keySet()), listed.stream().sorted().toList());
        assertEquals(3000, digests.values().stream().distinct().count(), "every tag has its own manifest");
    }

    @Test
    void catalogIsPagedWithLinkHeaders() throws IOException {
        List<String> seeded;
        try (Seeder seeder = Seeder.of(open)) {
            seeded = seeder.repositories("catalog/repo", 12);
        }
        List<String> all = new ArrayList<>();
        String next = "/v2/_catalog";
        int pages = 0;
        while (next != null) {
            try (Response page = http.newCall(new Request.Builder().url(open.url() + next).build()).execute()) {
                assertEquals(200, page.code());
                JsonNode repositories = JSON.readTree(page.body().string()).path("repositories");
                assertTrue(repositories.size() <= 5, "maxentries caps a page: " + repositories);
                repositories.forEach(r -> all.add(r.asText()));
                String link = page.header("Link");
                if (pages == 0) {
                    assertNotNull(link, "more than five repositories: the first page links to the next");
                }
                // distribution 2.8 sends a relative link: </v2/_catalog?last=NAME&n=5>; rel="next"
                next = null;
                if (link != null) {
                    Matcher m = NEXT_LINK.matcher(link);
                    assertTrue(m.matches(), "Link: " + link);
                    next = m.group(1);
                    assertTrue(next.startsWith("/v2/_catalog?last=") && next.endsWith("&n=5"), next);
                }
                pages++;
            }
        }
        assertTrue(all.containsAll(seeded), all.toString());
        assertTrue(pages >= 3, "pages: " + pages);

        try (Response tooMany = http.newCall(new Request.Builder().url(open.url() + "/v2/_catalog?n=6").build()).execute()) {
            assertEquals(400, tooMany.code(), "asking for more than maxentries is refused, not capped");
            assertEquals("PAGINATION_NUMBER_INVALID",
                    JSON.readTree(tooMany.body().string()).path("errors").path(0).path("code").asText());
        }
    }

    @Test
    void deleteWhenDisabledIsRefusedWith405() throws IOException {
        String digest;
        try (Seeder seeder = Seeder.of(open)) {
            digest = seeder.tags("harness/nodelete", List.of("v1")).get("v1");
        }
        try (Response delete = http.newCall(new Request.Builder()
                .url(open.url() + "/v2/harness/nodelete/manifests/" + digest).delete().build()).execute()) {
            assertEquals(405, delete.code());
            assertEquals("UNSUPPORTED", JSON.readTree(delete.body().string()).path("errors").path(0).path("code").asText());
        }
        assertEquals(List.of("v1"), Skopeo.anonymous().listTags(open.docker("harness/nodelete")));
    }

    private static JsonNode postToken(FormBody form, int expectedStatus) throws IOException {
        try (Response response = http.newCall(new Request.Builder().url(tokens.realm()).post(form).build()).execute()) {
            String body = response.body().string();
            assertEquals(expectedStatus, response.code(), body);
            return JSON.readTree(body);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
