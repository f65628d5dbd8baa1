package org.smimegw.core.testing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.smimegw.core.mime.Bytes;
import org.smimegw.core.port.OriginalArchive;

/** An {@link OriginalArchive} in memory, for core tests. Thread-safe. */
public final class InMemoryOriginalArchive implements OriginalArchive {
    private final Map<String, KeptOriginal> kept = new ConcurrentHashMap<>();

    @Override
    public String keep(String sender, List<String> recipients, Bytes message) {
        String id = UUID.randomUUID().toString();
        kept.put(id, new KeptOriginal(id, sender, List.copyOf(recipients), message));
        return id;
    }

    @Override
    public Optional<KeptOriginal> find(String id) {
        return Optional.ofNullable(kept.get(id));
    }
}
