package org.smimegw.smtp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.queue.Direction;
import org.smimegw.core.smime.SigningIdentity;
import org.smimegw.core.smime.SmimeAlgorithms;
import org.smimegw.core.smime.SmimeEncryptor;
import org.smimegw.core.smime.SmimeSigner;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.Relay;
import org.smimegw.smtp.SmtpSubmission;
import org.smimegw.smtp.config.GatewayConfig;
import org.smimegw.smtp.config.HostPort;
import org.smimegw.smtp.server.ListenerConfig;
import org.smimegw.smtp.sink.Delivery;
import org.smimegw.smtp.sink.SmtpSink;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: a self-contained walk-through in a temporary data directory (or {@code --dir}, which it keeps as a
 * configuration for {@code run}). It generates an organisation and a contact, starts the relay with both listeners
 * on free loopback ports and an in-process SMTP server upstream, sends one message out (signed and encrypted), one
 * that is refused, and one in (decrypted and verified) over SMTP,
 * and prints what happened and how to check it with openssl.
 */
@Command(name = "demo", description = "walk through one outbound and one inbound message in a temporary store")
final class DemoCommand implements Callable<Integer> {
    private static final String ORG = "helpdesk@org.example";
    private static final String CONTACT = "alice@partner.example";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /**
     * The demo directory's configuration: a working one for {@code run} on the demo's store, once the relays name the
     * real MTA and helpdesk. Paths are relative to the file (docs/design.md §13), so the directory may be moved.
     */
    private static final String RUN_CONFIGURATION = """
            # Written by 'smime-gateway demo': the demo's store, with its organisation key and contact, as a
            # configuration for 'smime-gateway --config <this file> run'. Paths are relative to this file.
            # config/gateway.properties of the installation documents every key.
            gateway.hostname=gateway.demo
            store.url=jdbc:h2:file:./data/gateway
            store.master.key.file=./data/master.key
            spool.dir=./data/spool
            # Where signed and encrypted mail goes (the MTA), and where decrypted mail goes (the helpdesk).
            outbound.relay=127.0.0.1:25
            inbound.relay=127.0.0.1:2525
            """;

