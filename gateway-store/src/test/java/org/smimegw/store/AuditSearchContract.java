package org.smimegw.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.port.AuditLog;
import org.smimegw.core.port.AuditMatches;
import org.smimegw.core.port.AuditQuery;
import org.smimegw.core.testing.TestPki;

/**
 * What every {@link AuditLog} promises of {@link AuditLog#search} and {@link AuditLog#actions}: the SQL of a store
 * and the port's default for logs in memory find the same events.
 */
public interface AuditSearchContract {

    AuditLog auditLog();

    @Test
    default void searchMatchesTextLiterallyAndCaseInsensitively() {
        List.of(new AuditEvent(TestPki.NOW, "cert.import", "100% sure", "imported", "plain"),
                new AuditEvent(TestPki.NOW, "cert.import", "a_b", "imported", null),
                new AuditEvent(TestPki.NOW, "cert.delete", "C:\\dir\\file", "deleted", null),
                new AuditEvent(TestPki.NOW, "outbound", "<id@example.org>", "O'Brien", "said \"hi\""),
                new AuditEvent(TestPki.NOW, "inbound", "<script>alert(1)</script>", "pass", "' OR 1=1 --"),
                // would match '0% s', 'a_b' and '\d' if %, _ or \ kept their meaning in LIKE
                new AuditEvent(TestPki.NOW, "inbound", "1000 sure", "pass", "aXb d"),
                new AuditEvent(TestPki.NOW, "outbound", null, null, null))
                .forEach(auditLog()::record);

        assertEquals(List.of("100% sure"), subjects(new AuditQuery(null, "0% s")));
        assertEquals(List.of("100% sure"), subjects(new AuditQuery(null, "%")));
        assertEquals(List.of("a_b"), subjects(new AuditQuery(null, "a_b")));
        assertEquals(List.of("C:\\dir\\file"), subjects(new AuditQuery(null, "\\d")));
        assertEquals(List.of("C:\\dir\\file"), subjects(new AuditQuery(null, "\\")));
        assertEquals(List.of("<id@example.org>"), subjects(new AuditQuery(null, "o'bRIEN")));
        assertEquals(List.of("<id@example.org>"), subjects(new AuditQuery(null, "\"HI\"")));
        assertEquals(List.of("<script>alert(1)</script>"), subjects(new AuditQuery(null, "<SCRIPT>")));
        assertEquals(List.of("<script>alert(1)</script>"), subjects(new AuditQuery(null, "' or 1=1 --")));
        assertEquals(List.of(), subjects(new AuditQuery(null, "*")));
        assertEquals(List.of("1000 sure", "<script>alert(1)</script>"), subjects(new AuditQuery("inbound", null)));
        assertEquals(List.of("1000 sure"), subjects(new AuditQuery("inbound", "AXB")));
        assertEquals(List.of(), subjects(new AuditQuery("inbound", "a_b")));
        assertEquals(7, auditLog().search(AuditQuery.ALL, 0, 100).total());
        assertEquals(List.of("cert.delete", "cert.import", "inbound", "outbound"), auditLog().actions());
    }

    @Test
    default void searchPagesNewestFirstAndCountsEveryMatch() {
        for (int i = 0; i < 10; i++) {
            auditLog().record(event(i, i % 3 == 0 ? "key.import" : "cert.import", "imported"));
        }
        AuditQuery certificates = new AuditQuery("cert.import", null);

        AuditMatches second = auditLog().search(certificates, 2, 3);

        assertEquals(List.of("subject-5", "subject-4", "subject-2"), second.events().stream()
                .map(AuditEvent::subject).toList());
        assertEquals(6, second.total());
        assertEquals(List.of("subject-1"), auditLog().search(certificates, 5, 3).events().stream()
                .map(AuditEvent::subject).toList());
        assertEquals(new AuditMatches(List.of(), 6), auditLog().search(certificates, 6, 3));
        assertEquals(new AuditMatches(List.of(), 6), auditLog().search(certificates, Integer.MAX_VALUE, 3));
        assertEquals(new AuditMatches(List.of(), 6), auditLog().search(certificates, 0, 0));
        assertEquals(new AuditMatches(List.of(), 0), auditLog().search(new AuditQuery("nothing", null), 0, 10));
        assertThrows(IllegalArgumentException.class, () -> auditLog().search(AuditQuery.ALL, -1, 10));
        assertThrows(IllegalArgumentException.class, () -> auditLog().search(AuditQuery.ALL, 0, -1));
    }

    @Test
    default void actionsOfAnEmptyLogAreNone() {
        assertEquals(List.of(), auditLog().actions());
        assertEquals(new AuditMatches(List.of(), 0), auditLog().search(AuditQuery.ALL, 0, 10));
    }

    private List<String> subjects(AuditQuery query) {
        return auditLog().search(query, 0, 100).events().stream().map(AuditEvent::subject).toList();
    }

    private static AuditEvent event(int minute, String action, String decision) {
        return new AuditEvent(TestPki.NOW.plus(Duration.ofMinutes(minute)), action, "subject-" + minute, decision,
                "detail " + minute);
    }
}
