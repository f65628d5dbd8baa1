package org.smimegw.smtp.mta;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.smimegw.smtp.testing.Await;

/**
 * The log file ({@code maillog_file}) of one private Postfix instance. Postfix programs write their errors to stderr
 * only when it is a terminal; otherwise everything goes here, so failures quote it.
 */
final class Maillog {
    private final Path file;

    Maillog(Path file) {
        this.file = file;
    }

    /** What the instance logged so far, or a note saying why there is nothing to show. */
    String text() {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "(no maillog at " + file + ")";
        } catch (IOException e) {
            return "(maillog unreadable: " + e + ")";
        }
    }

    boolean mentions(String fragment) {
        return text().contains(fragment);
    }

    /**
     * Waits until the log contains {@code fragment}, at most {@code bound}, and fails with the log if it does not.
     * Postfix logs through the postlogd daemon, so a line can reach the file a moment after what it reports.
     */
    void await(String fragment, Duration bound) throws InterruptedException {
        if (!Await.until(bound, () -> mentions(fragment))) {
            throw new AssertionError("the maillog has no '" + fragment + "' after " + bound + ":\n" + text());
        }
    }
}
