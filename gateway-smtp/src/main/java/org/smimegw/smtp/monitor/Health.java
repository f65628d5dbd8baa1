package org.smimegw.smtp.monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.smimegw.core.queue.Direction;
import org.smimegw.smtp.config.HostPort;
import org.smimegw.smtp.json.Json;

/**
 * Liveness and readiness. Live while the process serves requests. Ready unless the store, or the relay of a
 * direction, has been unreachable for longer than {@code admin.health.grace}. The store is asked at each
 * {@link #report} (bounded by {@link StoreProbe}); a relay's reachability comes from the delivery attempts
 * themselves ({@link #relay}), so with no traffic a relay counts as reachable. Thread-safe.
 */
final class Health {
    /** One look at the gateway's health. */
    record Report(boolean ready, String json) {
    }

    private final StoreProbe store;
    private final Reachability storeState = new Reachability();
    private final Map<Direction, Reachability> relays = new EnumMap<>(Direction.class);
    private final Map<Direction, HostPort> relayAddresses;
    private final Duration grace;
    private final Clock clock;

    Health(StoreProbe store, Map<Direction, HostPort> relayAddresses, Duration grace, Clock clock) {
        this.store = store;
        this.relayAddresses = Map.copyOf(relayAddresses);
        this.grace = grace;
        this.clock = clock;
        for (Direction direction : Direction.values()) {
            relays.put(direction, new Reachability());
        }
    }

    /** What a delivery attempt found about the relay of {@code direction}. */
    void relay(Direction direction, HostPort address, boolean reachable) {
        relays.get(direction).observe(reachable, clock.instant(), address.toString());
    }

    /** 1 while the relay of {@code direction} counts as reachable, 0 otherwise (for the gauge). */
    double relayReachable(Direction direction) {
        return relays.get(direction).unreachableSince().isPresent() ? 0 : 1;
    }

    /** Checks the store now and reports every check as JSON. */
    Report report() {
        boolean storeUp = store.reachable();
        Instant now = clock.instant();
        storeState.observe(storeUp, now, null);
        boolean ready = !storeState.failing(now, grace);
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("store", check(storeState, null));
        for (Direction direction : Direction.values()) {
            Reachability relay = relays.get(direction);
            ready &= !relay.failing(now, grace);
            String address = relay.detail() != null ? relay.detail() : String.valueOf(relayAddresses.get(direction));
            checks.put(direction.word() + ".relay", check(relay, address));
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("live", true);
        report.put("ready", ready);
        report.put("checks", checks);
        return new Report(ready, Json.write(report));
    }

    /** {@code {"reachable":false,"since":"...","address":"..."}}; addresses are host:port, nothing secret. */
    private static Map<String, Object> check(Reachability state, String address) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("reachable", state.unreachableSince().isEmpty());
        state.unreachableSince().ifPresent(since -> check.put("since", since.truncatedTo(ChronoUnit.SECONDS)));
        if (address != null) {
            check.put("address", address);
        }
        return check;
    }
}
