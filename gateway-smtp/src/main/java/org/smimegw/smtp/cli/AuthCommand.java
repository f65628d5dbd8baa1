package org.smimegw.smtp.cli;

import java.util.concurrent.Callable;

import org.smimegw.smtp.server.AuthUsers;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code auth hash NAME}: a line for {@code smtp.auth.users.file}. */
@Command(name = "auth", description = "SMTP AUTH users", subcommands = AuthCommand.Hash.class)
final class AuthCommand {
    @ParentCommand
    RootCommand root;

    @Command(name = "hash", description = "print 'NAME:<bcrypt hash>' for smtp.auth.users.file")
    static final class Hash implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "NAME", description = "the user name")
        String name;
        @ArgGroup(exclusive = true, multiplicity = "1")
        KeyCommand.PasswordSource password;

        @Override
        public Integer call() {
            if (!name.matches("[A-Za-z0-9._@+-]{1,64}")) {
                throw new CliFailure("user name '" + name + "' must be 1-64 letters, digits or ._@+-");
            }
            String hash;
            try {
                hash = AuthUsers.hash(password.read());
            } catch (IllegalArgumentException e) {
                throw new CliFailure(e.getMessage());
            }
            spec.commandLine().getOut().println(name + ":" + hash);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