    @ParentCommand
    RootCommand root;
    @Spec
    CommandSpec spec;
    @Option(names = "--dir", paramLabel = "DIR",
            description = "directory for the demo's store and files (default: a new temporary directory)")
    Path dir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = root.clock();
        Instant now = clock.instant();
        Path dir = this.dir != null ? Files.createDirectories(this.dir) : Files.createTempDirectory("smime-gateway-demo-");
        try (SmtpSink upstream = SmtpSink.builder().filesIn(dir).start()) {
            String relay = "127.0.0.1:" + upstream.port();
            // the file is a configuration for 'run' on this directory's store (paths relative to the file); the demo
            // itself sends to its stand-in MTA instead of the relays named there
            Path properties = dir.resolve("gateway.properties");
            Files.writeString(properties, RUN_CONFIGURATION);
            Properties demoRelays = new Properties();
            demoRelays.setProperty("outbound.relay", relay);
            demoRelays.setProperty("inbound.relay", relay);
            demoRelays.setProperty("outbound.relay.tls", "none");
            demoRelays.setProperty("inbound.relay.tls", "none");
            out.println("1. Data directory " + dir + "; an in-process SMTP server on " + relay
                    + " stands in for the MTA and the helpdesk");

            DemoCertificates pki = new DemoCertificates(now);
            DemoCertificates.Issued orgCa = pki.ca("Org Demo CA");
            DemoCertificates.Issued org = pki.person("Helpdesk", ORG, orgCa);
            DemoCertificates.Issued partnerCa = pki.ca("Partner Demo CA");
            DemoCertificates.Issued contact = pki.person("Alice", CONTACT, partnerCa);
            pem(dir.resolve("org-ca.pem"), orgCa.certificate());
            pem(dir.resolve("org.pem"), org.certificate());
            privatePem(dir.resolve("org.key"), org.key());
            pem(dir.resolve("partner-ca.pem"), partnerCa.certificate());
            pem(dir.resolve("contact.pem"), contact.certificate());
            privatePem(dir.resolve("contact.key"), contact.key());

            GatewayConfig config = GatewayConfig.load(properties, true, System.getenv(), demoRelays);
            try (Gateway gateway = Gateway.open(config, clock)) {
                gateway.admin().importCertificate(orgCa.certificate(), "demo");
                gateway.admin().importKey(org.key(), List.of(org.certificate()), "demo");
                gateway.admin().importCertificate(partnerCa.certificate(), "demo");
                gateway.admin().importCertificate(contact.certificate(), "demo");
                out.println("2. Generated and imported: organisation " + ORG + " (certificate and key, under Org Demo"
                        + " CA), contact " + CONTACT + " (certificate, under Partner Demo CA)");

                HostPort anyPort = new HostPort("127.0.0.1", 0);
                try (Relay running = Relay.start(gateway, clock,
                        ListenerConfig.of(config, Direction.OUTBOUND).withListen(anyPort),
                        ListenerConfig.of(config, Direction.INBOUND).withListen(anyPort))) {
                    out.println("3. Relay started: outbound listener 127.0.0.1:" + running.outboundPort()
                            + ", inbound listener 127.0.0.1:" + running.inboundPort());

                    RawMessage outgoing = message(ORG, CONTACT, "Your ticket #4711",
                            "Hello Alice,\r\n\r\nyour ticket is solved. Grüße aus dem Helpdesk.\r\n");
                    String reply = SmtpSubmission.send(running.outboundPort(), ORG, CONTACT, outgoing.toBytes().toByteArray());
                    byte[] sent = delivered(upstream, "the outbound message", dir.resolve("outbound.eml"));
                    out.println("4. Outbound " + ORG + " -> " + CONTACT + ": answered '" + reply + "', delivered "
                            + RawMessage.parse(sent).header("Content-Type").orElse("?")
                                    .replaceAll("\\s+", " ").replaceAll(";.*", "")
                            + " to the MTA, written to " + dir.resolve("outbound.eml"));

                    RawMessage refused = message(ORG, "bob@nowhere.example", "Secret",
                            "X-SMIME-Encrypt: yes\r\n", "Nobody can read this.\r\n");
                    out.println("5. Outbound to bob@nowhere.example with X-SMIME-Encrypt: yes (no certificate): "
                            + "answered '" + SmtpSubmission.send(running.outboundPort(), ORG, "bob@nowhere.example",
                                    refused.toBytes().toByteArray()) + "'");

                    SmimeAlgorithms algorithms = config.algorithms();
                    RawMessage answer = message(CONTACT, ORG, "Re: Your ticket #4711", "Thanks, all good now.\r\n");
                    RawMessage signed = new SmimeSigner(algorithms).sign(answer, new SigningIdentity(
                            contact.certificate(), contact.key(), List.of(partnerCa.certificate())), clock.instant());
                    RawMessage received = new SmimeEncryptor(algorithms).encrypt(signed, List.of(org.certificate()));
                    Files.write(dir.resolve("inbound-received.eml"), received.toBytes().toByteArray());
                    String inboundReply = SmtpSubmission.send(running.inboundPort(), CONTACT, ORG, received.toBytes().toByteArray());
                    byte[] delivered = delivered(upstream, "the inbound message", dir.resolve("inbound.eml"));
                    out.println("6. Inbound " + CONTACT + " -> " + ORG + " (signed by Alice, encrypted to the "
                            + "helpdesk): answered '" + inboundReply + "', delivered to the helpdesk as "
                            + dir.resolve("inbound.eml") + " with");
                    RawMessage annotated = RawMessage.parse(delivered);
                    for (String header : List.of("Authentication-Results", "X-SMIME-Encryption")) {
                        annotated.header(header).ifPresent(
                                value -> out.println("     " + header + ": " + value.replaceAll("\\s+", " ")));
                    }
                }
            }
            out.println("7. Check the outbound message with openssl, as Alice would:");
            out.println("     cd " + dir);
            out.println("     openssl cms -decrypt -in outbound.eml -recip contact.pem -inkey contact.key"
                    + " -out decrypted.eml");
            out.println("     openssl cms -verify -in decrypted.eml -CAfile org-ca.pem -purpose any -out /dev/null");
            out.println("   The audit log: ./smime-gateway log --config " + properties);
            out.println("8. The directory keeps the organisation (org.pem, org.key, org-ca.pem), the contact"
                    + " (contact.pem, contact.key, partner-ca.pem) and the store that holds them. To run the gateway"
                    + " on it, set outbound.relay and inbound.relay in " + properties + " (now the defaults,"
                    + " 127.0.0.1:25 and 127.0.0.1:2525), then:");
            out.println("     ./smime-gateway --config " + properties + " run");
        }
        out.flush();
        return 0;
    }

    /** The next message the stand-in upstream accepted, moved to {@code file}; its bytes. */
    private static byte[] delivered(SmtpSink upstream, String what, Path file)
            throws IOException, InterruptedException {
        Delivery delivery = upstream.next(WAIT).orElseThrow(() -> new CliFailure("demo: " + what
                + " was not delivered within " + WAIT.toSeconds() + " s; see './smime-gateway queue list' in the demo"
                + " directory"));
        Files.move(delivery.file(), file, StandardCopyOption.REPLACE_EXISTING);
        return Files.readAllBytes(file);
    }

    private static RawMessage message(String from, String to, String subject, String body) {
        return message(from, to, subject, "", body);
    }

    private static RawMessage message(String from, String to, String subject, String extraHeaders, String body) {
        String text = "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n" + extraHeaders + "Message-ID: <"
                + java.util.UUID.randomUUID() + "@demo>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body;
        return RawMessage.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A private key in PEM, readable by its owner only. */
    private static void privatePem(Path file, Object key) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        pem(file, key);
    }

    private static void pem(Path file, Object object) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(writer)) {
            pem.writeObject(object);
        }
    }
}
