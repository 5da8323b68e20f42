/**
 * The containers tools' {@code registries.conf} (containers-registries.conf(5), version 2): which
 * files are read, how drop-ins override them, and what an image reference resolves to (the
 * {@code [[registry]]} entry, its rewritten location, its mirrors in order, blocked or not).
 * The model only; the session turns a {@link dev.regctl.registries.Resolution} into stores.
 */
package dev.regctl.registries;
