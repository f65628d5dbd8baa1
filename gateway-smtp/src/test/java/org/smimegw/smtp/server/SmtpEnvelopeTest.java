package org.smimegw.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Relay control and the syntax of MAIL FROM and RCPT TO. */
class SmtpEnvelopeTest {
    @Test
    void deniesRelayingToClientsOutsideTheAllowedNetworks() throws Exception {
        try (TestListener server = TestListener.builder().allowed("10.0.0.0/8", "2001:db8::/32").start();
                RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            assertTrue(client.command("MAIL FROM:<a@example.com>").startsWith("250 "));
            assertEquals("550 5.7.1 relaying denied for <b@example.org>", client.command("RCPT TO:<b@example.org>"));
            assertEquals("554 5.5.1 no valid recipients", client.command("DATA"));
            assertTrue(server.arrivals.isEmpty());
        }
    }

    @Test
    void allowsRelayingToAllowedNetworks() throws Exception {
        try (TestListener server = TestListener.builder().allowed("127.0.0.0/8").start();
                RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            SmtpListenerTest.sendMessage(client);
            assertTrue(client.readReply().startsWith("250 2.0.0 queued as "));
        }
    }

    @Test
    void matchesIpv6ClientsOnAnIpv6Listener() throws Exception {
        InetAddress v6Loopback = InetAddress.getByName("::1");
        Assumptions.assumeTrue(ipv6LoopbackWorks(v6Loopback), "no IPv6 loopback on this machine: skipped");
        for (List<String> allowed : List.of(List.of("::1/128"), List.of("127.0.0.1/32"))) {
            try (TestListener server = TestListener.builder().host("::1").allowed(allowed.toArray(String[]::new))
                    .start(); RawSmtpClient client = RawSmtpClient.connect(v6Loopback, server.port())) {
                client.command("EHLO client.test");
                client.command("MAIL FROM:<a@example.com>");
                String reply = client.command("RCPT TO:<b@example.org>");
                assertEquals(allowed.get(0).startsWith("::1") ? "250 2.1.5 recipient <b@example.org> ok"
                        : "550 5.7.1 relaying denied for <b@example.org>", reply);
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "RCPT TO:<bob>|553 5.1.3 recipient address <bob> has no domain",
        "RCPT TO:<>|553 5.1.3 recipient address <> is empty",
        "RCPT TO:<\"bob smith\"@example.org>|"
            + "553 5.1.3 recipient address <\"bob?smith\"@example.org> is not a valid address",
        "RCPT TO:<\"bob\"@example.org>|553 5.1.3 recipient address <\"bob\"@example.org> is not a valid address",
        "RCPT TO:<<bob@example.org>>|501 5.5.4 syntax: RCPT TO:<address>",
        "RCPT TO:<<bob@example.org> >|553 5.1.3 recipient address <<bob@example.org> is not a valid address",
        "RCPT TO:<bob@example.org>>|501 5.5.4 syntax: RCPT TO:<address>",
        "RCPT TO:<bob@example.org>x|501 5.5.4 syntax: RCPT TO:<address>",
        "RCPT TO:bob@example.org|501 5.5.4 syntax: RCPT TO:<address>",
        "RCPT TO:<bob@[192.0.2.1]>|553 5.1.3 recipient address <bob@[192.0.2.1]> is not a valid address",
        "RCPT TO:<@relay.example:bob@example.org>|"
            + "553 5.1.3 recipient address <@relay.example:bob@example.org> has a source route, which is not supported",
        "RCPT TO:<bob@exa mple.org>|553 5.1.3 recipient address <bob@exa?mple.org> is not a valid address",
        "RCPT TO:<b\u0001ob@example.org>|553 5.1.3 recipient address <b?ob@example.org> is not a valid address",
        "RCPT TO:<b\u00f6b@example.org>|553 5.1.3 recipient address <b?b@example.org> is not a valid address",
        "RCPT TO:<bob@example.org> NOTIFY=NEVER|555 5.5.4 unsupported RCPT parameter NOTIFY",
        "RCPT TO:<bob@-example.org>|553 5.1.3 recipient address <bob@-example.org> is not a valid address",
        "RCPT TO:<.bob@example.org>|553 5.1.3 recipient address <.bob@example.org> is not a valid address",
        "RCPT FOR:<bob@example.org>|501 5.5.4 syntax: RCPT TO:<address>",
    })
    void refusesBadRecipientsNamingThem(String command, String expected) throws Exception {
        try (TestListener server = TestListener.start(); RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            client.command("MAIL FROM:<a@example.com>");
            assertEquals(expected, client.command(command));
            assertEquals("250 2.1.5 recipient <ok@example.org> ok", client.command("RCPT TO:<ok@example.org>"));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
        "MAIL FROM:<alice>#553 5.1.7 sender address <alice> has no domain",
        "MAIL FROM:<al\"ice@example.com>#553 5.1.7 sender address <al\"ice@example.com> is not a valid address",
        "MAIL FROM:<a@example.com> SMTPUTF8#555 5.5.4 unsupported MAIL parameter SMTPUTF8",
        "MAIL FROM:<a@example.com> BODY=BINARYMIME#501 5.5.4 BODY must be 7BIT or 8BITMIME",
        "MAIL FROM:<a@example.com> SIZE=abc#501 5.5.4 SIZE needs a number of bytes",
        "MAIL FROM:<a@example.com> SIZE=1 SIZE=2#501 5.5.4 parameter SIZE given twice",
        "MAIL TO:<a@example.com>#501 5.5.4 syntax: MAIL FROM:<address> [SIZE=n] [BODY=7BIT|8BITMIME]",
        "MAIL FROM:#501 5.5.4 syntax: MAIL FROM:<address> [SIZE=n] [BODY=7BIT|8BITMIME]",
    })
    void refusesBadSendersNamingThem(String command, String expected) throws Exception {
        try (TestListener server = TestListener.start(); RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            assertEquals(expected, client.command(command));
            assertEquals("250 2.1.0 sender <a@example.com> ok", client.command("MAIL FROM:<a@example.com>"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"MAIL FROM: <a@example.com> SIZE=100 BODY=7BIT", "mail from:<a@example.com> body=8bitmime",
        "MAIL FROM:<a@example.com> AUTH=<>"})
    void acceptsCommonSenderForms(String command) throws Exception {
        try (TestListener server = TestListener.start(); RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            assertEquals("250 2.1.0 sender <a@example.com> ok", client.command(command));
        }
    }

    @Test
    void closesTheSessionOnCommandsThatAreNotUtf8() throws Exception {
        try (TestListener server = TestListener.start(); RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            client.write(new byte[] {'M', 'A', 'I', 'L', ' ', 'F', 'R', 'O', 'M', ':', '<', (byte) 0xf6, '>', '\r',
                '\n'});
            assertEquals("501 Syntax error: invalid character encoding.", client.readReply());
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void refusesOverlongAddresses() throws Exception {
        String local = "a".repeat(64);
        String longAddress = local + "@" + ("b".repeat(60) + ".").repeat(4) + "example";
        String tooLongLocal = "a".repeat(65) + "@example.org";
        try (TestListener server = TestListener.start(); RawSmtpClient client = RawSmtpClient.ehlo(server.port())) {
            assertTrue(longAddress.length() > 254);
            assertEquals("553 5.1.7 sender address <" + longAddress.substring(0, 100)
                    + "...> is longer than 254 characters", client.command("MAIL FROM:<" + longAddress + ">"));
            client.command("MAIL FROM:<a@example.com>");
            assertEquals("553 5.1.3 recipient address <" + tooLongLocal
                    + "> has a local part longer than 64 characters", client.command("RCPT TO:<" + tooLongLocal + ">"));
        }
    }

    private static boolean ipv6LoopbackWorks(InetAddress address) {
        try (ServerSocket socket = new ServerSocket(0, 1, address)) {
            return address instanceof Inet6Address && NetworkInterface.getByInetAddress(address) != null;
        } catch (Exception e) {
            return false;
        }
    }
}
