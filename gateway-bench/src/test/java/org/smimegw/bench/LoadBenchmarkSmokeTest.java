package org.smimegw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** Runs the load generator for a few messages: it must work end to end; no time is asserted. */
class LoadBenchmarkSmokeTest {

    @Test
    void quickRunDeliversEveryAcceptedMessageBothWaysAndPrintsTheTable() {
        StringWriter output = new StringWriter();
        int exit = new CommandLine(new LoadBenchmark()).setOut(new PrintWriter(output)).execute(
                "--quick", "--skip-openssl", "--sizes", "10KB", "--connections", "2");
        String text = output.toString();

        assertEquals(0, exit, text);
        assertTrue(text.contains("| direction | size | msg/s (delivered) |"), text);
        assertTrue(text.contains("| outbound | 10KB |"), text);
        assertTrue(text.contains("| inbound | 10KB |"), text);
        assertTrue(text.contains("| outbound @ half load"), text);
        for (String direction : List.of("outbound", "inbound")) {
            for (String run : List.of("fresh 0, revocation.check=off", "fresh 1, revocation.check=soft",
                    "fresh 1, revocation.check=off",
                    "fresh 2, revocation.check=off", "fresh 2, revocation.check=soft")) {
                assertTrue(text.contains("| " + direction + " (" + run + ") | 10KB |"), text);
            }
            assertTrue(text.contains("| " + direction + " 10KB msg/s, revocation.check soft ÷ off (fresh gateways, both"
                    + " rounds) | "), text);
        }
        Matcher totals = Pattern.compile("accepted (\\d+), delivered (\\d+) as expected, 0 unexpected").matcher(text);
        assertTrue(totals.find(), text);
        // 2 connections x (1 warm-up + 3 measured) per direction and revocation phase, plus 10 paced messages
        assertEquals("106", totals.group(1), text);
        assertEquals(totals.group(1), totals.group(2), text);
    }
}
