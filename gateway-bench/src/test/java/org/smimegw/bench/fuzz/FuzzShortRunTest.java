package org.smimegw.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.smimegw.core.testing.TestData;

/**
 * The short fuzz run of {@code mvn verify}: a fixed campaign seed, so the same inputs every time; it fails listing
 * each distinct finding with its reproduction. The long run is {@link FuzzRun} (docs/fuzzing.md).
 */
class FuzzShortRunTest {
    private static final int INPUTS = 1000;

    @Test
    void mutatedMessagesNeitherCrashNorHangNorComeOutWithAWrongVerdict() {
        Optional<Path> testdata = Optional.of(TestData.dir());
        FuzzCampaign campaign = new FuzzCampaign(new FuzzCampaign.Settings(20261129L, INPUTS,
                Duration.ofSeconds(30), Path.of("target/fuzz-findings"), testdata, Duration.ofHours(1)));

        FuzzReport report = campaign.run(line -> { });
        System.out.println(report.toMarkdown());

        assertEquals(INPUTS, report.inputs(), report::toMarkdown);
        assertTrue(report.distinctFindings().isEmpty(), () -> report.findingCount() + " findings:\n"
                + report.distinctFindings().stream().map(Finding::reproduction).collect(Collectors.joining("\n")));
    }
}
