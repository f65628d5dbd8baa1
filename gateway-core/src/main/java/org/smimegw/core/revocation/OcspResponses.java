package org.smimegw.core.revocation;

import java.io.IOException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.smimegw.core.cert.CertificateFacts;

/**
 * Makes OCSP requests and decides whether a response counts (RFC 6960, docs/design.md §9): a successful basic
 * response, signed by the issuing CA or by a responder certificate the CA issued with {@code id-kp-OCSPSigning} that
 * is valid at the instant judged, about this issuer and serial, and current. Requests carry no nonce, so that
 * responders may answer from precomputed responses; an answer without {@code nextUpdate} therefore counts only
 * within {@link Freshness#CLOCK_SKEW} of its {@code thisUpdate}, as an old one could be replayed. Stateless and
 * thread-safe.
 */
final class OcspResponses {
    static final String REQUEST_TYPE = "application/ocsp-request";
    /** The largest OCSP response read. */
    static final long MAX_BYTES = 64 * 1024;
    private static final String[] STATUS_NAMES = {"successful", "malformedRequest", "internalError", "tryLater",
        "status 4", "sigRequired", "unauthorized"};

    private OcspResponses() {
    }

    /** What a response says about the certificate: an answer, or why it does not count. */
    sealed interface Outcome {
        /** A verified, current answer; {@code nextUpdate} is null when the responder gave none. */
        record Answered(boolean revoked, Instant revokedAt, Instant thisUpdate, Instant nextUpdate) implements Outcome {
        }

        /** Why not, after "{@code OCSP responder <url> }"; {@code remember} when the responder itself failed. */
        record Refused(String reason, boolean remember) implements Outcome {
        }
    }

    /** The identity of the certificate in requests and answers: SHA-1 hashes of the issuer, as RFC 5019 asks. */
    static CertificateID id(X509Certificate certificate, X509Certificate issuer) {
        try {
            return new CertificateID(digests().get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(issuer),
                    certificate.getSerialNumber());
        } catch (OCSPException | OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("cannot make the OCSP identity of a stored certificate", e);
        }
    }

    static byte[] request(CertificateID id) {
        try {
            return new OCSPReqBuilder().addRequest(id).build().getEncoded();
        } catch (OCSPException | IOException e) {
            throw new IllegalStateException("cannot encode an OCSP request", e);
        }
    }

    /** What the DER response says about the certificate {@code id} names, judged at {@code at}. Never throws. */
    static Outcome read(byte[] der, CertificateID id, X509Certificate issuer, Instant at) {
        try {
            return judge(der, id, issuer, at);
        } catch (RuntimeException e) {
            return new Outcome.Refused("sent a malformed OCSP response", true);
        }
    }

    private static Outcome judge(byte[] der, CertificateID id, X509Certificate issuer, Instant at) {
        BasicOCSPResp basic;
        try {
            OCSPResp response = new OCSPResp(der);
            if (response.getStatus() != OCSPResp.SUCCESSFUL) {
                int status = response.getStatus();
                return new Outcome.Refused("answered " + (status >= 0 && status < STATUS_NAMES.length
                        ? STATUS_NAMES[status] : "status " + status), true);
            }
            if (!(response.getResponseObject() instanceof BasicOCSPResp b)) {
                return new Outcome.Refused("sent a response that is not a basic OCSP response", true);
            }
            basic = b;
        } catch (IOException | OCSPException | RuntimeException e) {
            return new Outcome.Refused("sent something that is not an OCSP response", true);
        }
        String signature = signatureProblem(basic, issuer, at);
        if (signature != null) {
            return new Outcome.Refused("sent a response " + signature, false);
        }
        SingleResp single = singleFor(basic, id, issuer);
        if (single == null) {
            return new Outcome.Refused("sent a response for another certificate", false);
        }
        Instant thisUpdate = single.getThisUpdate().toInstant();
        Instant nextUpdate = single.getNextUpdate() == null ? null : single.getNextUpdate().toInstant();
        if (nextUpdate == null && !Freshness.current(thisUpdate, thisUpdate.plus(Freshness.CLOCK_SKEW), at)) {
            return new Outcome.Refused("sent a response without nextUpdate issued on " + thisUpdate
                    + ", not within " + Freshness.CLOCK_SKEW.toMinutes() + " minutes of the instant judged (" + at
                    + ")", false);
        }
        if (!Freshness.current(thisUpdate, nextUpdate, at)) {
            return new Outcome.Refused("sent a response that " + Freshness.whyNot(thisUpdate, nextUpdate, at), false);
        }
        Object status = single.getCertStatus();
        if (status instanceof UnknownStatus) {
            return new Outcome.Refused("does not know the certificate (status unknown)", false);
        }
        if (status instanceof RevokedStatus revoked) {
            return new Outcome.Answered(true, revoked.getRevocationTime().toInstant(), thisUpdate, nextUpdate);
        }
        return new Outcome.Answered(false, null, thisUpdate, nextUpdate);
    }

