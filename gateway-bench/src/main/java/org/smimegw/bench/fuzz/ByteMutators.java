package org.smimegw.bench.fuzz;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mutators that know nothing about mail: bit flips, truncation, random insertions, duplicated and deleted ranges,
 * two seeds spliced together, and line-ending damage (bare CR, bare LF, NUL). They find what the structured
 * mutators do not think of.
 */
final class ByteMutators {
    private ByteMutators() {
    }

    static List<Mutator> all() {
        return List.of(
                Mutator.of("flip-bits", (in, r, s) -> {
                    if (in.length == 0) {
                        return null;
                    }
                    byte[] out = in.clone();
                    for (int i = 1 + r.nextInt(8); i > 0; i--) {
                        int at = r.nextInt(out.length);
                        out[at] = (byte) (out[at] ^ (1 << r.nextInt(8)));
                    }
                    return out;
                }),
                Mutator.of("truncate", (in, r, s) -> in.length == 0 ? null
                        : Arrays.copyOf(in, r.nextInt(in.length))),
                Mutator.of("insert-random-bytes", (in, r, s) -> {
                    int at = Edits.position(r, in.length);
                    return Edits.replace(in, at, at, Edits.randomBytes(r, 1 + r.nextInt(64)));
                }),
                Mutator.of("duplicate-range", (in, r, s) -> {
                    if (in.length == 0) {
                        return null;
                    }
                    int from = r.nextInt(in.length);
                    int to = from + 1 + r.nextInt(Math.min(in.length - from, 4096));
                    int times = 1 + r.nextInt(r.nextInt(10) == 0 ? 500 : 3);
                    byte[] range = Arrays.copyOfRange(in, from, to);
                    byte[] repeated = new byte[range.length * times];
                    for (int i = 0; i < times; i++) {
                        System.arraycopy(range, 0, repeated, i * range.length, range.length);
                    }
                    return Edits.capped(Edits.replace(in, to, to, repeated));
                }),
                Mutator.of("delete-range", (in, r, s) -> {
                    if (in.length == 0) {
                        return null;
                    }
                    int from = r.nextInt(in.length);
                    int to = from + 1 + r.nextInt(Math.min(in.length - from, 1024));
                    return Edits.replace(in, from, to, new byte[0]);
                }),
                Mutator.of("splice-seeds", (in, r, seeds) -> {
                    byte[] other = seeds.get(r.nextInt(seeds.size())).bytes();
                    int cut = Edits.position(r, in.length);
                    int otherCut = Edits.position(r, other.length);
                    return Edits.replace(Arrays.copyOf(in, cut), cut, cut,
                            Arrays.copyOfRange(other, otherCut, other.length));
                }),
                Mutator.of("line-endings-bare-lf", (in, r, s) -> lineEndings(in, r, "\n")),
                Mutator.of("line-endings-bare-cr", (in, r, s) -> lineEndings(in, r, "\r")),
                Mutator.of("insert-nul", (in, r, s) -> {
                    byte[] out = in;
                    for (int i = 1 + r.nextInt(4); i > 0; i--) {
                        int at = Edits.position(r, out.length);
                        out = Edits.replace(out, at, at, new byte[] {0});
                    }
                    return out;
                }));
    }

    /** Every CRLF, or a random half of them, replaced by {@code replacement}. */
    private static byte[] lineEndings(byte[] in, SplittableRandom r, String replacement) {
        String text = Edits.text(in);
        if (!text.contains("\r\n")) {
            return null;
        }
        if (r.nextBoolean()) {
            return Edits.bytes(text.replace("\r\n", replacement));
        }
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (int eol = text.indexOf("\r\n"); eol >= 0; eol = text.indexOf("\r\n", at)) {
            out.append(text, at, eol).append(r.nextBoolean() ? replacement : "\r\n");
            at = eol + 2;
        }
        return Edits.bytes(out.append(text, at, text.length()).toString());
    }
}
