package org.smimegw.core.inbound;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collections;

/** Reads the end-entity certificate and key of a PKCS#12 file (the Thunderbird test identities). */
record Pkcs12(X509Certificate certificate, PrivateKey key) {

    static Pkcs12 load(Path file, String password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    return new Pkcs12((X509Certificate) store.getCertificate(alias),
                            (PrivateKey) store.getKey(alias, password.toCharArray()));
                }
            }
            throw new IllegalStateException("no key entry in " + file);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
