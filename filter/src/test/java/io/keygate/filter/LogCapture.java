package io.keygate.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects everything Keygate logs, at every level, with exceptions and causes, so tests can search it. */
final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger = Logger.getLogger("io.keygate");
    private final Level previous = logger.getLevel();
    final List<LogRecord> records = new ArrayList<>();

    LogCapture() {
        logger.setLevel(Level.ALL);
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        records.add(record);
    }

    /** Every message, parameter and stack trace as one text. */
    synchronized String text() {
        StringBuilder all = new StringBuilder();
        for (LogRecord record : records) {
            all.append(record.getLevel()).append(' ').append(record.getMessage()).append('\n');
            if (record.getParameters() != null) {
                for (Object parameter : record.getParameters()) {
                    all.append(parameter).append('\n');
                }
            }
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                all.append(t).append('\n');
            }
        }
        return all.toString();
    }

    synchronized long count(Level level) {
        return records.stream().filter(r -> r.getLevel().equals(level)).count();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(previous);
    }
}
