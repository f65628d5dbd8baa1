package org.smimegw.core.port;

import java.util.function.Supplier;

/**
 * The reads of one message as one unit: an implementation may check the freshness of its caches of certificates, keys
 * and revocation data once for the whole unit, instead of at every lookup. A change another process commits during
 * the unit is seen by the next one; a change made inside the unit is seen at once. Thread-safe; units nest.
 */
public interface ReadScope {
    /** No unit: every lookup checks for itself. */
    ReadScope EACH_LOOKUP = new ReadScope() {
        @Override
        public <T> T within(Supplier<T> work) {
            return work.get();
        }
    };

    <T> T within(Supplier<T> work);
}
