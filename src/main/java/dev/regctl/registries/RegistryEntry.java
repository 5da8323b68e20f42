package dev.regctl.registries;

import dev.regctl.RegctlException;
import java.nio.file.Path;
import java.util.List;

/**
 * One {@code [[registry]]} table: the images whose names start with {@code prefix}, and how to
 * reach them.
 *
 * @param prefix   {@code host[:port][/namespace...][/repo[:tag|@digest]]}, or {@code *.domain} for
 *                 every subdomain of {@code domain}
 * @param location what replaces the matched prefix; empty for a wildcard entry that keeps names
 * @param insecure plain HTTP and unverified TLS allowed for the location's host
 * @param blocked  every use of these images refused
 * @param mirrors  where reads are tried first, in order
 * @param file     the file that defined the entry, named in messages about it
 */
public record RegistryEntry(String prefix, String location, boolean insecure, boolean blocked, List<Mirror> mirrors,
        Path file) {

    public RegistryEntry {
        mirrors = List.copyOf(mirrors);
    }

    /** How messages name the entry: {@code /etc/containers/registries.conf [[registry]] prefix "docker.io"}. */
    public String describe() {
        return file + " [[registry]] prefix \"" + prefix + "\"";
    }

    /**
     * The failure of a use of {@code name} this entry blocks: before any request, naming the file
     * and entry so the user can see which setting refused it.
     */
    public RegctlException refusal(String name) {
        return new RegctlException(RegctlException.Kind.USAGE, name + ": blocked by " + describe(),
                "ask whoever manages " + file + ", or pass --no-registries-conf if the file does not apply", null);
    }
}
