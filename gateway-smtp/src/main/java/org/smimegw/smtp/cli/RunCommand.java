package org.smimegw.smtp.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code run}: the SMTP relay. The listeners, queue and delivery arrive in the next release; until then this
 * says so plainly and exits 1 instead of pretending to relay.
 */
@Command(name = "run", description = "start the SMTP listeners and delivery workers (next release)")
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Override
    public Integer call() {
        root.config();
        throw new CliFailure("the SMTP relay comes in the next release; for now use 'process' to run a message "
                + "through the pipeline, or 'demo' for a walk-through");
    }
}
