package org.smimegw.smtp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.smimegw.core.cert.CertificateAdmin;
import org.smimegw.core.cert.CertificateFileException;
import org.smimegw.core.cert.CertificateRecord;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.json.Json;
import org.smimegw.core.revocation.RevocationStatus;
import org.smimegw.smtp.operations.CertificateImport;
import org.smimegw.smtp.operations.CertificateLines;
import org.smimegw.smtp.operations.CertificateRemoval;
import org.smimegw.smtp.operations.CertificateStatus;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cert import|list|show|approve|delete|export} (docs/design.md §5, §9). */
@Command(name = "cert", description = "manage CA and contact certificates",
        subcommands = {CertCommand.Import.class, CertCommand.ListCertificates.class, CertCommand.Show.class,
            CertCommand.Approve.class, CertCommand.Delete.class, CertCommand.Export.class})
final class CertCommand {
    @ParentCommand
    RootCommand root;

    /** The certificate a typed fingerprint (any case, ':' allowed) or unique prefix names. */
    static CertificateRecord resolve(Gateway gateway, String typed) {
        return removal(gateway).resolve(typed);
    }

    static CertificateRemoval removal(Gateway gateway) {
        return new CertificateRemoval(gateway.certificates(), gateway.keys(), gateway.admin());
    }

    static byte[] readFile(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CertificateFileException(FileProblems.describe(e, file));
        }
    }

    @Command(name = "import", description = "import certificates from PEM, DER or PKCS#7 files")
    static final class Import implements Callable<Integer> {
        @ParentCommand
        CertCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(arity = "1..*", paramLabel = "FILE")
        List<Path> files;

        @Override
        public Integer call() {
            CertificateAdmin admin = parent.root.gateway().admin();
            return Output.importFiles(spec.commandLine().getOut(), spec.commandLine().getErr(), files,
                    (bytes, name) -> CertificateImport.importFile(admin, bytes, name));
        }
    }

    @Command(name = "list", description = "list stored certificates")
    static final class ListCertificates implements Callable<Integer> {
        @ParentCommand
        CertCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--email", paramLabel = "ADDR", description = "only certificates for this address")
        String email;
        @Option(names = "--json", description = "one JSON object per line")
        boolean json;

        @Override
        public Integer call() {
            Gateway gateway = parent.root.gateway();
            List<CertificateRecord> records = email == null ? gateway.certificates().all()
                    : gateway.certificates().findByEmail(email.toLowerCase(Locale.ROOT));
            List<String> withKey = gateway.keys().certificateFingerprints();
            CertificateStatus statuses = status(gateway);
            PrintWriter out = spec.commandLine().getOut();
            for (CertificateRecord c : records) {
                boolean hasKey = withKey.contains(c.fingerprint());
                RevocationStatus revocation = statuses.revocation(c);
                out.println(json ? Json.write(Output.certificateJson(c, hasKey, revocation))
                        : Output.certificateLine(c) + (hasKey ? " key" : "") + " source=" + c.source().word() + " "
                                + CertificateStatus.fields(revocation) + " subject=" + c.subject());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", description = "show one certificate")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        CertCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "FP", description = "SHA-256 fingerprint or unique prefix")
        String fingerprint;
        @Option(names = "--json", description = "as a JSON object")
        boolean json;

        @Override
        public Integer call() {
            Gateway gateway = parent.root.gateway();
            CertificateRecord c = resolve(gateway, fingerprint);
            boolean hasKey = gateway.keys().find(c.fingerprint()).isPresent();
            RevocationStatus revocation = status(gateway).revocation(c);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.write(Output.certificateJson(c, hasKey, revocation)));
            } else {
                Output.certificateJson(c, hasKey, revocation).forEach((k, v) -> out.println(k + ": "
                        + (v instanceof List<?> l ? String.join(", ", l.stream().map(String::valueOf).toList()) : v)));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "approve", description = "make a pending harvested certificate usable and trusted")
    static final class Approve implements Callable<Integer> {
        @ParentCommand
        CertCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "FP", description = "SHA-256 fingerprint or unique prefix")
        String fingerprint;

        @Override
        public Integer call() {
            Gateway gateway = parent.root.gateway();
            spec.commandLine().getOut().println(removal(gateway).approve(fingerprint));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** Statuses from stored revocation data, judged now. */
    static CertificateStatus status(Gateway gateway) {
        return new CertificateStatus(gateway.lookup(), gateway.revocation(), gateway.clock().instant());
    }

    @Command(name = "delete", description = "delete a certificate (and its private key, if any)")
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        CertCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "FP", description = "SHA-256 fingerprint or unique prefix")
        String fingerprint;

        @Override
        public Integer call() {
            Gateway gateway = parent.root.gateway();
            spec.commandLine().getOut().println(removal(gateway).deleteCertificate(fingerprint));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "export", description = "print a certificate as PEM")
    static final class Export implements Callable<Integer> {
        @ParentCommand
        CertCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "FP", description = "SHA-256 fingerprint or unique prefix")
        String fingerprint;

        @Override
        public Integer call() {
            CertificateRecord c = resolve(parent.root.gateway(), fingerprint);
            spec.commandLine().getOut().print(CertificateLines.pem(c.certificate()));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
