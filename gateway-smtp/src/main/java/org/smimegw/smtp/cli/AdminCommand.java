package org.smimegw.smtp.cli;

import java.util.Arrays;
import java.util.concurrent.Callable;

import org.smimegw.smtp.server.AuthUsers;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code admin hash}: the {@code admin.password.hash} line for the admin page's password. */
@Command(name = "admin", description = "the admin page", subcommands = AdminCommand.Hash.class)
final class AdminCommand {
    @ParentCommand
    RootCommand root;

    @Command(name = "hash", description = "print 'admin.password.hash=<bcrypt hash>' for the configuration file")
    static final class Hash implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @ArgGroup(exclusive = true, multiplicity = "1")
        KeyCommand.PasswordSource password;

        @Override
        public Integer call() {
            char[] secret = password.read();
            String hash;
            try {
                hash = AuthUsers.hash(secret);
            } catch (IllegalArgumentException e) {
                throw new CliFailure(e.getMessage());
            } finally {
                Arrays.fill(secret, '\0');
            }
            spec.commandLine().getOut().println("admin.password.hash=" + hash);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
