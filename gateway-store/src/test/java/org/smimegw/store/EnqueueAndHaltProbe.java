package org.smimegw.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.smimegw.core.queue.Direction;

/**
 * Run in a second JVM by {@link H2DurabilityIT}: opens the store, enqueues one message, says so, and dies at once
 * without closing anything, as a relay killed right after its {@code 250} reply would.
 */
public final class EnqueueAndHaltProbe {
    private EnqueueAndHaltProbe() {
    }

    public static void main(String[] args) {
        Store store = Store.open(new StoreSettings(args[0], "sa", "", Path.of(args[1])));
        store.queue().enqueue(args[2], Direction.OUTBOUND, "a@example.org", List.of("b@example.com"),
                args[2].getBytes(StandardCharsets.US_ASCII), Instant.parse("2026-06-01T12:00:00Z"));
        System.out.println("enqueued " + args[2]);
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
