package dev.flotilla.runner;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.MDC;

/**
 * Puts {@code campaign}, {@code repo} and {@code run} in the MDC for the lines of one run and puts
 * back whatever was there before, so a caller's own context (an executor's run id) survives.
 */
final class MdcScope implements AutoCloseable {

  private final Map<String, String> previous = new LinkedHashMap<>();

  private MdcScope() {}

  static MdcScope forRun(RunRequest request) {
    MdcScope scope = new MdcScope();
    scope.put("campaign", request.campaign());
    scope.put("repo", request.repository());
    // An executor that already named the run keeps its id; otherwise lines still group by run.
    if (MDC.get("run") == null) {
      scope.put("run", UUID.randomUUID().toString().substring(0, 8));
    }
    return scope;
  }

  private void put(String key, String value) {
    previous.put(key, MDC.get(key));
    MDC.put(key, value);
  }

  @Override
  public void close() {
    previous.forEach(
        (key, value) -> {
          if (value == null) {
            MDC.remove(key);
          } else {
            MDC.put(key, value);
          }
        });
  }
}
