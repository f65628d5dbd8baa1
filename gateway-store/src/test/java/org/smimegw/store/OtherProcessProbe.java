package org.smimegw.store;

import java.nio.file.Path;
import java.time.Instant;

import org.smimegw.core.port.AuditEvent;

/**
 * Run in a second JVM by {@link H2MixedModeIT}, as the command line would be while the relay runs: opens the store,
 * prints the number of certificates and whether the key is readable, and records an audit event.
 */
public final class OtherProcessProbe {
    private OtherProcessProbe() {
    }

    public static void main(String[] args) {
        try (Store store = Store.open(new StoreSettings(args[0], "sa", "", Path.of(args[1])))) {
            System.out.println("certificates=" + store.certificates().all().size());
            System.out.println("key=" + store.privateKeys().find(args[2]).isPresent());
            store.auditLog().record(new AuditEvent(Instant.now(), "probe", args[2], "seen", null));
        }
    }
}
