package org.smimegw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.smimegw.store.PostgresSchema;

import picocli.CommandLine;

/**
 * The load generator with two gateway nodes on one PostgreSQL schema (on the test server of {@link PostgresSchema}):
 * every accepted message is delivered once, whichever node took it and whichever delivered it, and the schema is
 * gone afterwards. No time is asserted.
 */
class LoadBenchmarkClusterIT {
    @Test
    void quickRunOnTwoNodesSharingOnePostgresSchemaDeliversEveryAcceptedMessage() {
        StringWriter output = new StringWriter();
        int exit = new CommandLine(new LoadBenchmark()).setOut(new PrintWriter(output)).execute("--quick",
                "--skip-openssl", "--sizes", "10KB", "--connections", "4", "--nodes", "2", "--store-url", PostgresSchema.SERVER);
        String text = output.toString();

        assertEquals(0, exit, text);
        assertTrue(text.contains("gateway: 2 nodes in this JVM on PostgreSQL"), text);
        assertTrue(text.contains("| CPU cores: JVM / PostgreSQL / machine |"), text);
        Matcher totals = Pattern.compile("accepted (\\d+), delivered (\\d+) as expected, 0 unexpected").matcher(text);
        assertTrue(totals.find(), text);
        // 4 connections x (1 warm-up + 3 measured) per direction and revocation phase, plus 10 paced messages
        assertEquals("202", totals.group(1), text);
        assertEquals(totals.group(1), totals.group(2), text);
    }

    @Test
    void severalNodesWithoutASharedPostgresStoreAreAUsageError() {
        StringWriter errors = new StringWriter();
        int exit = new CommandLine(new LoadBenchmark()).setErr(new PrintWriter(errors)).execute("--nodes", "2");

        assertEquals(2, exit, errors.toString());
        assertTrue(errors.toString().contains("--nodes 2 needs a shared PostgreSQL store"), errors.toString());
    }
}
