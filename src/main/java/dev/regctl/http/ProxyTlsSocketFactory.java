package dev.regctl.http;

import dev.regctl.RegctlException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sockets that speak TLS to an {@code https://} proxy and plain TCP to every other address.
 * OkHttp takes the sockets of direct and HTTP-proxy routes alike from one factory and writes its
 * {@code CONNECT}, and the proxy's credentials, on whatever socket it gets: so TLS with the proxy,
 * its certificate checked against the proxy's name, is complete before {@code connect} returns.
 * The target's own TLS is then layered on this socket, inside the tunnel.
 */
final class ProxyTlsSocketFactory extends UnconnectedSocketFactory {
    private final List<ProxyUrl> tlsProxies;
    private final List<Path> certsDirs;
    private final Map<String, SSLSocketFactory> contexts = new ConcurrentHashMap<>();

    /**
     * @param tlsProxies the {@code https://} proxies
     * @param certsDirs docker's certs.d roots: a CA in {@code certs.d/PROXYHOST:PORT/} is trusted
     *     for that proxy, as for a registry, besides the JVM's own
     */
    ProxyTlsSocketFactory(List<ProxyUrl> tlsProxies, List<Path> certsDirs) {
        this.tlsProxies = List.copyOf(tlsProxies);
        this.certsDirs = List.copyOf(certsDirs);
    }

    @Override
    public Socket createSocket() {
        return new ChosenSocket();
    }

    private ProxyUrl tlsProxyAt(SocketAddress endpoint) {
        if (endpoint instanceof InetSocketAddress address) {
            for (ProxyUrl p : tlsProxies) {
                if (p.isAt(address)) {
                    return p;
                }
            }
        }
        return null;
    }

    /**
     * TLS with {@code proxy} over the connected {@code plain}, its handshake done; on failure
     * {@code plain} is closed and the failure is a {@link ConnectException} naming the proxy: an
     * {@link SSLException} would be blamed on the registry's certificate, and the message, not the
     * JDK's cause, is the one line shown.
     */
    private SSLSocket handshake(Socket plain, ProxyUrl proxy) throws IOException {
        String which = "proxy " + proxy.hostPort() + " from " + proxy.variable() + ": ";
        try {
            SSLSocket tls = (SSLSocket) trustFor(proxy).createSocket(plain, proxy.host(), proxy.port(), true);
            SSLParameters params = tls.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            params.setApplicationProtocols(new String[] {"http/1.1"}); // OkHttp writes HTTP/1.1 to a proxy
            if (IpLiteral.parse(proxy.host()) == null) {
                try {
                    params.setServerNames(List.of(new SNIHostName(proxy.host())));
                } catch (IllegalArgumentException e) {
                    // Not a name SNI can carry: the certificate is still checked against it.
                }
            }
            tls.setSSLParameters(params);
            tls.startHandshake();
            return tls;
        } catch (SSLException e) {
            plain.close();
            throw new ConnectException(which + ConnectionFailure.describe(proxy.hostPort(), e));
        } catch (RegctlException e) {
            plain.close(); // an unreadable certs.d file, met here because trust is built on first use
            throw new ConnectException(which + e.getMessage());
        }
    }

    private SSLSocketFactory trustFor(ProxyUrl proxy) {
        return contexts.computeIfAbsent(proxy.hostPort(), k -> TrustConfig.forHosts(
                List.of(proxy.hostPort(), proxy.host()), certsDirs, false).forRegistry(null).socketFactory());
    }

    /**
     * A socket that becomes TLS when it connects to an {@code https://} proxy, and stays plain
     * otherwise; everything else is passed to whichever it became.
     */
    private final class ChosenSocket extends Socket {
        private volatile Socket delegate = new Socket();

        @Override
        public void connect(SocketAddress endpoint) throws IOException {
            connect(endpoint, 0);
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            Socket plain = delegate;
            plain.connect(endpoint, timeout);
            ProxyUrl proxy = tlsProxyAt(endpoint);
            if (proxy != null) {
                delegate = handshake(plain, proxy);
            }
        }

        @Override
        public void bind(SocketAddress local) throws IOException {
            delegate.bind(local);
        }

        @Override
        public InetAddress getInetAddress() {
            return delegate.getInetAddress();
        }

        @Override
        public InetAddress getLocalAddress() {
            return delegate.getLocalAddress();
        }

        @Override
        public int getPort() {
            return delegate.getPort();
        }

        @Override
        public int getLocalPort() {
            return delegate.getLocalPort();
        }

        @Override
        public SocketAddress getRemoteSocketAddress() {
            return delegate.getRemoteSocketAddress();
        }

        @Override
        public SocketAddress getLocalSocketAddress() {
            return delegate.getLocalSocketAddress();
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return delegate.getInputStream();
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            return delegate.getOutputStream();
        }

        @Override
        public void setTcpNoDelay(boolean on) throws SocketException {
            delegate.setTcpNoDelay(on);
        }

        @Override
        public boolean getTcpNoDelay() throws SocketException {
            return delegate.getTcpNoDelay();
        }

        @Override
        public void setSoLinger(boolean on, int linger) throws SocketException {
            delegate.setSoLinger(on, linger);
        }

        @Override
        public int getSoLinger() throws SocketException {
            return delegate.getSoLinger();
        }

        @Override
        public void setSoTimeout(int timeout) throws SocketException {
            delegate.setSoTimeout(timeout);
        }

        @Override
        public int getSoTimeout() throws SocketException {
            return delegate.getSoTimeout();
        }

        @Override
        public void setSendBufferSize(int size) throws SocketException {
            delegate.setSendBufferSize(size);
        }

        @Override
        public int getSendBufferSize() throws SocketException {
            return delegate.getSendBufferSize();
        }

        @Override
        public void setReceiveBufferSize(int size) throws SocketException {
            delegate.setReceiveBufferSize(size);
        }

        @Override
        public int getReceiveBufferSize() throws SocketException {
            return delegate.getReceiveBufferSize();
        }

        @Override
        public void setKeepAlive(boolean on) throws SocketException {
            delegate.setKeepAlive(on);
        }

        @Override
        public boolean getKeepAlive() throws SocketException {
            return delegate.getKeepAlive();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }

        @Override
        public void shutdownInput() throws IOException {
            delegate.shutdownInput();
        }

        @Override
        public void shutdownOutput() throws IOException {
            delegate.shutdownOutput();
        }

        @Override
        public boolean isConnected() {
            return delegate.isConnected();
        }

        @Override
        public boolean isBound() {
            return delegate.isBound();
        }

        @Override
        public boolean isClosed() {
            return delegate.isClosed();
        }

        @Override
        public boolean isInputShutdown() {
            return delegate.isInputShutdown();
        }

        @Override
        public boolean isOutputShutdown() {
            return delegate.isOutputShutdown();
        }

        @Override
        public String toString() {
            return delegate.toString();
        }
    }
}
