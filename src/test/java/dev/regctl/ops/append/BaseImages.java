package dev.regctl.ops.append;

import static dev.regctl.testing.ImageParts.blob;
import static dev.regctl.testing.ImageParts.gzip;
import static dev.regctl.testing.ImageParts.json;
import static dev.regctl.testing.ImageParts.tar;

import dev.regctl.oci.Descriptor;
import dev.regctl.oci.Digest;
import dev.regctl.oci.MediaTypes;
import dev.regctl.oci.RawManifest;
import dev.regctl.store.ImageStore;
import java.nio.charset.StandardCharsets;

/** Real base images written into a store: a gzip tar layer whose diff id the config names, and a config with env, cmd and labels. */
public final class BaseImages {
    private BaseImages() {
    }

    /** A one-layer image for {@code os/arch}, tagged {@code tag} unless null. */
    public static RawManifest image(ImageStore store, String tag, String platform) {
        String[] p = platform.split("/");
        return image(store, tag, "etc/base-" + p[1], diffId -> "{\"created\":\"2024-01-01T00:00:00Z\",\"os\":\"" + p[0]
                + "\",\"architecture\":\"" + p[1] + "\","
                + "\"config\":{\"Env\":[\"PATH=/usr/bin:/bin\",\"MODE=base\"],\"Cmd\":[\"/bin/sh\"],"
                + "\"Labels\":{\"base\":\"yes\"},\"ExposedPorts\":{\"22/tcp\":{}}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]},"
                + "\"history\":[{\"created\":\"2024-01-01T00:00:00Z\",\"created_by\":\"base layer\"}]}");
    }

    /**
     * A linux/arm/v7 image whose config has every field a Dockerfile can set (nginx's STOPSIGNAL,
     * a HEALTHCHECK, SHELL, ONBUILD...), {@code os.version}, and fields no spec names, at the top
     * and in {@code config}.
     */
    public static RawManifest everyField(ImageStore store, String tag) {
        return image(store, tag, "etc/nginx.conf", diffId -> """
                {"created":"2024-02-01T00:00:00Z","author":"someone@example.com","comment":"a base",
                 "architecture":"arm","variant":"v7","os":"linux","os.version":"6.1",
                 "config":{"Hostname":"h","Domainname":"example.com","User":"101",
                  "ExposedPorts":{"80/tcp":{}},
                  "Env":["PATH=/usr/bin:/bin","NGINX_VERSION=1.25.4","NJS_VERSION=0.8.3"],
                  "Entrypoint":["/docker-entrypoint.sh"],"Cmd":["nginx","-g","daemon off;"],
                  "Healthcheck":{"Test":["CMD-SHELL","curl -f http://localhost/"],"Interval":30000000000,"Retries":3},
                  "ArgsEscaped":true,"Volumes":{"/var/cache/nginx":{}},"WorkingDir":"/srv",
                  "Labels":{"maintainer":"NGINX"},"StopSignal":"SIGQUIT","Shell":["/bin/bash","-c"],
                  "OnBuild":["COPY . /html"],"io.example.run":{"deep":[1,2.5,"x"]}},
                 "rootfs":{"type":"layers","diff_ids":["%s"]},
                 "history":[{"created":"2024-02-01T00:00:00Z","created_by":"COPY nginx.conf","comment":"buildkit.dockerfile.v0",
                  "io.example.note":"kept"}],
                 "io.example.top":{"any":"thing"}}""".formatted(diffId));
    }

    private static RawManifest image(ImageStore store, String tag, String file, java.util.function.Function<String, String> config) {
        byte[] tar = tar(file, ("content of " + file + "\n").getBytes(StandardCharsets.UTF_8));
        Descriptor layer = blob(store, MediaTypes.OCI_LAYER_GZIP, gzip(tar));
        Descriptor configBlob = blob(store, MediaTypes.OCI_CONFIG,
                config.apply(Digest.sha256(tar).toString()).getBytes(StandardCharsets.UTF_8));
        RawManifest m = RawManifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":" + json(configBlob) + ",\"layers\":[" + json(layer) + "]}").getBytes(StandardCharsets.UTF_8),
                MediaTypes.OCI_MANIFEST);
        store.putManifest(m, tag);
        return m;
    }

    /** An OCI index of one image per platform, tagged {@code tag}. */
    public static RawManifest index(ImageStore store, String tag, String... platforms) {
        StringBuilder children = new StringBuilder();
        for (String platform : platforms) {
            RawManifest child = image(store, null, platform);
            String[] p = platform.split("/");
            children.append(children.isEmpty() ? "" : ",").append("{\"mediaType\":\"").append(MediaTypes.OCI_MANIFEST)
                    .append("\",\"digest\":\"").append(child.digest()).append("\",\"size\":").append(child.bytes().length)
                    .append(",\"platform\":{\"os\":\"").append(p[0]).append("\",\"architecture\":\"").append(p[1]).append("\"}}");
        }
        RawManifest index = RawManifest.of(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
                + "\",\"manifests\":[" + children + "]}").getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_INDEX);
        store.putManifest(index, tag);
        return index;
    }
}
