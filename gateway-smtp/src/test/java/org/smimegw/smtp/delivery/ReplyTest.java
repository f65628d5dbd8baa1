package org.smimegw.smtp.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class ReplyTest {

    @Test
    void multiLineRepliesBecomeOneLine() {
        Reply reply = Reply.fromRelay(550, "550-5.1.1 first\r\n550 5.1.1 second\n");
        assertEquals("550-5.1.1 first 550 5.1.1 second", reply.line());
    }

    @Test
    void theCodeLeadsTheLine() {
        assertEquals("451 4.3.0 later", Reply.fromRelay(451, "4.3.0 later").line());
        assertEquals("250", Reply.fromRelay(250, null).line());
    }

    @Test
    void enhancedStatusIsReadAfterTheCode() {
        assertEquals(Optional.of("5.1.1"), Reply.fromRelay(550, "550 5.1.1 unknown").enhancedStatus());
        assertEquals(Optional.of("4.7.1"), Reply.fromRelay(451, "451-4.7.01 greylisted").enhancedStatus());
        assertEquals(Optional.empty(), Reply.fromRelay(550, "550 no such user").enhancedStatus());
        assertEquals(Optional.empty(), Reply.local("5.1.1 looks like one").enhancedStatus());
    }

    @Test
    void repliesAreClassified() {
        assertInstanceOf(RecipientOutcome.Delivered.class, RecipientOutcome.of("a", Reply.fromRelay(250, "ok")));
        assertInstanceOf(RecipientOutcome.Temporary.class, RecipientOutcome.of("a", Reply.fromRelay(421, "bye")));
        assertInstanceOf(RecipientOutcome.Permanent.class, RecipientOutcome.of("a", Reply.fromRelay(554, "no")));
        assertInstanceOf(RecipientOutcome.Temporary.class, RecipientOutcome.of("a", Reply.local("refused")));
        assertFalse(Reply.local("x").fromRelay());
        assertTrue(Reply.fromRelay(250, "ok").fromRelay());
    }

    @Test
    void longRepliesAreClipped() {
        assertEquals(Reply.MAX_LENGTH, Reply.fromRelay(550, "550 " + "x".repeat(5000)).line().length());
    }
}
