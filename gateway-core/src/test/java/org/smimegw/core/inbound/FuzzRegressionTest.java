package org.smimegw.core.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.smimegw.core.mime.FromIdentity;

/**
 * Inputs the mutation fuzzer (gateway-bench, docs/fuzzing.md) found, minimised and generated here; each test names
 * what went wrong before the fix.
 */
class FuzzRegressionTest {
    private final InboundFixture fx = new InboundFixture();

    /**
     * Found by {@code from-variants} on a corpus message: {@code From: alice(c)@example.com} passed as Alice's,
     * while jakarta.mail (a helpdesk's reader) shows {@code alice}, and {@code alice(x@evil.test)@example.com}
     * shows {@code x@evil.test} under a pass for Alice.
     */
    @ParameterizedTest
    @ValueSource(strings = {"alice(c)@example.com", "alice(x@evil.test)@example.com", "alice@(c)example.com",
        "alice@example(c).com", "Alice <alice(c)@example.com>", "<(c)alice@example.com>", "<alice@example.com(c)>"})
    void commentInsideTheFromAddressIsPolicyNotPass(String from) {
        String headers = TestMessages.HEADERS.replace("Alice <alice@example.com>", from);

        InboundResult result = fx.process(TestMessages.signedBy(headers, fx.alice, List.of(fx.alice.certificate())));

        assertInstanceOf(SmimeResult.Policy.class, result.verdict(), () -> result.verdict().toString());
        assertEquals(FromIdentity.NOT_ONE_ADDRESS, result.verdict().reason().get());
    }
}
