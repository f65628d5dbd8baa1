package org.smimegw.store;

import org.smimegw.core.port.AuditLog;
import org.smimegw.core.testing.InMemoryAuditLog;

/**
 * The search contract on the in-memory audit log of the core test-jar, which answers it with the port's default
 * methods: the admin page's tests of other modules rely on the same matching as the SQL of the store.
 */
class InMemoryAuditLogTest implements AuditSearchContract {
    private final AuditLog auditLog = new InMemoryAuditLog();

    @Override
    public AuditLog auditLog() {
        return auditLog;
    }
}
