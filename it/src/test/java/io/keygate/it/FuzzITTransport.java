package io.keygate.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sends {@link FuzzITRequests.FuzzRequest}s for {@link FuzzIT}: through {@link HttpClient} when it accepts the
 * request, otherwise (CR/LF, control characters or non-Latin-1 text in a header, headers it reserves such as
 * {@code Content-Length}, a target it would not parse) as HTTP/1.1 written by hand on a plain socket to
 * {@code localhost}, reading the status line, the headers and the body (de-chunked) until the server closes.
 *
 * <p>Every request comes from a client of its own, as through a proxy: loopback is a trusted proxy in the ITs, so
 * {@code X-Forwarded-For} names an address derived from the request's index (and {@code X-Forwarded-Proto: https}
 * says the proxy had TLS). {@code keygate.war}'s brute-force throttle counts per client address; without this, the
 * failures the fuzzing sends on purpose would lock loopback out of {@code keygate.war} after a few dozen requests,
 * and the rest would be answered 429 without being looked at.
 */
final class FuzzITTransport {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();

    FuzzITTransport(int port) {
        this.port = port;
    }

    /** What came back: the status, every header line and the body as ISO-8859-1 text (bytes kept one to one). */
    record Answer(int status, String headers, String body, boolean raw) {
    }

    /**
     * Sends {@code request}. When {@link HttpClient} gets no answer, the request is sent once more on a fresh
     * socket: the server may have closed the pooled connection after an earlier answer (it closes after most
     * errors), which says nothing about this request. Only a request that gets no answer on its own connection
     * either counts as unanswered.
     */
    Answer send(FuzzITRequests.FuzzRequest request) throws IOException, InterruptedException {
        if (!request.raw()) {
            HttpRequest built = build(request);
            if (built != null) {
                HttpResponse<byte[]> response;
                try {
                    response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
                } catch (IOException e) {
                    return sendRaw(request);
                }
                StringBuilder headers = new StringBuilder();
                for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
                    for (String value : header.getValue()) {
                        headers.append(header.getKey()).append(": ").append(value).append("\r\n");
                    }
                }
                return new Answer(response.statusCode(), headers.toString(),
                        new String(response.body(), StandardCharsets.ISO_8859_1), false);
            }
        }
        return sendRaw(request);
    }

    /** The request for {@link HttpClient}, or {@code null} when it refuses one of its parts. */
    private HttpRequest build(FuzzITRequests.FuzzRequest request) {
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + request.target())).timeout(TIMEOUT);
            for (String[] header : request.headers()) {
                builder.header(header[0], header[1]);
            }
            builder.header("X-Forwarded-For", clientOf(request)).header("X-Forwarded-Proto", "https");
            HttpRequest.BodyPublisher body = request.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(request.body());
            return builder.method(request.method(), body).build();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Answer sendRaw(FuzzITRequests.FuzzRequest request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 10_000);
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            write(out, request.method() + " " + request.target() + " HTTP/1.1\r\n");
            write(out, "Host: localhost:" + port + "\r\n");
            write(out, "X-Forwarded-For: " + clientOf(request) + "\r\nX-Forwarded-Proto: https\r\n");
            boolean hasLength = false;
            for (String[] header : request.headers()) {
                hasLength |= header[0].equalsIgnoreCase("Content-Length")
                        || header[0].equalsIgnoreCase("Transfer-Encoding");
                write(out, header[0] + ": " + header[1] + "\r\n");
            }
            if (!hasLength && (request.body().length > 0 || !request.method().equals("GET"))) {
                write(out, "Content-Length: " + request.body().length + "\r\n");
            }
            write(out, "Connection: close\r\n\r\n");
            out.write(request.body());
            try {
                OutputStream socketOut = socket.getOutputStream();
                socketOut.write(out.toByteArray());
                socketOut.flush();
            } catch (java.net.SocketException e) {
                // The server answered before reading the whole body and closed its side: the answer is there.
            }
            return parse(readAll(socket.getInputStream()));
        }
    }

    /** The request's own client address, in 198.18.0.0/15 (RFC 2544, benchmarking): one per index. */
    static String clientOf(FuzzITRequests.FuzzRequest request) {
        return "198." + (18 + (request.index() >> 16 & 1)) + "." + (request.index() >> 8 & 255) + "."
                + (request.index() & 255);
    }

    /** Latin-1 text goes out byte for byte; anything beyond it as UTF-8, as a careless client would send it. */
    private static void write(ByteArrayOutputStream out, String text) {
        boolean latin1 = text.chars().allMatch(c -> c <= 0xff);
        out.writeBytes(text.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                bytes.write(buffer, 0, n);
            }
        } catch (java.net.SocketException e) {
            // A reset after the answer was written (the server closes while we still send): keep what came.
            if (bytes.size() == 0) {
                throw e;
            }
        }
        return bytes.toByteArray();
    }

    private static Answer parse(byte[] bytes) throws IOException {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || end < 0) {
            throw new IOException("not an HTTP answer (" + bytes.length + " bytes): "
                    + FuzzITRequests.printable(text, 200));
        }
        String head = text.substring(0, end + 2);
        String statusLine = head.substring(0, head.indexOf("\r\n"));
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        String headers = head.substring(statusLine.length() + 2);
        String body = text.substring(end + 4);
        if (headers.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
            body = dechunk(body);
        }
        return new Answer(status, headers, body, true);
    }

    /** RFC 9112 section 7.1, so that no token split over two chunks escapes the echo check. */
    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            if (lineEnd < 0) {
                break;
            }
            String sizeText = chunked.substring(at, lineEnd).split(";", 2)[0].trim();
            int size;
            try {
                size = Integer.parseInt(sizeText, 16);
            } catch (NumberFormatException e) {
                return chunked;
            }
            if (size == 0) {
                break;
            }
            int start = lineEnd + 2;
            body.append(chunked, start, Math.min(chunked.length(), start + size));
            at = start + size + 2;
        }
        return body.toString();
    }
}
