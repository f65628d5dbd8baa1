package org.smimegw.smtp.server;

import java.io.IOException;
import java.util.Collection;

import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.internal.server.CommandHandler;
import org.subethamail.smtp.internal.server.HelpMessage;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * Puts this gateway's {@link SmtpVerb}s in the place of SubEthaSMTP's own commands. SubEthaSMTP has no public way
 * to do that, so this is the one class that uses its {@code internal} packages, and relies on what they do in
 * version 7.2.2: {@link SMTPServer#getCommandHandler} is the registry its sessions dispatch every command line
 * through; {@link CommandHandler#addCommand} adds or replaces a command under its {@link Command#getName};
 * {@link CommandHandler#getVerbs} names every registered command; the registry finds a command by the line's first
 * four letters, else its first word, and passes it the whole line; {@link Command} has exactly
 * {@code execute}, {@code getHelp} and {@code getName}. {@code SubEthaCommandsTest} checks each of these, so that
 * an upgrade that changes one fails there by name.
 */
final class SubEthaCommands {
    private SubEthaCommands() {
    }

    /**
     * Registers {@code verbs} with the server, then checks that every verb SubEthaSMTP registered was replaced, so
     * none of its own commands remains reachable.
     *
     * @throws IllegalStateException naming a SubEthaSMTP command that no verb replaced
     */
    static void install(SMTPServer server, Collection<? extends SmtpVerb> verbs) {
        CommandHandler commands = server.getCommandHandler();
        for (SmtpVerb verb : verbs) {
            commands.addCommand(new Adapted(verb));
        }
        for (String name : commands.getVerbs()) {
            if (!(commands.getCommand(name) instanceof Adapted)) {
                throw new IllegalStateException("SubEthaSMTP command " + name + " was not replaced");
            }
        }
    }

    /** Registers one verb in the place of SubEthaSMTP's command of the same name; the others stay. */
    static void replace(SMTPServer server, SmtpVerb verb) {
        server.getCommandHandler().addCommand(new Adapted(verb));
    }

    /**
     * One verb as SubEthaSMTP's command type. On a plain connection its replies are held back while the client has
     * sent more ({@link ReplySocket}); never for STARTTLS, whose handshake must not wait.
     */
    private record Adapted(SmtpVerb verb) implements Command {
        @Override
        public void execute(String line, Session session) throws IOException, DropConnectionException {
            if (session.getSocket() instanceof ReplySocket replies && !(verb instanceof StartTlsCommand)) {
                replies.holdWhile(() -> inputWaiting(session));
                try {
                    verb.execute(line, session);
                } finally {
                    replies.holdWhile(null);
                }
            } else {
                verb.execute(line, session);
            }
        }

        private static boolean inputWaiting(Session session) {
            try {
                return session.getRawInput().available() > 0;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public HelpMessage getHelp() {
            return new HelpMessage(verb.name(), "see RFC 5321");
        }

        @Override
        public String getName() {
            return verb.name();
        }
    }
}
