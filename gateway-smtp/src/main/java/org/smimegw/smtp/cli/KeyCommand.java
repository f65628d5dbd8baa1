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
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.smimegw.core.cert.CertificateFacts;
import org.smimegw.core.cert.CertificateFileException;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.json.Json;
import org.smimegw.smtp.operations.CertificateImport;
import org.smimegw.smtp.operations.CertificateStatus;
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

/** {@code key import|list|delete|export}: the organisation's identities with a private key (docs/design.md §5, §14). */
@Command(name = "key", description = "manage the organisation's private keys",
        subcommands = {KeyCommand.Import.class, KeyCommand.ListKeys.class, KeyCommand.Delete.class,
            KeyCommand.Export.class})
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

    @Command(name = "list", description = "list the organisation identities that have a private key")
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
        @Parameters(paramLabel = "FP", description = "SHA-256 fingerprint of the certificate, or a unique prefix")
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
     * a byte is written, so the key never sits in a file others may open; a failed write removes it.
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
            return new OperationRefused(file + " already exists; an export never overwrites a file");
        }

        private OperationRefused notADirectory(Path dir) {
            return new OperationRefused("cannot write " + file + ": " + (Files.exists(dir) ? dir + " is not a directory"
                    : "directory " + dir + " does not exist"));
        }
    }
}
