package org.smimegw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentilesUseTheNearestRankOverEveryThreadsSamples() {
        Latencies first = new Latencies();
        Latencies second = new Latencies();
        for (int i = 1; i <= 100; i++) {
            (i % 2 == 0 ? first : second).add(i * 1_000_000L);
        }

        Latencies all = Latencies.merge(List.of(first, second));

        assertEquals(50.0, all.percentileMillis(50));
        assertEquals(99.0, all.percentileMillis(99));
        assertEquals(100.0, all.percentileMillis(100));
    }

    @Test
    void anEmptySetHasNoPercentile() {
        assertTrue(Double.isNaN(Latencies.merge(List.of()).percentileMillis(99)));
    }
}
