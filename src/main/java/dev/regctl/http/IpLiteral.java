package dev.regctl.http;

import java.io.IOException;
import java.net.InetAddress;

/** The address an IP literal spells; never a DNS lookup, so a host name gives null. */
final class IpLiteral {
    private IpLiteral() {
    }

    /** The bytes of {@code host} (IPv4 dotted, or IPv6 without brackets), or null for a host name. */
    static byte[] parse(String host) {
        if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            String[] parts = host.split("\\.");
            byte[] v4 = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(parts[i]);
                if (octet > 255) {
                    return null;
                }
                v4[i] = (byte) octet;
            }
            return v4;
        }
        if (host.indexOf(':') < 0 || !host.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        try {
            // With a colon the JDK parses an IPv6 literal and never resolves it.
            return InetAddress.getByName(host).getAddress();
        } catch (IOException e) {
            return null;
        }
    }
}
