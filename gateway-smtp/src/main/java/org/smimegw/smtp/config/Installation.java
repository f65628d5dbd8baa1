package org.smimegw.smtp.config;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

/**
 * Where this installation lives, so that the default configuration is the installation's own
 * {@code config/gateway.properties} whatever the working directory (docs/design.md §13). The launcher names the
 * installation with {@code -Dsmimegw.home}; without it (plain {@code java -jar}), the nearest directory above the
 * jar that holds {@code config/gateway.properties} is taken, and failing that the jar's own directory.
 */
public final class Installation {
    /** The system property the launcher sets to the installation's directory. */
    public static final String HOME_PROPERTY = "smimegw.home";
    /** The configuration file's place inside an installation. */
    public static final Path CONFIG_FILE = Path.of("config", "gateway.properties");
    /** How far above the jar an installation's configuration is looked for ({@code gateway-smtp/target/x.jar}). */
    private static final int LEVELS_ABOVE_JAR = 3;

    private Installation() {
    }

    /** The installation's configuration file: {@code <home>/config/gateway.properties}. */
    public static Path defaultConfigFile() {
        return home().resolve(CONFIG_FILE);
    }

    static Path home() {
        String named = System.getProperty(HOME_PROPERTY);
        if (named != null && !named.isBlank()) {
            return Path.of(named).toAbsolutePath().normalize();
        }
        Path jarDirectory = jarDirectory().orElse(Path.of("").toAbsolutePath());
        Path candidate = jarDirectory;
        for (int level = 0; level <= LEVELS_ABOVE_JAR && candidate != null; level++) {
            if (Files.isRegularFile(candidate.resolve(CONFIG_FILE))) {
                return candidate;
            }
            candidate = candidate.getParent();
        }
        return jarDirectory;
    }

    /** The directory of the jar (or class directory) this class was loaded from. */
    private static Optional<Path> jarDirectory() {
        CodeSource source = Installation.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            Path location = Path.of(source.getLocation().toURI()).toAbsolutePath();
            return Optional.ofNullable(Files.isDirectory(location) ? location : location.getParent());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
