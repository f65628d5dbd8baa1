package org.smimegw.smtp.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

class ClientNetworksTest {
    @Test
    void matchesIpv4PrefixesOnAndOffByteBoundaries() throws Exception {
        ClientNetworks networks = ClientNetworks.parse(List.of("10.0.0.0/8", "192.168.1.64/26", "203.0.113.7"));
        assertTrue(networks.contains(ip("10.255.1.2")));
        assertFalse(networks.contains(ip("11.0.0.1")));
        assertTrue(networks.contains(ip("192.168.1.64")));
        assertTrue(networks.contains(ip("192.168.1.127")));
        assertFalse(networks.contains(ip("192.168.1.128")));
        assertFalse(networks.contains(ip("192.168.1.63")));
        assertTrue(networks.contains(ip("203.0.113.7")));
        assertFalse(networks.contains(ip("203.0.113.8")));
    }

    @Test
    void matchesIpv6Prefixes() throws Exception {
        ClientNetworks networks = ClientNetworks.parse(List.of("2001:db8:abcd::/48", "::1/128", "fe80::/10"));
        assertTrue(networks.contains(ip("2001:db8:abcd:12::1")));
        assertFalse(networks.contains(ip("2001:db8:abce::1")));
        assertTrue(networks.contains(ip("::1")));
        assertFalse(networks.contains(ip("::2")));
        assertTrue(networks.contains(ip("febf::1")));
        assertFalse(networks.contains(ip("fec0::1")));
        assertFalse(networks.contains(ip("127.0.0.1")));
    }

    @Test
    void treatsIpv4MappedIpv6AddressesAsIpv4BothWays() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        // the JDK turns a mapped address into an Inet4Address; a raw Inet6Address keeps the mapped form
        InetAddress mappedClient = Inet6Address.getByAddress(null, mapped, -1);
        assertTrue(ClientNetworks.parse(List.of("127.0.0.0/8")).contains(mappedClient));
        assertTrue(ClientNetworks.parse(List.of("::ffff:127.0.0.1/128")).contains(ip("127.0.0.1")));
        assertTrue(ClientNetworks.parse(List.of("::ffff:10.0.0.0/104")).contains(ip("10.1.2.3")));
        assertFalse(ClientNetworks.parse(List.of("::ffff:10.0.0.0/104")).contains(ip("11.1.2.3")));
    }

    @Test
    void zeroPrefixesMatchTheirWholeFamily() throws Exception {
        assertTrue(ClientNetworks.parse(List.of("0.0.0.0/0")).contains(ip("198.51.100.1")));
        assertFalse(ClientNetworks.parse(List.of("0.0.0.0/0")).contains(ip("2001:db8::1")));
        assertTrue(ClientNetworks.parse(List.of("::/0")).contains(ip("2001:db8::1")));
        assertFalse(ClientNetworks.parse(List.of()).contains(ip("127.0.0.1")));
    }

    @Test
    void refusesNamesAndBadPrefixesWithoutAskingDns() {
        assertThrows(IllegalArgumentException.class, () -> ClientNetworks.parse(List.of("localhost/32")));
        assertThrows(IllegalArgumentException.class, () -> ClientNetworks.parse(List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> ClientNetworks.parse(List.of("::1/129")));
        assertThrows(IllegalArgumentException.class, () -> ClientNetworks.parse(List.of("10.0.0/8")));
    }

    @Test
    void parsesIpLiteralsStrictly() {
        assertArrayEquals(new byte[] {1, 2, 3, 4}, IpLiterals.parse("1.2.3.4"));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, IpLiterals.parse("::ffff:1.2.3.4"));
        assertArrayEquals(new byte[16], IpLiterals.parse("::"));
        byte[] loopback = new byte[16];
        loopback[15] = 1;
        assertArrayEquals(loopback, IpLiterals.parse("0:0:0:0:0:0:0:1"));
        for (String bad : new String[] {"1.2.3", "1.2.3.256", "01.2.3.4", "1234", "1.2.3.4.5", ":::", "1::2::3",
                "12345::", "g::1", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "::1%eth0", "[::1]", "", "example.com"}) {
            assertNull(IpLiterals.parse(bad), bad);
        }
    }

    private static InetAddress ip(String literal) {
        return IpLiterals.address(IpLiterals.parse(literal));
    }
}
