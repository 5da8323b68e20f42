package dev.regctl.http;

/** Decides whether a registry host is on this machine, where docker allows plain HTTP unasked. */
public final class Loopback {
    private Loopback() {
    }

    /** True for {@code localhost}, {@code 127.0.0.0/8} and {@code ::1}, with or without a port. */
    public static boolean isLoopback(String hostAndPort) {
        String host = hostOnly(hostAndPort);
        return host.equals("localhost") || host.endsWith(".localhost")
                || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")
                || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1");
    }

    /** The host part of {@code host[:port]} or {@code [v6]:port}, without brackets. */
    public static String hostOnly(String hostAndPort) {
        if (hostAndPort.startsWith("[")) {
            int end = hostAndPort.indexOf(']');
            return end < 0 ? hostAndPort : hostAndPort.substring(1, end);
        }
        int colon = hostAndPort.lastIndexOf(':');
        return colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
    }
}
