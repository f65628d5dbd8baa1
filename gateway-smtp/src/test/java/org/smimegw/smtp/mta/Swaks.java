package org.smimegw.smtp.mta;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.smimegw.smtp.testing.ExternalCommand;

/**
 * Runs the real {@code swaks} (Debian package {@code swaks}) as an SMTP client, one transaction per
 * {@link #run()}, with a bounded wait. The transcript is swaks' own ({@code <-} server, {@code ->} client,
 * {@code ***} errors), stdout and stderr interleaved.
 */
public final class Swaks {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static volatile String help;

    private final String server;
    private final int port;
    private String from;
    private final List<String> to = new ArrayList<>();
    private String helo = "swaks.test";
    private Path data;
    private String body;
    private final List<String> headers = new ArrayList<>();
    private boolean pipeline;
    private boolean tls;
    private final List<String> extra = new ArrayList<>();
    private Duration timeout = DEFAULT_TIMEOUT;

    private Swaks(String server, int port) {
        this.server = server;
        this.port = port;
    }

    /** A transaction with the SMTP server at {@code server:port}. */
    public static Swaks to(String server, int port) {
        return new Swaks(server, port);
    }

    /** What one swaks run returned and printed. */
    public record Result(List<String> command, int exitCode, String transcript) {
        /** Fails with the whole transcript unless swaks exited 0 (every reply was what it expected). */
        public Result assertSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("swaks exited with " + exitCode + ": " + String.join(" ", command)
                        + "\n" + transcript);
            }
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " exited with " + exitCode + "\n" + transcript;
        }
    }

    /** The swaks version line ({@code swaks version 20201014.0} on Debian 12). */
    public static String version() throws IOException, InterruptedException {
        Path swaks = ExternalCommand.locate("swaks", "swaks");
        return ExternalCommand.run(DEFAULT_TIMEOUT, List.of(swaks.toString(), "--version")).assertSuccess()
                .output().lines().filter(l -> !l.isBlank()).findFirst().orElse("").trim();
    }

    /** Whether the installed swaks documents {@code option} (for example {@code --8bitmime}) in its help. */
    public static boolean supportsOption(String option) throws IOException, InterruptedException {
        String text = help;
        if (text == null) {
            Path swaks = ExternalCommand.locate("swaks", "swaks");
            text = ExternalCommand.run(DEFAULT_TIMEOUT, List.of(swaks.toString(), "--help")).output();
            help = text;
        }
        return text.matches("(?s).*(^|[\\s,\"])" + java.util.regex.Pattern.quote(option) + "([\\s,\"]|$).*");
    }

    /** The envelope sender ({@code --from}). */
    public Swaks from(String address) {
        this.from = address;
        return this;
    }

    /** An envelope recipient ({@code --to}); call once per recipient. */
    public Swaks recipient(String address) {
        to.add(address);
        return this;
    }

    /** The EHLO name ({@code --helo}); {@code swaks.test} unless set. */
    public Swaks helo(String name) {
        this.helo = name;
        return this;
    }

    /**
     * The whole DATA from a file ({@code --data @FILE}): swaks turns its line ends into CRLF, dot-stuffs lines
     * that begin with a dot and adds the closing dot.
     */
    public Swaks data(Path file) {
        this.data = file;
        return this;
    }

    /** The body of swaks' default message ({@code --body}). */
    public Swaks body(String text) {
        this.body = text;
        return this;
    }

    /** A header added to (or replacing one in) the message ({@code --header "Name: value"}). */
    public Swaks header(String nameAndValue) {
        headers.add(nameAndValue);
        return this;
    }

    /** {@code --pipeline}: use PIPELINING (RFC 2920) when the server offers it. */
    public Swaks pipeline() {
        this.pipeline = true;
        return this;
    }

    /** {@code --tls}: require STARTTLS; swaks gives up if the server does not offer it or the handshake fails. */
    public Swaks tls() {
        this.tls = true;
        return this;
    }

    /** Any other swaks option, passed as is. */
    public Swaks option(String... args) {
        extra.addAll(List.of(args));
        return this;
    }

    /** How long swaks may run before it is killed; 60 seconds unless set. */
    public Swaks timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    public List<String> command() {
        Path swaks = ExternalCommand.locate("swaks", "swaks");
        List<String> command = new ArrayList<>(List.of(swaks.toString(), "--server", server, "--port",
                Integer.toString(port), "--helo", helo));
        if (from != null) {
            command.addAll(List.of("--from", from));
        }
        if (!to.isEmpty()) {
            command.addAll(List.of("--to", String.join(",", to)));
        }
        if (data != null) {
            command.addAll(List.of("--data", "@" + data));
        }
        if (body != null) {
            command.addAll(List.of("--body", body));
        }
        for (String header : headers) {
            command.addAll(List.of("--header", header));
        }
        if (pipeline) {
            command.add("--pipeline");
        }
        if (tls) {
            command.add("--tls");
        }
        command.addAll(extra);
        return command;
    }

    /** Runs swaks once; kills it and fails if it has not finished within the timeout. */
    public Result run() throws IOException, InterruptedException {
        ExternalCommand.Result result = ExternalCommand.run(timeout, command());
        return new Result(result.command(), result.exitCode(), result.output());
    }
}
