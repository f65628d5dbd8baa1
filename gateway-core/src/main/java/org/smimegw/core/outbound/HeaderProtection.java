package org.smimegw.core.outbound;

/** {@code outbound.header.protection} (docs/design.md §12): how outgoing header fields are protected (RFC 9788). */
public enum HeaderProtection {
    /** The header fields are copied into the signed or encrypted part; the outer ones stay as they are. */
    PROTECT,
    /** As {@link #PROTECT}, and an encrypted message's outer Subject becomes {@code [...]}. */
    OBSCURE,
    /** No header protection. */
    OFF
}
