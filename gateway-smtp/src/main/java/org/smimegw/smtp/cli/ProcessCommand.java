package org.smimegw.smtp.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;

import org.smimegw.core.inbound.InboundResult;
import org.smimegw.core.mime.Addresses;
import org.smimegw.core.mime.MailboxList;
import org.smimegw.core.mime.Bytes;
import org.smimegw.core.mime.RawMessage;
import org.smimegw.core.mime.SpoolArea;
import org.smimegw.core.outbound.OutboundResult;
import org.smimegw.core.process.MessageProcessor;
import org.smimegw.core.smime.Envelope;
import org.smimegw.smtp.OutboundReplies;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

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
    @Option(names = "--out", paramLabel = "FILE", description = "the result ('-' for stdout); a second copy of a "
            + "split outbound message goes to FILE with .2 before its extension")
    Path out;
    @Option(names = "--explain", description = "outbound: print each decision (the rule, the certificate or why "
            + "none) instead of or before processing")
    boolean explain;
    @Option(names = "--sender", paramLabel = "A", description = "envelope sender (default: the From address)")
    String sender;
    @Option(names = "--recipient", paramLabel = "B", description = "envelope recipient, repeatable "
            + "(default: the To, Cc and Bcc addresses)")
    List<String> recipients;
    @Option(names = "--at", paramLabel = "INSTANT", converter = InstantConverter.class,
            description = "judge certificate validity at this ISO-8601 instant instead of now")
    Instant at;

    @Override
    public Integer call() {
        checkEnvelopeAddresses();
        if (explain && direction != Direction.outbound) {
            throw new ParameterException(spec.commandLine(), "--explain: only for --direction outbound");
        }
        if (out == null && !explain) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--out=FILE'");
        }
        Instant instant = at == null ? root.clock().instant() : at;
        MessageProcessor processor = root.gateway().processor();
        Bytes received = read(in, root.gateway().spool());
        RawMessage message = RawMessage.parse(received);
        Envelope envelope = envelope(message);
        PrintWriter report = spec.commandLine().getErr();
        if (explain) {
            PrintWriter stdout = spec.commandLine().getOut();
            processor.explainOutbound(message, envelope, instant).forEach(stdout::println);
            stdout.flush();
            if (out == null) {
                return 0;
            }
        }
        if (direction == Direction.outbound) {
            OutboundResult result = processor.outbound(message, envelope, instant);
            if (result instanceof OutboundResult.Refused refused) {
                throw new CliFailure(OutboundReplies.refusal(refused).reply());
            }
            List<OutboundResult.Copy> copies = ((OutboundResult.Relay) result).copies();
            if (copies.size() > 1 && "-".equals(out.toString())) {
                throw new CliFailure("the message splits into " + copies.size() + " copies; give --out FILE");
            }
            List<String> written = new java.util.ArrayList<>();
            for (int i = 0; i < copies.size(); i++) {
                OutboundResult.Copy copy = copies.get(i);
                Path file = i == 0 ? out : numbered(out, i + 1);
                write(file, copy.message());
                written.add(copy.treatment() + (copy.encrypted() ? " (to " + copy.recipientFingerprints().size()
                        + " certificates)" : "") + (copies.size() > 1 ? " for " + String.join(",", copy.recipients())
                        : "") + " -> " + file);
            }
            report.println("outbound: " + String.join("; ", written));
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

    /** {@code out.eml} for copy 2 is {@code out.2.eml}; {@code out} is {@code out.2}. */
    static Path numbered(Path file, int number) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String numbered = dot > 0 ? name.substring(0, dot) + "." + number + name.substring(dot)
                : name + "." + number;
        return file.resolveSibling(numbered);
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

    /** An envelope address given on the command line must be a plain addr-spec; the sender may be empty ({@code <>}). */
    private void checkEnvelopeAddresses() {
        if (sender != null && !sender.isEmpty() && !isAddrSpec(sender)) {
            throw new ParameterException(spec.commandLine(), "--sender: '" + sender + "' is not an e-mail address");
        }
        for (String recipient : recipients == null ? List.<String>of() : recipients) {
            if (!isAddrSpec(recipient)) {
                throw new ParameterException(spec.commandLine(),
                        "--recipient: '" + recipient + "' is not an e-mail address");
            }
        }
    }

    private static boolean isAddrSpec(String text) {
        return MailboxList.parse(text).filter(addresses -> addresses.equals(List.of(text))).isPresent();
    }

    /** ISO-8601 with offset ({@code 2026-01-31T12:00:00Z}) or a date, taken as midnight UTC. */
    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String text) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException e2) {
                    throw new TypeConversionException(
                            "'" + text + "' is not an ISO-8601 instant such as 2026-01-31T12:00:00Z");
                }
            }
        }
    }

    private static Bytes read(Path file, SpoolArea spool) {
        try {
            if ("-".equals(file.toString())) {
                return spool.copyOf(System.in);
            }
            try (InputStream stream = Files.newInputStream(file)) {
                return spool.copyOf(stream);
            }
        } catch (IOException e) {
            throw new CliFailure("cannot read " + file + ": " + FileProblems.describe(e, file));
        }
    }

    /**
     * Writes the result. A new or regular file is replaced at once (a temporary file beside it, then a rename, so
     * a reader never sees half a message), keeping the permissions of the file it replaces; a symbolic link,
     * device or pipe is written through, never replaced.
     */
    private static void write(Path file, RawMessage message) {
        try {
            if ("-".equals(file.toString())) {
                message.writeTo(System.out);
                System.out.flush();
                return;
            }
            if (Files.isDirectory(file)) {
                throw new CliFailure("cannot write " + file + ": it is a directory");
            }
            boolean exists = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
            if (exists && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                try (OutputStream stream = Files.newOutputStream(file)) {
                    message.writeTo(stream);
                }
                return;
            }
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                throw new CliFailure("cannot write " + file + ": directory " + dir + " does not exist");
            }
            Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            try {
                Files.deleteIfExists(tmp);
                Files.createFile(tmp);
                if (exists) {
                    copyPermissions(file, tmp);
                }
                try (OutputStream stream = Files.newOutputStream(tmp)) {
                    message.writeTo(stream);
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new CliFailure("cannot write " + file + ": " + FileProblems.describe(e, file));
        }
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        if (from.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
        }
    }
}
