package org.smimegw.core.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The strict From rule: exactly one header holding exactly one well-formed mailbox, read as UTF-8. */
class FromIdentityTest {

    private static FromIdentity fromOf(byte[] headers) {
        return FromIdentity.of(RawMessage.parse(headers));
    }

    private static FromIdentity fromHeader(String value) {
        return fromOf(("From: " + value + "\r\nTo: bob@example.com\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "alice@example.com                              | alice@example.com",
        "Alice <alice@example.com>                      | alice@example.com",
        "\"Smith, Alice\" <Alice@Example.com>           | Alice@Example.com",
        "Alice Q. Smith <alice@example.com>             | alice@example.com",
        "=?utf-8?q?Al=C3=AFce?= <alice@example.com>     | alice@example.com",
        "alice@example.com (Alice)                      | alice@example.com",
        "(c) Alice (x) < alice @ example.com > (y)      | alice@example.com",
        "<alice@example.com>                            | alice@example.com",
        "\"alice smith\"@example.com                    | \"alice smith\"@example.com",
        "alice@[192.0.2.1]                              | alice@[192.0.2.1]",
        "Alice@exámple.com                              | Alice@exámple.com",
        "Ålice <ålice@example.com>                      | ålice@example.com",
    })
    void oneWellFormedMailboxGivesItsAddress(String value, String address) {
        assertEquals(new FromIdentity(address, null), fromHeader(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<alice@example.com> mallory@evil.test",
        "alice@example.com mallory@evil.test",
        "alice@example.com <mallory@evil.test>",
        "Alice <alice@example.com> <mallory@evil.test>",
        "Alice <alice@example.com",
        "<<alice@example.com>>",
        "<>",
        "alice@example.com,",
        ", alice@example.com",
        "Friends: alice@example.com;",
        "<@evil.test:alice@example.com>",
        "alice@example.com.",
        "alice..x@example.com",
        "alice",
        "\"Alice <alice@example.com>",
        "(Alice <alice@example.com>",
        "alice@example.com)",
        "alice\u0000@example.com",
    })
    void anythingButOneWellFormedMailboxIsRefused(String value) {
        assertEquals(new FromIdentity(null, FromIdentity.NOT_ONE_ADDRESS), fromHeader(value));
    }

    /** A lenient reader takes a comment inside an addr-spec for the end of it, or for the address itself. */
    @ParameterizedTest
    @ValueSource(strings = {"alice(c)@example.com", "alice(x@evil.test)@example.com", "alice @(c) example.com",
        "alice.(c)smith@example.com", "Alice <alice(c)@example.com>", "<(c)alice@example.com>"})
    void commentInsideTheAddressIsRefused(String value) {
        assertEquals(new FromIdentity(null, FromIdentity.NOT_ONE_ADDRESS), fromHeader(value));
    }

    @Test
    void countsAreNamed() {
        assertEquals("From header has 2 addresses", fromHeader("alice@example.com, Bob <bob@example.com>").problem());
        assertEquals("From header has no address", fromHeader(" (nobody) ").problem());
        assertEquals("message has no From header",
                fromOf("To: bob@example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).problem());
        assertEquals("message has 2 From headers", fromOf("From: a@example.com\r\nfrom: a@example.com\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII)).problem());
    }

    @Test
    void eightBitHeaderThatIsNotUtf8IsRefused() {
        byte[] latin1 = "From: Alice@ex\u00e1mple.com\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

        assertEquals(new FromIdentity(null, "From header is not valid UTF-8"), fromOf(latin1));
    }

    @Test
    void foldedHeaderIsReadUnfolded() {
        byte[] folded = "From: Alice\r\n <alice@example.com>\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        assertEquals("alice@example.com", fromOf(folded).address());
    }
}
