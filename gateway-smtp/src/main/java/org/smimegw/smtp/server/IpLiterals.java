package org.smimegw.smtp.server;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Parses numeric IPv4 and IPv6 addresses into bytes without ever asking DNS ({@code InetAddress.getByName} falls
 * back to a lookup for anything it does not recognise). IPv4-mapped IPv6 addresses become IPv4. Stateless.
 */
final class IpLiterals {
    private IpLiterals() {
    }

    /** The 4 or 16 address bytes, or null when the text is not a plain numeric address (no zone, no brackets). */
    static byte[] parse(String text) {
        byte[] bytes = text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
        return bytes == null ? null : unmapped(bytes);
    }

    static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address of " + bytes.length + " bytes", e);
        }
    }

    /** An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) as its 4 IPv4 bytes; anything else unchanged. */
    static byte[] unmapped(byte[] bytes) {
        if (bytes.length != 16) {
            return bytes;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return bytes;
            }
        }
        if (bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
            return bytes;
        }
        return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
    }

    static byte[] parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                return null;
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    static byte[] parseV6(String text) {
        if (text.length() < 2 || text.length() > 45) {
            return null;
        }
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        String head = doubleColon >= 0 ? text.substring(0, doubleColon) : text;
        String tail = doubleColon >= 0 ? text.substring(doubleColon + 2) : "";
        int[] headGroups = groups(head, doubleColon < 0);
        int[] tailGroups = groups(tail, true);
        if (headGroups == null || tailGroups == null) {
            return null;
        }
        int total = headGroups.length + tailGroups.length;
        if (doubleColon < 0 ? total != 8 : total > 7) {
            return null;
        }
        int[] all = new int[8];
        System.arraycopy(headGroups, 0, all, 0, headGroups.length);
        System.arraycopy(tailGroups, 0, all, 8 - tailGroups.length, tailGroups.length);
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[2 * i] = (byte) (all[i] >> 8);
            bytes[2 * i + 1] = (byte) all[i];
        }
        return bytes;
    }

    /** 16-bit groups separated by single colons; the last may be an embedded IPv4 address when allowed. */
    private static int[] groups(String text, boolean ipv4AllowedAtEnd) {
        if (text.isEmpty()) {
            return new int[0];
        }
        String[] parts = text.split(":", -1);
        int count = parts.length;
        boolean embedded = ipv4AllowedAtEnd && parts[count - 1].indexOf('.') >= 0;
        int[] result = new int[embedded ? count + 1 : count];
        for (int i = 0; i < count; i++) {
            String part = parts[i];
            if (embedded && i == count - 1) {
                byte[] v4 = parseV4(part);
                if (v4 == null) {
                    return null;
                }
                result[i] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                result[i + 1] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
                continue;
            }
            if (part.isEmpty() || part.length() > 4 || !part.chars().allMatch(IpLiterals::isHex)) {
                return null;
            }
            result[i] = Integer.parseInt(part, 16);
        }
        return result;
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
