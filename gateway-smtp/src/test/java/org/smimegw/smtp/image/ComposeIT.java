package org.smimegw.smtp.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.testing.Openssl;
import org.smimegw.core.testing.TestPki;
import org.smimegw.smtp.SmtpSubmission;
import org.smimegw.smtp.testing.Await;
import org.smimegw.smtp.testing.LoopbackPorts;

/**
 * Issue 21's demo set-up: docker/compose.yaml brought up by Debian's podman-compose, every image built here from
 * debian:bookworm-slim (docker/debian-base.sh) and Debian's packages, the gateway's with the jar this build has just
 * packaged ({@code JAR_STAGE=context}). The default services only (gateway, Postfix, the two catchers), under a project
 * name of their own, on loopback ports the test picks. With an organisation key and a contact certificate imported,
 * one message goes from the helpdesk through the gateway and Postfix to the {@code internet} catcher, signed and
 * encrypted; one signed and encrypted by the contact goes through Postfix and the gateway to {@code helpdesk-inbox},
 * with {@code smime=pass}. The project is torn down afterwards, also when a test fails. Needs root, podman, runc,
 * debootstrap and podman-compose (./test installs them).
 */
class ComposeIT {
    private static final List<String> SERVICES = List.of("gateway", "postfix", "internet", "helpdesk-inbox");
    /** Image tags of the test's own, so that the images of a user's demo (tag "local") are left alone. */
    private static final String TAG = "compose-it";
    private static final List<String> IMAGES = List.of("smime-gateway", "smime-gateway-postfix",
            "smime-gateway-catcher");
    /** A cold machine debootstraps the base and installs Java, Postfix and Python with apt-get inside the builds. */
    private static final Duration BUILD = Duration.ofMinutes(20);
    /** The gateway's health check allows it 60 s to start; Postfix and the catchers take seconds. */
    private static final Duration HEALTHY = Duration.ofMinutes(3);
    /** Both directions are delivered at once; Postfix retries deferred mail within a minute here. */
    private static final Duration DELIVERED = Duration.ofMinutes(2);
    private static final String HELPDESK = "helpdesk@org.example";
    private static final String BOB = "bob@elsewhere.example";
    private static final String P12_PASSWORD = "demo-only";

    private static Podman podman;
    private static Compose compose;
    private static int outboundPort;
    private static int postfixPort;

    @TempDir
    static Path pki;

    @TempDir
    Path dir;

