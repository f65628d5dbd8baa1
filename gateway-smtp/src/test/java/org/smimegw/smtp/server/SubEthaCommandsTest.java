package org.smimegw.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * What {@link SubEthaCommands} relies on in SubEthaSMTP's {@code internal} packages. Each assertion names the
 * assumption it checks, so that a SubEthaSMTP upgrade that breaks one says which.
 */
class SubEthaCommandsTest {
    /** The commands SubEthaSMTP 7.2.2 registers, each of which the gateway replaces. */
    private static final Set<String> SUBETHA_VERBS = Set.of("AUTH", "BDAT", "DATA", "EHLO", "EXPN", "HELO", "HELP",
            "MAIL", "NOOP", "QUIT", "RCPT", "RSET", "STARTTLS", "VRFY");

    @Test
    void commandStillHasExactlyTheMethodsTheAdapterImplements() {
        Set<String> methods = Arrays.stream(Command.class.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers())).map(SubEthaCommandsTest::signature)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(Set.of("execute(String, Session)", "getHelp()", "getName()")), methods,
                "SubEthaSMTP's internal Command interface changed; SubEthaCommands.Adapted implements only "
                        + "execute(String, Session), getHelp() and getName(), and SubEthaSMTP may now call another");
    }

    @Test
    void subEthaSmtpRegistersTheVerbsTheGatewayReplaces() {
        Set<String> registered = new TreeSet<>(server().getCommandHandler().getVerbs());
        Set<String> added = new TreeSet<>(registered);
        added.removeAll(SUBETHA_VERBS);
        Set<String> removed = new TreeSet<>(SUBETHA_VERBS);
        removed.removeAll(registered);
        assertEquals(new TreeSet<>(SUBETHA_VERBS), registered, "SubEthaSMTP's command registry changed: new commands "
                + added + ", commands gone " + removed + "; SmtpListener must replace exactly what it registers");
    }

    @Test
    void sessionsRunTheInstalledVerbsWithTheWholeLine() throws Exception {
        SMTPServer server = server();
        SubEthaCommands.install(server, echoes(SUBETHA_VERBS));
        server.start();
        try (RawSmtpClient client = RawSmtpClient.connect(InetAddress.getLoopbackAddress(),
                server.getPortAllocated())) {
            assertEquals("250 NOOP [now]", client.command("noop now"), "SubEthaSMTP's sessions no longer dispatch "
                    + "through SMTPServer.getCommandHandler(), addCommand no longer replaces by getName(), or the "
                    + "command no longer gets the whole line");
            assertEquals("250 STARTTLS []", client.command("STARTTLS"),
                    "SubEthaSMTP no longer finds a command longer than four letters by its whole verb");
            assertEquals("250 MAIL [FROM:<a@example.org> SIZE=10]", client.command("MAIL FROM:<a@example.org> SIZE=10"),
                    "SubEthaSMTP no longer hands the command its line as the client sent it");
        } finally {
            server.stop();
        }
    }

    @Test
    void helpNamesTheVerb() throws Exception {
        SMTPServer server = server();
        SubEthaCommands.install(server, echoes(SUBETHA_VERBS));
        String help = server.getCommandHandler().getHelp("NOOP").toOutputString();
        assertTrue(help.contains("NOOP") && help.contains("see RFC 5321"),
                "SubEthaSMTP's HelpMessage(name, text) no longer shows the name and the text: " + help);
    }

    @Test
    void aSubEthaSmtpCommandLeftInPlaceIsRefused() {
        Set<String> allButVrfy = new TreeSet<>(SUBETHA_VERBS);
        allButVrfy.remove("VRFY");
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> SubEthaCommands.install(server(), echoes(allButVrfy)));
        assertEquals("SubEthaSMTP command VRFY was not replaced", refused.getMessage());
    }

    private static SMTPServer server() {
        return SMTPServer.port(0).bindAddress(InetAddress.getLoopbackAddress()).hostName("adapter.test").build();
    }

    private static List<SmtpVerb> echoes(Set<String> names) {
        return names.stream().<SmtpVerb>map(Echo::new).toList();
    }

    private static String signature(Method method) {
        return method.getName() + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /** Answers {@code 250 VERB [argument]}. */
    private static final class Echo extends SmtpVerb {
        Echo(String name) {
            super(name);
        }

        @Override
        void run(String argument, Session session) throws IOException {
            session.sendResponse("250 " + name() + " [" + argument + "]");
        }
    }
}
