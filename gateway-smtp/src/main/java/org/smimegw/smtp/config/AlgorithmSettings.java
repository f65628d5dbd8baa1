package org.smimegw.smtp.config;

import java.util.Map;

import org.smimegw.core.smime.SmimeAlgorithms;

/** Maps the {@code smime.*} keys onto {@link SmimeAlgorithms}, the one place algorithms are chosen. */
final class AlgorithmSettings {
    private AlgorithmSettings() {
    }

    static SmimeAlgorithms parse(Map<String, String> v) {
        SmimeAlgorithms.Digest digest = switch (SmimeAlgorithms.normaliseWord(v.get("smime.digest"))) {
            case "SHA256" -> SmimeAlgorithms.Digest.SHA256;
            case "SHA384" -> SmimeAlgorithms.Digest.SHA384;
            case "SHA512" -> SmimeAlgorithms.Digest.SHA512;
            default -> throw bad("smime.digest", v, "sha-256, sha-384 or sha-512");
        };
        SmimeAlgorithms.RsaSignature signature = switch (SmimeAlgorithms.normaliseWord(v.get("smime.rsa.signature"))) {
            case "PKCS1" -> SmimeAlgorithms.RsaSignature.PKCS1;
            case "PSS" -> SmimeAlgorithms.RsaSignature.PSS;
            default -> throw bad("smime.rsa.signature", v, "pkcs1 or pss");
        };
        SmimeAlgorithms.ContentCipher cipher = switch (SmimeAlgorithms.normaliseWord(v.get("smime.cipher"))) {
            case "AES256CBC" -> SmimeAlgorithms.ContentCipher.AES256_CBC;
            case "AES128CBC" -> SmimeAlgorithms.ContentCipher.AES128_CBC;
            case "AES256GCM" -> SmimeAlgorithms.ContentCipher.AES256_GCM;
            case "AES128GCM" -> SmimeAlgorithms.ContentCipher.AES128_GCM;
            default -> throw bad("smime.cipher", v, "aes-256-cbc, aes-128-cbc, aes-256-gcm or aes-128-gcm");
        };
        SmimeAlgorithms.KeyTransport transport = switch (
                SmimeAlgorithms.normaliseWord(v.get("smime.rsa.key.transport"))) {
            case "PKCS1" -> SmimeAlgorithms.KeyTransport.RSA_PKCS1;
            case "OAEP" -> SmimeAlgorithms.KeyTransport.RSA_OAEP;
            default -> throw bad("smime.rsa.key.transport", v, "pkcs1 or oaep");
        };
        boolean acceptSha1 = ConfigValues.bool("smime.verify.accept.sha1", v.get("smime.verify.accept.sha1"));
        return new SmimeAlgorithms(digest, signature, cipher, transport, acceptSha1);
    }

    private static ConfigException bad(String key, Map<String, String> v, String expected) {
        return new ConfigException(key + ": '" + v.get(key) + "' is not " + expected);
    }
}
