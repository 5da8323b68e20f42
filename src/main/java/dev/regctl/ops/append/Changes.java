package dev.regctl.ops.append;

import dev.regctl.RegctlException;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Everything {@code append} does to each platform's image.
 *
 * @param layers one layer per {@code --add}, in order
 * @param owner  {@code UID:GID} of every added file and directory ({@code 0:0}, root, unless {@code --chown})
 * @param config the config edits
 */
public record Changes(List<LayerFiles> layers, String owner, ConfigEdits config) {
    public static final String ROOT = "0:0";
    private static final Pattern IDS = Pattern.compile("[0-9]{1,9}:[0-9]{1,9}");

    public Changes {
        layers = List.copyOf(layers);
    }

    /** The same changes with other layers (the same files, read from elsewhere). */
    public Changes withLayers(List<LayerFiles> other) {
        return new Changes(other, owner, config);
    }

    /** True when there is nothing to add and nothing to edit: the owner alone changes nothing. */
    public boolean isEmpty() {
        return layers.isEmpty() && config.isEmpty();
    }

    /** {@code --chown UID:GID}, numeric: names would need the image's /etc/passwd, which differs per base. */
    public static String owner(String value) {
        if (value == null) {
            return ROOT;
        }
        String v = value.contains(":") ? value : value + ":" + value;
        if (!IDS.matcher(v).matches()) {
            throw new RegctlException(RegctlException.Kind.USAGE, "--chown \"" + value + "\": expected UID[:GID], numeric");
        }
        return v;
    }
}
