package org.smimegw.smtp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.outbound.OutboundResult;
import org.smimegw.core.process.MessageProcessor;
import org.smimegw.core.smime.Envelope;
import org.smimegw.core.smime.SigningIdentity;
import org.smimegw.core.smime.SmimeAlgorithms;
import org.smimegw.core.smime.SmimeEncryptor;
import org.smimegw.core.smime.SmimeSigner;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.config.GatewayConfig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: a self-contained walk-through in a temporary data directory. It generates an organisation and a
 * contact, sends one message out (signed and encrypted) and one in (decrypted and verified) through the same
 * pipelines as {@code process}, and prints how to check both with openssl. The SMTP listeners join in the next
 * release.
 */
@Command(name = "demo", description = "walk through one outbound and one inbound message in a temporary store")
final class DemoCommand implements Callable<Integer> {
    private static final String ORG = "helpdesk@org.example";
    private static final String CONTACT = "alice@partner.example";

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
        Path properties = dir.resolve("gateway.properties");
        Files.writeString(properties, "gateway.hostname=gateway.demo\n"
                + "store.url=jdbc:h2:file:" + dir.resolve("data/gateway").toAbsolutePath() + "\n"
                + "store.master.key.file=" + dir.resolve("data/master.key").toAbsolutePath() + "\n");
        out.println("1. Data directory " + dir);

        DemoCertificates pki = new DemoCertificates(now);
        DemoCertificates.Issued orgCa = pki.ca("Org Demo CA");
        DemoCertificates.Issued org = pki.person("Helpdesk", ORG, orgCa);
        DemoCertificates.Issued partnerCa = pki.ca("Partner Demo CA");
        DemoCertificates.Issued contact = pki.person("Alice", CONTACT, partnerCa);
        pem(dir.resolve("org-ca.pem"), orgCa.certificate());
        pem(dir.resolve("partner-ca.pem"), partnerCa.certificate());
        pem(dir.resolve("contact.pem"), contact.certificate());
        pem(dir.resolve("contact.key"), contact.key());

        try (Gateway gateway = Gateway.open(GatewayConfig.load(properties, true), clock)) {
            gateway.admin().importCertificate(orgCa.certificate(), "demo");
            gateway.admin().importKey(org.key(), List.of(org.certificate()), "demo");
            gateway.admin().importCertificate(partnerCa.certificate(), "demo");
            gateway.admin().importCertificate(contact.certificate(), "demo");
            out.println("2. Generated and imported: organisation " + ORG + " (certificate and key, under Org Demo CA)"
                    + ", contact " + CONTACT + " (certificate, under Partner Demo CA)");
            MessageProcessor processor = gateway.processor();

            RawMessage outgoing = message(ORG, CONTACT, "Your ticket #4711",
                    "Hello Alice,\r\n\r\nyour ticket is solved. Grüße aus dem Helpdesk.\r\n");
            OutboundResult result = processor.outbound(outgoing, new Envelope(ORG, List.of(CONTACT)), clock.instant());
            if (!(result instanceof OutboundResult.Relay relay)) {
                throw new CliFailure("demo outbound message was refused: " + ((OutboundResult.Refused) result).reason());
            }
            Files.write(dir.resolve("outbound.eml"), relay.message().toBytes());
            out.println("3. Outbound " + ORG + " -> " + CONTACT + ": " + relay.treatment() + ", written to "
                    + dir.resolve("outbound.eml"));

            SmimeAlgorithms algorithms = gateway.config().algorithms();
            RawMessage reply = message(CONTACT, ORG, "Re: Your ticket #4711", "Thanks, all good now.\r\n");
            RawMessage signed = new SmimeSigner(algorithms).sign(reply,
                    new SigningIdentity(contact.certificate(), contact.key(), List.of(partnerCa.certificate())), clock.instant());
            RawMessage received = new SmimeEncryptor(algorithms).encrypt(signed, List.of(org.certificate()));
            Files.write(dir.resolve("inbound-received.eml"), received.toBytes());
            MessageProcessor.Inbound inbound = processor.inbound(received.toBytes(),
                    new Envelope(CONTACT, List.of(ORG)), clock.instant());
            Files.write(dir.resolve("inbound.eml"), inbound.result().message().toBytes());
            out.println("4. Inbound " + CONTACT + " -> " + ORG + " (signed by Alice, encrypted to the helpdesk): "
                    + "written to " + dir.resolve("inbound.eml") + " with");
            for (String header : List.of("Authentication-Results", "X-SMIME-Encryption")) {
                inbound.result().message().header(header)
                        .ifPresent(value -> out.println("     " + header + ": " + value.replaceAll("\\s+", " ")));
            }
        }
        out.println("5. Check the outbound message with openssl, as Alice would:");
        out.println("     cd " + dir);
        out.println("     openssl cms -decrypt -in outbound.eml -recip contact.pem -inkey contact.key -out decrypted.eml");
        out.println("     openssl cms -verify -in decrypted.eml -CAfile org-ca.pem -purpose any -out /dev/null");
        out.println("   The audit log: ./smime-gateway log --config " + properties);
        out.flush();
        return 0;
    }

    private static RawMessage message(String from, String to, String subject, String body) {
        String text = "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: <"
                + java.util.UUID.randomUUID() + "@demo>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body;
        return RawMessage.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void pem(Path file, Object object) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(writer)) {
            pem.writeObject(object);
        }
    }
}
