package org.smimegw.smtp.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.AuthenticationHandler;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.server.Session;

/**
 * AUTH PLAIN (RFC 4616) and LOGIN against {@code smtp.auth.users.file}, only inside TLS (538 before STARTTLS), not
 * during a transaction. Three failures close the session. The password lives in a char array that is wiped.
 */
final class AuthCommand extends SmtpVerb {
    static final int MAX_FAILURES = 3;
    private static final Logger LOG = LoggerFactory.getLogger(SmtpListener.class);
    private static final String BAD_BASE64 = "501 5.5.2 invalid base64 data";

    private final ListenerContext context;

    AuthCommand(ListenerContext context) {
        super("AUTH");
        this.context = context;
    }

    /** The credentials a client gave, or null when the exchange already ended with a reply. */
    private record Credentials(String user, char[] password) {
    }

    /** Marks the session authenticated for SubEthaSMTP; the exchange itself is done here. */
    private record Identity(String user) implements AuthenticationHandler {
        @Override
        public Optional<String> auth(String clientInput, MessageContext messageContext) {
            throw new UnsupportedOperationException("authentication is done by AuthCommand");
        }

        @Override
        public Object getIdentity() {
            return user;
        }
    }

    @Override
    void run(String argument, Session session) throws IOException, DropConnectionException {
        if (context.users == null) {
            session.sendResponse("502 5.5.1 AUTH not supported");
            return;
        }
        if (!session.isTLSStarted()) {
            session.sendResponse("538 5.7.11 encryption required for requested authentication mechanism");
            return;
        }
        if (session.isAuthenticated()) {
            session.sendResponse("503 5.5.1 already authenticated");
            return;
        }
        if (session.isMailTransactionInProgress()) {
            session.sendResponse("503 5.5.1 AUTH not permitted during a mail transaction");
            return;
        }
        String[] words = argument.strip().split(" +");
        if (words[0].isEmpty() || words.length > 2) {
            session.sendResponse("501 5.5.4 syntax: AUTH mechanism [initial-response]");
            return;
        }
        String initial = words.length == 2 ? words[1] : null;
        Credentials credentials = switch (words[0].toUpperCase(Locale.ROOT)) {
            case "PLAIN" -> plain(session, initial);
            case "LOGIN" -> login(session, initial);
            default -> {
                session.sendResponse("504 5.5.4 unsupported authentication mechanism");
                yield null;
            }
        };
        if (credentials == null) {
            return;
        }
        boolean ok;
        try {
            ok = context.users.check(credentials.user(), credentials.password());
        } finally {
            Arrays.fill(credentials.password(), '\0');
        }
        String client = ListenerContext.client(session).getHostAddress();
        SessionState state = context.state(session);
        if (ok) {
            session.setAuthenticationHandler(new Identity(credentials.user()));
            state.user = credentials.user();
            LOG.info("{} client={} authenticated as {}", context.config.direction().word(), client,
                    EnvelopeSyntax.printable(credentials.user()));
            session.sendResponse("235 2.7.0 authentication successful");
            return;
        }
        state.authFailures++;
        LOG.info("{} client={} failed to authenticate as {} ({} of {})", context.config.direction().word(), client,
                EnvelopeSyntax.printable(credentials.user()), state.authFailures, MAX_FAILURES);
        if (state.authFailures >= MAX_FAILURES) {
            throw new DropConnectionException(421, "4.7.0 too many failed authentication attempts");
        }
        session.sendResponse("535 5.7.8 authentication credentials invalid");
    }

    private Credentials plain(Session session, String initial) throws IOException {
        String response = initial != null ? initial : challenge(session, "334 ");
        if (response == null) {
            return null;
        }
        byte[] decoded = decode(response);
        if (decoded == null) {
            session.sendResponse(BAD_BASE64);
            return null;
        }
        try {
            // authzid NUL authcid NUL passwd (RFC 4616 2)
            int first = indexOf(decoded, 0);
            int second = first < 0 ? -1 : indexOf(decoded, first + 1);
            if (second < 0 || indexOf(decoded, second + 1) >= 0) {
                session.sendResponse("501 5.5.2 malformed PLAIN response");
                return null;
            }
            char[] authzid = utf8(Arrays.copyOfRange(decoded, 0, first));
            char[] authcid = utf8(Arrays.copyOfRange(decoded, first + 1, second));
            char[] password = utf8(Arrays.copyOfRange(decoded, second + 1, decoded.length));
            if (authzid == null || authcid == null || password == null) {
                session.sendResponse("501 5.5.2 PLAIN response is not UTF-8");
                return null;
            }
            String user = new String(authcid);
            if (authzid.length > 0 && !new String(authzid).equals(user)) {
                // acting as another user is not supported: a failed attempt like a wrong password
                Arrays.fill(password, '\0');
                return new Credentials("\0", new char[0]);
            }
            return new Credentials(user, password);
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }

    private Credentials login(Session session, String initial) throws IOException {
        String userResponse = initial != null ? initial : challenge(session, "334 VXNlcm5hbWU6");
        if (userResponse == null) {
            return null;
        }
        byte[] userBytes = decode(userResponse);
        char[] user = userBytes == null ? null : utf8(userBytes);
        if (user == null) {
            session.sendResponse(BAD_BASE64);
            return null;
        }
        String passwordResponse = challenge(session, "334 UGFzc3dvcmQ6");
        if (passwordResponse == null) {
            return null;
        }
        byte[] passwordBytes = decode(passwordResponse);
        char[] password = passwordBytes == null ? null : utf8(passwordBytes);
        if (passwordBytes != null) {
            Arrays.fill(passwordBytes, (byte) 0);
        }
        if (password == null) {
            session.sendResponse(BAD_BASE64);
            return null;
        }
        return new Credentials(new String(user), password);
    }

    /** Sends a 334 challenge and reads the answer; null when the client cancelled ({@code *}) or left. */
    private static String challenge(Session session, String challenge) throws IOException {
        session.sendResponse(challenge);
        String line = session.getReader().readLine();
        if (line == null) {
            session.quit();
            return null;
        }
        if (line.strip().equals("*")) {
            session.sendResponse("501 5.7.0 authentication cancelled");
            return null;
        }
        return line.strip();
    }

    /** Base64 to bytes; {@code =} is an empty response (RFC 4954 4); null when not base64. */
    private static byte[] decode(String text) {
        if (text.equals("=")) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static char[] utf8(byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            char[] result = new char[chars.remaining()];
            chars.get(result);
            if (chars.hasArray()) {
                Arrays.fill(chars.array(), '\0');
            }
            return result;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
