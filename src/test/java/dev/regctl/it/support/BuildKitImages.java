package dev.regctl.it.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.testing.ImageParts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Indexes shaped as {@code docker buildx build --push} writes them: per platform an image whose
 * config carries what a Dockerfile sets beyond the basics (STOPSIGNAL, HEALTHCHECK, SHELL,
 * ONBUILD, a hostname, {@code variant}, {@code os.version}, and a field no spec names), and after
 * the images, one provenance attestation manifest per image: platform {@code unknown/unknown},
 * annotated {@code vnd.docker.reference.type: attestation-manifest} and
 * {@code vnd.docker.reference.digest}, an ordinary image config and an in-toto layer.
 */
public final class BuildKitImages {

    /** BuildKit's provenance layer type. */
    public static final String IN_TOTO = "application/vnd.in-toto+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CREATED = "2024-03-01T10:00:00Z";

    private BuildKitImages() {
    }

    /**
     * Writes the index into the layout at {@code dir} under {@code tag}.
     *
     * @param platforms {@code os/arch[/variant]} each
     */
    public static LayoutImage index(Path dir, String tag, List<String> platforms) {
        OciLayout layout = OciLayout.open(dir);
        ArrayNode images = JSON.createArrayNode();
        ArrayNode attestations = JSON.createArrayNode();
        List<String> children = new ArrayList<>();
        List<String> blobs = new ArrayList<>();
        for (String platform : platforms) {
            String[] p = platform.split("/");
            byte[] tar = ImageParts.tar("etc/" + p[1] + ".txt", ("built for " + platform + "\n").getBytes(StandardCharsets.UTF_8));
            ObjectNode layer = layout.writeBlob(MediaTypes.OCI_LAYER_GZIP, ImageParts.gzip(tar));
            ObjectNode config = layout.writeJsonBlob(MediaTypes.OCI_CONFIG, config(p, Digest.sha256(tar).toString()));
            ObjectNode image = layout.writeJsonBlob(MediaTypes.OCI_MANIFEST, manifest(config, layer));
            ObjectNode entry = image.deepCopy();
            ObjectNode platformNode = entry.putObject("platform").put("architecture", p[1]).put("os", p[0]);
            if (p.length > 2) {
                platformNode.put("variant", p[2]);
            }
            images.add(entry);
            children.add(image.get("digest").asText());
            blobs.add(config.get("digest").asText());
            blobs.add(layer.get("digest").asText());
            attestations.add(attestation(layout, image.get("digest").asText()));
        }
        ArrayNode manifests = images.addAll(attestations);
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
        index.set("manifests", manifests);
        ObjectNode descriptor = layout.writeJsonBlob(MediaTypes.OCI_INDEX, index);
        layout.tag(tag, descriptor);
        return new LayoutImage(dir, tag, MediaTypes.OCI_INDEX, descriptor.get("digest").asText(),
                descriptor.get("size").asLong(), List.copyOf(children), List.copyOf(blobs));
    }

    /** An nginx-like config, with every field docker build can set and one it cannot. */
    private static ObjectNode config(String[] platform, String diffId) {
        ObjectNode config = JSON.createObjectNode();
        config.put("created", CREATED);
        config.put("author", "builder@example.com");
        config.put("comment", "built by buildkit");
        config.put("architecture", platform[1]);
        if (platform.length > 2) {
            config.put("variant", platform[2]);
        }
        config.put("os", platform[0]);
        config.put("os.version", "6.1");
        ObjectNode run = config.putObject("config");
        run.put("Hostname", "builder");
        run.put("Domainname", "example.com");
        run.put("User", "101");
        run.putObject("ExposedPorts").putObject("80/tcp");
        run.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                .add("NGINX_VERSION=1.25.4").add("NJS_VERSION=0.8.3");
        run.putArray("Entrypoint").add("/docker-entrypoint.sh");
        run.putArray("Cmd").add("nginx").add("-g").add("daemon off;");
        run.put("WorkingDir", "/");
        run.putObject("Labels").put("maintainer", "NGINX Docker Maintainers");
        run.put("StopSignal", "SIGQUIT");
        ObjectNode health = run.putObject("Healthcheck");
        health.putArray("Test").add("CMD-SHELL").add("curl -f http://localhost/ || exit 1");
        health.put("Interval", 30_000_000_000L).put("Timeout", 5_000_000_000L).put("Retries", 3);
        run.putArray("Shell").add("/bin/bash").add("-c");
        run.putArray("OnBuild").add("COPY . /usr/share/nginx/html");
        run.putObject("Volumes").putObject("/var/cache/nginx");
        run.put("ArgsEscaped", true);
        run.put("io.example.future", "a run field no spec names yet");
        config.putObject("io.example.extension").put("kept", true);
        ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
        rootfs.putArray("diff_ids").add(diffId);
        config.putArray("history").addObject().put("created", CREATED).put("created_by", "COPY etc/ /etc/ # buildkit")
                .put("comment", "buildkit.dockerfile.v0");
        return config;
    }

    private static ObjectNode manifest(ObjectNode config, ObjectNode... layers) {
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.set("config", config);
        manifest.putArray("layers").addAll(List.of(layers));
        return manifest;
    }

    /** The provenance manifest of {@code image}, as its index entry. */
    private static ObjectNode attestation(OciLayout layout, String image) {
        byte[] statement = ("{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"predicateType\":\"https://slsa.dev/provenance/v0.2\","
                + "\"subject\":[{\"name\":\"pkg:docker/app\",\"digest\":{\"sha256\":\"" + image.substring("sha256:".length())
                + "\"}}],\"predicate\":{\"builder\":{\"id\":\"\"},\"buildType\":\"https://mobyproject.org/buildkit@v1\"}}")
                .getBytes(StandardCharsets.UTF_8);
        ObjectNode layer = layout.writeBlob(IN_TOTO, statement);
        layer.putObject("annotations").put("in-toto.io/predicate-type", "https://slsa.dev/provenance/v0.2");
        ObjectNode config = JSON.createObjectNode().put("architecture", "unknown").put("os", "unknown");
        config.putObject("config");
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(Digest.sha256(statement).toString());
        ObjectNode manifest = layout.writeJsonBlob(MediaTypes.OCI_MANIFEST,
                manifest(layout.writeJsonBlob(MediaTypes.OCI_CONFIG, config), layer));
        ObjectNode entry = manifest.deepCopy();
        entry.putObject("annotations").put("vnd.docker.reference.digest", image)
                .put("vnd.docker.reference.type", "attestation-manifest");
        entry.putObject("platform").put("architecture", "unknown").put("os", "unknown");
        return entry;
    }
}
