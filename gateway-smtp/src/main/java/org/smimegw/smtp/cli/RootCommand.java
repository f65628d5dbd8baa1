package org.smimegw.smtp.cli;

import java.nio.file.Path;
import java.time.Clock;

import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.config.GatewayConfig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code smime-gateway}: the options every command accepts, and the gateway they open. */
@Command(name = "smime-gateway", mixinStandardHelpOptions = true, version = "smime-gateway 0.1.0",
        description = "S/MIME mail gateway: signs and encrypts outgoing mail, decrypts and verifies incoming mail.",
        subcommands = {RunCommand.class, DemoCommand.class, CertCommand.class, KeyCommand.class,
            ProcessCommand.class, QueueCommand.class, ReprocessCommand.class, LogCommand.class, AuthCommand.class,
            AdminCommand.class, CrlCommand.class})
public final class RootCommand implements AutoCloseable {

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "configuration file (default: config/gateway.properties)")
    Path configFile;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "print stack traces of failures, for bug reports")
    boolean verbose;

    private final Clock clock;
    private Gateway gateway;

    public RootCommand(Clock clock) {
        this.clock = clock;
    }

    public boolean verbose() {
        return verbose;
    }

    public Clock clock() {
        return clock;
    }

    GatewayConfig config() {
        return configFile == null ? GatewayConfig.load(GatewayConfig.DEFAULT_FILE, false)
                : GatewayConfig.load(configFile, true);
    }

    /** Opens the store named by the configuration, once per command. */
    Gateway gateway() {
        if (gateway == null) {
            gateway = Gateway.open(config(), clock);
        }
        return gateway;
    }

    @Override
    public void close() {
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
    }
}
