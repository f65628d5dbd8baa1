package org.smimegw.bench.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * The inventory of mutators, in a fixed order (a finding is reproduced by the order of this list and the seeds):
 * byte-level, header, MIME structure, DER inside the S/MIME part, and {@code havoc}, which stacks two to five of
 * the others.
 */
public final class Mutators {
    private Mutators() {
    }

    public static List<Mutator> inventory() {
        List<Mutator> basic = new ArrayList<>();
        basic.addAll(ByteMutators.all());
        basic.addAll(HeaderMutators.all());
        basic.addAll(MimeMutators.all());
        basic.addAll(DerMutators.all());
        List<Mutator> all = new ArrayList<>(basic);
        List<Mutator> stackable = List.copyOf(basic);
        all.add(Mutator.of("havoc", (in, r, seeds) -> {
            byte[] out = in;
            int applied = 0;
            for (int i = 2 + r.nextInt(4); i > 0; i--) {
                byte[] next = stackable.get(r.nextInt(stackable.size())).mutate(out, r, seeds);
                if (next != null) {
                    out = next;
                    applied++;
                }
            }
            return applied == 0 ? null : out;
        }));
        return List.copyOf(all);
    }

    /** The mutator with this name. */
    public static Mutator named(String name) {
        return inventory().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no mutator named " + name));
    }
}
