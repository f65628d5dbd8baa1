package org.smimegw.core.helpdesk;

import java.nio.CharBuffer;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Removes every occurrence of some tags from a text (the Subject's verdict tags of docs/design.md §16, or the
 * encryption trigger of §11), as a reader would recognise them: in any case, with any white
 * space inside or around them (none included), with invisible characters (zero-width space, soft hyphen, combining
 * marks) anywhere, and in compatibility forms (full-width brackets and letters): see {@link #compared(int)}. A tag
 * that appears once another is removed from inside it ({@code [S/MIME [S/MIME verified]verified]}) is removed too.
 * White space where a tag was is tidied: one space between what remains on both sides, none at either end.
 *
 * <p>One pass over the text with a stack of its compared characters: each text is read once, at a cost of the
 * tags' total length per character, so a hostile Subject of megabytes costs linear time. Immutable and
 * thread-safe.
 */
public final class TagRemoval {
    /** How each ASCII character is compared, worked out once: most Subjects are ASCII. */
    private static final String[] ASCII = new String[0x80];

    static {
        for (int c = 0; c < ASCII.length; c++) {
            ASCII[c] = decomposed(c);
        }
    }

    private final List<String> tags;

    /** @param tags the texts to remove; each must be {@link #compared(String)} as at least one character */
    public TagRemoval(List<String> tags) {
        this.tags = tags.stream().map(TagRemoval::compared).toList();
    }

    /** The text without the tags, and how many were removed. */
    public record Removed(String text, int count) {
    }

    public Removed remove(String text) {
        int length = text.length();
        char[] stack = new char[length + 16];
        int[] from = new int[stack.length];
        int top = 0;
        boolean[] removed = new boolean[length];
        int count = 0;
        for (int at = 0; at < length; ) {
            int next = at + Character.charCount(text.codePointAt(at));
            String folded = compared(text.codePointAt(at));
            for (int i = 0; i < folded.length(); i++) {
                if (top == stack.length) {
                    // a few characters decompose to many (U+FDFA to 18)
                    stack = Arrays.copyOf(stack, top * 2);
                    from = Arrays.copyOf(from, top * 2);
                }
                stack[top] = folded.charAt(i);
                from[top] = at;
                top++;
                int match = endingTag(stack, top);
                if (match > 0) {
                    int start = from[top - match];
                    // the whole of every character a tag touches goes, and what is left of this one with it
                    top -= match;
                    while (top > 0 && from[top - 1] == start) {
                        top--;
                    }
                    Arrays.fill(removed, start, next, true);
                    count++;
                    break;
                }
            }
            at = next;
        }
        return new Removed(count == 0 ? text : tidied(text, removed), count);
    }

    /** The length of the tag the stack ends with, or 0. */
    private int endingTag(char[] stack, int top) {
        for (String tag : tags) {
            int n = tag.length();
            if (n <= top && tag.charAt(n - 1) == stack[top - 1]
                    && tag.contentEquals(CharBuffer.wrap(stack, top - n, n))) {
                return n;
            }
        }
        return 0;
    }

    /** The text without the removed characters and the white space around them, one space where text meets. */
    private static String tidied(String text, boolean[] removed) {
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        while (at < text.length()) {
            if (!removed[at]) {
                out.append(text.charAt(at++));
                continue;
            }
            while (at < text.length() && (removed[at] || blank(text.charAt(at)))) {
                at++;
            }
            int end = out.length();
            while (end > 0 && blank(out.charAt(end - 1))) {
                end--;
            }
            out.setLength(end);
            if (end > 0 && at < text.length()) {
                out.append(' ');
            }
        }
        return out.toString();
    }

    private static boolean blank(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /** How a text is compared: each character by itself (see {@link #compared(int)}). */
    static String compared(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.append(compared(c)));
        return out.toString();
    }

    /**
     * How one character is compared: decomposed (NFKD, so full-width and composed forms become plain letters), in
     * lower case, without white space, format characters and combining marks, which a reader hardly notices.
     */
    private static String compared(int codePoint) {
        return codePoint < ASCII.length ? ASCII[codePoint] : decomposed(codePoint);
    }

    private static String decomposed(int codePoint) {
        if (blank(codePoint) || invisible(Character.getType(codePoint))) {
            return "";
        }
        String decomposed = Normalizer.normalize(Character.toString(codePoint), Normalizer.Form.NFKD)
                .toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(decomposed.length());
        decomposed.codePoints().filter(c -> !blank(c) && !invisible(Character.getType(c)))
                .forEach(out::appendCodePoint);
        return out.toString();
    }

    private static boolean invisible(int type) {
        return type == Character.FORMAT || type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK;
    }
}
