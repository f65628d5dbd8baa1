package org.smimegw.smtp.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.smimegw.core.mime.Bytes;
import org.smimegw.core.port.AuditEvent;
import org.smimegw.core.queue.MessageQueue;
import org.smimegw.core.queue.QueueEntry;
import org.smimegw.core.queue.QueueIds;
import org.smimegw.core.queue.QueueState;
import org.smimegw.core.queue.RecipientStatus;
import org.smimegw.smtp.delivery.Reply;
import org.smimegw.smtp.server.SmtpRefusal;
import org.smimegw.store.StoreException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code queue list|show|retry|hold|release|delete} (DESIGN.md §5). Works on the store directly, so it sees and
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

    /** The entry an id names; a malformed id is not looked up. */
    QueueEntry find(String id) {
        if (!QueueIds.looksValid(id)) {
            throw new CliFailure("'" + id + "' is not a queue id (16 characters, as in 'queued as <id>')");
        }
        return queue().find(id).orElseThrow(() -> new CliFailure("no message " + id + " in the queue"));
    }

    /** Operator actions on the queue are audited like certificate changes. */
    void audit(String action, QueueEntry e, String decision) {
        root.gateway().audit().record(new AuditEvent(root.clock().instant(), action, e.id(), decision,
                e.direction().word() + " from=" + sender(e) + " pending=" + String.join(",", e.pendingRecipients())));
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
                out.println(json ? Output.json(QueueCommand.json(e)) : line(e));
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
            QueueEntry e = parent.find(id);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Output.json(QueueCommand.json(e)));
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

    /** A command that changes one message: names it by id, acts, audits and prints one line. */
    abstract static class MessageAction implements Callable<Integer> {
        @ParentCommand
        QueueCommand parent;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "ID")
        String id;

        /** Changes the message; returns the audit decision, or throws {@link CliFailure}. */
        abstract String act(QueueEntry entry, MessageQueue queue, java.time.Instant now);

        @Override
        public Integer call() {
            QueueEntry entry = parent.find(id);
            String decision = act(entry, parent.queue(), parent.root.clock().instant());
            parent.audit("queue." + spec.name(), entry, decision);
            spec.commandLine().getOut().println(output(decision));
            spec.commandLine().getOut().flush();
            return 0;
        }

        /** The line printed after the action. */
        String output(String decision) {
            return decision + " " + id;
        }

        CliFailure gone() {
            return new CliFailure("no message " + id + " in the queue");
        }
    }

    @Command(name = "retry", description = "make a queued message due now")
    static final class Retry extends MessageAction {
        @Override
        String act(QueueEntry entry, MessageQueue queue, java.time.Instant now) {
            if (entry.state() != QueueState.QUEUED) {
                throw new CliFailure("message " + id + " is " + entry.state().word() + "; 'queue release " + id
                        + "' " + (entry.state() == QueueState.HELD ? "delivers" : "processes") + " it");
            }
            if (!queue.retry(id, now)) {
                throw gone();
            }
            return "retrying";
        }
    }

    @Command(name = "hold", description = "keep a message in the queue, undelivered, until released")
    static final class Hold extends MessageAction {
        @Override
        String act(QueueEntry entry, MessageQueue queue, java.time.Instant now) {
            if (entry.state() == QueueState.UNPROCESSED) {
                throw new CliFailure("message " + id + " is unprocessed: it is never delivered as it is");
            }
            if (!queue.hold(id)) {
                throw gone();
            }
            return "held";
        }
    }

    @Command(name = "release", description = "deliver a held message again, starting now; process an unprocessed"
            + " one again and queue the result")
    static final class Release extends MessageAction {
        private String processedAs;

        @Override
        String act(QueueEntry entry, MessageQueue queue, java.time.Instant now) {
            if (entry.state() == QueueState.UNPROCESSED) {
                processedAs = processAgain(entry, queue, now);
                return "processed as " + processedAs;
            }
            if (entry.state() != QueueState.HELD || !queue.release(id, now)) {
                throw new CliFailure("message " + id + " is not held");
            }
            return "released";
        }

        /** The kept message stays as it is when processing fails or is refused again. */
        private String processAgain(QueueEntry entry, MessageQueue queue, java.time.Instant now) {
            Bytes content = queue.content(id).orElseThrow(this::gone);
            String stays = "; it stays unprocessed ('queue delete " + id + "' drops it)";
            try {
                return parent.root.gateway().intake(() -> { }).processUnprocessed(entry, content, now);
            } catch (SmtpRefusal refusal) {
                throw new CliFailure("message " + id + " is refused: " + refusal.reply() + stays);
            } catch (RuntimeException | StackOverflowError e) {
                if (e instanceof StoreException) {
                    throw e;
                }
                throw new CliFailure("processing message " + id + " failed again: " + Reply.oneLine(e.toString())
                        + stays);
            }
        }

        @Override
        String output(String decision) {
            return processedAs == null ? super.output(decision) : "processed " + id + ", queued as " + processedAs;
        }
    }

    @Command(name = "delete", description = "remove a message from the queue without delivering it")
    static final class Delete extends MessageAction {
        @Override
        String act(QueueEntry entry, MessageQueue queue, java.time.Instant now) {
            if (!queue.delete(id)) {
                throw gone();
            }
            return "deleted";
        }
    }
}
