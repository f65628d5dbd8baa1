package org.smimegw.smtp.config;

import java.util.Map;

import org.smimegw.core.inbound.HarvestMode;
import org.smimegw.core.revocation.RevocationMode;
import org.smimegw.core.revocation.RevocationSettings;

/**
 * The certificate lifecycle keys (docs/design.md §9).
 *
 * @param revocation {@code revocation.check}, {@code revocation.fetch}, {@code revocation.timeout} and
 *                   {@code revocation.crl.max.bytes}
 * @param harvest {@code inbound.harvest}
 */
public record LifecycleSettings(RevocationSettings revocation, HarvestMode harvest) {

    static LifecycleSettings parse(Map<String, String> v) {
        return new LifecycleSettings(
                new RevocationSettings(
                        ConfigValues.oneOf("revocation.check", v.get("revocation.check"), RevocationMode.class),
                        ConfigValues.bool("revocation.fetch", v.get("revocation.fetch")),
                        ConfigValues.duration("revocation.timeout", v.get("revocation.timeout")),
                        ConfigValues.positiveLong("revocation.crl.max.bytes", v.get("revocation.crl.max.bytes"))),
                ConfigValues.oneOf("inbound.harvest", v.get("inbound.harvest"), HarvestMode.class));
    }
}
