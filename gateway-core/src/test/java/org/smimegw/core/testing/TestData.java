package org.smimegw.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/** Locates {@code ../shared/testdata}; tests that need it are skipped, with a message, when it is absent. */
public final class TestData {
    private TestData() {
    }

    public static Path dir() {
        String configured = System.getProperty("testdata.dir");
        Path dir = configured != null ? Path.of(configured) : Path.of("../shared/testdata");
        if (!Files.isDirectory(dir) && configured == null) {
            dir = Path.of("../../shared/testdata");
        }
        Assumptions.assumeTrue(Files.isDirectory(dir),
                "third-party test data not found at " + dir.toAbsolutePath() + ": skipped");
        return dir.normalize();
    }

    public static Path file(String relative) {
        return dir().resolve(relative);
    }
}
