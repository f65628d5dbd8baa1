package org.smimegw.bench.fuzz;

import java.nio.file.Path;

/**
 * Something the oracle objected to, with what reproduces it.
 *
 * @param kind {@code exception}, {@code hang}, {@code oracle} (a broken invariant) or {@code mutator-error} (a bug
 *     in the harness itself)
 * @param signature what groups equal findings: the exception and where it was thrown, or the broken invariant
 * @param detail the message, stack or problem lines
 * @param seed the seed's name
 * @param mutator the mutator's name
 * @param inputSeed the random seed of this input ({@code FuzzRun --replay} takes it)
 * @param file the input, written under the findings directory; null when not written (too many alike)
 */
public record Finding(String kind, String signature, String detail, String seed, String mutator, long inputSeed,
        Path file) {

    /** One line: what, and how to reproduce it. */
    public String reproduction() {
        return kind + ": " + signature + " [seed " + seed + ", mutator " + mutator + ", input seed "
                + Long.toHexString(inputSeed) + (file == null ? "" : ", input " + file) + "]";
    }
}
