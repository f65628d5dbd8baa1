package org.smimegw.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The third-party S/MIME corpus of {@code gateway-core/src/test/resources/corpus} (its {@code PROVENANCE.md} names
 * each source, licence and expected verdict). Tests of every module find it by walking up from their working
 * directory to the repository root. Nothing skips: a missing folder or file fails the test that asked for it.
 */
public final class TestData {
    /** Where the corpus lives, relative to the repository root. */
    public static final Path LOCATION = Path.of("gateway-core", "src", "test", "resources", "corpus");

    private TestData() {
    }

    public static Path dir() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path corpus = dir.resolve(LOCATION);
            if (Files.isRegularFile(corpus.resolve("PROVENANCE.md"))) {
                return corpus;
            }
        }
        throw new IllegalStateException("the third-party corpus " + LOCATION + " (with its PROVENANCE.md) is not in "
                + start + " nor in any folder above it");
    }

    public static Path file(String relative) {
        Path file = dir().resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("corpus file missing: " + file + " (PROVENANCE.md lists what belongs there)");
        }
        return file;
    }
}