    @BeforeAll
    static void upWithAnOrganisationKeyAndAContactCertificate() throws Exception {
        podman = Podman.forThisBuild("ComposeIT", BUILD);
        Path repository = podman.repository();

        int[] ports = LoopbackPorts.freeTcp(3);
        outboundPort = ports[0];
        postfixPort = ports[2];
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("JAR_STAGE", "context");
        variables.put("SMIMEGW_IMAGE_TAG", TAG);
        variables.put("GATEWAY_OUTBOUND_PORT", String.valueOf(ports[0]));
        variables.put("GATEWAY_ADMIN_PORT", String.valueOf(ports[1]));
        variables.put("POSTFIX_PORT", String.valueOf(ports[2]));
        compose = new Compose(podman, repository, variables);

        // The jar's stage first, tagged, as ContainerImageIT does: compose's build then finds it in the cache, and a
        // stage image of the previous jar is removed rather than left behind untagged.
        podman.build(BUILD, "localhost/smime-gateway:" + TAG + "-jar", List.of("--build-arg", "JAR_STAGE=context",
                "--target", "jar-context"));
        Map<String, String> before = imageIds();
        long start = System.nanoTime();
        List<String> up = new ArrayList<>(List.of("up", "-d", "--build"));
        up.addAll(SERVICES);
        compose.succeeds(BUILD, up.toArray(String[]::new));
        long running = System.nanoTime();
        removeReplacedImages(before);
        compose.awaitHealthy(HEALTHY, SERVICES);
        System.out.printf("ComposeIT: %s built and up in %d s, healthy %d s later%n", compose.project(),
                Duration.ofNanos(running - start).toSeconds(),
                Duration.ofNanos(System.nanoTime() - running).toSeconds());

        String inImage = podman.succeeds("exec", compose.container("gateway"), "sha256sum",
                "/opt/smime-gateway/smime-gateway.jar").output();
        String built = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                Files.readAllBytes(repository.resolve(Podman.JAR))));
        assertTrue(inImage.contains(built + " "), "the gateway does not run the jar this build made (" + built
                + "):\n" + inImage);

        writePki();
        podman.succeeds("cp", pki.resolve("import").toString(), compose.container("gateway") + ":/tmp/import");
        String certificates = podman.succeeds("exec", compose.container("gateway"), "smime-gateway", "cert",
                "import", "/tmp/import/ca.pem", "/tmp/import/bob.pem").output();
        assertEquals(2, certificates.lines().filter(line -> line.startsWith("imported ")).count(), certificates);
        String key = podman.succeeds("exec", "-e", "P12_PASSWORD=" + P12_PASSWORD, compose.container("gateway"),
                "smime-gateway", "key", "import", "/tmp/import/helpdesk.p12", "--password-env", "P12_PASSWORD")
                .output();
        assertTrue(key.lines().anyMatch(line -> line.endsWith(" key")), key);
    }

    @AfterAll
    static void downLeavingNothingBehind() throws Exception {
        try {
            if (compose != null) {
                compose.close();
            }
        } finally {
            if (podman != null) {
                podman.close();
            }
        }
    }

    @Test
    void helpdeskMailLeavesThroughPostfixSignedByTheOrganisationAndEncryptedToTheContact() throws Exception {
        String subject = "Your ticket #4711";
        String reply = SmtpSubmission.send(outboundPort, HELPDESK, BOB, ("From: Helpdesk <" + HELPDESK + ">\r\n"
                + "To: Bob <" + BOB + ">\r\nSubject: " + subject + "\r\n\r\nHello Bob, your ticket is solved.\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertTrue(reply.startsWith("250 "), reply);

        String sent = awaitMessage("internet", "Subject: " + subject);
        assertTrue(sent.contains("by mx.org.example (Postfix)"), "not relayed by Postfix:\n" + sent);
        assertTrue(sent.contains("application/pkcs7-mime") || sent.contains("application/x-pkcs7-mime"),
                "not encrypted:\n" + sent);
        Path file = Files.writeString(dir.resolve("sent.eml"), sent, StandardCharsets.ISO_8859_1);
        Openssl openssl = new Openssl(dir);
        openssl.run("cms", "-decrypt", "-in", file.toString(), "-recip", pki.resolve("bob.pem").toString(), "-inkey",
                pki.resolve("bob.key").toString(), "-out", "decrypted.eml").assertSuccess();
        openssl.run("cms", "-verify", "-in", "decrypted.eml", "-CAfile", pki.resolve("import/ca.pem").toString(),
                "-signer", "signer.pem", "-out", "content.txt").assertSuccess();
        String content = Files.readString(dir.resolve("content.txt"), StandardCharsets.ISO_8859_1);
        assertTrue(content.contains("Hello Bob, your ticket is solved."), content);
        assertEquals(HELPDESK, openssl.run("x509", "-in", "signer.pem", "-noout", "-email").assertSuccess().stdout()
                .strip());
    }

    @Test
    void contactMailArrivesThroughPostfixDecryptedWithItsSignatureVerified() throws Exception {
        String subject = "Re: Your ticket #4712";
        Files.writeString(dir.resolve("reply.txt"), "Thanks, all good now.\n");
        Openssl openssl = new Openssl(dir);
        openssl.run("cms", "-sign", "-in", "reply.txt", "-text", "-signer", pki.resolve("bob.pem").toString(),
                "-inkey", pki.resolve("bob.key").toString(), "-out", "signed.eml").assertSuccess();
        openssl.run("cms", "-encrypt", "-in", "signed.eml", "-aes256", "-from", BOB, "-to", HELPDESK, "-subject",
                subject, "-out", "inbound.eml", pki.resolve("helpdesk.pem").toString()).assertSuccess();
        String reply = SmtpSubmission.send(postfixPort, BOB, HELPDESK, Files.readAllBytes(dir.resolve("inbound.eml")));
        assertTrue(reply.startsWith("250 "), reply);

        String received = awaitMessage("helpdesk-inbox", "Subject: " + subject);
        assertTrue(received.contains("by mx.org.example (Postfix)"), "not through Postfix:\n" + received);
        assertTrue(Pattern.compile("(?m)^Authentication-Results: gateway\\.org\\.example;\\s+smime=pass\\b")
                .matcher(received).find(), "no smime=pass:\n" + received);
        assertTrue(received.contains("X-SMIME-Encryption: decrypted"), received);
        assertTrue(received.contains("Thanks, all good now."), received);
    }

    /**
     * Waits until a file in the catcher's Maildir ({@code new/} of its volume, read on this host) contains
     * {@code marker}, and returns it; fails with the logs of the services on the way.
     */
    private static String awaitMessage(String catcher, String marker) throws Exception {
        Path maildir = compose.volume(catcher.equals("internet") ? "internet-mail" : "helpdesk-mail").resolve("new");
        List<String> found = new ArrayList<>();
        boolean arrived = Await.until(DELIVERED, () -> {
            Optional<String> message = messages(maildir).filter(text -> text.contains(marker)).findFirst();
            message.ifPresent(found::add);
            return message.isPresent();
        });
        if (!arrived) {
            StringBuilder logs = new StringBuilder();
            for (String service : SERVICES) {
                logs.append("\n--- ").append(service).append('\n').append(compose.logs(service));
            }
            throw new AssertionError("no message with '" + marker + "' reached " + catcher + " within " + DELIVERED
                    + logs);
        }
        return found.get(0);
    }

    private static Stream<String> messages(Path maildir) throws IOException {
        if (!Files.isDirectory(maildir)) {
            return Stream.empty();
        }
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.list(maildir)) {
            for (Path file : files.toList()) {
                texts.add(Files.readString(file, StandardCharsets.ISO_8859_1));
            }
        }
        return texts.stream();
    }

    /**
     * The demo PKI of docker/README.md made with TestPki, valid around today: a CA, the organisation's identity
     * {@code helpdesk@org.example} (a PKCS#12 file for {@code key import}) and the contact
     * {@code bob@elsewhere.example}.
     * What goes into the gateway is in {@code import/}, readable for its uid.
     */
    private static void writePki() throws Exception {
        Instant now = Instant.now();
        Instant from = now.minus(Duration.ofDays(1));
        Instant until = now.plus(Duration.ofDays(365));
        TestPki.Issued ca = TestPki.certificate().subject("Demo SMIME CA", null).ca().valid(from, until).build();
        TestPki.Issued helpdesk = TestPki.client(HELPDESK).issuedBy(ca).valid(from, until).build();
        TestPki.Issued bob = TestPki.client(BOB).issuedBy(ca).valid(from, until).build();
        Path imports = Files.createDirectories(pki.resolve("import"));
        TestPki.writePem(imports.resolve("ca.pem"), ca.certificate());
        TestPki.writePem(imports.resolve("bob.pem"), bob.certificate());
        TestPki.writePem(pki.resolve("bob.pem"), bob.certificate());
        TestPki.writePem(pki.resolve("bob.key"), bob.key());
        TestPki.writePem(pki.resolve("helpdesk.pem"), helpdesk.certificate());
        TestPki.writePem(pki.resolve("helpdesk.key"), helpdesk.key());
        new Openssl(pki).run("pkcs12", "-export", "-inkey", "helpdesk.key", "-in", "helpdesk.pem", "-certfile",
                "import/ca.pem", "-passout", "pass:" + P12_PASSWORD, "-out", "import/helpdesk.p12").assertSuccess();
        Files.setPosixFilePermissions(imports, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Stream<Path> files = Files.list(imports)) {
            for (Path file : files.toList()) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
    }

    /** The image ids the test's tags name now; null for a tag that names none. */
    private static Map<String, String> imageIds() throws IOException, InterruptedException {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String image : IMAGES) {
            ids.put(image, podman.imageId(image + ":" + TAG));
        }
        return ids;
    }

    /** An image a build moved the tag away from goes, with the layers only it used (as Podman.build does). */
    private static void removeReplacedImages(Map<String, String> before) throws IOException, InterruptedException {
        Map<String, String> after = imageIds();
        for (Map.Entry<String, String> entry : before.entrySet()) {
            if (entry.getValue() != null && !entry.getValue().equals(after.get(entry.getKey()))) {
                // fails harmlessly while a container of another run still uses it; a later run removes it then
                podman.run("rmi", entry.getValue());
            }
        }
    }
}
