package org.smimegw.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.smimegw.core.mime.Bytes;

/** The oracle objects to what it should: checked on unmutated generated seeds. */
class OracleTest {
    private static FuzzGateway gateway;
    private static List<Seed> seeds;

    @BeforeAll
    static void generateSeeds() {
        gateway = new FuzzGateway(Optional.empty());
        seeds = Seeds.generated(gateway);
    }

    private static Seed seed(String name) {
        return seeds.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void passIsReportedWhenTheReaderSeesContentNoSeedShowed() {
        Oracle oracle = new Oracle(gateway.processor, gateway.keyFingerprints, Set.of());

        Oracle.Judgement judgement = oracle.judge(seed("gen.signed").bytes());

        assertEquals("pass", judgement.verdict());
        assertTrue(judgement.problems().stream().anyMatch(p -> p.startsWith("smime=pass, but a reader sees")),
                judgement.problems().toString());
    }

    @Test
    void unmutatedSeedsSatisfyTheOracleAndPassWhereSigned() throws Exception {
        Oracle oracle = new Oracle(gateway.processor, gateway.keyFingerprints,
                Set.of(ReaderView.of(gateway.processor.inbound(Bytes.of(seed("gen.signed")
                        .bytes()), FuzzGateway.INBOUND, FuzzGateway.AT).result().message().toBytes().toByteArray())));

        Oracle.Judgement judgement = oracle.judge(seed("gen.signed").bytes());

        assertEquals(List.of(), judgement.problems());
        assertEquals("none", oracle.judge(seed("gen.inner-signed").bytes()).verdict());
        assertEquals(List.of(), oracle.judge(seed("gen.outbound-mixed").bytes()).problems());
    }

    @Test
    void authservIdIsTheFirstTokenOrQuotedStringAfterComments() {
        assertEquals("gw.example.org", Oracle.authservId("gw.example.org; smime=pass"));
        assertEquals("gw.example.org", Oracle.authservId(" (comment) \"gw.example.org\"; smime=pass"));
        assertEquals("gw.example.org.evil", Oracle.authservId("gw.example.org.evil; smime=pass"));
        assertEquals("pass", Oracle.verdictWord("gw.example.org; smime=pass reason=\"x\""));
    }
}
