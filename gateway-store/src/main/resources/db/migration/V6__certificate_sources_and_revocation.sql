-- Certificate sources and revocation data (docs/design.md §9), one schema for H2 and PostgreSQL like V1.
--   certificates.source  how a certificate came to the store: 'imported', 'harvested', 'pending', 'approved' or
--                        'path' (CertificateSource); every certificate stored before is 'imported'.
--   crls                 the newest verified CRL per issuing CA, keyed by the CA certificate's fingerprint; issuer is
--                        its RFC 2253 name, entries the number of revoked certificates it lists, origin 'imported' or
--                        the URL it was fetched from, der the CRL itself. next_update is NULL when the CRL has none.
--                        der is ${blob} like kept_originals.message: a large CA's CRL runs to megabytes, which H2
--                        should not hold inline in its table pages.
--   ocsp_answers         the newest verified OCSP answer per certificate, kept for evidence until its next_update;
--                        revoked_at is set only for a 'revoked' answer. response is the DER OCSP response, a few KB.
--   store_versions       a 'revocation' counter, raised by every change of crls or ocsp_answers (ADR 12).

ALTER TABLE certificates ADD COLUMN source VARCHAR(16) DEFAULT 'imported' NOT NULL;

CREATE TABLE crls (
    issuer_fingerprint  VARCHAR(64)              NOT NULL PRIMARY KEY,
    issuer              VARCHAR                  NOT NULL,
    this_update         TIMESTAMP WITH TIME ZONE NOT NULL,
    next_update         TIMESTAMP WITH TIME ZONE,
    entries             INTEGER                  NOT NULL,
    origin              VARCHAR                  NOT NULL,
    der                 ${blob}                  NOT NULL,
    stored_at           TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE ocsp_answers (
    certificate_fingerprint  VARCHAR(64)              NOT NULL PRIMARY KEY,
    revoked                  BOOLEAN                  NOT NULL,
    revoked_at               TIMESTAMP WITH TIME ZONE,
    this_update              TIMESTAMP WITH TIME ZONE NOT NULL,
    next_update              TIMESTAMP WITH TIME ZONE NOT NULL,
    responder                VARCHAR                  NOT NULL,
    response                 BYTEA                    NOT NULL,
    stored_at                TIMESTAMP WITH TIME ZONE NOT NULL
);

INSERT INTO store_versions (name, version) VALUES ('revocation', 0);
