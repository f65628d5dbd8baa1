package org.smimegw.core.testing;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.smimegw.core.port.RevocationStore;
import org.smimegw.core.revocation.OcspAnswer;
import org.smimegw.core.revocation.StoredCrl;

/** A {@link RevocationStore} in memory, for core tests. */
public final class InMemoryRevocationStore implements RevocationStore {
    private final Map<String, StoredCrl> crls = new ConcurrentHashMap<>();
    private final Map<String, OcspAnswer> answers = new ConcurrentHashMap<>();

    @Override
    public StoredCrl saveCrl(StoredCrl crl) {
        return crls.merge(crl.issuerFingerprint(), crl,
                (stored, offered) -> offered.thisUpdate().isAfter(stored.thisUpdate()) ? offered : stored);
    }

    @Override
    public Optional<StoredCrl> crl(String issuerFingerprint) {
        return Optional.ofNullable(crls.get(issuerFingerprint));
    }

    @Override
    public List<StoredCrl> crls() {
        return crls.values().stream().sorted(Comparator.comparing(StoredCrl::issuer)).toList();
    }

    @Override
    public void saveOcsp(OcspAnswer answer) {
        answers.merge(answer.certificateFingerprint(), answer,
                (stored, offered) -> offered.thisUpdate().isAfter(stored.thisUpdate()) ? offered : stored);
    }

    @Override
    public Optional<OcspAnswer> ocsp(String certificateFingerprint) {
        return Optional.ofNullable(answers.get(certificateFingerprint));
    }
}
