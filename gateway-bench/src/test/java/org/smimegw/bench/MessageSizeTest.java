package org.smimegw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MessageSizeTest {

    @Test
    void readsKilobytesAndMegabytesAsPowersOf1024() {
        assertEquals(new MessageSize("10KB", 10240), MessageSize.parse("10KB"));
        assertEquals(new MessageSize("10MB", 10 * 1024 * 1024), MessageSize.parse(" 10mb "));
        assertEquals(new MessageSize("600B", 600), MessageSize.parse("600"));
    }

    @Test
    void refusesWhatIsNotASize() {
        assertThrows(IllegalArgumentException.class, () -> MessageSize.parse("ten KB"));
        assertThrows(IllegalArgumentException.class, () -> MessageSize.parse("1GB"));
    }

    @Test
    void plainMessagesHaveTheRequestedSize() {
        assertEquals(10240, BenchMessages.plain("a@example.com", "b@example.com", 10240).toBytes().length());
    }
}
