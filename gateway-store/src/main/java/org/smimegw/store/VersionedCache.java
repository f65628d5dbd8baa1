package org.smimegw.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Values loaded under a change counter of {@link StoreVersions}: a value is served only while the counter still has
 * the value it had <em>before</em> the value was loaded, so a change committed during a load is never hidden. Errors
 * are not cached. Bounded: the whole cache is dropped when it grows past {@link #MAX_ENTRIES}. Thread-safe.
 */
final class VersionedCache<K, V> {
    static final int MAX_ENTRIES = 10_000;

    private record Entry<V>(long version, V value) {
    }

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();

    /**
     * @param version the counter, read before this call
     * @param load reads the value from the database
     */
    V get(long version, K key, Supplier<V> load) {
        Entry<V> entry = entries.get(key);
        if (entry != null && entry.version() == version) {
            return entry.value();
        }
        V value = load.get();
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key, new Entry<>(version, value));
        return value;
    }

    /** Forgets everything, e.g. after this process changed the table. */
    void clear() {
        entries.clear();
    }

    int size() {
        return entries.size();
    }
}
