package org.smimegw.bench.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the TLV elements of a BER/DER encoding (definite and indefinite lengths, as the streaming CMS generators
 * write), including those inside OCTET STRINGs that hold DER themselves, so a mutator can aim at a tag, a length
 * or an OID. Stops quietly where the encoding stops making sense: it is a map for mutation, not a validator.
 */
final class DerWalker {
    private static final int MAX_DEPTH = 40;

    /**
     * One element.
     *
     * @param tagAt offset of the identifier octet
     * @param lengthAt offset of the first length octet
     * @param contentAt offset of the contents
     * @param end offset after the contents (for indefinite lengths, before the end-of-contents octets)
     */
    record Tlv(int tagAt, int lengthAt, int contentAt, int end, int tag) {
        boolean constructed() {
            return (tag & 0x20) != 0;
        }

        boolean oid() {
            return tag == 0x06;
        }
    }

    private final byte[] der;
    private final List<Tlv> found = new ArrayList<>();

    private DerWalker(byte[] der) {
        this.der = der;
    }

    static List<Tlv> walk(byte[] der) {
        DerWalker walker = new DerWalker(der);
        walker.elements(0, der.length, false, 0);
        return walker.found;
    }

    /** Reads elements in {@code [pos, limit)}; returns where it stopped (after end-of-contents when indefinite). */
    private int elements(int pos, int limit, boolean indefinite, int depth) {
        while (pos < limit) {
            if (indefinite && pos + 1 < limit && der[pos] == 0 && der[pos + 1] == 0) {
                return pos + 2;
            }
            int next = element(pos, limit, depth);
            if (next <= pos) {
                return -1;
            }
            pos = next;
        }
        return indefinite ? -1 : pos;
    }

    /** Reads one element at {@code pos}; returns the offset after it, or -1 when it cannot be read. */
    private int element(int pos, int limit, int depth) {
        if (depth > MAX_DEPTH || pos >= limit) {
            return -1;
        }
        int tag = der[pos] & 0xff;
        int at = pos + 1;
        if ((tag & 0x1f) == 0x1f) {
            while (at < limit && (der[at] & 0x80) != 0) {
                at++;
            }
            at++;
        }
        if (at >= limit) {
            return -1;
        }
        int lengthAt = at;
        int first = der[at++] & 0xff;
        if (first == 0x80) {
            if ((tag & 0x20) == 0) {
                return -1;
            }
            int after = elements(at, limit, true, depth + 1);
            if (after < 0) {
                return -1;
            }
            found.add(new Tlv(pos, lengthAt, at, after - 2, tag));
            return after;
        }
        long length = first;
        if (first > 0x80) {
            int count = first & 0x7f;
            if (count > 4 || at + count > limit) {
                return -1;
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (der[at++] & 0xff);
            }
        }
        if (at + length > limit) {
            return -1;
        }
        int end = (int) (at + length);
        found.add(new Tlv(pos, lengthAt, at, end, tag));
        if ((tag & 0x20) != 0) {
            elements(at, end, false, depth + 1);
        } else if (tag == 0x04 && length > 1 && (der[at] & 0xff) == 0x30) {
            // an OCTET STRING holding DER (eContent, extension values, signed attributes' values)
            int before = found.size();
            if (elements(at, end, false, depth + 1) != end) {
                found.subList(before, found.size()).clear();
            }
        }
        return end;
    }
}
