package dev.regctl.cli;

import picocli.CommandLine;

/** Reports the version recorded in the jar manifest at build time. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"regctl " + (v == null ? "dev" : v)};
    }
}
