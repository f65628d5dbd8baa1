package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.queue.QueueIds;

/**
 * A message is durable when {@code enqueue} returns, on an H2 file too: a process that dies right after it (no
 * close, no shutdown hooks) leaves the message in the file for the next process.
 */
class H2DurabilityIT {
    @TempDir
    Path dir;

    @Test
    void enqueuedMessageSurvivesTheProcessDyingRightAfterwards() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("data").resolve("gateway");
        Path masterKey = dir.resolve("data").resolve("master.key");
        String id = QueueIds.next(Instant.now());

        String output = runDyingProcess(url, masterKey.toString(), id);

        assertTrue(output.contains("enqueued " + id), output);
        try (Store store = Store.open(new StoreSettings(url, "sa", "", masterKey))) {
            assertEquals(List.of("b@example.com"), store.queue().find(id).orElseThrow(
                    () -> new AssertionError("message " + id + " lost")).pendingRecipients());
            assertArrayEquals(id.getBytes(StandardCharsets.US_ASCII), store.queue().content(id).orElseThrow().toByteArray());
        }
    }

    private static String runDyingProcess(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                EnqueueAndHaltProbe.class.getName(), args[0], args[1], args[2]).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the other process did not finish");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), text);
        return text;
    }
}
