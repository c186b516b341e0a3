package dev.flotilla.migration.testkit;

import java.nio.charset.StandardCharsets;

/**
 * One file in a before/after test: its content before the migration ({@code null}: absent) and the
 * content expected after it ({@code null}: must be gone). Build them with the factories on {@link
 * RewriteTest}.
 */
public record SourceSpec(String path, byte[] before, byte[] after) {

  static SourceSpec text(String path, String before, String after) {
    return new SourceSpec(path, bytes(before), bytes(after));
  }

  private static byte[] bytes(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }
}
