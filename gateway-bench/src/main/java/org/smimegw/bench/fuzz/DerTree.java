package org.smimegw.bench.fuzz;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DLSequence;
import org.bouncycastle.asn1.DLSet;
import org.bouncycastle.asn1.DLTaggedObject;

/**
 * Structural DER mutation: the encoding is parsed, one SEQUENCE or SET loses, repeats or replaces a child,
 * and the tree is encoded again with correct lengths. The result is well-formed ASN.1 that means something odd:
 * two SignerInfos, no certificates, a missing digest algorithm, an empty content.
 */
final class DerTree {
    private DerTree() {
    }

    /** The mutated encoding, or {@code null} when the input does not parse or has no constructed element. */
    static byte[] mutate(byte[] der, SplittableRandom random) {
        ASN1Primitive root;
        try {
            root = ASN1Primitive.fromByteArray(der);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        int count = count(root);
        if (count == 0) {
            return null;
        }
        int[] countdown = {random.nextInt(count)};
        try {
            return rebuild(root, countdown, random).toASN1Primitive().getEncoded();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static int count(ASN1Encodable node) {
        List<ASN1Encodable> children = children(node);
        if (children == null) {
            return 0;
        }
        int sum = node instanceof ASN1TaggedObject ? 0 : 1;
        for (ASN1Encodable child : children) {
            sum += count(child);
        }
        return sum;
    }

    /** The children of a SEQUENCE, SET or explicitly tagged object; {@code null} for anything else. */
    private static List<ASN1Encodable> children(ASN1Encodable node) {
        ASN1Primitive primitive = node.toASN1Primitive();
        if (primitive instanceof ASN1Sequence sequence) {
            return List.of(sequence.toArray());
        }
        if (primitive instanceof ASN1Set set) {
            return List.of(set.toArray());
        }
        if (primitive instanceof ASN1TaggedObject tagged && tagged.isExplicit()) {
            return List.of(tagged.getExplicitBaseObject());
        }
        return null;
    }

    private static ASN1Encodable rebuild(ASN1Encodable node, int[] countdown, SplittableRandom random) {
        ASN1Primitive primitive = node.toASN1Primitive();
        List<ASN1Encodable> children = children(primitive);
        if (children == null) {
            return node;
        }
        if (primitive instanceof ASN1TaggedObject tagged) {
            return new DLTaggedObject(true, tagged.getTagClass(), tagged.getTagNo(),
                    rebuild(children.get(0), countdown, random));
        }
        List<ASN1Encodable> edited = new ArrayList<>(children);
        if (countdown[0]-- == 0) {
            edit(edited, random);
        } else {
            for (int i = 0; i < edited.size(); i++) {
                edited.set(i, rebuild(edited.get(i), countdown, random));
            }
        }
        ASN1EncodableVector vector = new ASN1EncodableVector();
        edited.forEach(vector::add);
        // DL (not DER) encoding keeps a SET's order, so a swap survives
        return primitive instanceof ASN1Set ? new DLSet(vector) : new DLSequence(vector);
    }

    private static void edit(List<ASN1Encodable> children, SplittableRandom random) {
        if (children.isEmpty()) {
            children.add(DERNull.INSTANCE);
            return;
        }
        int i = random.nextInt(children.size());
        switch (random.nextInt(5)) {
            case 0 -> children.remove(i);
            case 1 -> children.add(i, children.get(i));
            case 2 -> children.add(children.get(random.nextInt(children.size())));
            case 3 -> children.set(i, DERNull.INSTANCE);
            default -> children.set(i, new DERSequence());
        }
    }
}
