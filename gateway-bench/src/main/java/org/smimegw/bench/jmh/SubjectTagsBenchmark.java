package org.smimegw.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.smimegw.core.helpdesk.SubjectTags;
import org.smimegw.core.mime.RawMessage;

/**
 * What the Subject's verdict tags (docs/design.md §16) cost per message: a reply's Subject searched for tags (every
 * outbound message), with and without one to remove, and an inbound Subject tagged. Compare with the milliseconds of
 * the crypto in {@link SmimeBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SubjectTagsBenchmark {
    private static final SubjectTags ON = new SubjectTags(true, SubjectTags.PASS, SubjectTags.FAIL,
            SubjectTags.POLICY, SubjectTags.DECRYPTED);

    private final RawMessage plainReply = message("Re: [Ticket#20261206] Your refund for order 4711 is on its way");
    private final RawMessage taggedReply = message(
            "Re: [Ticket#20261206] [encrypted] [S/MIME verified] Your refund for order 4711 is on its way");
    private final RawMessage encodedInbound = message("=?UTF-8?Q?R=C3=BCckerstattung_f=C3=BCr_Bestellung_4711?=");

    private static RawMessage message(String subject) {
        return RawMessage.parse(("From: alice@partner.example\r\nTo: helpdesk@org.example\r\nSubject: " + subject
                + "\r\nMessage-ID: <1@partner.example>\r\nContent-Type: text/plain\r\n\r\nHello\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    @Benchmark
    public RawMessage outboundReplyWithoutTags() {
        return SubjectTags.DEFAULTS.untagged(plainReply);
    }

    @Benchmark
    public RawMessage outboundReplyLosingTwoTags() {
        return SubjectTags.DEFAULTS.untagged(taggedReply);
    }

    @Benchmark
    public RawMessage inboundEncodedSubjectTagged() {
        return ON.tagged(encodedInbound, SubjectTags.Verdict.PASS, true).message();
    }
}
