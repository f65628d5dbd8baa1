package org.smimegw.smtp;

import java.io.PrintWriter;
import java.time.Clock;

import org.smimegw.smtp.cli.CliFailure;
import org.smimegw.smtp.cli.RootCommand;
import org.smimegw.smtp.operations.OperationRefused;

import picocli.CommandLine;

/**
 * Entry point of {@code smime-gateway.jar}. Exit status: 0 success, 1 refused or failed (one line on stderr),
 * 2 usage error. No stack trace reaches the user unless {@code --verbose} asks for it.
 */
public final class GatewayMain {
    private GatewayMain() {
    }

    public static void main(String[] args) {
        int status = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                Clock.systemUTC());
        System.exit(status);
    }

    /** Runs one command line; used by {@link #main} and by tests. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Clock clock) {
        try (RootCommand root = new RootCommand(clock)) {
            CommandLine commandLine = new CommandLine(root);
            commandLine.setOut(out);
            commandLine.setErr(err);
            commandLine.setExecutionExceptionHandler((e, cl, parsed) -> failure(e, err, root.verbose()));
            return commandLine.execute(args);
        } catch (OutOfMemoryError e) {
            // the message is unreachable by now, so there is room to say so
            err.println("smime-gateway: out of memory: the input does not fit in the Java heap;"
                    + " give more with JAVA_OPTS=-Xmx...");
            err.flush();
            return 1;
        } catch (RuntimeException e) {
            // closing the store failed; the command's own outcome was already reported
            return failure(e, err, false);
        }
    }

    private static int failure(Exception e, PrintWriter err, boolean verbose) {
        err.println("smime-gateway: " + describe(e));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    /** One line: our own failures carry their message; anything else also names its type. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        if (e instanceof CliFailure || e instanceof OperationRefused
                || e instanceof org.smimegw.smtp.config.ConfigException) {
            return message;
        }
        String text = message == null || message.isBlank() ? e.getClass().getSimpleName()
                : message.replace('\n', ' ').replace('\r', ' ');
        return e instanceof RuntimeException && message != null && e.getClass().getName().startsWith("org.smimegw")
                ? text : text + " (" + e.getClass().getSimpleName() + "; --verbose shows details)";
    }
}
