package org.smimegw.smtp.config;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.smimegw.core.helpdesk.HeaderNamePatterns;
import org.smimegw.core.helpdesk.HelpdeskSettings;
import org.smimegw.core.helpdesk.SubjectTags;
import org.smimegw.core.mime.SpoolSettings;
import org.smimegw.core.outbound.AddressRules;
import org.smimegw.core.outbound.HeaderProtection;
import org.smimegw.core.outbound.OutboundPolicy;
import org.smimegw.core.outbound.PolicyMode;
import org.smimegw.core.smime.SmimeAlgorithms;
import org.smimegw.store.StoreSettings;

/**
 * The configuration, parsed once and validated (docs/design.md §2.4 rule 8). Sources, weakest first: the defaults, the
 * properties file, environment variables {@code SMIMEGW_KEY_NAME}, then {@code -Dkey=value}. An unknown key in the
 * file or a bad value anywhere is a {@link ConfigException} naming the key. A relative path in the file or among the
 * defaults is taken relative to the file's directory; one in the environment or a system property, relative to the
 * working directory, as a shell user means it (docs/design.md §13). Immutable.
 */
public record GatewayConfig(
        String hostname,
        String storeUrl,
        String storeUser,
        String storePassword,
        Path masterKeyFile,
        int storePoolSize,
        HostPort outboundListen,
        HostPort outboundRelay,
        HostPort inboundListen,
        HostPort inboundRelay,
        List<String> allowedClients,
        long maxMessageBytes,
        OutboundPolicy outboundPolicy,
        HeaderProtection headerProtection,
        List<Duration> retryIntervals,
        Duration maxAge,
        Optional<Path> tlsCertificate,
        Optional<Path> tlsKey,
        AdminSettings admin,
        SmimeAlgorithms algorithms,
        ListenerSettings listeners,
        DeliverySettings delivery,
        SpoolSettings spool,
        CryptoProvider cryptoProvider,
        LifecycleSettings lifecycle,
        HelpdeskSettings helpdesk,
        LookupSettings lookup) {

    /**
     * Loads the file (which must exist when {@code explicit} is true; the default file may be absent) and
     * applies environment and system property overrides.
     */
    public static GatewayConfig load(Path file, boolean explicit, Map<String, String> environment,
            Properties systemProperties) {
        Map<String, String> values = new LinkedHashMap<>(ConfigKeys.DEFAULTS);
        Properties fileProperties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            fileProperties.load(reader);
        } catch (NoSuchFileException e) {
            if (explicit) {
                throw new ConfigException("configuration file " + file + " not found");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
        }
        for (String key : new TreeSet<>(fileProperties.stringPropertyNames())) {
            if (!ConfigKeys.DEFAULTS.containsKey(key)) {
                throw new ConfigException(file + ": unknown key " + key);
            }
            values.put(key, fileProperties.getProperty(key).trim());
        }
        // the file's values and the defaults are read as the file means them: relative to its own directory
        ConfigKeys.resolvePaths(values, file.toAbsolutePath().getParent());
        Set<String> knownVariables = ConfigKeys.DEFAULTS.keySet().stream().map(ConfigKeys::environmentVariable)
                .collect(Collectors.toSet());
        for (String variable : new TreeSet<>(environment.keySet())) {
            if (variable.startsWith(ConfigKeys.ENVIRONMENT_PREFIX) && !knownVariables.contains(variable)) {
                throw new ConfigException("environment variable " + variable + ": unknown key");
            }
        }
        for (String key : ConfigKeys.DEFAULTS.keySet()) {
            String fromEnvironment = environment.get(ConfigKeys.environmentVariable(key));
            if (fromEnvironment != null) {
                values.put(key, fromEnvironment.trim());
            }
            String fromSystem = systemProperties.getProperty(key);
            if (fromSystem != null) {
                values.put(key, fromSystem.trim());
            }
        }
        return fromValues(values);
    }

    /** Convenience for the command line: the real environment and system properties. */
    public static GatewayConfig load(Path file, boolean explicit) {
        return load(file, explicit, System.getenv(), System.getProperties());
    }

    static GatewayConfig fromValues(Map<String, String> v) {
        Optional<Path> tlsCertificate = optionalPath(v.get("smtp.tls.certificate"));
        Optional<Path> tlsKey = optionalPath(v.get("smtp.tls.key"));
        if (tlsCertificate.isPresent() != tlsKey.isPresent()) {
            throw new ConfigException(tlsCertificate.isPresent()
                    ? "smtp.tls.key: must be set when smtp.tls.certificate is"
                    : "smtp.tls.certificate: must be set when smtp.tls.key is");
        }
        boolean tls = tlsCertificate.isPresent();
        boolean tlsRequired = ConfigValues.bool("smtp.tls.required", v.get("smtp.tls.required"));
        if (tlsRequired && !tls) {
            throw new ConfigException("smtp.tls.required: needs smtp.tls.certificate and smtp.tls.key");
        }
        Optional<Path> authUsersFile = optionalPath(v.get("smtp.auth.users.file"));
        if (authUsersFile.isPresent() && !tls) {
            throw new ConfigException("smtp.auth.users.file: AUTH is only offered over TLS; "
                    + "set smtp.tls.certificate and smtp.tls.key");
        }
        if (v.get("store.url").isBlank()) {
            throw new ConfigException("store.url: must not be empty");
        }
        if (v.get("store.master.key.file").isBlank()) {
            throw new ConfigException("store.master.key.file: must not be empty");
        }
        return new GatewayConfig(
                hostname(v.get("gateway.hostname")),
                v.get("store.url"),
                v.get("store.user"),
                v.get("store.password"),
                Path.of(v.get("store.master.key.file")),
                ConfigValues.positiveInt("store.pool.size", v.get("store.pool.size")),
                HostPort.parse("outbound.listen", v.get("outbound.listen")),
                HostPort.parse("outbound.relay", v.get("outbound.relay")),
                HostPort.parse("inbound.listen", v.get("inbound.listen")),
                HostPort.parse("inbound.relay", v.get("inbound.relay")),
                ConfigValues.cidrs("smtp.allowed.clients", v.get("smtp.allowed.clients")),
                ConfigValues.positiveLong("smtp.max.message.bytes", v.get("smtp.max.message.bytes")),
                outboundPolicy(v),
                ConfigValues.oneOf("outbound.header.protection", v.get("outbound.header.protection"),
                        HeaderProtection.class),
                ConfigValues.durations("delivery.retry.intervals", v.get("delivery.retry.intervals")),
                ConfigValues.duration("delivery.max.age", v.get("delivery.max.age")),
                tlsCertificate,
                tlsKey,
                AdminSettings.parse(v),
                AlgorithmSettings.parse(v),
                new ListenerSettings(
                        tlsRequired,
                        authUsersFile,
                        ConfigValues.positiveInt("smtp.max.recipients", v.get("smtp.max.recipients")),
                        ConfigValues.positiveInt("smtp.max.connections", v.get("smtp.max.connections")),
                        ConfigValues.duration("smtp.timeout", v.get("smtp.timeout"))),
                new DeliverySettings(
                        RelayTls.parse("outbound.relay.tls", v.get("outbound.relay.tls")),
                        RelayTls.parse("inbound.relay.tls", v.get("inbound.relay.tls")),
                        ConfigValues.duration("delivery.connect.timeout", v.get("delivery.connect.timeout")),
                        ConfigValues.duration("delivery.read.timeout", v.get("delivery.read.timeout")),
                        DeliverySettings.workers("delivery.workers", v.get("delivery.workers")),
                        DeliverySettings.leaseTime("delivery.lease.time", v.get("delivery.lease.time"))),
                new SpoolSettings(
                        ConfigValues.path("spool.dir", v.get("spool.dir")),
                        ConfigValues.positiveInt("spool.memory.limit", v.get("spool.memory.limit")),
                        ConfigValues.positiveLong("spool.mapped.limit", v.get("spool.mapped.limit"))),
                CryptoProvider.parse("crypto.provider", v.get("crypto.provider")),
                LifecycleSettings.parse(v),
                helpdesk(v),
                LookupSettings.parse(v));
    }

    /** Where the store is ({@code store.*}), as the store module takes it. */
    public StoreSettings store() {
        return new StoreSettings(storeUrl, storeUser, storePassword, masterKeyFile, storePoolSize);
    }

    /** The same configuration with the host name blanked, to compare configurations across machines. */
    GatewayConfig withoutHostname() {
        return new GatewayConfig("", storeUrl, storeUser, storePassword, masterKeyFile, storePoolSize, outboundListen,
                outboundRelay,
                inboundListen, inboundRelay, allowedClients, maxMessageBytes, outboundPolicy, headerProtection,
                retryIntervals, maxAge, tlsCertificate, tlsKey, admin, algorithms, listeners, delivery, spool,
                cryptoProvider, lifecycle, helpdesk, lookup);
    }

    /** {@code outbound.sign}: the default signing mode. */
    public PolicyMode outboundSign() {
        return outboundPolicy.signDefault();
    }

    /** {@code outbound.encrypt}: the default encryption mode. */
    public PolicyMode outboundEncrypt() {
        return outboundPolicy.encryptDefault();
    }

    /** The {@code outbound.sign}, {@code outbound.encrypt} and rule keys (docs/design.md §11). */
    private static OutboundPolicy outboundPolicy(Map<String, String> v) {
        AddressRules required = rules("outbound.encrypt.required.for", v);
        AddressRules never = rules("outbound.encrypt.never.for", v);
        String trigger = v.get("outbound.encrypt.subject.trigger");
        if (!trigger.isBlank()) {
            SubjectTags.problem(trigger).ifPresent(problem -> {
                throw new ConfigException("outbound.encrypt.subject.trigger: '" + trigger + "' " + problem);
            });
        }
        try {
            return new OutboundPolicy(policy("outbound.sign", v.get("outbound.sign")),
                    policy("outbound.encrypt", v.get("outbound.encrypt")), required, never,
                    rules("outbound.sign.never.for", v), Optional.of(trigger));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("outbound.encrypt.required.for and outbound.encrypt.never.for: "
                    + e.getMessage());
        }
    }

    private static AddressRules rules(String key, Map<String, String> v) {
        try {
            return AddressRules.parse(v.get(key));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage());
        }
    }

    /** The {@code inbound.strip.headers} and {@code inbound.subject.tag*} keys (docs/design.md §16). */
    private static HelpdeskSettings helpdesk(Map<String, String> v) {
        HeaderNamePatterns strip;
        try {
            strip = HeaderNamePatterns.parse(v.get("inbound.strip.headers"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("inbound.strip.headers: " + e.getMessage());
        }
        for (String key : List.of("pass", "fail", "policy", "decrypted")) {
            String tag = v.get("inbound.subject.tag." + key);
            SubjectTags.problem(tag).ifPresent(problem -> {
                throw new ConfigException("inbound.subject.tag." + key + ": '" + tag + "' " + problem);
            });
        }
        return new HelpdeskSettings(strip, new SubjectTags(
                ConfigValues.onOff("inbound.subject.tag", v.get("inbound.subject.tag")),
                v.get("inbound.subject.tag.pass"), v.get("inbound.subject.tag.fail"),
                v.get("inbound.subject.tag.policy"), v.get("inbound.subject.tag.decrypted")));
    }

    private static PolicyMode policy(String key, String value) {
        PolicyMode mode = PolicyMode.fromWord(value);
        if (mode == null) {
            throw new ConfigException(key + ": '" + value + "' is not required, if-possible or never");
        }
        return mode;
    }

    private static Optional<Path> optionalPath(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value));
    }

    private static String hostname(String configured) {
        if (!configured.isBlank()) {
            if (!configured.matches("[A-Za-z0-9.-]+")) {
                throw new ConfigException("gateway.hostname: '" + configured + "' is not a host name");
            }
            return configured;
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
