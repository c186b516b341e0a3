package dev.flotilla.runner;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.flotilla.FlotillaException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The JSON forms of {@link RunRequest} (what the runner reads) and {@link RunResult} (what it
 * writes to stdout and to a pod's termination message, which holds at most {@value
 * #MAX_RESULT_BYTES} bytes).
 */
public final class RunJson {

  /** A Kubernetes termination message is cut at 4 KiB; a cut JSON object cannot be parsed. */
  public static final int MAX_RESULT_BYTES = 4096;

  private static final List<String> REQUIRED =
      List.of("campaign", "repository", "migration", "cloneUrl", "defaultBranch", "branch");

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  private RunJson() {}

  /** Reads a request file; the exception names the file and the field that is wrong. */
  public static RunRequest readRequest(Path file) {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new BadRequestException("request file " + file + " does not exist");
    } catch (IOException e) {
      throw new BadRequestException("request file " + file + " cannot be read: " + e.getMessage());
    }
    return readRequest(json, "request file " + file);
  }

  /** Reads a request; {@code source} names where it came from in error messages. */
  public static RunRequest readRequest(String json, String source) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new BadRequestException(
          source
              + " is not valid JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ": "
              + e.getOriginalMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw new BadRequestException(source + " must hold a JSON object with the run request's fields");
    }
    for (String field : REQUIRED) {
      JsonNode value = tree.get(field);
      if (value == null || !value.isTextual() || value.asText().isBlank()) {
        throw new BadRequestException(source + ": field '" + field + "' is required and must be a non-empty string");
      }
    }
    try {
      return MAPPER.treeToValue(tree, RunRequest.class);
    } catch (JsonMappingException e) {
      throw new BadRequestException(
          source + ": field '" + path(e) + "': " + firstLine(e.getOriginalMessage()));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new BadRequestException(source + ": " + firstLine(e.getMessage()));
    }
  }

  public static String writeRequest(RunRequest request) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(request);
    } catch (JsonProcessingException e) {
      throw new FlotillaException("cannot write the run request as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** One line of JSON, at most {@value #MAX_RESULT_BYTES} bytes in UTF-8: long texts are cut to fit. */
  public static String writeResult(RunResult result) {
    byte[] bytes = serialize(result);
    if (bytes.length <= MAX_RESULT_BYTES) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    // The data tables and the diff give way first: they are kept whole only where there is room.
    if (!result.dataTables().isEmpty()) {
      result = result.withDataTables(List.of());
      bytes = serialize(result);
      if (bytes.length <= MAX_RESULT_BYTES) {
        return new String(bytes, StandardCharsets.UTF_8);
      }
    }
    if (result.diff() != null) {
      int fitsDiff = 0;
      int tooLongDiff = result.diff().length();
      while (tooLongDiff - fitsDiff > 1) {
        int middle = (fitsDiff + tooLongDiff) >>> 1;
        if (serialize(result.withDiffCutTo(middle)).length <= MAX_RESULT_BYTES) {
          fitsDiff = middle;
        } else {
          tooLongDiff = middle;
        }
      }
      result = result.withDiffCutTo(fitsDiff);
      bytes = serialize(result);
      if (bytes.length <= MAX_RESULT_BYTES) {
        return new String(bytes, StandardCharsets.UTF_8);
      }
    }
    // Escapes and multi-byte characters make bytes per character vary: search the longest cut that fits.
    int fits = 0;
    int tooLong = Math.max(length(result.summary()), length(result.reason()));
    while (tooLong - fits > 1) {
      int middle = (fits + tooLong) >>> 1;
      if (serialize(shorten(result, middle)).length <= MAX_RESULT_BYTES) {
        fits = middle;
      } else {
        tooLong = middle;
      }
    }
    return new String(serialize(shorten(result, fits)), StandardCharsets.UTF_8);
  }

  public static RunResult readResult(String json) {
    try {
      return MAPPER.readValue(json, RunResult.class);
    } catch (JsonProcessingException e) {
      throw new FlotillaException("a run result is not valid: " + firstLine(e.getOriginalMessage()), e);
    }
  }

  private static byte[] serialize(RunResult result) {
    try {
      return MAPPER.writeValueAsBytes(result);
    } catch (JsonProcessingException e) {
      throw new FlotillaException("cannot write the run result as JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static RunResult shorten(RunResult result, int characters) {
    return new RunResult(
        result.status(),
        result.headSha(),
        result.filesChanged(),
        result.insertions(),
        result.deletions(),
        cut(result.summary(), characters),
        result.phase(),
        cut(result.reason(), characters),
        result.baseSha(),
        result.diff(),
        result.dataTables());
  }

  private static int length(String text) {
    return text == null ? 0 : text.length();
  }

  /** At most {@code characters} characters, the last one an ellipsis, never splitting a surrogate pair. */
  private static String cut(String text, int characters) {
    if (text == null || text.length() <= characters) {
      return text;
    }
    int keep = Math.max(0, characters - 1);
    if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
      keep--;
    }
    return text.substring(0, keep) + "…";
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  private static String firstLine(String text) {
    return text == null ? "" : text.lines().findFirst().orElse("");
  }

  /** A request file that cannot be read or does not describe a run; the CLI exits with 2. */
  public static final class BadRequestException extends FlotillaException {
    public BadRequestException(String message) {
      super(message);
    }
  }
}
