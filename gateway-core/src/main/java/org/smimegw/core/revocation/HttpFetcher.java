package org.smimegw.core.revocation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks CRL distribution points (GET) and OCSP responders (POST) over plain HTTP, each exchange bounded by the
 * deadline of the message's check and by a body limit. Redirects are followed by hand, at most
 * {@value #MAX_REDIRECTS} and only to the same host over {@code http://}, so a certificate cannot send the gateway
 * elsewhere. A URL that failed is remembered for {@link #FAILURE_MEMORY} and not asked again within that time: a
 * dead responder costs one timeout a minute, not one per message. Thread-safe; one per {@link RevocationChecker}.
 */
final class HttpFetcher {
    static final Duration FAILURE_MEMORY = Duration.ofSeconds(60);
    static final int MAX_REDIRECTS = 3;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final Duration connectTimeout;
    private final Clock clock;
    /** Made on the first fetch: a command that never fetches does not pay for starting it (docs/performance.md). */
    private volatile HttpClient client;
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();

    /** What an exchange gave: the body of a {@code 200}, or why not. */
    sealed interface Fetched {
        /** The body of the answer, within the limit. */
        record Body(byte[] bytes) implements Fetched {
        }

        /** Why no answer was had; {@code remember} when the URL is to blame, so it is not asked again for a while. */
        record Failed(String reason, boolean remember) implements Fetched {
        }
    }

    private record Failure(String reason, Instant until) {
    }

    /** {@code connectTimeout} bounds each connection attempt besides the request's own deadline. */
    HttpFetcher(Clock clock, Duration connectTimeout) {
        this.clock = clock;
        this.connectTimeout = connectTimeout;
    }

    private HttpClient client() {
        HttpClient made = client;
        if (made == null) {
            synchronized (this) {
                made = client;
                if (made == null) {
                    made = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(connectTimeout).build();
                    client = made;
                }
            }
        }
        return made;
    }

    /** GET, for a CRL. */
    Fetched get(String url, long limit, Instant deadline) {
        return fetch(url, null, null, limit, deadline);
    }

    /** POST of {@code body} as {@code contentType}, for an OCSP request. */
    Fetched post(String url, byte[] body, String contentType, long limit, Instant deadline) {
        return fetch(url, body, contentType, limit, deadline);
    }

    /**
     * Remembers that the URL gave no usable answer, e.g. a CRL that does not verify. Failures older than the memory
     * are dropped here, so the memory holds only the URLs that failed within the last minute.
     */
    void failed(String url, String reason) {
        Instant now = clock.instant();
        failures.values().removeIf(failure -> !now.isBefore(failure.until()));
        failures.put(url, new Failure(reason, now.plus(FAILURE_MEMORY)));
    }

    private Fetched fetch(String url, byte[] body, String contentType, long limit, Instant deadline) {
        Failure failure = failures.get(url);
        if (failure != null && clock.instant().isBefore(failure.until())) {
            return new Fetched.Failed("not asked: it failed less than " + FAILURE_MEMORY.toSeconds() + "s ago ("
                    + failure.reason() + ")", false);
        }
        Fetched fetched;
        try {
            fetched = exchange(new URI(url), body, contentType, limit, deadline);
        } catch (URISyntaxException | IllegalArgumentException e) {
            fetched = new Fetched.Failed("is not a usable URL", true);
        }
        if (fetched instanceof Fetched.Failed failed && failed.remember()) {
            failed(url, failed.reason());
        }
        return fetched;
    }

    private Fetched exchange(URI start, byte[] body, String contentType, long limit, Instant deadline) {
        URI uri = start;
        for (int redirects = 0; ; redirects++) {
            Duration remaining = Duration.between(clock.instant(), deadline);
            if (remaining.isNegative() || remaining.isZero()) {
                return new Fetched.Failed("not asked: this message's time for revocation checks"
                        + " (revocation.timeout) was used up", false);
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(remaining);
            if (body != null) {
                request.header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
            }
            CompletableFuture<HttpResponse<byte[]>> pending = client().sendAsync(request.build(),
                    info -> new LimitedBody(info.statusCode() == 200 ? limit : -1));
            HttpResponse<byte[]> response;
            try {
                response = pending.get(remaining.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                pending.cancel(true);
                return new Fetched.Failed("did not answer within " + text(remaining), true);
            } catch (ExecutionException e) {
                return new Fetched.Failed(describe(e.getCause(), remaining, limit), true);
            } catch (InterruptedException e) {
                pending.cancel(true);
                Thread.currentThread().interrupt();
                return new Fetched.Failed("not asked: interrupted", false);
            }
            int status = response.statusCode();
            if (status == 200) {
                return new Fetched.Body(response.body());
            }
            Optional<String> location = response.headers().firstValue("Location");
            if (!REDIRECTS.contains(status) || location.isEmpty()) {
                return new Fetched.Failed("answered HTTP " + status, true);
            }
            URI next;
            try {
                next = uri.resolve(new URI(location.get()));
            } catch (URISyntaxException | IllegalArgumentException e) {
                return new Fetched.Failed("redirected to a location that is not a URL", true);
            }
            if (!"http".equalsIgnoreCase(next.getScheme())) {
                return new Fetched.Failed("redirect to " + next + " not followed: only http:// is asked", true);
            }
            if (next.getHost() == null || !next.getHost().equalsIgnoreCase(uri.getHost())) {
                return new Fetched.Failed("redirect to another host " + next + " not followed", true);
            }
            if (redirects == MAX_REDIRECTS) {
                return new Fetched.Failed("redirected more than " + MAX_REDIRECTS + " times", true);
            }
            uri = next;
        }
    }

    private static String describe(Throwable failure, Duration remaining, long limit) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TooLarge) {
                return "sent more than " + limit + " bytes";
            }
            if (cause instanceof HttpTimeoutException) {
                return "did not answer within " + text(remaining);
            }
            if (cause instanceof ConnectException) {
                return "refused the connection";
            }
        }
        return "cannot be reached (" + failure.getClass().getSimpleName() + ")";
    }

    /** {@code 5s}, or {@code 300ms} when not a whole number of seconds. */
    static String text(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
    }

    /** Collects a body up to a limit, failing beyond it; a negative limit discards the body of a non-200 answer. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final long limit;
        private Flow.Subscription subscription;

        LimitedBody(long limit) {
            this.limit = limit;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (limit < 0) {
                s.cancel();
                result.complete(new byte[0]);
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (result.isDone()) {
                    return;
                }
                if (out.size() + (long) buffer.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge());
                    return;
                }
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                out.writeBytes(bytes);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }
    }
}
