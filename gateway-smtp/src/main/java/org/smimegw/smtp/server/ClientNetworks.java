package org.smimegw.smtp.server;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The networks of {@code smtp.allowed.clients}, which may relay without AUTH. IPv4 and IPv6 CIDRs; everything is
 * compared in the IPv6 space with IPv4 as {@code ::ffff:a.b.c.d}, so an IPv4 rule matches an IPv4-mapped client
 * address and the other way round. Immutable, thread-safe.
 */
final class ClientNetworks {
    private record Network(byte[] bytes, int prefix) {
    }

    private final List<Network> networks;

    private ClientNetworks(List<Network> networks) {
        this.networks = List.copyOf(networks);
    }

    /** @param cidrs {@code address/prefix} or a bare address (one host); already checked by the configuration */
    static ClientNetworks parse(List<String> cidrs) {
        List<Network> list = new ArrayList<>();
        for (String raw : cidrs) {
            String cidr = raw.trim();
            int slash = cidr.indexOf('/');
            String address = slash < 0 ? cidr : cidr.substring(0, slash);
            boolean v6 = address.indexOf(':') >= 0;
            byte[] bytes = v6 ? IpLiterals.parseV6(address) : IpLiterals.parseV4(address);
            if (bytes == null) {
                throw new IllegalArgumentException("smtp.allowed.clients: '" + cidr + "' is not a numeric address");
            }
            int bits = bytes.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(cidr.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("smtp.allowed.clients: prefix length in '" + cidr
                            + "' must be 0-" + bits);
                }
            }
            list.add(new Network(v6Space(bytes), v6 ? prefix : prefix + 96));
        }
        return new ClientNetworks(list);
    }

    boolean contains(InetAddress address) {
        byte[] bytes = v6Space(address.getAddress());
        for (Network network : networks) {
            if (matches(network, bytes)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Network network, byte[] address) {
        int full = network.prefix / 8;
        for (int i = 0; i < full; i++) {
            if (network.bytes[i] != address[i]) {
                return false;
            }
        }
        int rest = network.prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (network.bytes[full] & mask) == (address[full] & mask);
    }

    private static byte[] v6Space(byte[] bytes) {
        if (bytes.length == 16) {
            return bytes;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(bytes, 0, mapped, 12, 4);
        return mapped;
    }
}
