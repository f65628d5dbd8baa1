package org.smimegw.bench.fuzz;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;

/**
 * Mutators of the DER inside an S/MIME part (decoded from base64, mutated, encoded again): length fields, tags,
 * OIDs, primitive values, truncation, and whole elements dropped or duplicated. They reach the CMS and ASN.1
 * parsers; a byte flip in base64 mostly dies in the base64 decoder.
 */
final class DerMutators {
    /** OIDs a mutated element may become: content types, digests (weak ones too), signature and attribute OIDs. */
    private static final List<String> OIDS = List.of("1.2.840.113549.1.7.1", "1.2.840.113549.1.7.2",
            "1.2.840.113549.1.7.3", "1.2.840.113549.1.9.16.1.23", "1.2.840.113549.1.7.5", "1.3.14.3.2.26",
            "1.2.840.113549.2.5", "2.16.840.1.101.3.4.2.1", "1.2.840.113549.1.1.1", "1.2.840.113549.1.1.11",
            "1.2.840.113549.1.9.3", "1.2.840.113549.1.9.4", "1.2.840.113549.1.9.5", "1.2.840.10045.4.3.2",
            "2.16.840.1.101.3.4.1.42", "2.16.840.1.101.3.4.1.46", "1.2.840.113549.1.1.10", "1.2.840.113549.1.1.7",
            "1.2.840.113549.1.9.16.2.47", "2.5.29.17", "2.5.29.15", "1.2.840.113549.1.9.1");
    private static final byte[][] TAGS = {{0x30}, {0x31}, {0x04}, {0x06}, {0x02}, {0x05}, {0x03}, {0x00},
        {(byte) 0xa0}, {(byte) 0xa1}, {(byte) 0x80}, {0x24}, {0x17}, {0x0c}, {0x1f, (byte) 0xff, (byte) 0xff, 0x7f}};

    private DerMutators() {
    }

    static List<Mutator> all() {
        return List.of(
                der("der-length", t -> true, DerMutators::length),
                der("der-tag", t -> true, DerMutators::tag),
                der("der-oid", DerWalker.Tlv::oid, DerMutators::oid),
                der("der-value", t -> !t.constructed() && t.end() > t.contentAt(), DerMutators::value),
                der("der-truncate", t -> true, (der, t, r) -> Arrays.copyOf(der, t.contentAt()
                        + (t.end() > t.contentAt() ? r.nextInt(t.end() - t.contentAt()) : 0))),
                Mutator.of("der-tree", (in, r, s) -> {
                    SmimeBody body = SmimeBody.find(in, r);
                    byte[] mutated = body == null ? null : DerTree.mutate(body.der(), r);
                    return mutated == null ? null : body.with(mutated);
                }));
    }

    /** How one element is changed. */
    @FunctionalInterface
    private interface ElementEdit {
        byte[] apply(byte[] der, DerWalker.Tlv element, SplittableRandom random);
    }

    private static Mutator der(String name, Predicate<DerWalker.Tlv> eligible, ElementEdit edit) {
        return Mutator.of(name, (in, r, s) -> {
            SmimeBody body = SmimeBody.find(in, r);
            if (body == null) {
                return null;
            }
            List<DerWalker.Tlv> elements = DerWalker.walk(body.der()).stream().filter(eligible).toList();
            if (elements.isEmpty()) {
                return null;
            }
            return body.with(edit.apply(body.der(), elements.get(r.nextInt(elements.size())), r));
        });
    }

    private static byte[] length(byte[] der, DerWalker.Tlv t, SplittableRandom r) {
        int length = t.end() - t.contentAt();
        byte[] encoded = switch (r.nextInt(6)) {
            case 0 -> encodeLength(Math.max(0, length + (r.nextBoolean() ? 1 : -1)));
            case 1 -> encodeLength(r.nextInt(128));
            case 2 -> new byte[] {(byte) 0x80};
            case 3 -> new byte[] {(byte) 0x84, (byte) 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
            case 4 -> new byte[] {(byte) 0x89, 1, 0, 0, 0, 0, 0, 0, 0, 0};
            default -> new byte[] {(byte) 0x82, 0, (byte) Math.min(length, 127)};
        };
        return Edits.replace(der, t.lengthAt(), t.contentAt(), encoded);
    }

    private static byte[] tag(byte[] der, DerWalker.Tlv t, SplittableRandom r) {
        if (r.nextBoolean()) {
            byte[] out = der.clone();
            out[t.tagAt()] = (byte) (out[t.tagAt()] ^ (r.nextBoolean() ? 0x20 : 1 << r.nextInt(8)));
            return out;
        }
        return Edits.replace(der, t.tagAt(), t.lengthAt(), TAGS[r.nextInt(TAGS.length)]);
    }

    private static byte[] oid(byte[] der, DerWalker.Tlv t, SplittableRandom r) {
        switch (r.nextInt(4)) {
            case 0: {
                byte[] out = der.clone();
                int at = t.contentAt() + r.nextInt(Math.max(1, t.end() - t.contentAt()));
                if (at < t.end()) {
                    out[at] = (byte) r.nextInt(256);
                }
                return out;
            }
            case 1: {
                // an arc that does not fit in a long
                byte[] huge = {0x2a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                    (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f};
                return Edits.replace(der, t.tagAt(), t.end(), tlv(0x06, huge));
            }
            case 2:
                return Edits.replace(der, t.tagAt(), t.end(), tlv(0x06, new byte[0]));
            default:
                return Edits.replace(der, t.tagAt(), t.end(), oidTlv(OIDS.get(r.nextInt(OIDS.size()))));
        }
    }

    private static byte[] value(byte[] der, DerWalker.Tlv t, SplittableRandom r) {
        byte[] out = der.clone();
        int span = t.end() - t.contentAt();
        for (int i = 1 + r.nextInt(Math.min(4, span)); i > 0; i--) {
            int at = t.contentAt() + r.nextInt(span);
            out[at] = r.nextBoolean() ? (byte) (out[at] ^ (1 << r.nextInt(8))) : (byte) r.nextInt(256);
        }
        return out;
    }

    static byte[] encodeLength(int length) {
        if (length < 128) {
            return new byte[] {(byte) length};
        }
        if (length < 256) {
            return new byte[] {(byte) 0x81, (byte) length};
        }
        if (length < 65536) {
            return new byte[] {(byte) 0x82, (byte) (length >> 8), (byte) length};
        }
        return new byte[] {(byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
    }

    static byte[] tlv(int tag, byte[] content) {
        byte[] length = encodeLength(content.length);
        byte[] out = new byte[1 + length.length + content.length];
        out[0] = (byte) tag;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(content, 0, out, 1 + length.length, content.length);
        return out;
    }

    private static byte[] oidTlv(String oid) {
        try {
            return new ASN1ObjectIdentifier(oid).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(oid, e);
        }
    }
}
