package org.smimegw.smtp.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;

import org.smimegw.core.inbound.InboundResult;
import org.smimegw.core.mime.Addresses;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.outbound.OutboundResult;
import org.smimegw.core.process.MessageProcessor;
import org.smimegw.core.smime.Envelope;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code process}: one message through the outbound or inbound pipeline, offline, exactly as the relay would.
 * A refused outbound message exits 1 with the reply the SMTP listener would give, and writes nothing.
 */
@Command(name = "process", description = "run one message through the pipeline without SMTP")
final class ProcessCommand implements Callable<Integer> {
    enum Direction { outbound, inbound }

    @ParentCommand
    RootCommand root;
    @Spec
    CommandSpec spec;
    @Option(names = "--direction", required = true, paramLabel = "outbound|inbound")
    Direction direction;
    @Option(names = "--in", required = true, paramLabel = "FILE", description = "the message ('-' for stdin)")
    Path in;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the result ('-' for stdout)")
    Path out;
    @Option(names = "--sender", paramLabel = "A", description = "envelope sender (default: the From address)")
    String sender;
    @Option(names = "--recipient", paramLabel = "B", description = "envelope recipient, repeatable "
            + "(default: the To, Cc and Bcc addresses)")
    List<String> recipients;
    @Option(names = "--at", paramLabel = "INSTANT",
            description = "judge certificate validity at this ISO-8601 instant instead of now")
    String at;

    @Override
    public Integer call() {
        Instant instant = at == null ? root.clock().instant() : parseInstant(at);
        byte[] received = read(in);
        RawMessage message = RawMessage.parse(received);
        Envelope envelope = envelope(message);
        MessageProcessor processor = root.gateway().processor();
        PrintWriter report = spec.commandLine().getErr();
        if (direction == Direction.outbound) {
            OutboundResult result = processor.outbound(message, envelope, instant);
            if (result instanceof OutboundResult.Refused refused) {
                throw new CliFailure("550 5.7.1 " + refused.reason());
            }
            OutboundResult.Relay relay = (OutboundResult.Relay) result;
            write(out, relay.message());
            report.println("outbound: " + relay.treatment() + (relay.encrypted()
                    ? " (to " + relay.recipientFingerprints().size() + " certificates)" : "") + " -> " + out);
        } else {
            MessageProcessor.Inbound inbound = processor.inbound(received, envelope, instant);
            InboundResult result = inbound.result();
            write(out, result.message());
            report.println("inbound: " + result.summary() + " -> " + out
                    + (inbound.keptOriginalId() == null ? "" : " (original kept as " + inbound.keptOriginalId() + ")"));
        }
        report.flush();
        return 0;
    }

    private Envelope envelope(RawMessage message) {
        String from = sender;
        if (from == null) {
            from = Addresses.singleFrom(message);
        }
        List<String> to = recipients != null && !recipients.isEmpty() ? recipients
                : Addresses.headerRecipients(message);
        return new Envelope(from == null ? "" : from, to);
    }

    static Instant parseInstant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw new CliFailure("--at: '" + text + "' is not an ISO-8601 instant such as 2026-01-31T12:00:00Z");
            }
        }
    }

    private static byte[] read(Path file) {
        try {
            return "-".equals(file.toString()) ? System.in.readAllBytes() : Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CliFailure("cannot read " + file + ": file not found");
        } catch (IOException e) {
            throw new CliFailure("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static void write(Path file, RawMessage message) {
        try {
            if ("-".equals(file.toString())) {
                message.writeTo(System.out);
                System.out.flush();
            } else {
                Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".process", ".tmp");
                try (OutputStream stream = Files.newOutputStream(tmp)) {
                    message.writeTo(stream);
                }
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CliFailure("cannot write " + file + ": " + e.getMessage());
        }
    }
}
