package org.smimegw.smtp.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.smimegw.smtp.testing.ExternalCommand;
import org.smimegw.smtp.testing.HarnessStop;

/**
 * podman as the image tests run it: as root, with {@code docker/podman/containers.conf} (runc, cgroupfs, no ulimits;
 * docs/adr/0026-container-image-from-debian-packages.md), every call bounded. The containers and volumes it makes
 * are removed by {@link #close()}, or at JVM exit when a test never gets there. An image a build moves its tag away
 * from is removed with the layers only it used, so that repeated runs keep one image per tag.
 */
final class Podman implements AutoCloseable {
    /** Any call but a build: a container start, an exec of a gateway command, a stop with its 30 s grace. */
    static final Duration CALL = Duration.ofMinutes(2);

    /** The jar {@code JAR_STAGE=context} takes, relative to the repository root. */
    static final String JAR = "gateway-smtp/target/smime-gateway.jar";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path repository;
    private final Path program;
    private final Map<String, String> environment;
    private final Set<String> containers = new LinkedHashSet<>();
    private final Set<String> volumes = new LinkedHashSet<>();
    private final HarnessStop stop;

    Podman(Path repository) {
        this.repository = repository;
        this.program = ExternalCommand.locate("podman", "podman");
        ExternalCommand.locate(Path.of("/usr/sbin/runc"), "runc");
        this.environment = Map.of("CONTAINERS_CONF",
                repository.resolve("docker/podman/containers.conf").toString());
        this.stop = new HarnessStop("podman-cleanup", this::removeQuietly);
    }

    /**
     * podman for a test that builds the image from the jar this build made ({@code JAR_STAGE=context}), with the
     * Debian base made when absent. The test must run as root (system storage, volumes and bind mounts of other
     * owners), and the jar the context holds must be the one the package phase just made.
     */
    static Podman forThisBuild(String test, Duration build) throws IOException, InterruptedException {
        assertEquals(0, Files.getAttribute(Path.of("/proc/self"), "unix:uid"),
                test + " runs podman as root (system storage, volumes and bind mounts of other owners): run ./test as"
                        + " root");
        Path repository = repositoryRoot();
        Path jar = repository.resolve(JAR);
        assertEquals(jar, Path.of(System.getProperty("gateway.jar")).toAbsolutePath().normalize(),
                "JAR_STAGE=context takes the jar from " + jar + ", not the one this build made");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: the package phase makes it (mvn -B verify)");
        Podman podman = new Podman(repository);
        podman.ensureDebianBase(build);
        return podman;
    }

    /** The repository root: the build context of every image. */
    Path repository() {
        return repository;
    }

    /** The repository root: the nearest directory above the working directory that holds docker/Dockerfile. */
    static Path repositoryRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker/Dockerfile")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no docker/Dockerfile in " + start + " nor in any folder above it");
    }

    ExternalCommand.Result run(Duration timeout, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(arguments);
        return ExternalCommand.run(timeout, environment, command);
    }

    ExternalCommand.Result run(String... arguments) throws IOException, InterruptedException {
        return run(CALL, List.of(arguments));
    }

    ExternalCommand.Result succeeds(Duration timeout, List<String> arguments)
            throws IOException, InterruptedException {
        return run(timeout, arguments).assertSuccess();
    }

    ExternalCommand.Result succeeds(String... arguments) throws IOException, InterruptedException {
        return succeeds(CALL, List.of(arguments));
    }

    /**
     * Makes sure podman's storage holds docker.io/library/debian:bookworm-slim: {@code docker/debian-base.sh}
     * debootstraps it once per machine (cached in /var/cache/smime-gateway-test) and imports it when absent.
     */
    void ensureDebianBase(Duration timeout) throws IOException, InterruptedException {
        ExternalCommand.locate("debootstrap", "debootstrap");
        ExternalCommand.run(timeout, environment,
                List.of("bash", repository.resolve("docker/debian-base.sh").toString())).assertSuccess();
    }

    /**
     * Builds docker/Dockerfile with the repository as the context, without pulling, with host networking (apt-get
     * reaches the Debian mirror as the host does) and in Docker's format (OCI images have no HEALTHCHECK), and tags
     * the result {@code tag}. The image the tag named before, if another, is removed.
     */
    ExternalCommand.Result build(Duration timeout, String tag, List<String> options)
            throws IOException, InterruptedException {
        String before = imageId(tag);
        List<String> command = new ArrayList<>(List.of("build", "--pull=never", "--network", "host", "--format",
                "docker", "-f", repository.resolve("docker/Dockerfile").toString(), "-t", tag));
        command.addAll(options);
        command.add(repository.toString());
        ExternalCommand.Result built = succeeds(timeout, command);
        String after = imageId(tag);
        if (before != null && !before.equals(after)) {
            // fails harmlessly while a container of another run still uses it; a later run removes it then
            run("rmi", before);
        }
        return built;
    }

    /** The id of the image {@code tag} names; null when there is none. */
    String imageId(String tag) throws IOException, InterruptedException {
        ExternalCommand.Result inspected = run("image", "inspect", "--format", "{{.Id}}", tag);
        return inspected.exitCode() == 0 ? inspected.output().strip() : null;
    }

    /** A new container name, removed (with its anonymous volumes) by {@link #close()}. */
    synchronized String container(String purpose) {
        String name = "smime-gateway-it-" + purpose + "-" + random();
        containers.add(name);
        return name;
    }

    /** A new named volume, removed by {@link #close()}. */
    String volume() throws IOException, InterruptedException {
        String name = "smime-gateway-it-" + random();
        synchronized (this) {
            volumes.add(name);
        }
        succeeds("volume", "create", name);
        return name;
    }

    /** A field of {@code podman inspect} of a container, e.g. {@code {{.State.ExitCode}}}. */
    String inspect(String container, String format) throws IOException, InterruptedException {
        return succeeds("inspect", "--format", format, container).output().strip();
    }

    boolean running(String container) throws IOException, InterruptedException {
        return "true".equals(inspect(container, "{{.State.Running}}"));
    }

    /** What the container wrote to stdout and stderr, and nothing of podman's own. */
    String logs(String container) throws IOException, InterruptedException {
        return succeeds("logs", container).output();
    }

    /** Removes a container now, with its anonymous volumes. */
    void remove(String container) throws IOException, InterruptedException {
        succeeds("rm", "-f", "-v", container);
        synchronized (this) {
            containers.remove(container);
        }
    }

    private static String random() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (!stop.claim()) {
            return;
        }
        List<String> failures = removeAll();
        if (!failures.isEmpty()) {
            throw new AssertionError("podman left containers or volumes behind:\n" + String.join("\n", failures));
        }
    }

    private void removeQuietly() {
        try {
            removeAll();
        } catch (IOException e) {
            // the JVM is exiting: nothing left to report to
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized List<String> removeAll() throws IOException, InterruptedException {
        List<String> failures = new ArrayList<>();
        for (String container : containers) {
            ExternalCommand.Result removed = run("rm", "-f", "-v", "--ignore", container);
            if (removed.exitCode() != 0) {
                failures.add(removed.toString());
            }
        }
        containers.clear();
        for (String volume : volumes) {
            ExternalCommand.Result removed = run("volume", "rm", "-f", volume);
            if (removed.exitCode() != 0 && !removed.output().contains("no such volume")) {
                failures.add(removed.toString());
            }
        }
        volumes.clear();
        return failures;
    }
}
