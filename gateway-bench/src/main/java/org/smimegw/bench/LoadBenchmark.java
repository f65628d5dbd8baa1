package org.smimegw.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.smimegw.core.queue.Direction;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The load generator of issue #4: starts a gateway (or several nodes on one PostgreSQL store) in this process,
 * drives it over SMTP from N sessions per direction and size, measures delivered msg/s at an in-process sink, DATA-end
 * latency, CPU, peak RSS, and the openssl ceilings, and prints one markdown table. See docs/performance.md and
 * docs/cluster.md.
 */
@Command(name = "LoadBenchmark", mixinStandardHelpOptions = true,
        description = "load-test an in-process S/MIME gateway over SMTP and print one markdown table")
public final class LoadBenchmark implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--connections", defaultValue = "8",
            description = "concurrent SMTP sessions (default ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--seconds", defaultValue = "20",
            description = "measured period per direction and size; warm-up is a quarter of it"
                    + " (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--sizes", defaultValue = "10KB,1MB,10MB", split = ",",
            description = "message sizes (default ${DEFAULT-VALUE})")
    List<String> sizes;

    @Option(names = "--directions", defaultValue = "outbound,inbound", split = ",",
            description = "outbound and/or inbound (default ${DEFAULT-VALUE})")
    List<String> directions;

    @Option(names = "--openssl-seconds", defaultValue = "10",
            description = "length of each openssl ceiling measurement (default ${DEFAULT-VALUE})")
    int opensslSeconds;

    @Option(names = "--skip-openssl", description = "do not measure the openssl ceilings")
    boolean skipOpenssl;

    @Option(names = "--nodes", defaultValue = "1",
            description = "gateway nodes in this JVM on one store, connections spread over them; more than 1 needs"
                    + " --store-url (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--store-url",
            description = "a jdbc:postgresql: URL: the nodes share a new schema in that database, dropped after the"
                    + " run (default: embedded H2 in a temporary directory)")
    String storeUrl;

    @Option(names = "--store-user", defaultValue = "postgres",
            description = "PostgreSQL user for --store-url (default ${DEFAULT-VALUE})")
    String storeUser;

    @Option(names = "--store-password-env", paramLabel = "VAR",
            description = "environment variable holding that user's password (default: none)")
    String storePasswordEnv;

    @Option(names = "--quick", description = "a few messages per phase instead of timed periods (smoke test)")
    boolean quick;

    @Option(names = "--lock-step", description = "clients wait for each reply instead of pipelining RSET, MAIL, RCPT"
            + " and DATA in one write as Postfix does")
    boolean lockStep;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        BenchReport report = new LoadRun(settings(), out).run();
        out.println();
        out.print(report.toMarkdown());
        out.flush();
        return report.accepted() == report.delivered() && report.unexpected() == 0 ? 0 : 1;
    }

    LoadRun.Settings settings() {
        if (connections < 1 || seconds < 1 || opensslSeconds < 1 || nodes < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--connections, --seconds, --openssl-seconds and --nodes must be at least 1");
        }
        if (nodes > 1 && storeUrl == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--nodes " + nodes + " needs a shared PostgreSQL store: --store-url jdbc:postgresql://...");
        }
        Optional<BenchCluster.PostgresServer> postgres = Optional.ofNullable(storeUrl).map(url ->
                new BenchCluster.PostgresServer(url, storeUser, storePasswordEnv == null ? ""
                        : Objects.requireNonNullElse(System.getenv(storePasswordEnv), "")));
        List<MessageSize> parsedSizes = sizes.stream().map(MessageSize::parse).toList();
        List<Direction> parsedDirections = directions.stream().map(d -> Direction.valueOf(d.trim().toUpperCase(
                java.util.Locale.ROOT))).toList();
        Duration measured = Duration.ofSeconds(seconds);
        Span warmUp = quick ? Span.messages(1) : Span.of(measured.dividedBy(4).isZero() ? Duration.ofSeconds(1)
                : measured.dividedBy(4));
        Span measure = quick ? Span.messages(3) : Span.of(measured);
        return new LoadRun.Settings(connections, parsedSizes, parsedDirections, warmUp, measure, quick,
                skipOpenssl ? Duration.ZERO : Duration.ofSeconds(quick ? 1 : opensslSeconds), nodes, postgres,
                lockStep);
    }
}
