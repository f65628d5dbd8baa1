package org.smimegw.core.testing;

import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.smimegw.core.port.PendingKeys;

/** {@link PendingKeys} in memory, for core tests. */
public final class InMemoryPendingKeys implements PendingKeys {
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Map<String, PrivateKey> keys = new LinkedHashMap<>();

    @Override
    public synchronized void add(Pending request, PrivateKey key) {
        pending.put(request.id(), request);
        keys.put(request.id(), key);
    }

    @Override
    public synchronized List<Pending> all() {
        return new ArrayList<>(pending.values());
    }

    @Override
    public synchronized Optional<Pending> find(String id) {
        return Optional.ofNullable(pending.get(id));
    }

    @Override
    public synchronized Optional<PrivateKey> privateKey(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    @Override
    public synchronized boolean delete(String id) {
        keys.remove(id);
        return pending.remove(id) != null;
    }
}
