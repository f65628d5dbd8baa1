package org.smimegw.core.mime;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A strict reader of an RFC 5322 {@code mailbox-list} (the syntax of {@code From}), with UTF-8 text as RFC 6532
 * allows. Each mailbox is {@code [display-name] <addr-spec>} or a bare {@code addr-spec}; comments and folding
 * whitespace may stand between the tokens, but no comment inside an addr-spec. Anything else (a group, a route, text
 * after {@code >}, an empty list element, an unclosed quote or comment, a control character, a comment such as
 * {@code alice(x@evil.test)@example.com}) makes the whole list malformed: a lenient reader would pick one of
 * several readings (jakarta.mail reads that one as {@code x@evil.test}), and a sender could choose which.
 * Stateless.
 */
public final class MailboxList {
    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    private MailboxList() {
    }

    /**
     * The addr-specs of {@code value} in order, each as written without comments or whitespace; empty when the
     * value is not a well-formed mailbox-list.
     */
    public static Optional<List<String>> parse(String value) {
        Optional<List<Token>> tokens = Lexer.tokens(value);
        if (tokens.isEmpty()) {
            return Optional.empty();
        }
        List<String> addresses = new ArrayList<>();
        List<Token> mailbox = new ArrayList<>();
        for (Token token : tokens.get()) {
            if (token.is(',')) {
                if (!addMailbox(mailbox, addresses)) {
                    return Optional.empty();
                }
                mailbox.clear();
            } else {
                mailbox.add(token);
            }
        }
        if (!mailbox.isEmpty() || !addresses.isEmpty()) {
            if (!addMailbox(mailbox, addresses)) {
                return Optional.empty();
            }
        }
        return Optional.of(List.copyOf(addresses));
    }

    /** Adds the addr-spec of one list element; false when the element is not exactly one mailbox. */
    private static boolean addMailbox(List<Token> mailbox, List<String> addresses) {
        int open = indexOf(mailbox, '<');
        if (open < 0) {
            return addAddrSpec(mailbox, addresses);
        }
        int close = mailbox.size() - 1;
        if (close <= open || !mailbox.get(close).is('>') || !isPhrase(mailbox.subList(0, open))) {
            return false;
        }
        if (mailbox.get(close).commentBefore() || mailbox.get(open + 1).commentBefore()) {
            return false;
        }
        return addAddrSpec(mailbox.subList(open + 1, close), addresses);
    }

