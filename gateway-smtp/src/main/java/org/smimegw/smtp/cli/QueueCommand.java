package org.smimegw.smtp.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.RecipientStatus;
import org.smimegw.smtp.json.Json;
import org.smimegw.smtp.operations.OperationRefused;
import org.smimegw.smtp.operations.QueueActions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code queue list|show|retry|hold|release|delete} (docs/design.md §5). Works on the store directly, so it sees and
 * steers the queue of a running relay: the workers lease from the same tables.
 */
@Command(name = "queue", description = "inspect and steer the delivery queue",
        subcommands = {QueueCommand.ListQueue.class, QueueCommand.Show.class, QueueCommand.Retry.class,
            QueueCommand.Hold.class, QueueCommand.Release.class, QueueCommand.Delete.class})
final class QueueCommand {
    @ParentCommand
    RootCommand root;

    MessageQueue queue() {
        return root.gateway().queue();
    }

    /** The actions of the queue subcommands; the workers of a running relay find due messages on their own. */
    QueueActions actions() {
        return new QueueActions(root.gateway(), root.clock(), () -> { });
    }

    /** {@code <id> <direction> <state> <size> from=<sender> to=<pending>/<all> attempts=N next=<date> [last=...]}. */
    static String line(QueueEntry e) {
        return e.id() + " " + e.direction().word() + " " + e.state().word() + " " + e.size() + "B from="
                + sender(e) + " pending=" + e.pendingRecipients().size() + "/" + e.recipients().size()
                + " attempts=" + e.attempts() + " next=" + Output.date(e.nextAttemptAt())
                + (e.lastResult() == null ? "" : " last=" + e.lastResult());
    }

    static Map<String, Object> json(QueueEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("direction", e.direction().word());
        m.put("state", e.state().word());
        m.put("sender", e.sender());
        m.put("size", e.size());
        m.put("receivedAt", Output.date(e.receivedAt()));
        m.put("nextAttemptAt", Output.date(e.nextAttemptAt()));
        m.put("attempts", e.attempts());
        m.put("lastResult", e.lastResult());
        m.put("leaseOwner", e.leaseOwner());
        m.put("leaseUntil", e.leaseUntil() == null ? null : Output.date(e.leaseUntil()));
        List<Map<String, Object>> recipients = e.recipients().stream().map(r -> {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("address", r.address());
            rm.put("state", r.state().word());
            rm.put("lastReply", r.lastReply());
            return rm;
        }).toList();
        m.put("recipients", recipients);
        return m;
    }

    private static String sender(QueueEntry e) {
        return e.nullSender() ? "<>" : e.sender();
    }

    @Command(name = "list", description = "one line per queued or held message, oldest first")
    static final class ListQueue implements Callable<Integer> {
        @ParentCommand
        QueueCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--json", description = "one JSON object per line")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            for (QueueEntry e : parent.queue().list()) {
                out.println(json ? Json.write(QueueCommand.json(e)) : line(e));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", description = "a message's envelope, state and per-recipient results")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        QueueCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--json", description = "one JSON object")
        boolean json;

        @Override
        public Integer call() {
            QueueEntry e = parent.actions().find(id);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.write(QueueCommand.json(e)));
            } else {
                out.println("id:           " + e.id());
                out.println("direction:    " + e.direction().word());
                out.println("state:        " + e.state().word());
                out.println("sender:       " + sender(e));
                out.println("size:         " + e.size() + " bytes");
                out.println("received:     " + Output.date(e.receivedAt()));
                out.println("attempts:     " + e.attempts());
                out.println("next attempt: " + Output.date(e.nextAttemptAt()));
                if (e.leaseOwner() != null) {
                    out.println("leased by:    " + e.leaseOwner() + " until " + Output.date(e.leaseUntil()));
                }
                if (e.lastResult() != null) {
                    out.println("last result:  " + e.lastResult());
                }
                if (e.verdicts() != null) {
                    // outbound: what this copy is (signed=yes encrypted=yes, copy=1/2 of a split message)
                    out.println("verdicts:     " + e.verdicts());
                }
                out.println("recipients:");
                for (RecipientStatus r : e.recipients()) {
                    out.println("  " + r.address() + " " + r.state().word()
                            + (r.lastReply() == null ? "" : " " + r.lastReply()));
                }
            }
            out.flush();
            return 0;
        }
    }

    /** A command that changes one message: names it by id, acts (which audits) and prints one line. */
    abstract static class MessageAction implements Callable<Integer> {
        @ParentCommand
        QueueCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "ID")
        String id;

        /** Changes the message; returns the line to print, or throws {@link OperationRefused}. */
        abstract String act(QueueActions actions);

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(act(parent.actions()));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "retry", description = "make a queued message due now")
    static final class Retry extends MessageAction {
        @Override
        String act(QueueActions actions) {
            return actions.retry(id);
        }
    }

    @Command(name = "hold", description = "keep a message in the queue, undelivered, until released")
    static final class Hold extends MessageAction {
        @Override
        String act(QueueActions actions) {
            return actions.hold(id);
        }
    }

    @Command(name = "release", description = "deliver a held message again, starting now; process an unprocessed"
            + " one again and queue the result")
    static final class Release extends MessageAction {
        @Override
        String act(QueueActions actions) {
            return actions.release(id);
        }
    }

    @Command(name = "delete", description = "remove a message from the queue without delivering it")
    static final class Delete extends MessageAction {
        @Override
        String act(QueueActions actions) {
            return actions.delete(id);
        }
    }
}
