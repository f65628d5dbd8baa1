package org.smimegw.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The corpus is the third parties' files unchanged: each one is listed in PROVENANCE.md with its SHA-256. */
class CorpusProvenanceTest {
    private static final Pattern CHECKSUM_LINE = Pattern.compile("^([0-9a-f]{64})  (\\S+)$", Pattern.MULTILINE);

    @Test
    void everyCorpusFileIsListedWithItsChecksumAndNothingListedIsMissing() throws IOException {
        Path dir = TestData.dir();
        Map<String, String> listed = new TreeMap<>();
        Matcher line = CHECKSUM_LINE.matcher(Files.readString(dir.resolve("PROVENANCE.md")));
        while (line.find()) {
            listed.put(line.group(2), line.group(1));
        }
        assertFalse(listed.isEmpty(), "PROVENANCE.md lists no checksums");

        Map<String, String> present = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = dir.relativize(file).toString().replace('\\', '/');
                if (!name.equals("PROVENANCE.md")) {
                    present.put(name, sha256(file));
                }
            }
        }
        assertEquals(listed, present, "the corpus differs from PROVENANCE.md's checksums");
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
