package org.smimegw.core.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.smimegw.core.outbound.OutboundPolicy.Decision;

/** docs/design.md §11: which rule decides, for which address. */
class OutboundPolicyTest {
    private final OutboundPolicy policy = new OutboundPolicy(PolicyMode.REQUIRED, PolicyMode.IF_POSSIBLE,
            AddressRules.parse("bank.example, vip@customer.example, eu.partner.example"),
            AddressRules.parse("robot@bank.example, partner.example, Import@Helpdesk.example"),
            AddressRules.parse("noreply@org.example, bulk.org.example"), Optional.empty());

    @ParameterizedTest
    @CsvSource({
        "anyone@bank.example, required, outbound.encrypt.required.for=bank.example",
        "someone@branch.bank.example, required, outbound.encrypt.required.for=bank.example",
        "robot@bank.example, never, outbound.encrypt.never.for=robot@bank.example",
        "ROBOT@Bank.Example, never, outbound.encrypt.never.for=robot@bank.example",
        "someone@partner.example, never, outbound.encrypt.never.for=partner.example",
        "someone@eu.partner.example, required, outbound.encrypt.required.for=eu.partner.example",
        "someone@x.eu.partner.example, required, outbound.encrypt.required.for=eu.partner.example",
        "import@helpdesk.example, never, outbound.encrypt.never.for=import@helpdesk.example",
        "vip@customer.example, required, outbound.encrypt.required.for=vip@customer.example",
        "other@customer.example, if-possible, outbound.encrypt=if-possible",
        "someone@notbank.example, if-possible, outbound.encrypt=if-possible",
        "someone@bank.example.evil.net, if-possible, outbound.encrypt=if-possible"})
    void theMostSpecificRuleDecidesForARecipient(String recipient, String mode, String because) {
        assertEquals(new Decision(PolicyMode.fromWord(mode), because), policy.encryption(recipient, Optional.empty()));
    }

    @Test
    void aPerMessageOverrideBeatsEveryRule() {
        Decision header = new Decision(PolicyMode.NEVER, "X-SMIME-Encrypt: no");

        assertEquals(header, policy.encryption("anyone@bank.example", Optional.of(header)));
    }

    @ParameterizedTest
    @CsvSource({
        "noreply@org.example, never, outbound.sign.never.for=noreply@org.example",
        "news@bulk.org.example, never, outbound.sign.never.for=bulk.org.example",
        "helpdesk@org.example, required, outbound.sign=required"})
    void signingRulesMatchTheSender(String from, String mode, String because) {
        assertEquals(new Decision(PolicyMode.fromWord(mode), because), policy.signing(from, Optional.empty()));
    }

    @Test
    void theSigningHeaderBeatsTheRule() {
        Decision header = new Decision(PolicyMode.REQUIRED, "X-SMIME-Sign: yes");

        assertEquals(header, policy.signing("noreply@org.example", Optional.of(header)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"*.example.com", "@example.com", "user@", "example", "exa mple.com", "user@example",
        "-bad.example.com", "user@@example.com", "http://example.com"})
    void anEntryThatIsNeitherAnAddressNorADomainIsRefusedNamingIt(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AddressRules.parse("ok.example," + entry));

        assertEquals("'" + entry + "' is neither an address (user@example.com) nor a domain (example.com)",
                e.getMessage());
    }

    @Test
    void theSameEntryCannotBeRequiredAndNever() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OutboundPolicy(
                PolicyMode.REQUIRED, PolicyMode.IF_POSSIBLE, AddressRules.parse("bank.example"),
                AddressRules.parse("Bank.Example"), AddressRules.NONE, Optional.empty()));

        assertEquals("bank.example cannot be both required and never", e.getMessage());
    }
}
