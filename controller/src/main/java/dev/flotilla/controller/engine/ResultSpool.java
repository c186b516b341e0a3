package dev.flotilla.controller.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.flotilla.controller.store.StoreJson;
import dev.flotilla.runner.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run results the store could not take when they arrived, kept until they are recorded: in memory,
 * and with a folder also as one JSON file per run, so a controller stopped during an outage records
 * them on its next start instead of running them again.
 */
public final class ResultSpool {

  private static final Logger LOG = LoggerFactory.getLogger(ResultSpool.class);
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  private final Path folder;
  private final Map<String, RunResult> results = new LinkedHashMap<>();

  private ResultSpool(Path folder) {
    this.folder = folder;
  }

  /** A spool that forgets with the process. */
  public static ResultSpool inMemory() {
    return new ResultSpool(null);
  }

  /** A spool kept in {@code folder}, with the results an earlier process left there. */
  public static ResultSpool in(Path folder) {
    ResultSpool spool = new ResultSpool(folder);
    spool.load();
    return spool;
  }

  /** Keeps {@code result} until {@link #recorded(String)}; a second result for the same run replaces it. */
  public synchronized void keep(String runId, RunResult result) {
    results.put(runId, result);
    if (folder == null || !RUN_ID.matcher(runId).matches()) {
      return;
    }
    try {
      Files.createDirectories(folder);
      Path partial = folder.resolve(runId + ".json.partial");
      Files.writeString(partial, StoreJson.MAPPER.writeValueAsString(result));
      Files.move(partial, folder.resolve(runId + ".json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("could not write the result of run {} to {} ({}); it is kept in memory only", runId, folder, e.getMessage());
    }
  }

  /** The kept results, oldest first. */
  public synchronized Map<String, RunResult> pending() {
    return new LinkedHashMap<>(results);
  }

  public synchronized boolean isEmpty() {
    return results.isEmpty();
  }

  /** Forgets the result of {@code runId}: it is in the store now, or no longer wanted. */
  public synchronized void recorded(String runId) {
    results.remove(runId);
    if (folder != null && RUN_ID.matcher(runId).matches()) {
      try {
        Files.deleteIfExists(folder.resolve(runId + ".json"));
      } catch (IOException e) {
        LOG.warn("could not delete {} ({}); the result is recorded, the file will be read and ignored", folder.resolve(runId + ".json"), e.getMessage());
      }
    }
  }

  private void load() {
    if (!Files.isDirectory(folder)) {
      return;
    }
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
        String runId = file.getFileName().toString().replaceFirst("\\.json$", "");
        try {
          results.put(runId, StoreJson.MAPPER.readValue(Files.readString(file), RunResult.class));
        } catch (JsonProcessingException e) {
          LOG.warn("{} is not a run result ({}); the run is done again instead", file, e.getOriginalMessage());
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException e) {
      LOG.warn("could not read the kept run results in {} ({}); those runs are done again", folder, e.getMessage());
    }
    if (!results.isEmpty()) {
      LOG.info("{} run results the store could not take before are kept in {}; recording them", results.size(), folder);
    }
  }
}
