package dev.flotilla.runner;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every log line of the test JVM, rendered with its MDC and stack trace, for assertions. */
public final class CapturedLogs extends AppenderBase<ILoggingEvent> {

  private static final List<String> LINES = new CopyOnWriteArrayList<>();

  @Override
  protected void append(ILoggingEvent event) {
    StringBuilder line =
        new StringBuilder(event.getLevel().toString())
            .append(' ')
            .append(event.getMDCPropertyMap())
            .append(' ')
            .append(event.getFormattedMessage());
    if (event.getThrowableProxy() != null) {
      line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
    }
    LINES.add(line.toString());
  }

  static List<String> lines() {
    return List.copyOf(LINES);
  }

  static void clear() {
    LINES.clear();
  }
}
