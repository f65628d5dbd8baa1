package org.smimegw.core.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one mailbox rule that SMTP envelopes and certificate addresses share. */
class MailboxSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"alice@example.com", "First.Last+tag@mail.example.org", "o'brien@example.ie",
        "x@localhost", "a_b-c=d@sub-domain.example", "!#$%&'*+/=?^_`{|}~-@example.com"})
    void acceptsDotAtomMailboxes(String address) {
        assertNull(MailboxSyntax.problem(address), address);
        assertTrue(MailboxSyntax.isMailbox(address), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b@example.com", "alice@", "alice@@example.com", ".alice@example.com",
        "alice.@example.com", "al..ice@example.com", "alice@example..com", "alice@-example.com",
        "alice@example-.com", "alice@example.com.", "alice@[192.0.2.1]", "\"alice\"@example.com",
        "alice@example.com ", "alice\u0000@example.com", "b\u00f6b@example.org", "bob@ex\u00e4mple.org"})
    void refusesWhatIsNotADotAtomAtAHostName(String address) {
        assertEquals("is not a valid address", MailboxSyntax.problem(address), address);
        assertFalse(MailboxSyntax.isMailbox(address), address);
    }

    @Test
    void namesWhatIsMissingOrTooLong() {
        assertEquals("has no domain", MailboxSyntax.problem("alice"));
        assertEquals("has a source route, which is not supported",
                MailboxSyntax.problem("@relay.example:bob@example.org"));
        assertEquals("has a local part longer than 64 characters", MailboxSyntax.problem("a".repeat(65) + "@x.org"));
        assertNull(MailboxSyntax.problem("a".repeat(64) + "@x.org"));
    }

    @Test
    void anAddressLongerThanAnSmtpPathCarriesIsRefusedWhereverItComesFrom() {
        String domain = ("b".repeat(63) + ".").repeat(3) + "c";
        String fits = "a".repeat(60) + "@" + domain;
        String tooLong = "a".repeat(61) + "@" + domain;
        assertEquals(MailboxSyntax.MAX_LENGTH, fits.length());
        assertNull(MailboxSyntax.problem(fits));
        assertEquals("is longer than 254 characters", MailboxSyntax.problem(tooLong));
        assertFalse(MailboxSyntax.isMailbox(tooLong));
    }

    @Test
    void aDomainIsLabelsOfAtMost63LettersDigitsAndHyphens() {
        assertTrue(MailboxSyntax.isDomain("mail.example.org"));
        assertTrue(MailboxSyntax.isDomain("x"));
        assertTrue(MailboxSyntax.isDomain("a".repeat(63) + ".example"));
        assertFalse(MailboxSyntax.isDomain("a".repeat(64) + ".example"));
        assertFalse(MailboxSyntax.isDomain(""));
        assertFalse(MailboxSyntax.isDomain("example.org."));
        assertFalse(MailboxSyntax.isDomain("under_score.example"));
    }
}
