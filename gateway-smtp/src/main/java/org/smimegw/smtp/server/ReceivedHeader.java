package org.smimegw.smtp.server;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.smimegw.core.mime.MailboxSyntax;

/**
 * Builds this gateway's {@code Received} field (RFC 5321 4.4):
 * <pre>
 * Received: from HELO (unknown [IP])
 *         by HOSTNAME with ESMTPS id ID;
 *         DATE
 * </pre>
 * The client controls only the HELO text, which is kept when it is a strict host name or address literal and
 * otherwise shown as {@code [unknown]}, so it can neither add header lines nor break the field's syntax. The
 * client's name is never looked up in DNS (a lookup can hang the session). Stateless.
 */
final class ReceivedHeader {
    static final String UNKNOWN_HELO = "[unknown]";
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US);

    private ReceivedHeader() {
    }

    /** RFC 3848 protocol names: SMTP after HELO; ESMTP, +S with TLS, +A after AUTH. */
    static String protocol(boolean extended, boolean tls, boolean authenticated) {
        if (!extended && !tls && !authenticated) {
            return "SMTP";
        }
        return "ESMTP" + (tls ? "S" : "") + (authenticated ? "A" : "");
    }

    static String build(String helo, InetAddress client, String hostname, String protocol, String id,
            Instant receivedAt, ZoneId zone) {
        return "Received: from " + safeHelo(helo) + " (unknown [" + clientLiteral(client) + "])\r\n"
                + "\tby " + hostname + " with " + protocol + " id " + id + ";\r\n"
                + "\t" + DATE.format(receivedAt.atZone(zone)) + "\r\n";
    }

    /** The HELO/EHLO argument when it is a host name or an address literal; {@value #UNKNOWN_HELO} otherwise. */
    static String safeHelo(String helo) {
        if (helo == null || helo.isEmpty() || helo.length() > 255) {
            return UNKNOWN_HELO;
        }
        String name = helo.endsWith(".") ? helo.substring(0, helo.length() - 1) : helo;
        if (MailboxSyntax.isDomain(name) && helo.length() <= 254) {
            return helo;
        }
        if (helo.startsWith("[") && helo.endsWith("]")) {
            String inner = helo.substring(1, helo.length() - 1);
            if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
                return IpLiterals.parseV6(inner.substring(5)) != null ? helo : UNKNOWN_HELO;
            }
            return IpLiterals.parseV4(inner) != null ? helo : UNKNOWN_HELO;
        }
        return UNKNOWN_HELO;
    }

    /** {@code 192.0.2.1} or {@code IPv6:2001:db8:0:0:0:0:0:1}, without a zone. */
    static String clientLiteral(InetAddress client) {
        byte[] bytes = IpLiterals.unmapped(client.getAddress());
        InetAddress address = IpLiterals.address(bytes);
        String text = address.getHostAddress();
        int zone = text.indexOf('%');
        if (zone >= 0) {
            text = text.substring(0, zone);
        }
        return address instanceof Inet6Address ? "IPv6:" + text : text;
    }
}
