package org.smimegw.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The mutator inventory: every mutator does something, and the same random seed gives the same input. */
class MutatorsTest {
    private static List<Seed> seeds;

    @BeforeAll
    static void generateSeeds() {
        seeds = Seeds.generated(new FuzzGateway(Optional.empty()));
    }

    @Test
    void everyMutatorChangesSomeGeneratedSeed() {
        for (Mutator mutator : Mutators.inventory()) {
            boolean changed = false;
            for (int i = 0; i < 20 && !changed; i++) {
                Seed seed = seeds.get(i % seeds.size());
                byte[] out = mutator.mutate(seed.bytes(), new SplittableRandom(i), seeds);
                changed = out != null && !Arrays.equals(out, seed.bytes());
            }
            assertTrue(changed, mutator.name() + " changed none of the generated seeds");
        }
    }

    @Test
    void sameRandomSeedGivesTheSameInput() {
        for (Mutator mutator : Mutators.inventory()) {
            for (Seed seed : seeds) {
                byte[] first = mutator.mutate(seed.bytes(), new SplittableRandom(42), seeds);
                byte[] second = mutator.mutate(seed.bytes(), new SplittableRandom(42), seeds);
                assertArrayEquals(first, second, mutator.name() + " on " + seed.name());
            }
        }
    }

    /** A blank line of LF LF in an otherwise CRLF message (as havoc makes) once threw in deep-nesting. */
    @Test
    void mutatorsTolerateMixedLineEndingsAndOddInput() {
        List<byte[]> odd = List.of("From: a@example.com\r\nContent-Type: text/plain\n\nx".getBytes(),
                "Content-Type: multipart/mixed; boundary=\"----b\"\r\n\n------b--\r\n".getBytes(), new byte[0],
                "\r\n\r\n".getBytes(), "no headers at all".getBytes());
        for (Mutator mutator : Mutators.inventory()) {
            for (byte[] input : odd) {
                for (int i = 0; i < 20; i++) {
                    mutator.mutate(input, new SplittableRandom(i), seeds);
                }
            }
        }
    }

    @Test
    void mutatorNamesAreUniqueSoAFindingNamesOne() {
        List<String> names = Mutators.inventory().stream().map(Mutator::name).toList();
        assertEquals(names.size(), names.stream().distinct().count(), names.toString());
    }

    @Test
    void derMutatorsReachTheDecodedSignatureInsteadOfBreakingItsBase64() {
        Seed signed = seeds.stream().filter(s -> s.name().equals("gen.signed")).findFirst().orElseThrow();
        for (int i = 0; i < 20; i++) {
            byte[] out = Mutators.named("der-value").mutate(signed.bytes(), new SplittableRandom(i), seeds);
            SmimeBody body = SmimeBody.find(out, new SplittableRandom(0));
            assertTrue(body != null && body.der().length > 0, "the mutated S/MIME part still decodes as base64");
        }
    }
}
