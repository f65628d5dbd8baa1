package org.smimegw.smtp.delivery;

import org.smimegw.smtp.config.HostPort;
import org.smimegw.smtp.config.RelayTls;

/** Where a message goes and how STARTTLS is used there: {@code outbound.relay} or {@code inbound.relay}. */
public record RelayTarget(HostPort address, RelayTls tls) {
}
