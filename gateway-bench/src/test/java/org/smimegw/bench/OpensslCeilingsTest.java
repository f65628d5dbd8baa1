package org.smimegw.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;

import org.junit.jupiter.api.Test;

class OpensslCeilingsTest {

    @Test
    void readsSignsPerSecondFromTheRsa2048LineOfOpensslSpeedMulti() throws IOException {
        String output = "Got: +F2:2:2048:1415.000000:26777.227723 from 1\n"
                + "version: 3.0.19\n"
                + "                  sign    verify    sign/s verify/s\n"
                + "rsa 2048 bits 0.000303s 0.000017s   3302.0  58176.2\n";

        assertEquals(3302.0, OpensslCeilings.parseSignsPerSecond(output));
    }

    @Test
    void refusesOutputWithoutAnRsa2048Line() {
        assertThrows(IOException.class, () -> OpensslCeilings.parseSignsPerSecond("version: 3.0.19\n"));
    }
}
