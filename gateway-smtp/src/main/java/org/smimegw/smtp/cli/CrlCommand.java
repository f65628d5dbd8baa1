package org.smimegw.smtp.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.smimegw.core.revocation.StoredCrl;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.json.Json;
import org.smimegw.smtp.operations.CertificateLines;
import org.smimegw.smtp.operations.CrlImport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code crl import|list} (docs/design.md §5, §9). */
@Command(name = "crl", description = "manage certificate revocation lists",
        subcommands = {CrlCommand.Import.class, CrlCommand.ListCrls.class})
final class CrlCommand {
    @ParentCommand
    RootCommand root;

    @Command(name = "import", description = "import CRLs (DER or PEM) signed by stored CA certificates")
    static final class Import implements Callable<Integer> {
        @ParentCommand
        CrlCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(arity = "1..*", paramLabel = "FILE")
        List<Path> files;

        @Override
        public Integer call() {
            Gateway gateway = parent.root.gateway();
            CrlImport crls = new CrlImport(gateway.certificates(), gateway.revocationData(), gateway.audit(),
                    gateway.config().lifecycle().revocation().maxCrlBytes(), gateway.clock());
            return Output.importFiles(spec.commandLine().getOut(), spec.commandLine().getErr(), files,
                    (bytes, name) -> List.of(crls.importFile(bytes, name)));
        }
    }

    @Command(name = "list", description = "list stored CRLs")
    static final class ListCrls implements Callable<Integer> {
        @ParentCommand
        CrlCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--json", description = "one JSON object per line")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            for (StoredCrl crl : parent.root.gateway().revocationData().crls()) {
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("issuer", crl.issuer());
                    m.put("issuerFingerprint", crl.issuerFingerprint());
                    m.put("thisUpdate", CertificateLines.date(crl.thisUpdate()));
                    m.put("nextUpdate", crl.nextUpdate() == null ? null : CertificateLines.date(crl.nextUpdate()));
                    m.put("entries", crl.entries());
                    m.put("origin", crl.origin());
                    out.println(Json.write(m));
                } else {
                    out.println(CrlImport.describe(crl) + " origin=" + crl.origin() + " issuerFingerprint="
                            + crl.issuerFingerprint());
                }
            }
            out.flush();
            return 0;
        }
    }
}
