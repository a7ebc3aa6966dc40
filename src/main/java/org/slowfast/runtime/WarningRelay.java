package org.slowfast.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Hands every SLF4J warning and error of the process (any class, any thread) to a run log, as mmcv's logger writes
 * warnings to the work dir's {@code .log}. Events before a log attaches (device selection, config checks) are kept
 * and replayed when it does; {@link #install} at the start of each command clears them.
 */
public final class WarningRelay extends AppenderBase<ILoggingEvent> {
    /** Where relayed events go: mmcv's level name ({@code WARNING}, {@code ERROR}), epoch millis and message. */
    @FunctionalInterface
    public interface Sink {
        void accept(String level, long timeMillis, String message);
    }

    /** An attached sink; closing detaches it. */
    public interface Attachment extends AutoCloseable {
        @Override
        void close();
    }

    private record Event(String level, long timeMillis, String message) {}

    private static final int MAX_PENDING = 1000;
    private static final WarningRelay INSTANCE = new WarningRelay();

    private final List<Event> pending = new ArrayList<>();
    private Sink sink;

    private WarningRelay() {
        setName("slowfast-warning-relay");
    }

    /** Adds the relay to the root logger (once) and forgets the warnings of earlier commands in this JVM. */
    public static void install() {
        synchronized (INSTANCE) {
            addToRootLogger();
            INSTANCE.pending.clear();
        }
    }

    private static void addToRootLogger() {
        if (!INSTANCE.isStarted()) {
            Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            INSTANCE.setContext(root.getLoggerContext());
            INSTANCE.start();
            root.addAppender(INSTANCE);
        }
    }

    /** Sends the pending and all later warnings to {@code sink} until the returned handle is closed. */
    public static Attachment attach(Sink sink) {
        synchronized (INSTANCE) {
            addToRootLogger();
            INSTANCE.sink = sink;
            INSTANCE.pending.forEach(e -> sink.accept(e.level(), e.timeMillis(), e.message()));
            INSTANCE.pending.clear();
        }
        return () -> {
            synchronized (INSTANCE) {
                if (INSTANCE.sink == sink) {
                    INSTANCE.sink = null;
                }
            }
        };
    }

    @Override
    protected void append(ILoggingEvent e) {
        if (!e.getLevel().isGreaterOrEqual(Level.WARN)) {
            return;
        }
        Event event = new Event(e.getLevel() == Level.WARN ? "WARNING" : e.getLevel().toString(), e.getTimeStamp(),
                e.getFormattedMessage());
        synchronized (this) {
            if (sink != null) {
                sink.accept(event.level(), event.timeMillis(), event.message());
            } else if (pending.size() < MAX_PENDING) {
                pending.add(event);
            }
        }
    }
}
