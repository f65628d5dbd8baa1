package org.smimegw.smtp;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The lease owner prefix of a relay: cluster nodes share gateway.hostname, containers share PID 1. */
class RelayNodeIdTest {

    @Test
    void twoStartsWithTheSameHostnameAndPidGetDifferentLeaseOwners() {
        String first = Relay.nodeId("gw.example");
        String second = Relay.nodeId("gw.example");

        assertNotEquals(first, second);
        assertTrue(first.matches("gw\\.example/\\d+/[0-9a-f]{8}"), first);
    }
}
