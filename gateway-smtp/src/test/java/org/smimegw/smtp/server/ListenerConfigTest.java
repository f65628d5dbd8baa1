package org.smimegw.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.core.queue.Direction;
import org.smimegw.smtp.config.GatewayConfig;
import org.smimegw.smtp.config.HostPort;
import org.smimegw.smtp.config.ListenerSettings;

class ListenerConfigTest {
    @TempDir
    Path dir;

    @Test
    void takesEachDirectionsAddressAndTheSharedSettingsFromTheGatewayConfiguration() throws Exception {
        Path file = Files.writeString(dir.resolve("gateway.properties"), String.join("\n",
                "gateway.hostname=gw.example.test", "outbound.listen=127.0.0.1:2025", "inbound.listen=[::1]:2026",
                "smtp.allowed.clients=10.0.0.0/8", "smtp.max.message.bytes=1234", "smtp.max.recipients=7",
                "smtp.max.connections=3", "smtp.timeout=45s", ""));
        GatewayConfig config = GatewayConfig.load(file, true, Map.of(), new Properties());

        ListenerConfig outbound = ListenerConfig.of(config, Direction.OUTBOUND);
        assertEquals(new HostPort("127.0.0.1", 2025), outbound.listen());
        assertEquals("gw.example.test", outbound.hostname());
        assertEquals(List.of("10.0.0.0/8"), outbound.allowedClients());
        assertEquals(1234, outbound.maxMessageBytes());
        assertEquals(new ListenerSettings(false, Optional.empty(), 7, 3, Duration.ofSeconds(45)), outbound.settings());
        assertEquals(Optional.empty(), outbound.tlsCertificate());

        ListenerConfig inbound = ListenerConfig.of(config, Direction.INBOUND);
        assertEquals(new HostPort("::1", 2026), inbound.listen());
        assertEquals(Direction.INBOUND, inbound.direction());
        assertEquals(new HostPort("::1", 0), inbound.withListen(new HostPort("::1", 0)).listen());
    }

    @Test
    void refusesInconsistentTlsAndAuthSettings() {
        ListenerSettings auth = new ListenerSettings(false, Optional.of(dir.resolve("users")), 10, 10,
                Duration.ofMinutes(1));
        ListenerSettings tlsRequired = new ListenerSettings(true, Optional.empty(), 10, 10, Duration.ofMinutes(1));
        HostPort listen = new HostPort("127.0.0.1", 0);
        assertThrows(IllegalArgumentException.class, () -> new ListenerConfig(Direction.OUTBOUND, listen, "gw",
                List.of(), 100, auth, Optional.empty(), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new ListenerConfig(Direction.OUTBOUND, listen, "gw",
                List.of(), 100, tlsRequired, Optional.empty(), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new ListenerConfig(Direction.OUTBOUND, listen, "gw",
                List.of(), 100, tlsRequired, Optional.of(dir.resolve("c")), Optional.empty()));
    }
}
