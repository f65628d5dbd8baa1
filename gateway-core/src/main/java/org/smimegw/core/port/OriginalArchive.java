package org.smimegw.core.port;

import java.util.Optional;

import org.smimegw.core.mime.Bytes;

/**
 * Keeps the original of an inbound message that could not be decrypted or verified, so that {@code reprocess}
 * can run it again once a key or certificate has been added. Thread-safe.
 */
public interface OriginalArchive {

    /** A kept original: the envelope and the raw message as received. */
    record KeptOriginal(String id, String sender, java.util.List<String> recipients, Bytes message) {
    }

    /** Keeps the message and returns its id. */
    String keep(String sender, java.util.List<String> recipients, Bytes message);

    Optional<KeptOriginal> find(String id);
}
