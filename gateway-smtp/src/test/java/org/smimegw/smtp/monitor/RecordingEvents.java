package org.smimegw.smtp.monitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.smimegw.core.queue.Direction;
import org.smimegw.smtp.config.HostPort;

/** {@link MessageEvents} written down as words, e.g. {@code intake outbound refused}, in order. Thread-safe. */
public final class RecordingEvents implements MessageEvents {
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    public List<String> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    @Override
    public void processed(Direction direction, Duration took) {
        events.add("processed " + direction.word());
    }

    @Override
    public void inboundVerdict(String smime, String encryption) {
        events.add("inbound smime=" + smime + " encryption=" + encryption);
    }

    @Override
    public void outboundTreatment(boolean signed, boolean encrypted) {
        events.add("outbound signed=" + signed + " encrypted=" + encrypted);
    }

    @Override
    public void intake(Direction direction, String outcome) {
        events.add("intake " + direction.word() + " " + outcome);
    }

    @Override
    public void attempt(Direction direction, String result, Duration took) {
        events.add("attempt " + direction.word() + " " + result);
    }

    @Override
    public void recipients(Direction direction, String result, int count) {
        events.add("recipients " + direction.word() + " " + result + " " + count);
    }

    @Override
    public void finished(Direction direction, String result) {
        events.add("finished " + direction.word() + " " + result);
    }

    @Override
    public void relay(Direction direction, HostPort address, boolean reachable) {
        events.add("relay " + direction.word() + " " + address + " " + (reachable ? "reachable" : "unreachable"));
    }
}
