package dev.regctl.http;

import okhttp3.HttpUrl;

/**
 * Where a URL's requests go, as the web's same-origin rule counts it: scheme, host and port.
 * Credentials belong to an origin, not to a host name: a registry's upload {@code Location} or
 * next page on another port is another party.
 */
public record Origin(String scheme, String host, int port) {

    public static Origin of(HttpUrl url) {
        return new Origin(url.scheme(), url.host(), url.port());
    }

    /** True when {@code url} is on this origin. */
    public boolean owns(HttpUrl url) {
        return scheme.equals(url.scheme()) && host.equals(url.host()) && port == url.port();
    }

    @Override
    public String toString() {
        return scheme + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
