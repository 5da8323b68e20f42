package dev.regctl.registries;

/**
 * One {@code [[registry.mirror]]}: where else the images of an entry may be read from.
 *
 * @param location {@code host[:port][/namespace...]}, standing in for the entry's prefix
 * @param insecure plain HTTP and unverified TLS allowed for the mirror's host
 * @param pullFrom which pulls the mirror serves
 */
public record Mirror(String location, boolean insecure, PullFromMirror pullFrom) {
}
