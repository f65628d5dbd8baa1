package org.smimegw.smtp.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.testing.Openssl;
import org.smimegw.core.testing.TestData;
import org.smimegw.core.testing.TestPki;
import org.smimegw.smtp.SmtpSubmission;
import org.smimegw.smtp.delivery.ScriptedRelay;
import org.smimegw.smtp.delivery.TestTls;
import org.smimegw.smtp.testing.Await;
import org.smimegw.smtp.testing.ExternalCommand;
import org.smimegw.smtp.testing.LoopbackPorts;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * Issue 21's acceptance (docs/design.md §15): docker/Dockerfile built with podman on a debian:bookworm-slim made here
 * from Debian's packages (docker/debian-base.sh), and run as an operator runs it. The image under test takes the jar
 * this build has just packaged ({@code JAR_STAGE=context}); one test builds the default stage, Maven inside the image,
 * offline from this machine's Maven repository. The containers use the host's network: the gateway listens on loopback
 * ports the test picks, and its upstream is a GreenMail on the host's loopback. Needs root, podman, runc and
 * debootstrap (./test installs them).
 */
class ContainerImageIT {
    private static final String IMAGE = "localhost/smime-gateway:it";
    private static final String MAVEN_IMAGE = "localhost/smime-gateway:it-maven";
    /** A cold machine installs Java with apt-get inside the build and debootstraps the base. */
    private static final Duration BUILD = Duration.ofMinutes(20);
    private static final Duration READY = Duration.ofSeconds(120);
    /** What docs/design.md §15 allows for a stop, and what `podman stop -t` is given. */
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final String DATA = "/var/lib/smime-gateway";
    private static final String CONFIG = "/etc/smime-gateway/gateway.properties";
    private static final int UID = 10001;
    private static final String ALICE = "alice@smime.example";
    private static final String BOB = "bob@smime.example";
    private static final Pattern IMPORTED = Pattern.compile("(?m)^imported ([0-9a-f]{64}) ");

    private static Path repository;
    private static Podman podman;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildTheImageWithTheJarOfThisBuild() throws Exception {
        podman = Podman.forThisBuild("ContainerImageIT", BUILD);
        repository = podman.repository();
        // the jar's stage tagged too, so that its image is replaced, not left behind, when the next jar differs
        podman.build(BUILD, IMAGE + "-jar", List.of("--build-arg", "JAR_STAGE=context", "--target", "jar-context"));
        podman.build(BUILD, IMAGE, List.of("--build-arg", "JAR_STAGE=context"));
        System.out.println("ContainerImageIT: " + IMAGE + " is " + podman.succeeds("image", "inspect", "--format",
                "{{.Size}}", IMAGE).output().strip() + " bytes");
    }

    @AfterAll
    static void removeContainersAndVolumes() throws Exception {
        if (podman != null) {
            podman.close();
        }
    }

    @Test
    void imageRunsAsUid10001WithItsVolumeAHealthCheckAndTheJavaRuntimeOnly() throws Exception {
        String config = podman.succeeds("image", "inspect", "--format",
                "{{.Config.User}}|{{json .Config.Volumes}}|{{json .Config.Entrypoint}}|{{json .Config.Cmd}}"
                        + "|{{.Config.StopSignal}}|{{json .HealthCheck.Test}}", IMAGE).output().strip();
        assertEquals("10001:10001|{\"/var/lib/smime-gateway\":{}}|[\"/usr/local/bin/smime-gateway\"]|[\"run\"]"
                + "|SIGTERM|[\"CMD\",\"/usr/local/bin/smime-gateway-healthcheck\"]", config);

        String inside = podman.succeeds("run", "--rm", "--network", "host", "--entrypoint", "/bin/sh", IMAGE, "-c",
                "java -version 2>&1 | head -n 1; for tool in javac mvn gcc smime-gateway; do"
                        + " command -v $tool || echo no $tool; done; stat -c '%u %a' " + DATA).output();
        assertTrue(inside.contains("openjdk version \"17."), inside);
        for (String line : List.of("no javac", "no mvn", "no gcc", "/usr/local/bin/smime-gateway")) {
            assertTrue(inside.lines().anyMatch(line::equals), "not '" + line + "':\n" + inside);
        }
        assertTrue(inside.contains(UID + " 700"), "the data directory is not owner-only for uid " + UID + ":\n"
                + inside);
    }

