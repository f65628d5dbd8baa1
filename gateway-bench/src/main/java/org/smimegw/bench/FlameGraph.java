package org.smimegw.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Turns the CPU samples of a JFR recording ({@code jdk.ExecutionSample}) into a flame graph in SVG: one box per frame,
 * as wide as the share of samples it was on the stack for, callers below callees. Optionally only the samples taken
 * between two times of day (UTC), e.g. one phase of {@link LoadBenchmark}, whose progress lines carry the time. The
 * colour says whose code a frame is: the gateway's, H2, Bouncy Castle, the SMTP and mail libraries, the JDK.
 * See docs/performance.md.
 */
@Command(name = "FlameGraph", mixinStandardHelpOptions = true,
        description = "write the CPU samples of a JFR recording as a flame graph (SVG)")
public final class FlameGraph implements Callable<Integer> {
    private static final int ROW = 16;
    private static final int WIDTH = 1800;
    private static final double CHAR_WIDTH = 6.6;

    @Parameters(index = "0", description = "the recording (.jfr)")
    Path recording;

    @Parameters(index = "1", description = "the SVG file to write")
    Path svg;

    @Option(names = "--from", description = "first time of day (UTC) of the samples to take, e.g. 15:17:00")
    LocalTime from;

    @Option(names = "--to", description = "time of day (UTC) after which samples are left out")
    LocalTime to;

    @Option(names = "--title", defaultValue = "CPU samples", description = "the title line")
    String title;

    /** A frame in the tree of stacks: its samples, and its callees in the order first seen. */
    private static final class Node {
        final String name;
        long samples;
        final Map<String, Node> children = new LinkedHashMap<>();

        Node(String name) {
            this.name = name;
        }

        Node child(String frame) {
            return children.computeIfAbsent(frame, Node::new);
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new FlameGraph()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Node root = new Node("all");
        int depth = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || !inWindow(event)) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null) {
                continue;
            }
            List<RecordedFrame> frames = stack.getFrames();
            Node node = root;
            root.samples++;
            for (int i = frames.size() - 1; i >= 0; i--) {
                node = node.child(name(frames.get(i)));
                node.samples++;
            }
            depth = Math.max(depth, frames.size());
        }
        if (root.samples == 0) {
            throw new IllegalArgumentException("no CPU samples in " + recording + " in the time given");
        }
        int height = (depth + 3) * ROW;
        try (Writer out = Files.newBufferedWriter(svg, StandardCharsets.UTF_8)) {
            out.write(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                    + " font-family=\"monospace\" font-size=\"11\">%n", WIDTH, height));
            out.write(String.format(Locale.ROOT, "<rect width=\"100%%\" height=\"100%%\" fill=\"#fdfdf6\"/>%n"
                    + "<text x=\"8\" y=\"14\" font-size=\"13\">%s (%d samples)</text>%n", escape(title), root.samples));
            draw(out, root, 0, WIDTH, height - ROW, root.samples);
            out.write("</svg>\n");
        }
        return 0;
    }

    private boolean inWindow(RecordedEvent event) {
        LocalTime at = LocalTime.ofInstant(event.getStartTime(), ZoneOffset.UTC);
        return (from == null || !at.isBefore(from)) && (to == null || !at.isAfter(to));
    }

    private static String name(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        int lambda = type.indexOf("$$Lambda");
        if (lambda >= 0) {
            // a lambda's hidden class: its numbered name says nothing and differs from run to run
            type = type.substring(0, lambda) + "$$Lambda";
        }
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName() + " ("
                + type.substring(0, Math.max(0, type.lastIndexOf('.'))) + ")";
    }

    /** The node at {@code x}, {@code width} wide, its bottom edge at {@code y}; its callees above it. */
    private static void draw(Writer out, Node node, double x, double width, int y, long total) throws IOException {
        if (width < 0.5) {
            return;
        }
        String tooltip = String.format(Locale.ROOT, "%s: %d samples, %.1f %%", node.name, node.samples,
                100.0 * node.samples / total);
        out.write(String.format(Locale.ROOT, "<g><title>%s</title><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\""
                + " height=\"%d\" fill=\"%s\" stroke=\"#fdfdf6\" stroke-width=\"0.5\"/>", escape(tooltip), x,
                y - ROW, width, ROW - 1, colour(node.name)));
        int fits = (int) ((width - 4) / CHAR_WIDTH);
        if (fits >= 3) {
            String label = node.name.length() <= fits ? node.name : node.name.substring(0, fits - 2) + "..";
            out.write(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>", x + 2, y - 4,
                    escape(label)));
        }
        out.write("</g>\n");
        double childX = x;
        List<Node> children = new ArrayList<>(node.children.values());
        children.sort(Comparator.comparing(child -> child.name));
        for (Node child : children) {
            double childWidth = width * child.samples / node.samples;
            draw(out, child, childX, childWidth, y - ROW, total);
            childX += childWidth;
        }
    }

    private static String colour(String frame) {
        if (frame.contains("(org.smimegw")) {
            return "#7fc97f";
        }
        if (frame.contains("(org.h2")) {
            return "#80b1d3";
        }
        if (frame.contains("(org.bouncycastle") || frame.contains("(com.amazon.corretto")) {
            return "#fdb462";
        }
        if (frame.contains("(org.subethamail") || frame.contains("(org.eclipse.angus") || frame.contains("(jakarta")) {
            return "#bebada";
        }
        return "#d9d9d9";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
