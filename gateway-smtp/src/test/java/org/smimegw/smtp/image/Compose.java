package org.smimegw.smtp.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.smimegw.smtp.testing.Await;
import org.smimegw.smtp.testing.ExternalCommand;
import org.smimegw.smtp.testing.HarnessStop;

/**
 * docker/compose.yaml run by Debian's podman-compose (1.0.3) under a project name of its own, with the podman
 * settings of {@link Podman} and the compose variables {@code variables}. What the project makes (containers, named
 * volumes, its network) is removed by {@link #close()}, or at JVM exit when a test never gets there. podman-compose
 * 1.0.3 ignores profiles and health conditions, does not remove the network on {@code down}, and exits 0 when a podman
 * command it runs fails: this class names the services, waits for health itself, removes the network and checks every
 * exit code podman-compose reports.
 */
final class Compose implements AutoCloseable {
    /** The project's network: podman-compose names it {@code PROJECT_mail} after compose.yaml's network. */
    private static final String NETWORK = "mail";
    private static final Pattern EXIT_CODE = Pattern.compile("(?m)^exit code: (-?\\d+)$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Podman podman;
    private final Path program;
    private final Path composeFile;
    private final String project;
    private final Map<String, String> environment;
    private final HarnessStop stop;

    /**
     * {@code variables} are compose variables (ports, JAR_STAGE, image tags); they must not be set in docker/.env,
     * which podman-compose 1.0.3 lets win over the environment.
     */
    Compose(Podman podman, Path repository, Map<String, String> variables) throws IOException {
        this.podman = podman;
        this.program = ExternalCommand.locate("podman-compose", "podman-compose");
        this.composeFile = repository.resolve("docker/compose.yaml");
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        this.project = "smime-gateway-it-compose-" + HexFormat.of().formatHex(bytes);
        Path dotEnv = repository.resolve("docker/.env");
        if (Files.isRegularFile(dotEnv)) {
            for (String line : Files.readAllLines(dotEnv)) {
                String name = line.strip().split("=", 2)[0].strip();
                if (variables.containsKey(name)) {
                    throw new IllegalStateException(dotEnv + " sets " + name + ", which the test sets itself:"
                            + " podman-compose 1.0.3 would take the file's value");
                }
            }
        }
        Map<String, String> env = new LinkedHashMap<>(variables);
        env.put("CONTAINERS_CONF", repository.resolve("docker/podman/containers.conf").toString());
        // podman builds OCI images unless told otherwise, and an OCI image keeps no HEALTHCHECK
        env.put("BUILDAH_FORMAT", "docker");
        this.environment = Map.copyOf(env);
        this.stop = new HarnessStop("compose-cleanup", this::removeQuietly);
    }

    String project() {
        return project;
    }

    /** The container of a service: podman-compose 1.0.3 names it {@code PROJECT_SERVICE_1}. */
    String container(String service) {
        return project + "_" + service + "_1";
    }

    /** Where a named volume of compose.yaml is on this host ({@code PROJECT_VOLUME}). */
    Path volume(String name) throws IOException, InterruptedException {
        String inspected = podman.succeeds("volume", "inspect", "--format", "{{.Mountpoint}}", project + "_" + name)
                .output();
        // podman's own warnings share the output: the path is the line that is one
        return Path.of(inspected.lines().filter(line -> line.startsWith("/")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no mount point for volume " + name + ": " + inspected)));
    }

    /**
     * Runs podman-compose with {@code arguments}; fails unless it and every podman command it ran ("exit code: N" in
     * its output) succeeded.
     */
    ExternalCommand.Result succeeds(Duration timeout, String... arguments) throws IOException, InterruptedException {
        ExternalCommand.Result result = run(timeout, arguments);
        Matcher m = EXIT_CODE.matcher(result.output());
        boolean failed = result.exitCode() != 0;
        while (m.find()) {
            failed |= !"0".equals(m.group(1));
        }
        if (failed) {
            throw new AssertionError("podman-compose " + String.join(" ", arguments) + " failed:\n" + result.output());
        }
        return result;
    }

    private ExternalCommand.Result run(Duration timeout, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(program.toString(), "-f", composeFile.toString(), "-p",
                project));
        command.addAll(List.of(arguments));
        return ExternalCommand.run(timeout, environment, command);
    }

    /**
     * Polls each service's health check ({@code podman healthcheck run}: no systemd here runs them on a timer) until
     * all pass; fails with the logs of those that did not, or that stopped.
     */
    void awaitHealthy(Duration bound, List<String> services) throws Exception {
        List<String> waiting = new ArrayList<>(services);
        AtomicBoolean exited = new AtomicBoolean();
        Await.until(bound, () -> {
            for (String service : List.copyOf(waiting)) {
                String name = container(service);
                if (!podman.running(name)) {
                    exited.set(true);
                    return true;
                }
                if (podman.run("healthcheck", "run", name).exitCode() == 0) {
                    waiting.remove(service);
                }
            }
            return waiting.isEmpty();
        });
        if (!waiting.isEmpty()) {
            StringBuilder report = new StringBuilder((exited.get() ? "a container stopped" : "not healthy within "
                    + bound) + ": " + waiting);
            for (String service : waiting) {
                report.append("\n--- ").append(service).append(": ")
                        .append(podman.inspect(container(service), "{{.State.Status}} {{.State.ExitCode}}"))
                        .append('\n').append(logs(service));
            }
            throw new AssertionError(report);
        }
    }

    /** A service's output, for failure messages; never fails. */
    String logs(String service) {
        try {
            return podman.run("logs", "--tail", "60", container(service)).output();
        } catch (IOException e) {
            return "(no logs: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    /**
     * {@code podman-compose down -v}, then whatever it leaves: containers and volumes labelled with the project, and
     * the network. Fails if anything of the project is still there.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        if (!stop.claim()) {
            return;
        }
        String down = tearDown();
        List<String> left = leftovers();
        if (!left.isEmpty()) {
            throw new AssertionError("the compose project " + project + " left " + left + " behind; down said:\n"
                    + down);
        }
    }

    private void removeQuietly() {
        try {
            tearDown();
        } catch (IOException e) {
            // the JVM is exiting: nothing left to report to
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Every step runs even when one before it failed. podman-compose's own down also tries the services of the
     * cluster profile, which never ran: their "no such container" is expected, hence no exit code check.
     */
    private String tearDown() throws IOException, InterruptedException {
        String down = run(Podman.CALL.multipliedBy(2), "down", "-v", "-t", "30").output();
        String label = "label=io.podman.compose.project=" + project;
        for (String id : podman.run("ps", "-a", "-q", "--filter", label).output().split("\\s+")) {
            if (!id.isBlank()) {
                podman.run("rm", "-f", "-v", id);
            }
        }
        for (String volume : podman.run("volume", "ls", "-q", "--filter", label).output().split("\\s+")) {
            if (!volume.isBlank()) {
                podman.run("volume", "rm", "-f", volume);
            }
        }
        podman.run("network", "rm", "-f", project + "_" + NETWORK);
        return down;
    }

    private List<String> leftovers() throws IOException, InterruptedException {
        String label = "label=io.podman.compose.project=" + project;
        List<String> left = new ArrayList<>();
        left.addAll(names("container ", podman.succeeds("ps", "-a", "--format", "container {{.Names}}", "--filter",
                label)));
        left.addAll(names("volume ", podman.succeeds("volume", "ls", "--format", "volume {{.Name}}", "--filter",
                label)));
        left.addAll(names("network ", podman.succeeds("network", "ls", "--format", "network {{.Name}}", "--filter",
                "name=^" + project + "_")));
        return left;
    }

    /** The lines of a listing that start with {@code kind}; podman's own warnings share the output. */
    private static List<String> names(String kind, ExternalCommand.Result listed) {
        return listed.output().lines().map(String::strip).filter(line -> line.startsWith(kind)).toList();
    }
}
