package org.smimegw.bench.fuzz;

/**
 * A message the mutators start from.
 *
 * @param name a stable name: the corpus file name, or {@code gen.<kind>} for a generated one
 * @param bytes the message as received
 */
public record Seed(String name, byte[] bytes) {
    @Override
    public String toString() {
        return name + " (" + bytes.length + " bytes)";
    }
}
