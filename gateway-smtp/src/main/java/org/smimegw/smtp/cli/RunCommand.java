package org.smimegw.smtp.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.slf4j.LoggerFactory;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.Relay;
import org.smimegw.smtp.admin.AdminServer;
import org.smimegw.smtp.config.AdminSettings;

import com.sun.net.httpserver.HttpHandler;

import ch.qos.logback.classic.Level;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code run}: the SMTP relay, until SIGTERM (or Ctrl-C). Start-up checks the master key against the stored keys
 * and fails with one line when a listener cannot bind. On SIGTERM the listeners stop accepting, transactions in
 * progress finish, and everything undelivered stays queued.
 */
@Command(name = "run", description = "start the SMTP listeners, the delivery workers and the admin page; stops"
        + " cleanly on SIGTERM")
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Override
    public Integer call() throws InterruptedException {
        // the relay logs one line per message and its start-up summary; other commands keep to warnings
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.smimegw")).setLevel(Level.INFO);
        Gateway gateway = root.gateway();
        gateway.checkMasterKey();
        removeSpoolLeftovers(gateway);
        Relay relay = Relay.start(gateway, root.clock());
        AdminServer admin;
        try {
            admin = startAdmin(gateway, relay);
        } catch (RuntimeException e) {
            relay.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            admin.close();
            relay.close();
            root.close();
            stopped.countDown();
        }, "smime-gateway-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        stopped.await();
        return 0;
    }

    /** The admin page, with {@code /health} (and below it) and {@code /metrics} served without a login. */
    private AdminServer startAdmin(Gateway gateway, Relay relay) {
        AdminSettings settings = gateway.config().admin();
        Map<String, HttpHandler> openRoutes = Map.of("/health", gateway.monitoring().healthHandler(),
                "/metrics", gateway.monitoring().metricsHandler());
        AdminServer admin = AdminServer.start(settings, gateway, relay::wakeUp, root.clock(), openRoutes);
        String host = settings.listen().host();
        LoggerFactory.getLogger(RunCommand.class).info("admin page on http://{}:{}/ (user {}, password {})",
                host.contains(":") ? "[" + host + "]" : host, admin.port(), settings.user(),
                settings.passwordHash().isPresent() ? "set"
                        : "NOT set: every login fails until admin.password.hash is set ('smime-gateway admin hash')");
        return admin;
    }

    /** Files a killed process left in the spool directory; no message lives only there (the queue holds them). */
    private static void removeSpoolLeftovers(Gateway gateway) {
        Path directory = gateway.config().spool().directory();
        try {
            int removed = gateway.spool().removeLeftovers();
            if (removed > 0) {
                LoggerFactory.getLogger(RunCommand.class).info("removed {} leftover spool file(s) from {}", removed,
                        directory);
            }
        } catch (IOException e) {
            throw new CliFailure("cannot clean spool directory " + directory + ": " + e.getMessage());
        }
    }
}
