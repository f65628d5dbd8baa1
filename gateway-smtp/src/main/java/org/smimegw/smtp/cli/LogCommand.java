package org.smimegw.smtp.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.smimegw.core.port.AuditEvent;
import org.smimegw.smtp.json.Json;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code log}: the audit log, newest first. */
@Command(name = "log", description = "show the audit log, newest first")
final class LogCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;
    @Spec
    CommandSpec spec;
    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "at most N events (default 50)")
    int limit;
    @Option(names = "--json", description = "one JSON object per line")
    boolean json;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, not " + limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        for (AuditEvent e : root.gateway().audit().recent(limit)) {
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("at", Output.date(e.at()));
                m.put("action", e.action());
                m.put("subject", e.subject());
                m.put("decision", e.decision());
                m.put("detail", e.detail());
                out.println(Json.write(m));
            } else {
                out.println(Output.date(e.at()) + " " + e.action() + " " + e.subject() + " " + e.decision()
                        + (e.detail() == null || e.detail().isEmpty() ? "" : " " + e.detail()));
            }
        }
        out.flush();
        return 0;
    }
}
