package org.smimegw.smtp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.smimegw.core.cert.CertificateAdmin;
import org.smimegw.core.cert.CertificateFacts;
import org.smimegw.core.cert.CertificateFileException;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.core.cert.IdentityRequests;
import org.smimegw.core.port.PendingKeys;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.json.Json;
import org.smimegw.smtp.operations.CertificateImport;
import org.smimegw.smtp.operations.CertificateLines;
import org.smimegw.smtp.operations.CertificateStatus;
import org.smimegw.smtp.operations.IdentityRequest;
import org.smimegw.smtp.operations.ImportResult;
import org.smimegw.smtp.operations.KeyExport;
import org.smimegw.smtp.operations.KeyImport;
import org.smimegw.smtp.operations.OperationRefused;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code key import|request|list|delete|export}: the organisation's identities with a private key (docs/design.md
 * §5), those made inside the gateway and their backups (§14).
 */
@Command(name = "key", description = "manage the organisation's private keys",
        subcommands = {KeyCommand.Import.class, KeyCommand.Request.class, KeyCommand.ListKeys.class,
            KeyCommand.Delete.class, KeyCommand.Export.class})
final class KeyCommand {
    @ParentCommand
    RootCommand root;

    /** Where the password comes from; never from the command line itself, where `ps` would show it. */
    static final class PasswordSource {
        @Option(names = "--password-env", paramLabel = "VAR", description = "environment variable with the password")
        String variable;
        @Option(names = "--password-file", paramLabel = "F", description = "file whose first line is the password")
        Path file;

        /** Where the password came from, for a message that must not show it. */
        String describe() {
            return variable != null ? "environment variable " + variable + " (--password-env)"
                    : "the first line of password file " + file + " (--password-file)";
        }

        char[] read() {
            if (variable != null) {
                String value = System.getenv(variable);
                if (value == null) {
                    throw new CliFailure("environment variable " + variable + " (--password-env) is not set");
                }
                return value.toCharArray();
            }
            try {
                String content = Files.readString(file, StandardCharsets.UTF_8);
                int eol = content.indexOf('\n');
                String line = eol < 0 ? content : content.substring(0, eol);
                return line.replace("\r", "").toCharArray();
            } catch (IOException e) {
                throw new CliFailure("cannot read password file " + file + ": " + FileProblems.describe(e, file));
            }
        }
    }

