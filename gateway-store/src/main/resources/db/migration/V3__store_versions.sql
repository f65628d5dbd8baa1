-- Change counters for the caches of parsed certificates and decrypted keys (ADR 10). Every process that adds or
-- deletes a certificate or a private key raises the counter of its table in the same transaction; a reader whose
-- cached copy was loaded under another value loads again. One schema for H2 and PostgreSQL like V1.
--   store_versions  name = 'certificates' or 'private_keys', version = number of changes so far.

CREATE TABLE store_versions (
    name     VARCHAR(32) NOT NULL PRIMARY KEY,
    version  BIGINT      NOT NULL
);

INSERT INTO store_versions (name, version) VALUES ('certificates', 0);
INSERT INTO store_versions (name, version) VALUES ('private_keys', 0);
