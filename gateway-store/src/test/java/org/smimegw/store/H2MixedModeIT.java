package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.cert.CertificateKind;
import org.smimegw.core.testing.TestPki;

/**
 * A second process (the command line) opens the H2 file store while this one (the relay) holds it open, reads what
 * the relay wrote, and writes something the relay sees at once: H2 mixed mode via {@code AUTO_SERVER}.
 */
class H2MixedModeIT {
    @TempDir
    Path dir;

    @Test
    void anotherProcessUsesTheStoreWhileItIsOpen() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("data").resolve("gateway");
        Path masterKey = dir.resolve("data").resolve("master.key");
        TestPki.Issued org = TestPki.client("org@example.com").build();
        try (Store relay = Store.open(new StoreSettings(url, "sa", "", masterKey))) {
            String fingerprint = relay.certificates().add(org.certificate(), CertificateKind.CLIENT).fingerprint();
            relay.privateKeys().put(fingerprint, org.key());

            String output = runOtherProcess(url, masterKey.toString(), fingerprint);

            assertTrue(output.contains("certificates=1"), output);
            assertTrue(output.contains("key=true"), output);
            assertEquals("probe", relay.auditLog().recent(1).get(0).action());
        }
    }

    @Test
    void mixedModeServerListensOnLoopbackOnly() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("gateway");
        try (Store relay = Store.open(new StoreSettings(url, "sa", "", dir.resolve("master.key")))) {
            Properties lock = new Properties();
            try (InputStream in = Files.newInputStream(dir.resolve("gateway.lock.db"))) {
                lock.load(in);
            }
            String server = lock.getProperty("server");
            int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));

            try (Socket loopback = new Socket(InetAddress.getLoopbackAddress(), port)) {
                assertTrue(loopback.isConnected());
            }
            // bound to 127.0.0.1 alone, it refuses the rest of 127.0.0.0/8, which a wildcard bind would accept
            List<InetAddress> elsewhere = new ArrayList<>(List.of(InetAddress.getByName("127.0.0.2")));
            externalAddress().ifPresent(elsewhere::add);
            for (InetAddress address : elsewhere) {
                assertThrows(ConnectException.class, () -> new Socket(address, port).close(),
                        "mixed-mode server reachable on " + address);
            }
        }
    }

    private static Optional<InetAddress> externalAddress() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(H2MixedModeIT::isUp)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress())
                .findFirst();
    }

    private static boolean isUp(NetworkInterface network) {
        try {
            return network.isUp();
        } catch (SocketException e) {
            return false;
        }
    }

    private static String runOtherProcess(String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                OtherProcessProbe.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the other process did not finish");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), text);
        return text;
    }
}