    /** Null when the issuer or a responder it delegated to signed the response, else why not. */
    private static String signatureProblem(BasicOCSPResp basic, X509Certificate issuer, Instant at) {
        if (verifies(basic, () -> verifier(issuer.getPublicKey()))) {
            return null;
        }
        for (X509CertificateHolder responder : basic.getCerts()) {
            if (!verifies(basic, () -> new JcaContentVerifierProviderBuilder().build(responder))
                    || !issuedBy(responder, issuer.getPublicKey())) {
                continue;
            }
            ExtendedKeyUsage usage = ExtendedKeyUsage.fromExtensions(responder.getExtensions());
            if (usage == null || !usage.hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning)) {
                return "signed by " + subject(responder) + ", which the CA issued without Extended Key Usage"
                        + " id-kp-OCSPSigning";
            }
            if (!responder.isValidOn(Date.from(at))) {
                return "signed by the responder certificate " + subject(responder) + ", which is not valid at " + at;
            }
            return null;
        }
        return "signed by a key that is neither the CA's nor a delegated responder's";
    }

    private static SingleResp singleFor(BasicOCSPResp basic, CertificateID id, X509Certificate issuer) {
        try {
            JcaX509CertificateHolder issuerHolder = new JcaX509CertificateHolder(issuer);
            for (SingleResp single : basic.getResponses()) {
                CertificateID answered = single.getCertID();
                if (answered.getSerialNumber().equals(id.getSerialNumber())
                        && answered.matchesIssuer(issuerHolder, digests())) {
                    return single;
                }
            }
        } catch (OCSPException | CertificateException | OperatorCreationException | RuntimeException e) {
            // an answer whose identity cannot be read is for no certificate we asked about
        }
        return null;
    }

    private interface Verifier {
        ContentVerifierProvider get() throws OperatorCreationException, CertificateException;
    }

    private static boolean verifies(BasicOCSPResp basic, Verifier verifier) {
        try {
            return basic.isSignatureValid(verifier.get());
        } catch (OCSPException | OperatorCreationException | CertificateException | RuntimeException e) {
            return false;
        }
    }

    private static boolean issuedBy(X509CertificateHolder certificate, PublicKey key) {
        try {
            return certificate.isSignatureValid(verifier(key));
        } catch (CertException | OperatorCreationException | RuntimeException e) {
            return false;
        }
    }

    private static ContentVerifierProvider verifier(PublicKey key) throws OperatorCreationException {
        return new JcaContentVerifierProviderBuilder().build(key);
    }

    private static String subject(X509CertificateHolder holder) {
        try {
            return CertificateFacts.subject(new JcaX509CertificateConverter().getCertificate(holder));
        } catch (CertificateException e) {
            return holder.getSubject().toString();
        }
    }

    private static DigestCalculatorProvider digests() throws OperatorCreationException {
        return new JcaDigestCalculatorProviderBuilder().build();
    }
}
