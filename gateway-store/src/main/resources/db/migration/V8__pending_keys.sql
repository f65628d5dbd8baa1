-- Key pairs made inside the gateway for a certificate request, until the certificate comes (docs/design.md §14).
--   id          lower-case hex SHA-256 of the public key's SubjectPublicKeyInfo (public_key): an issued certificate
--               is matched by it
--   private key PKCS#8 encrypted with AES-256-GCM under the master key file, as in private_keys (AAD 'pending:' id)
CREATE TABLE pending_keys (
    id           VARCHAR(64)              NOT NULL PRIMARY KEY,
    email        VARCHAR(320)             NOT NULL,
    subject      VARCHAR                  NOT NULL,
    algorithm    VARCHAR(16)              NOT NULL,
    public_key   BYTEA                    NOT NULL,
    key_algorithm VARCHAR(16)             NOT NULL,
    scheme       VARCHAR(32)              NOT NULL,
    iv           BYTEA                    NOT NULL,
    ciphertext   BYTEA                    NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
