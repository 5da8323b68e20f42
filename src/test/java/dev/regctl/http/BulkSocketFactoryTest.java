package dev.regctl.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.Random;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import okio.Buffer;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Buffered sockets: fewer system calls, the same bytes, every request still reaches the wire. */
class BulkSocketFactoryTest {
    private static final byte[] BLOB = new byte[3 * 1024 * 1024 + 17];

    static {
        new Random(7).nextBytes(BLOB);
    }

    private MockWebServer server;

    @BeforeEach
    void start() {
        server = new MockWebServer();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    @Test
    void bodiesCrossBothWaysIntactOverPlainHttp() throws Exception {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        OkHttpClient client = new OkHttpClient.Builder().socketFactory(new BulkSocketFactory()).build();
        roundTrips(client, "http");
    }

    @Test
    void tlsRunsOverTheBufferedSocket() throws Exception {
        HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).build();
        HeldCertificate cert = new HeldCertificate.Builder().addSubjectAlternativeName("localhost").signedBy(ca).build();
        server.useHttps(new HandshakeCertificates.Builder().heldCertificate(cert).build().sslSocketFactory(), false);
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        HandshakeCertificates trust = new HandshakeCertificates.Builder().addTrustedCertificate(ca.certificate()).build();
        OkHttpClient client = new OkHttpClient.Builder().socketFactory(new BulkSocketFactory())
                .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager()).build();
        roundTrips(client, "https");
    }

    /** Two uploads and two downloads on one kept-alive connection: a request left in a buffer would hang here. */
    private void roundTrips(OkHttpClient client, String scheme) throws Exception {
        for (int i = 0; i < 2; i++) {
            server.enqueue(new MockResponse().setBody(new Buffer().write(BLOB)));
            Request put = new Request.Builder().url(server.url("/up").newBuilder().scheme(scheme).host("localhost").build())
                    .put(streamed()).build();
            try (Response r = client.newCall(put).execute()) {
                assertArrayEquals(BLOB, r.body().bytes());
            }
            RecordedRequest got = server.takeRequest();
            assertArrayEquals(BLOB, got.getBody().readByteArray());
            assertEquals(i, got.getSequenceNumber(), "the connection was kept");
        }
    }

    private static RequestBody streamed() {
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                return null;
            }

            @Override
            public long contentLength() {
                return BLOB.length;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                for (int off = 0; off < BLOB.length; off += 1000) {
                    sink.write(BLOB, off, Math.min(1000, BLOB.length - off));
                }
            }
        };
    }

    @Test
    void oneReadOfTheSocketServesManySmallReads() throws IOException {
        CountingStream socket = new CountingStream(BLOB);
        InputStream in = new BulkSocketFactory.BufferedIn(socket);
        byte[] all = new byte[BLOB.length];
        int off = 0;
        for (int n; (n = in.read(all, off, Math.min(8192, all.length - off))) > 0; ) {
            off += n;
        }
        assertArrayEquals(BLOB, all);
        assertEquals(-1, in.read());
        // Okio asks for 8 KiB at a time; the socket is read 64 KiB at a time (and once more for the end).
        assertEquals(BLOB.length / BulkSocketFactory.BUFFER + 2, socket.reads);
    }

    @Test
    void skipAndSingleBytesTakeTheBufferedBytesFirst() throws IOException {
        InputStream in = new BulkSocketFactory.BufferedIn(new CountingStream(BLOB));
        assertEquals(BLOB[0] & 0xff, in.read());
        assertEquals(99, in.skip(99));
        byte[] next = new byte[4];
        assertEquals(4, in.read(next));
        assertArrayEquals(java.util.Arrays.copyOfRange(BLOB, 100, 104), next);
    }

    /** A socket's stream that counts its reads and, like a socket, costs a system call to ask what is waiting. */
    private static final class CountingStream extends ByteArrayInputStream {
        int reads;

        CountingStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            reads++;
            return super.read(b, off, len);
        }

        @Override
        public synchronized int available() {
            throw new AssertionError("asked how much is waiting");
        }
    }
}