    /** An optional display-name: words, and dots after the first word (obs-phrase, "John Q. Public"). */
    private static boolean isPhrase(List<Token> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (!token.isWord() && !(i > 0 && token.is('.'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code local-part "@" domain}: dot-separated words, then dot-separated atoms or one domain literal, with no
     * comment between them (the first token of a bare addr-spec may follow one: that is outside the address).
     */
    private static boolean addAddrSpec(List<Token> tokens, List<String> addresses) {
        for (int i = 1; i < tokens.size(); i++) {
            if (tokens.get(i).commentBefore()) {
                return false;
            }
        }
        int at = indexOf(tokens, '@');
        if (at < 0 || !isDotted(tokens.subList(0, at), true)) {
            return false;
        }
        List<Token> domain = tokens.subList(at + 1, tokens.size());
        boolean literal = domain.size() == 1 && domain.get(0).kind() == Kind.DOMAIN_LITERAL;
        if (!literal && !isDotted(domain, false)) {
            return false;
        }
        StringBuilder address = new StringBuilder();
        tokens.forEach(token -> address.append(token.text()));
        addresses.add(address.toString());
        return true;
    }

    /** Words (or atoms only) separated by single dots, neither starting nor ending with one. */
    private static boolean isDotted(List<Token> tokens, boolean quotedAllowed) {
        if (tokens.size() % 2 == 0) {
            return false;
        }
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            boolean ok = i % 2 == 1 ? token.is('.')
                    : token.kind() == Kind.ATOM || (quotedAllowed && token.kind() == Kind.QUOTED);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(List<Token> tokens, char special) {
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).is(special)) {
                return i;
            }
        }
        return -1;
    }

    private enum Kind { ATOM, QUOTED, DOMAIN_LITERAL, SPECIAL }

    /**
     * One lexical token with its text as written (a quoted-string keeps its quotes and escapes), and whether a
     * comment stands right before it.
     */
    private record Token(Kind kind, String text, boolean commentBefore) {
        boolean is(char special) {
            return kind == Kind.SPECIAL && text.charAt(0) == special;
        }

        boolean isWord() {
            return kind == Kind.ATOM || kind == Kind.QUOTED;
        }
    }

    /** Splits a header value into tokens, dropping whitespace and comments. */
    private static final class Lexer {
        private final String in;
        private int pos;
        private boolean afterComment;

        private Lexer(String in) {
            this.in = in;
        }

        /** The tokens, or empty for a character no mailbox-list may hold or an unclosed quote or comment. */
        static Optional<List<Token>> tokens(String value) {
            Lexer lexer = new Lexer(value);
            List<Token> tokens = new ArrayList<>();
            while (lexer.pos < value.length()) {
                int c = value.codePointAt(lexer.pos);
                if (c == ' ' || c == '\t') {
                    lexer.pos++;
                } else if (c == '(') {
                    if (!lexer.skipComment()) {
                        return Optional.empty();
                    }
                    lexer.afterComment = true;
                } else if (c == '"' || c == '[') {
                    Optional<Token> token = lexer.delimited(c == '"' ? Kind.QUOTED : Kind.DOMAIN_LITERAL);
                    if (token.isEmpty()) {
                        return Optional.empty();
                    }
                    tokens.add(token.get());
                } else if ("<>@,.".indexOf(c) >= 0) {
                    tokens.add(lexer.token(Kind.SPECIAL, String.valueOf((char) c)));
                    lexer.pos++;
                } else if (isAtext(c)) {
                    tokens.add(lexer.atom());
                } else {
                    // ';' and ':' (groups, routes), stray ')', ']', '\', control characters
                    return Optional.empty();
                }
            }
            return Optional.of(tokens);
        }

        /** A token, noting whether a comment came right before it. */
        private Token token(Kind kind, String text) {
            Token token = new Token(kind, text, afterComment);
            afterComment = false;
            return token;
        }

        private Token atom() {
            int start = pos;
            while (pos < in.length() && isAtext(in.codePointAt(pos))) {
                pos = in.offsetByCodePoints(pos, 1);
            }
            return token(Kind.ATOM, in.substring(start, pos));
        }

        /** A quoted-string or domain literal from its opening character; empty when it is not closed. */
        private Optional<Token> delimited(Kind kind) {
            int start = pos;
            char close = kind == Kind.QUOTED ? '"' : ']';
            pos++;
            while (pos < in.length()) {
                int c = in.codePointAt(pos);
                if (c == close) {
                    pos++;
                    return Optional.of(token(kind, in.substring(start, pos)));
                }
                if (c == '\\' && kind == Kind.QUOTED) {
                    pos++;
                    if (pos >= in.length() || !isText(in.codePointAt(pos))) {
                        return Optional.empty();
                    }
                } else if (!isText(c) || (kind == Kind.DOMAIN_LITERAL && (c == '[' || c == '\\'))) {
                    return Optional.empty();
                }
                pos = in.offsetByCodePoints(pos, 1);
            }
            return Optional.empty();
        }

        /** Skips a comment, which may nest; false when it is not closed or holds a control character. */
        private boolean skipComment() {
            int depth = 0;
            while (pos < in.length()) {
                int c = in.codePointAt(pos);
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                    if (depth == 0) {
                        pos++;
                        return true;
                    }
                } else if (c == '\\') {
                    pos++;
                    if (pos >= in.length() || !isText(in.codePointAt(pos))) {
                        return false;
                    }
                } else if (!isText(c)) {
                    return false;
                }
                pos = in.offsetByCodePoints(pos, 1);
            }
            return false;
        }
    }

    /** RFC 5322 atext, with RFC 6532's UTF-8 (non-ASCII) characters. */
    private static boolean isAtext(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || ATEXT_SPECIALS.indexOf(c) >= 0 || isNonAsciiText(c);
    }

    /** Printable ASCII, space and tab, or non-ASCII text: what quoted-strings, literals and comments may hold. */
    private static boolean isText(int c) {
        return (c >= 0x20 && c < 0x7f) || c == '\t' || isNonAsciiText(c);
    }

    private static boolean isNonAsciiText(int c) {
        return c >= 0xa0 && Character.isDefined(c) && Character.getType(c) != Character.CONTROL
                && Character.getType(c) != Character.SURROGATE && c != 0xfffd;
    }
}
