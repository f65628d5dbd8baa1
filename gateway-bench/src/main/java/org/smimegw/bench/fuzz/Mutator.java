package org.smimegw.bench.fuzz;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One named way of changing a message. A mutator is a pure function of its input, the random stream and the seed
 * list, so that a finding is reproduced from the seed name, the mutator name and the input's random seed.
 */
public interface Mutator {
    /** The largest input a mutator produces: enough for many parts or deep nesting, small enough for the heap. */
    int MAX_INPUT = 4 * 1024 * 1024;

    String name();

    /**
     * @param input the seed's bytes; never modified
     * @param random the only source of randomness
     * @param seeds every seed, for mutators that combine two
     * @return the mutated bytes, or {@code null} when the mutator does not apply to this input (e.g. no S/MIME part)
     */
    byte[] mutate(byte[] input, SplittableRandom random, List<Seed> seeds);

    /** A mutator from a name and a function. */
    static Mutator of(String name, Function function) {
        return new Mutator() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public byte[] mutate(byte[] input, SplittableRandom random, List<Seed> seeds) {
                return function.apply(input, random, seeds);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /** The body of a mutator. */
    @FunctionalInterface
    interface Function {
        byte[] apply(byte[] input, SplittableRandom random, List<Seed> seeds);
    }
}
