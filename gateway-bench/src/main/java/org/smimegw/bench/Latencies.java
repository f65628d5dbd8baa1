package org.smimegw.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, one instance per thread; {@link #merge} them and ask for percentiles. */
final class Latencies {
    private long[] samples = new long[1024];
    private int count;

    void add(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = nanos;
    }

    int count() {
        return count;
    }

    static Latencies merge(Iterable<Latencies> parts) {
        Latencies all = new Latencies();
        for (Latencies part : parts) {
            for (int i = 0; i < part.count; i++) {
                all.add(part.samples[i]);
            }
        }
        Arrays.sort(all.samples, 0, all.count);
        return all;
    }

    /** The nearest-rank percentile in milliseconds of a merged (sorted) set; NaN when empty. */
    double percentileMillis(double percent) {
        if (count == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percent / 100.0 * count);
        return samples[Math.max(0, Math.min(count, rank) - 1)] / 1e6;
    }
}
