package org.smimegw.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.security.MessageDigest;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.util.List;

import javax.crypto.Cipher;

import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.junit.jupiter.api.Test;
import org.smimegw.core.smime.CryptoProviders;
import org.smimegw.smtp.config.CryptoProvider;

/** Provider selection: the Corretto provider first where it loads, the JDK providers otherwise, named either way. */
class CryptoSetupTest {
    private static final String CORRETTO = "AmazonCorrettoCryptoProvider";

    @Test
    void aProviderThatDoesNotLoadLeavesTheJdkProvidersInChargeAndSaysWhy() {
        Provider[] before = Security.getProviders();

        String summary = CryptoSetup.select(CryptoProvider.AUTO, () -> {
            throw new UnsatisfiedLinkError("no amazonCorrettoCryptoProvider in java.library.path");
        });

        assertEquals("JDK providers (Amazon Corretto Crypto Provider unavailable: "
                + "no amazonCorrettoCryptoProvider in java.library.path)", summary);
        assertArrayEquals(before, Security.getProviders());
    }

    @Test
    void aFailedSelfTestIsAFallbackToo() {
        String summary = CryptoSetup.select(CryptoProvider.AUTO, () -> {
            throw new IllegalStateException("self-test RSA failed");
        });
        assertEquals("JDK providers (Amazon Corretto Crypto Provider unavailable: self-test RSA failed)", summary);
    }

    @Test
    void jdkChoiceNeverLoadsIt() {
        String summary = CryptoSetup.select(CryptoProvider.JDK, () -> {
            throw new AssertionError("must not be loaded");
        });
        assertEquals("JDK providers (crypto.provider=jdk)", summary);
    }

    /** On linux-x86_64 (the classifier we ship) it loads, and the bulk operations of the CMS code run on it. */
    @Test
    void onLinuxX8664TheCorrettoProviderIsFirstAndServesTheBulkOperations() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux")
                && List.of("amd64", "x86_64").contains(System.getProperty("os.arch")));
        CryptoSetup.install(CryptoProvider.AUTO);
        CryptoProviders.installBouncyCastle();

        assertTrue(CryptoSetup.providerSummary().startsWith("Amazon Corretto Crypto Provider 2.5.0 first"),
                CryptoSetup.providerSummary());
        assertEquals(CORRETTO, Security.getProviders()[0].getName());
        assertEquals("BC", Security.getProviders()[Security.getProviders().length - 1].getName());
        // what Bouncy Castle's CMS operators ask for when no provider is named (as SignerInfos, RecipientInfos,
        // SmimeEncryptor, Decryptor and SignerEvaluator do)
        DefaultJcaJceHelper helper = new DefaultJcaJceHelper();
        assertEquals(CORRETTO, helper.createSignature("SHA256WITHRSA").getProvider().getName());
        assertEquals(CORRETTO, helper.createCipher("RSA/ECB/PKCS1Padding").getProvider().getName());
        assertEquals(CORRETTO, helper.createCipher("AES/CBC/PKCS5Padding").getProvider().getName());
        assertEquals(CORRETTO, helper.createCipher("AES/GCM/NoPadding").getProvider().getName());
        assertEquals(CORRETTO, Signature.getInstance("SHA256withECDSA").getProvider().getName());
        assertEquals(CORRETTO, MessageDigest.getInstance("SHA-256").getProvider().getName());
        assertEquals(CORRETTO, Cipher.getInstance("RSA/ECB/OAEPPadding").getProvider().getName());
    }
}