    /**
     * Outbound through GreenMail; inbound to a relay whose STARTTLS certificate only the file mounted under
     * /certificates makes trusted ({@code inbound.relay.tls=required}).
     */
    @Test
    void relaysMailSignedAndEncryptedStopsWithinTheGraceTimeAndLeavesItsStoreToTheNextContainer() throws Exception {
        Path imports = importFiles("ca.rsa.crt", "bob.sign.crt", "bob.encrypt.crt", "alice.p12");
        TestTls helpdeskTls = TestTls.selfSigned();
        Path trusted = Files.createDirectories(dir.resolve("certificates"));
        Files.setPosixFilePermissions(trusted, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(TestPki.writePem(trusted.resolve("helpdesk.pem"), helpdeskTls.certificate),
                PosixFilePermissions.fromString("rw-r--r--"));
        GreenMail upstream = new GreenMail(new ServerSetup(0, LoopbackPorts.HOST, ServerSetup.PROTOCOL_SMTP)
                .dynamicPort());
        upstream.start();
        try (ScriptedRelay helpdesk = ScriptedRelay.startWithStartTls(ScriptedRelay.ACCEPT_ALL, helpdeskTls.server)) {
            String volume = podman.volume();
            Gateway gateway = startGateway(volume, upstream.getSmtp().getPort(), "-v", imports + ":/import:ro",
                    "-v", trusted + ":/certificates:ro",
                    "-e", "SMIMEGW_INBOUND_RELAY=127.0.0.1:" + helpdesk.port(),
                    "-e", "SMIMEGW_INBOUND_RELAY_TLS=required");
            assertEquals(String.valueOf(UID), podman.succeeds("exec", gateway.name(), "id", "-u").output().strip());

            String certificates = podman.succeeds("exec", gateway.name(), "smime-gateway", "cert", "import",
                    "/import/ca.rsa.crt", "/import/bob.sign.crt", "/import/bob.encrypt.crt").output();
            List<String> fingerprints = fingerprints(certificates);
            assertEquals(3, fingerprints.size(), certificates);
            String key = podman.succeeds("exec", "-e", "P12_PASSWORD=alice", gateway.name(), "smime-gateway", "key",
                    "import", "/import/alice.p12", "--password-env", "P12_PASSWORD").output();
            assertEquals(2, key.lines().filter(line -> line.endsWith(" key")).count(), key);

            String reply = SmtpSubmission.send(gateway.outbound(), ALICE, BOB, ("From: Alice <" + ALICE + ">\r\n"
                    + "To: " + BOB + "\r\nSubject: issue 21\r\n\r\nHello Bob, from the container.\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertTrue(reply.startsWith("250 "), reply);
            assertTrue(upstream.waitForIncomingEmail(READY.toMillis(), 1),
                    "nothing reached the upstream; the gateway's log:\n" + podman.logs(gateway.name()));
            Files.writeString(dir.resolve("sent.eml"), GreenMailUtil.getWholeMessage(
                    upstream.getReceivedMessages()[0]), StandardCharsets.ISO_8859_1);
            assertSignedByAliceAndEncryptedToBob(dir.resolve("sent.eml"));

            String inbound = SmtpSubmission.send(gateway.inbound(), BOB, ALICE, ("From: " + BOB + "\r\nTo: " + ALICE
                    + "\r\nSubject: Re: issue 21\r\n\r\nThanks.\r\n").getBytes(StandardCharsets.US_ASCII));
            assertTrue(inbound.startsWith("250 "), inbound);
            ScriptedRelay.Received delivered = helpdesk.poll(READY);
            assertTrue(delivered != null && delivered.tls(), "not delivered over verified TLS to the helpdesk: "
                    + delivered + "; the gateway's log:\n" + podman.logs(gateway.name()));

            long stopping = System.nanoTime();
            podman.succeeds("stop", "-t", String.valueOf(GRACE.toSeconds()), gateway.name());
            Duration stopped = Duration.ofNanos(System.nanoTime() - stopping);
            String exit = podman.inspect(gateway.name(), "{{.State.ExitCode}}");
            String log = podman.logs(gateway.name());
            assertTrue(stopped.compareTo(GRACE) < 0, "podman stop took " + stopped + ":\n" + log);
            assertTrue(List.of("0", "143").contains(exit), "exit code " + exit + " after SIGTERM:\n" + log);
            assertTrue(log.contains("smime-gateway stopped; undelivered messages stay queued"), log);

            String listed = podman.succeeds("run", "--rm", "--network", "host", "-v", volume + ":" + DATA, IMAGE,
                    "cert", "list").output();
            for (String fingerprint : fingerprints) {
                assertTrue(listed.contains(fingerprint), "a new container on " + volume + " lacks " + fingerprint
                        + ":\n" + listed);
            }

            // another master key in the volume: the stored key does not open, and `run` refuses to start
            podman.succeeds("run", "--rm", "--network", "host", "-v", volume + ":" + DATA, "--entrypoint",
                    "/bin/sh", IMAGE, "-c", "head -c 32 /dev/urandom > " + DATA + "/master.key");
            String refusal = refused(gatewayOptions(volume, LoopbackPorts.freeTcp(3), upstream.getSmtp().getPort()));
            assertTrue(refusal.startsWith("smime-gateway: cannot decrypt the private key for ")
                    && refusal.endsWith(": the master key " + DATA + "/master.key does not match the one it was"
                    + " stored with"), refusal);
        } finally {
            upstream.stop();
        }
    }

    @Test
    void aMissingOrUnreadableConfigurationOrAVolumeOfAnotherUidStopsTheContainerWithOneLine() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals("smime-gateway: no configuration file " + CONFIG + ": mount one there (-v FILE:" + CONFIG
                + ":ro), or remove the mount that hides it", refused(List.of("-v", empty + ":/etc/smime-gateway:ro")));

        Path unreadable = Files.writeString(dir.resolve("gateway.properties"), "gateway.hostname=gw.test\n");
        Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("rw-------"));
        assertEquals("smime-gateway: cannot read the configuration file " + CONFIG + " as uid " + UID
                + " (owner uid 0, mode 600): make it readable by uid " + UID + " (chmod 644 on the host)",
                refused(List.of("-v", unreadable + ":" + CONFIG + ":ro")));

        String fix = ", the user the gateway runs as: chown -R " + UID + ":" + UID + " the volume's directory on the"
                + " host (docker/README.md, \"The data volume\")";
        Path rootsVolume = Files.createDirectories(dir.resolve("roots"));
        Files.setPosixFilePermissions(rootsVolume, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals("smime-gateway: " + DATA + " is owned by uid 0 and not writable by uid " + UID + fix,
                refused(List.of("-v", rootsVolume + ":" + DATA)));

        // a backup restored as root into a volume of the right owner
        Path restored = Files.createDirectories(dir.resolve("restored"));
        Files.writeString(restored.resolve("master.key"), "0123456789abcdef0123456789abcdef");
        Files.setPosixFilePermissions(restored.resolve("master.key"), PosixFilePermissions.fromString("rw-------"));
        Files.setAttribute(restored, "unix:uid", UID);
        Files.setAttribute(restored, "unix:gid", UID);
        assertEquals("smime-gateway: " + DATA + "/master.key is owned by uid 0, not by uid " + UID + fix,
                refused(List.of("-v", restored + ":" + DATA)));
    }

    @Test
    void buildContextHoldsTheSourcesAndOfAllBuildOutputOnlyTheJar() throws Exception {
        Path containerfile = Files.writeString(dir.resolve("Containerfile"), "FROM scratch\nCOPY . /\n");
        Path context = dir.resolve("context");
        Path imageId = dir.resolve("image-id");
        try {
            podman.succeeds(BUILD, List.of("build", "--pull=never", "--ignorefile",
                    repository.resolve("docker/Dockerfile.dockerignore").toString(), "-f", containerfile.toString(),
                    "--iidfile", imageId.toString(), "--output", "type=local,dest=" + context,
                    repository.toString()));
        } finally {
            if (Files.isRegularFile(imageId)) {
                podman.run("rmi", Files.readString(imageId).strip());
            }
        }
        List<String> files;
        try (Stream<Path> walk = Files.walk(context)) {
            files = walk.filter(Files::isRegularFile).map(file -> context.relativize(file).toString()).sorted()
                    .toList();
        }
        Pattern allowed = Pattern.compile("pom\\.xml|gateway-[a-z]+/pom\\.xml|gateway-[a-z]+/src/.+"
                + "|config/gateway\\.properties|config/logback-json\\.xml"
                + "|docker/entrypoint\\.sh|docker/healthcheck\\.sh|gateway-smtp/target/smime-gateway\\.jar");
        assertEquals(List.of(), files.stream().filter(file -> !allowed.matcher(file).matches()).toList(),
                "docker/Dockerfile.dockerignore lets these into the build context");
        assertTrue(files.contains("gateway-smtp/target/smime-gateway.jar"), "the jar is not in the build context");
        for (String module : modules()) {
            assertTrue(files.contains(module + "/pom.xml"), module + "/pom.xml is not in the build context");
            assertTrue(files.stream().anyMatch(file -> file.startsWith(module + "/src/main/")),
                    module + "/src is not in the build context");
        }
    }

    @Test
    void defaultStageBuildsTheJarWithMavenFromEveryModuleOfTheParentPom() throws Exception {
        String dockerfile = Files.readString(repository.resolve("docker/Dockerfile"));
        for (String module : modules()) {
            for (String copy : List.of("COPY " + module + "/pom.xml " + module + "/\n",
                    "COPY " + module + "/src " + module + "/src\n")) {
                assertTrue(dockerfile.contains(copy), "docker/Dockerfile lacks '" + copy.strip() + "'");
            }
        }
        // what a user on the internet gets, but offline: the dependencies come from this machine's repository
        Path local = Path.of(System.getProperty("maven.local.repository",
                System.getProperty("user.home") + "/.m2/repository"));
        assertTrue(Files.isDirectory(local), "no local Maven repository at " + local);
        List<String> offline = List.of("--build-arg", "MAVEN_ARGS=-o", "-v", local + ":/root/.m2/repository:ro");
        List<String> jarStage = new ArrayList<>(offline);
        jarStage.addAll(List.of("--target", "jar-maven"));
        podman.build(BUILD, MAVEN_IMAGE + "-jar", jarStage);
        podman.build(BUILD, MAVEN_IMAGE, offline);

        String listed = podman.succeeds("run", "--rm", "--network", "host", MAVEN_IMAGE, "cert", "list").output();
        assertTrue(listed.contains("created a new store: jdbc:h2:file:" + DATA + "/gateway with master key " + DATA
                + "/master.key"), listed);
    }

    private record Gateway(String name, int outbound, int inbound) {
    }

    /**
     * Runs the image's {@code run} detached on {@code volume} and waits until its health check passes; tries other
     * ports when one was taken between its choice and the gateway's bind. {@code options} come last and win.
     */
    private Gateway startGateway(String volume, int relay, String... options) throws Exception {
        String failure = "";
        for (int attempt = 1; attempt <= 3; attempt++) {
            int[] ports = LoopbackPorts.freeTcp(3);
            String name = podman.container("gateway");
            List<String> command = new ArrayList<>(List.of("run", "-d", "--name", name, "--network", "host"));
            command.addAll(gatewayOptions(volume, ports, relay));
            command.addAll(List.of(options));
            command.add(IMAGE);
            podman.succeeds(Podman.CALL, command);
            if (awaitHealthy(name)) {
                return new Gateway(name, ports[0], ports[1]);
            }
            failure = "state " + podman.inspect(name, "{{.State.Status}} (exit code {{.State.ExitCode}})") + ":\n"
                    + podman.logs(name);
            if (!failure.contains("Address already in use")) {
                break;
            }
            podman.remove(name);
        }
        throw new AssertionError("the gateway's container was not healthy within " + READY + ", " + failure);
    }

    /** The data volume, and listeners and relays on the loopback (the containers use the host's network). */
    private static List<String> gatewayOptions(String volume, int[] ports, int relay) {
        return List.of("-v", volume + ":" + DATA,
                "-e", "SMIMEGW_GATEWAY_HOSTNAME=gw.test",
                "-e", "SMIMEGW_OUTBOUND_LISTEN=127.0.0.1:" + ports[0],
                "-e", "SMIMEGW_INBOUND_LISTEN=127.0.0.1:" + ports[1],
                "-e", "SMIMEGW_ADMIN_LISTEN=127.0.0.1:" + ports[2],
                "-e", "SMIMEGW_OUTBOUND_RELAY=127.0.0.1:" + relay, "-e", "SMIMEGW_OUTBOUND_RELAY_TLS=none",
                "-e", "SMIMEGW_INBOUND_RELAY=127.0.0.1:" + relay, "-e", "SMIMEGW_INBOUND_RELAY_TLS=none");
    }

    /** Polls the image's own health check (GET /health/ready) until it passes or the container has exited. */
    private static boolean awaitHealthy(String name) throws Exception {
        AtomicBoolean healthy = new AtomicBoolean();
        Await.until(READY, () -> {
            if (!podman.running(name)) {
                return true;
            }
            healthy.set(podman.run("healthcheck", "run", name).exitCode() == 0);
            return healthy.get();
        });
        return healthy.get();
    }

    /**
     * Runs the image detached with {@code options}; asserts that it exits with 1 and one line, and that its health
     * check never passed. Returns the line.
     */
    private static String refused(List<String> options) throws Exception {
        String name = podman.container("refused");
        List<String> command = new ArrayList<>(List.of("run", "-d", "--name", name, "--network", "host"));
        command.addAll(options);
        command.add(IMAGE);
        podman.succeeds(Podman.CALL, command);
        podman.succeeds("wait", name);
        String exit = podman.inspect(name, "{{.State.ExitCode}}");
        String log = podman.logs(name);
        assertEquals("1", exit, log);
        assertEquals(1, log.strip().lines().count(), "not one line:\n" + log);
        ExternalCommand.Result health = podman.run("healthcheck", "run", name);
        assertNotEquals(0, health.exitCode(), health.toString());
        assertNotEquals("healthy", podman.inspect(name, "{{.State.Health.Status}}"));
        podman.remove(name);
        return log.strip();
    }

    /** Copies RFC 9216 files into a directory the container's uid may read, to mount read-only. */
    private Path importFiles(String... names) throws IOException {
        Path imports = Files.createDirectories(dir.resolve("import"));
        Files.setPosixFilePermissions(imports, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String name : names) {
            Path copy = Files.copy(TestData.file("rfc9216/" + name), imports.resolve(name));
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
        }
        return imports;
    }

    private void assertSignedByAliceAndEncryptedToBob(Path sent) throws Exception {
        Openssl openssl = new Openssl(dir);
        String rfc9216 = TestData.file("rfc9216/ca.rsa.crt").getParent().toString();
        openssl.run("cms", "-decrypt", "-in", sent.toString(), "-recip", rfc9216 + "/bob.encrypt.crt", "-inkey",
                rfc9216 + "/bob.decrypt.key", "-out", "decrypted.eml").assertSuccess();
        openssl.run("cms", "-verify", "-in", "decrypted.eml", "-CAfile", rfc9216 + "/ca.rsa.crt", "-signer",
                "signer.pem", "-out", "content.txt").assertSuccess();
        assertTrue(Files.readString(dir.resolve("content.txt")).contains("Hello Bob, from the container."),
                Files.readString(dir.resolve("content.txt")));
        String signer = openssl.run("x509", "-in", "signer.pem", "-noout", "-email").assertSuccess().stdout();
        assertEquals(ALICE, signer.strip());
    }

    private static List<String> fingerprints(String importOutput) {
        Matcher m = IMPORTED.matcher(importOutput);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /** The modules the parent POM lists. */
    private static List<String> modules() throws IOException {
        Matcher m = Pattern.compile("<module>([^<]+)</module>")
                .matcher(Files.readString(repository.resolve("pom.xml")));
        List<String> modules = new ArrayList<>();
        while (m.find()) {
            modules.add(m.group(1).strip());
        }
        assertTrue(modules.contains("gateway-bench"), "the parent POM lists " + modules);
        return modules.stream().collect(Collectors.toUnmodifiableList());
    }
}
