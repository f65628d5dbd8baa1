package org.smimegw.core.helpdesk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderNamePatternsTest {
    private final HeaderNamePatterns defaults = HeaderNamePatterns.parse(HeaderNamePatterns.DEFAULT);

    @ParameterizedTest
    @ValueSource(strings = {"X-Zammad-Customer-Email", "x-zammad-ticket-priority", "X-OTRS-Queue", "X-OTRS-",
        "X-Znuny-State", "X-OTOBO-Queue", "X-OTRS-FollowUp-State"})
    void theDefaultMatchesTheHelpdesksControlHeadersInAnyCase(String name) {
        assertTrue(defaults.matches(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Zammadx", "X-Zammad", "X-OTRSish", "Subject", "X-SMIME-Sign", "XX-Zammad-Queue",
        "Zammad-Queue"})
    void namesThatOnlyResembleThePatternsAreKept(String name) {
        assertFalse(defaults.matches(name), name);
    }

    @Test
    void aPatternWithoutStarMatchesThatNameOnly() {
        HeaderNamePatterns patterns = HeaderNamePatterns.parse(" X-Loop , X-Ticket-* ");

        assertTrue(patterns.matches("x-loop"));
        assertFalse(patterns.matches("X-Loop2"));
        assertTrue(patterns.matches("X-Ticket-Id"));
        assertEquals("x-loop,x-ticket-*", patterns.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", ",", " , ,"})
    void anEmptyListMatchesNothing(String list) {
        HeaderNamePatterns patterns = HeaderNamePatterns.parse(list);

        assertTrue(patterns.isEmpty());
        assertFalse(patterns.matches("X-Zammad-Customer-Email"));
    }

    @Test
    void malformedPatternsAreRefusedNamingThem() {
        assertEquals("'X-*-Queue': * may only end a pattern", assertThrows(IllegalArgumentException.class,
                () -> HeaderNamePatterns.parse("X-OTRS-*,X-*-Queue")).getMessage());
        assertEquals("'*' would match every header field; name at least the start of the fields",
                assertThrows(IllegalArgumentException.class, () -> HeaderNamePatterns.parse("*")).getMessage());
        assertEquals("'X Zammad*' is not a header field name", assertThrows(IllegalArgumentException.class,
                () -> HeaderNamePatterns.parse("X Zammad*")).getMessage());
        assertEquals("'X-Zammad:*' is not a header field name", assertThrows(IllegalArgumentException.class,
                () -> HeaderNamePatterns.parse("X-Zammad:*")).getMessage());
        assertEquals("'X-Ümlaut' is not a header field name", assertThrows(IllegalArgumentException.class,
                () -> HeaderNamePatterns.parse("X-Ümlaut")).getMessage());
        assertEquals("'X-A**': * may only end a pattern",
                assertThrows(IllegalArgumentException.class, () -> HeaderNamePatterns.parse("X-A**")).getMessage());
    }
}
