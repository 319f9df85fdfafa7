package io.keygate.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay between the store and a database server, which a test can cut and restore: what a database restart
 * looks like from the store's side, without stopping a server other tests use. {@link #cut()} closes every relayed
 * connection and refuses new ones (connection refused, as from a stopped server); {@link #restore()} listens again
 * on the same port.
 *
 * <pre>
 * try (DatabaseProxy proxy = new DatabaseProxy("127.0.0.1", 5432)) {
 *     String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test";
 *     ...
 *     proxy.cut();
 *     ...
 *     proxy.restore();
 * }
 * </pre>
 */
final class DatabaseProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    private int port;

    DatabaseProxy(String host, int port) {
        this.target = new InetSocketAddress(host, port);
        restore();
    }

    /** The local port the store connects to. */
    int port() {
        return port;
    }

    /** The database "stops": every connection through the relay is closed, new ones are refused. */
    synchronized void cut() {
        closeQuietly(listener);
        listener = null;
        sockets.forEach(DatabaseProxy::closeQuietly);
        sockets.clear();
    }

    /** The database "is back": the relay listens again, on the same port. */
    synchronized void restore() {
        if (listener != null) {
            return;
        }
        ServerSocket socket = bind();
        listener = socket;
        Thread accept = new Thread(() -> accept(socket), "database-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /**
     * A listener on {@link #port} (any free port the first time). A listener just closed by {@link #cut()} may hold
     * the port for a moment (the thread blocked in {@code accept} releases it), hence the retries.
     */
    private ServerSocket bind() {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                ServerSocket socket = new ServerSocket();
                socket.setReuseAddress(true);
                try {
                    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                } catch (IOException e) {
                    socket.close();
                    throw e;
                }
                port = socket.getLocalPort();
                return socket;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new UncheckedIOException("cannot listen on port " + port, e);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new UncheckedIOException("interrupted while listening on port " + port, e);
                }
            }
        }
    }

    @Override
    public void close() {
        cut();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket server = new Socket();
                server.connect(target, 5000);
                sockets.add(client);
                sockets.add(server);
                if (listener != socket) { // cut while connecting
                    closeQuietly(client);
                    closeQuietly(server);
                    continue;
                }
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                // The listener was closed by cut(), or one connection failed: the store sees a broken connection.
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // closed by cut() or by the other side
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "database-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
