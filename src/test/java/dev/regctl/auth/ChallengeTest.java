package dev.regctl.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChallengeTest {

    static Stream<Arguments> headers() {
        return Stream.of(
                row("Docker Hub",
                        List.of("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                                + "scope=\"repository:library/ubuntu:pull\""),
                        bearer("realm", "https://auth.docker.io/token", "service", "registry.docker.io",
                                "scope", "repository:library/ubuntu:pull")),
                row("ECR (Basic)",
                        List.of("Basic realm=\"https://123456789012.dkr.ecr.us-east-1.amazonaws.com/\","
                                + "service=\"ecr.amazonaws.com\""),
                        challenge("basic", "realm", "https://123456789012.dkr.ecr.us-east-1.amazonaws.com/",
                                "service", "ecr.amazonaws.com")),
                row("GCR",
                        List.of("Bearer realm=\"https://gcr.io/v2/token\",service=\"gcr.io\""),
                        bearer("realm", "https://gcr.io/v2/token", "service", "gcr.io")),
                row("GCR with an unquoted service",
                        List.of("Bearer realm=\"https://gcr.io/v2/token\",service=gcr.io"),
                        bearer("realm", "https://gcr.io/v2/token", "service", "gcr.io")),
                row("Artifact Registry /v2/ without service",
                        List.of("Bearer realm=\"https://us-docker.pkg.dev/v2/token\""),
                        bearer("realm", "https://us-docker.pkg.dev/v2/token")),
                row("ACR",
                        List.of("Bearer realm=\"https://contoso.azurecr.io/oauth2/token\",service=\"contoso.azurecr.io\""),
                        bearer("realm", "https://contoso.azurecr.io/oauth2/token", "service", "contoso.azurecr.io")),
                row("GitLab",
                        List.of("Bearer realm=\"https://gitlab.com/jwt/auth\",service=\"container_registry\","
                                + "scope=\"repository:group/project:pull\""),
                        bearer("realm", "https://gitlab.com/jwt/auth", "service", "container_registry",
                                "scope", "repository:group/project:pull")),
                row("Quay",
                        List.of("Bearer realm=\"https://quay.io/v2/auth\",service=\"quay.io\""),
                        bearer("realm", "https://quay.io/v2/auth", "service", "quay.io")),
                row("Harbor, two actions: the comma sits inside the quotes",
                        List.of("Bearer realm=\"https://harbor.example.com/service/token\",service=\"harbor-registry\","
                                + "scope=\"repository:library/nginx:pull,push\""),
                        bearer("realm", "https://harbor.example.com/service/token", "service", "harbor-registry",
                                "scope", "repository:library/nginx:pull,push")),
                row("Artifactory",
                        List.of("Bearer realm=\"https://art.example.com/artifactory/api/docker/docker-local/v2/token\","
                                + "service=\"artifactory\",scope=\"repository:someproduct/someimage:pull\""),
                        bearer("realm", "https://art.example.com/artifactory/api/docker/docker-local/v2/token",
                                "service", "artifactory", "scope", "repository:someproduct/someimage:pull")),
                row("insufficient_scope",
                        List.of("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                                + "scope=\"repository:library/ubuntu:pull,push\",error=\"insufficient_scope\""),
                        bearer("realm", "https://auth.docker.io/token", "service", "registry.docker.io",
                                "scope", "repository:library/ubuntu:pull,push", "error", "insufficient_scope")),
                row("invalid_token with a description holding a comma and an escaped quote",
                        List.of("Bearer realm=\"https://a.example/t\", error=\"invalid_token\", "
                                + "error_description=\"the \\\"token\\\" expired, get another\""),
                        bearer("realm", "https://a.example/t", "error", "invalid_token",
                                "error_description", "the \"token\" expired, get another")),
                row("distribution's htpasswd Basic",
                        List.of("Basic realm=\"Registry Realm\""),
                        challenge("basic", "realm", "Registry Realm")),
                row("scheme and parameter names in any case",
                        List.of("BEARER Realm=\"https://a.example/t\",SERVICE=\"s\""),
                        bearer("realm", "https://a.example/t", "service", "s")),
                row("spaces around = and commas",
                        List.of("Bearer realm = \"https://a.example/t\" ,  service = \"s\" , scope=\"x:y:z\""),
                        bearer("realm", "https://a.example/t", "service", "s", "scope", "x:y:z")),
                row("two challenges in one header",
                        List.of("Basic realm=\"r\", Bearer realm=\"https://a.example/t\",service=\"s\""),
                        challenge("basic", "realm", "r"), bearer("realm", "https://a.example/t", "service", "s")),
                row("two headers",
                        List.of("Basic realm=\"r\"", "bearer realm=\"https://a.example/t\""),
                        challenge("basic", "realm", "r"), bearer("realm", "https://a.example/t")),
                row("public ECR's opaque scope",
                        List.of("Bearer realm=\"https://public.ecr.aws/token/\",service=\"public.ecr.aws\",scope=\"aws\""),
                        bearer("realm", "https://public.ecr.aws/token/", "service", "public.ecr.aws", "scope", "aws")),
                row("a duplicate parameter: the first one counts",
                        List.of("Bearer realm=\"https://first/t\",realm=\"https://second/t\""),
                        bearer("realm", "https://first/t")),
                row("token68 and bare schemes",
                        List.of("Negotiate YIIFaw==, NTLM, Basic realm=\"x\""),
                        challenge("negotiate", Challenge.TOKEN68, "YIIFaw=="), challenge("ntlm"),
                        challenge("basic", "realm", "x")),
                row("an unterminated quote runs to the end",
                        List.of("Bearer realm=\"https://a.example/t"),
                        bearer("realm", "https://a.example/t")),
                row("nothing usable", List.of("", " , ,", "=\"x\""))
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headers")
    void parses(String name, List<String> headers, List<Challenge> expected) {
        assertEquals(expected, Challenge.parse(headers));
    }

    @Test
    void accessorsReadTheWellKnownParameters() {
        Challenge c = Challenge.parse(List.of("Bearer realm=\"https://r/t\",service=\"s\",scope=\"a:b:c\","
                + "error=\"insufficient_scope\"")).get(0);
        assertTrue(c.is("Bearer"));
        assertEquals("https://r/t", c.realm());
        assertEquals("s", c.service());
        assertEquals("a:b:c", c.scope());
        assertEquals("insufficient_scope", c.error());
        Challenge basic = Challenge.parse(List.of("Basic")).get(0);
        assertNull(basic.realm());
        assertNull(basic.scope());
    }

    private static Arguments row(String name, List<String> headers, Challenge... expected) {
        return Arguments.of(name, headers, List.of(expected));
    }

    private static Challenge bearer(String... params) {
        return challenge("bearer", params);
    }

    private static Challenge challenge(String scheme, String... params) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            map.put(params[i], params[i + 1]);
        }
        return new Challenge(scheme, map);
    }
}
