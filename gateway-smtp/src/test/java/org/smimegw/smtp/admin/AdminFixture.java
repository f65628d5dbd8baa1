package org.smimegw.smtp.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.config.AdminSettings;
import org.smimegw.smtp.config.GatewayConfig;
import org.smimegw.smtp.config.HostPort;
import org.smimegw.core.testing.MutableClock;

import com.sun.net.httpserver.HttpHandler;

/** A gateway on a temporary H2 store and its admin server on a loopback port chosen by the system. */
final class AdminFixture implements AutoCloseable {
    static final String USER = "admin";
    static final String PASSWORD = "correct horse battery staple";
    static final Duration TIMEOUT = Duration.ofMinutes(30);

    final Gateway gateway;
    final AdminServer server;
    final String passwordHash;
    final AtomicInteger wakeUps = new AtomicInteger();

    AdminFixture(Path dir, MutableClock clock, boolean withPassword, Map<String, HttpHandler> openRoutes) {
        // cost 4: the lowest bcrypt allows, so a test login is quick
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        this.passwordHash = OpenBSDBCrypt.generate("2y", PASSWORD.toCharArray(), salt, 4);
        this.gateway = Gateway.open(GatewayConfig.load(properties(dir), true), clock);
        try {
            AdminSettings settings = new AdminSettings(new HostPort("127.0.0.1", 0), USER,
                    withPassword ? Optional.of(passwordHash) : Optional.empty(), TIMEOUT, Duration.ofMinutes(1), 30);
            this.server = AdminServer.start(settings, gateway, wakeUps::incrementAndGet, clock, openRoutes);
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
    }

    static Path properties(Path dir) {
        try {
            return Files.writeString(dir.resolve("gateway.properties"), "gateway.hostname=gw.test\n"
                    + "store.url=jdbc:h2:file:" + dir.resolve("data/gateway").toAbsolutePath() + "\n"
                    + "store.master.key.file=" + dir.resolve("data/master.key").toAbsolutePath() + "\n"
                    + "spool.dir=" + dir.resolve("data/spool").toAbsolutePath() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    AdminClient client() {
        return new AdminClient(server.port());
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            gateway.close();
        }
    }
}
