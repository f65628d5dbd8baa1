package org.smimegw.smtp.lookup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One kdig run and what it printed: the header's status and flags and the answer section, parsed from kdig's
 * default text output. {@link #status()} is empty when no reply came.
 */
record Dig(List<String> command, int exitCode, String output) {
    private static final Pattern STATUS = Pattern.compile("(?m)^;; ->>HEADER<<-.*\\bstatus: ([A-Z0-9]+)");
    private static final Pattern FLAGS = Pattern.compile("(?m)^;; Flags:([^;]*);");

    boolean replied() {
        return !status().isEmpty();
    }

    /** NOERROR, NXDOMAIN, SERVFAIL, ...; empty without a reply. */
    String status() {
        Matcher status = STATUS.matcher(output);
        return status.find() ? status.group(1) : "";
    }

    /** The header flags in lower case: {@code qr}, {@code aa}, {@code rd}, {@code ra}, {@code ad}, ... */
    Set<String> flags() {
        Matcher flags = FLAGS.matcher(output);
        return flags.find() ? new LinkedHashSet<>(Arrays.asList(flags.group(1).trim().split("\\s+"))) : Set.of();
    }

    /** Whether the resolver validated the answer (the AD flag). */
    boolean authenticated() {
        return flags().contains("ad");
    }

    /** The records of the answer section, one line each: {@code NAME TTL CLASS TYPE RDATA}. */
    List<String> answer() {
        List<String> records = new ArrayList<>();
        boolean inAnswer = false;
        for (String line : output.split("\n")) {
            if (line.startsWith(";; ANSWER SECTION:")) {
                inAnswer = true;
            } else if (inAnswer && (line.isBlank() || line.startsWith(";"))) {
                break;
            } else if (inAnswer) {
                records.add(line.trim());
            }
        }
        return records;
    }

    /** The rdata of the answer's records of {@code type} (for example {@code SMIMEA} or {@code RRSIG}). */
    List<String> rdata(String type) {
        List<String> rdata = new ArrayList<>();
        for (String record : answer()) {
            String[] fields = record.split("\\s+", 5);
            if (fields.length == 5 && fields[3].equalsIgnoreCase(type)) {
                rdata.add(fields[4]);
            }
        }
        return rdata;
    }

    @Override
    public String toString() {
        return String.join(" ", command) + " exited with " + exitCode + "\n" + output;
    }
}
