package dev.regctl.oci;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Builds signed schema 1 manifests the way libtrust lays them out: the payload's closing brace is
 * cut, the {@code signatures} spliced in, and the protected header says where the cut was. The
 * signature itself is random text: nothing regctl computes depends on it, only on the payload.
 */
public final class SignedSchema1 {
    public static final String LAYER_BASE = "sha256:" + "a".repeat(64);
    public static final String LAYER_TOP = "sha256:" + "b".repeat(64);

    /** A pretty-printed payload as docker signs it: two layers, top first, arm64 on linux. */
    public static final String PAYLOAD = """
            {
               "schemaVersion": 1,
               "name": "app",
               "tag": "v1",
               "architecture": "arm64",
               "fsLayers": [
                  {
                     "blobSum": "%s"
                  },
                  {
                     "blobSum": "%s"
                  }
               ],
               "history": [
                  {
                     "v1Compatibility": "{\\"architecture\\":\\"arm64\\",\\"os\\":\\"linux\\",\\"created\\":\\"2020-01-02T03:04:05Z\\"}"
                  },
                  {
                     "v1Compatibility": "{\\"created\\":\\"2020-01-01T00:00:00Z\\"}"
                  }
               ]
            }""".formatted(LAYER_TOP, LAYER_BASE);

    private SignedSchema1() {
    }

    public static byte[] payload() {
        return PAYLOAD.getBytes(StandardCharsets.UTF_8);
    }

    /** {@link #PAYLOAD} signed at {@code time}, so two times give two bodies of one payload. */
    public static byte[] signed(String time) {
        int cut = PAYLOAD.lastIndexOf("\n}");
        return (PAYLOAD.substring(0, cut) + ",\n   \"signatures\": [\n      " + signature(cut, "\n}", time)
                + "\n   ]\n}").getBytes(StandardCharsets.UTF_8);
    }

    /** One signature entry whose protected header gives {@code formatLength} and {@code formatTail}. */
    public static String signature(int formatLength, String formatTail, String time) {
        String header = "{\"formatLength\":" + formatLength + ",\"formatTail\":\"" + b64(formatTail)
                + "\",\"time\":\"" + time + "\"}";
        return "{\"header\": {\"alg\": \"ES256\"}, \"signature\": \"" + b64("sig " + time)
                + "\", \"protected\": \"" + b64(header) + "\"}";
    }

    public static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
