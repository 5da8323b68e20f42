package dev.regctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.regctl.ops.TagDetail;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code tags --long}: tab-separated bytes for a pipe, a headed table with human sizes on a terminal. */
class TagsTableTest {
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final List<TagDetail> ROWS = List.of(
            new TagDetail("v1", A, "m", List.of("linux/amd64"), 3_500_000L, "2024-05-01T00:00:00Z", null),
            new TagDetail("latest", B, "m", List.of(), null, null, null));

    @Test
    void piped() {
        assertEquals(List.of("v1\t" + A + "\tlinux/amd64\t3500000\t2024-05-01T00:00:00Z", "latest\t" + B + "\t-\t-\t-"),
                TagsCommand.table(ROWS, false));
    }

    @Test
    void onATerminal() {
        String pad = " ".repeat(A.length() - "DIGEST".length());
        assertEquals(List.of(
                "TAG     DIGEST" + pad + "  PLATFORMS    SIZE     CREATED",
                "v1      " + A + "  linux/amd64  3.3 MiB  2024-05-01T00:00:00Z",
                "latest  " + B + "  -            -        -"), TagsCommand.table(ROWS, true));
    }
}