    @Command(name = "import", description = "import a PKCS#12 file or a PEM private key (with its certificates)")
    static final class Import implements Callable<Integer> {
        @ParentCommand
        KeyCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "FILE")
        Path file;
        @ArgGroup(exclusive = true)
        PasswordSource password;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            char[] secret = password == null ? null : password.read();
            List<ImportResult> results;
            try {
                byte[] bytes = CertCommand.readFile(file);
                results = KeyImport.importFile(parent.root.gateway().admin(), bytes, secret, file.toString());
            } catch (CertificateFileException e) {
                results = List.of(CertificateImport.rejected(file.toString(), e.getMessage()));
            } finally {
                if (secret != null) {
                    Arrays.fill(secret, '\0');
                }
            }
            return Output.printResults(out, err, results);
        }
    }

    @Command(name = "request", description = "make the organisation's key pair inside the gateway and write a"
            + " certificate request (PKCS#10) for a CA, or a self-signed certificate for trials")
    static final class Request implements Callable<Integer> {
        @ParentCommand
        KeyCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--email", required = true, paramLabel = "ADDR", description = "the organisation's address")
        String email;
        @Option(names = "--subject", paramLabel = "DN", description = "subject DN (default: CN=<address>)")
        String subject;
        @Option(names = "--algorithm", paramLabel = "ALG",
                description = "rsa-3072 (default), rsa-2048, ec-p256 or ec-p384")
        String algorithm;
        @Option(names = "--out", required = true, paramLabel = "FILE",
                description = "where the request (or the self-signed certificate) is written, as PEM; a new file")
        Path out;
        @Option(names = "--self-signed", description = "make a self-signed client certificate instead of a request")
        boolean selfSigned;
        @Option(names = "--days", paramLabel = "N", description = "validity of the self-signed certificate (default:"
                + " 365)")
        Integer days;

        @Override
        public Integer call() {
            if (days != null && !selfSigned) {
                throw new CliFailure("--days: only with --self-signed; a CA decides how long its certificate lasts");
            }
            int validity = days == null ? 365 : days;
            if (validity < 1 || validity > 3650) {
                throw new CliFailure("--days: " + validity + " is not from 1 to 3650");
            }
            IdentityRequests.Made made = IdentityRequest.make(email, subject, algorithm);
            Gateway gateway = parent.root.gateway();
            PrintWriter out = spec.commandLine().getOut();
            if (selfSigned) {
                X509Certificate certificate = IdentityRequests.selfSigned(made, gateway.clock().instant(), validity);
                // the file first: the key is kept only if what the operator needs from it was written
                write(IdentityRequests.pem(certificate));
                CertificateAdmin.Outcome outcome = gateway.admin().importKey(made.keyPair().getPrivate(),
                        List.of(certificate), "key request --self-signed");
                if (outcome instanceof CertificateAdmin.Outcome.Rejected rejected) {
                    deleteOut();
                    throw new CliFailure("the self-signed certificate was refused: " + rejected.reason());
                }
                out.println(CertificateLines.imported((CertificateAdmin.Outcome.Imported) outcome) + " key");
                out.println("self-signed for " + validity + " days, written to " + this.out + ": it chains to no CA,"
                        + " so contacts must import it by hand to trust its signatures and to encrypt to it");
            } else {
                write(IdentityRequests.pem(IdentityRequests.request(made)));
                List<String> renewing;
                try {
                    renewing = gateway.admin().addPending(made, "key request");
                } catch (RuntimeException e) {
                    deleteOut();
                    throw e;
                }
                IdentityRequest.requested(made, renewing).forEach(out::println);
                out.println("request written to " + this.out + " (PKCS#10, PEM): send it to your CA, then import"
                        + " the certificate it issues with 'smime-gateway cert import FILE'");
            }
            out.flush();
            return 0;
        }

        /** Writes a new file, as an export does: one that exists is never replaced. */
        private void write(String pem) {
            NewFile file = new NewFile(out.toAbsolutePath());
            file.check();
            file.write(pem.getBytes(StandardCharsets.US_ASCII));
        }

        private void deleteOut() {
            try {
                Files.deleteIfExists(out);
            } catch (IOException e) {
                // the refusal that follows is what counts; a file left behind holds no secret
            }
        }
    }

    @Command(name = "list", description = "list the organisation identities that have a private key, and the"
            + " pending requests")
    static final class ListKeys implements Callable<Integer> {
        @ParentCommand
        KeyCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--json", description = "one JSON object per line")
        boolean json;

        @Override
        public Integer call() {
            Gateway gateway = parent.root.gateway();
            PrintWriter out = spec.commandLine().getOut();
            CertificateStatus statuses = CertCommand.status(gateway);
            Instant now = gateway.clock().instant();
            for (PendingKeys.Pending pending : gateway.admin().pending()) {
                out.println(json ? Json.write(Output.pendingJson(pending, now)) : IdentityRequest.line(pending, now));
            }
            for (String fingerprint : gateway.keys().certificateFingerprints()) {
                CertificateRecord c = gateway.certificates().findByFingerprint(fingerprint).orElse(null);
                if (c == null) {
                    out.println(fingerprint + " (certificate missing)");
                } else if (json) {
                    out.println(Json.write(Output.certificateJson(c, true, statuses.revocation(c))));
                } else {
                    out.println(Output.certificateLine(c) + " " + CertificateFacts.keyAlgorithm(c.certificate())
                            + " subject=" + c.subject());
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "delete", description = "delete the private key of an identity (its certificate stays)")
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        KeyCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "FP", description = "SHA-256 fingerprint of the certificate, or a unique prefix; or"
                + " the id of a pending request")
        String fingerprint;

        @Override
        public Integer call() {
            Gateway gateway = parent.root.gateway();
            spec.commandLine().getOut().println(CertCommand.removal(gateway).deleteKey(fingerprint));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "export", description = "write an organisation identity (private key, certificate and issuing "
            + "chain) to a new password-protected PKCS#12 file")
    static final class Export implements Callable<Integer> {
        @ParentCommand
        KeyCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "FP", description = "SHA-256 fingerprint of the certificate, or a unique prefix")
        String fingerprint;
        @ArgGroup(exclusive = true)
        PasswordSource password;
        @Option(names = "--out", paramLabel = "FILE", required = true,
                description = "the PKCS#12 file to create; it must not exist")
        Path out;

        @Override
        public Integer call() {
            // checked here rather than by picocli, so that a missing password is one line naming the options
            if (password == null) {
                throw new CliFailure("key export needs a password for the file: give --password-env VAR or "
                        + "--password-file F");
            }
            char[] secret = password.read();
            try {
                if (secret.length == 0) {
                    throw new CliFailure(password.describe() + " is empty; key export needs a password");
                }
                Gateway gateway = parent.root.gateway();
                KeyExport export = new KeyExport(CertCommand.removal(gateway), gateway.keys(), gateway.lookup(),
                        gateway.audit(), gateway.clock());
                Path target = out.toAbsolutePath();
                spec.commandLine().getOut().println(export.export(fingerprint, secret, target.toString(),
                        new NewFile(target)));
                spec.commandLine().getOut().flush();
                return 0;
            } finally {
                Arrays.fill(secret, '\0');
            }
        }
    }

    /**
     * A file that must not exist yet, created readable and writable by its owner only (on POSIX file systems) before
     * a byte is written, so an exported key never sits in a file others may open; a failed write removes it. A
     * certificate request is written the same way.
     */
    private record NewFile(Path file) implements KeyExport.Destination {
        @Override
        public void check() {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw exists();
            }
            Path dir = file.getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                throw notADirectory(dir);
            }
        }

        @Override
        public void write(byte[] pkcs12) {
            boolean created = false;
            // CREATE_NEW refuses any existing file or link, also one made since check()
            try (FileChannel channel = FileChannel.open(file,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly())) {
                created = true;
                ByteBuffer buffer = ByteBuffer.wrap(pkcs12);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            } catch (FileAlreadyExistsException e) {
                throw exists();
            } catch (IOException e) {
                if (created) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException ignored) {
                        // the failure to write is what the operator must hear of; the message names the file
                    }
                }
                throw new OperationRefused("cannot write " + file + ": " + FileProblems.describe(e, file));
            }
        }

        private FileAttribute<?>[] ownerOnly() {
            if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                return new FileAttribute<?>[0];
            }
            return new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }

        private OperationRefused exists() {
            return new OperationRefused(file + " already exists; name a new file (none is ever overwritten)");
        }

        private OperationRefused notADirectory(Path dir) {
            return new OperationRefused("cannot write " + file + ": " + (Files.exists(dir) ? dir + " is not a directory"
                    : "directory " + dir + " does not exist"));
        }
    }
}
