package org.smimegw.smtp.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;

import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.config.GatewayConfig;
import org.smimegw.smtp.config.Installation;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code smime-gateway}: the options every command accepts, and the gateway they open. */
@Command(name = "smime-gateway", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        version = "smime-gateway 0.1.0",
        description = "S/MIME mail gateway: signs and encrypts outgoing mail, decrypts and verifies incoming mail.",
        subcommands = {RunCommand.class, DemoCommand.class, CertCommand.class, KeyCommand.class,
            ProcessCommand.class, QueueCommand.class, ReprocessCommand.class, LogCommand.class, AuthCommand.class,
            AdminCommand.class, CrlCommand.class})
public final class RootCommand implements AutoCloseable {

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "configuration file (default: the installation's config/gateway.properties)")
    Path configFile;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "print stack traces of failures, for bug reports")
    boolean verbose;

    @Spec
    CommandSpec spec;

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
        return configFile == null ? GatewayConfig.load(Installation.defaultConfigFile(), false)
                : GatewayConfig.load(configFile, true);
    }

    /**
     * Opens the store named by the configuration, once per command. A store this makes is announced in one line on
     * standard error, naming where (docs/design.md §13): a store made where nobody meant one is noticed at once.
     */
    Gateway gateway() {
        if (gateway == null) {
            gateway = Gateway.open(config(), clock);
            if (gateway.storeCreated()) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("smime-gateway: created a new store: " + gateway.storeLocation());
                err.flush();
            }
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
