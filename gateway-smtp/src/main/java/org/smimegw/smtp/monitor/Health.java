package org.smimegw.smtp.monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;

import org.smimegw.core.queue.Direction;
import org.smimegw.smtp.config.HostPort;

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
        StringBuilder checks = new StringBuilder();
        checks.append("\"store\":").append(check(storeState, null));
        for (Direction direction : Direction.values()) {
            Reachability relay = relays.get(direction);
            ready &= !relay.failing(now, grace);
            String address = relay.detail() != null ? relay.detail() : String.valueOf(relayAddresses.get(direction));
            checks.append(",\"").append(direction.word()).append(".relay\":").append(check(relay, address));
        }
        String json = "{\"live\":true,\"ready\":" + ready + ",\"checks\":{" + checks + "}}";
        return new Report(ready, json);
    }

    /** {@code {"reachable":false,"since":"...","address":"..."}}; addresses are host:port, nothing secret. */
    private static String check(Reachability state, String address) {
        StringBuilder json = new StringBuilder("{\"reachable\":").append(state.unreachableSince().isEmpty());
        state.unreachableSince().ifPresent(since -> json.append(",\"since\":\"")
                .append(since.truncatedTo(ChronoUnit.SECONDS)).append('"'));
        if (address != null) {
            json.append(",\"address\":\"").append(escape(address)).append('"');
        }
        return json.append('}').toString();
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
