package org.smimegw.smtp.cli;

import java.util.concurrent.Callable;

import org.smimegw.core.port.OriginalArchive;
import org.smimegw.smtp.Gateway;
import org.smimegw.smtp.QueueIntake;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code reprocess ID}: runs a kept inbound original (one that could not be decrypted or verified; its id is the
 * {@code original=} of the audit log) through the inbound pipeline again and queues the new result for the
 * helpdesk. A running relay delivers it; otherwise the next {@code run} does.
 */
@Command(name = "reprocess", description = "run inbound processing again on a kept original")
final class ReprocessCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "ID", description = "the original= id from the audit log")
    String id;

    @Override
    public Integer call() {
        Gateway gateway = root.gateway();
        OriginalArchive.KeptOriginal original = gateway.originals().find(id)
                .orElseThrow(() -> new CliFailure("no kept original " + id
                        + " (the audit log names them as original=<id> on inbound messages)"));
        QueueIntake.Reprocessed done = gateway.intake(() -> { }).reprocess(original, root.clock().instant());
        spec.commandLine().getOut().println("reprocessed " + id + " smime=" + done.verdict() + " queued as "
                + done.queueId());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
