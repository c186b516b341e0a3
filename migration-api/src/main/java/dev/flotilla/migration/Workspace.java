package dev.flotilla.migration;

import java.io.IOException;
import java.util.List;

/**
 * The only door a migration has to the disk: one checked-out repository.
 *
 * <p>Paths are relative to the repository root and use {@code /}. Absolute paths, {@code ..}
 * segments, anything under {@code .git/}, and symbolic links that lead outside the repository are
 * refused with a {@link WorkspaceException}.
 *
 * <p>Text is read and written in each file's own encoding: UTF-8 (with or without a byte-order
 * mark) when the bytes are valid UTF-8, otherwise ISO-8859-1, so that every byte survives a read and
 * write unchanged. Line endings are never converted: a CRLF file read and written back stays CRLF.
 */
public interface Workspace {

  /**
   * The largest file {@link #read} and {@link #readBytes} return (16 MiB): larger files are refused
   * with a {@link FileTooLargeException} before a byte is read, so one huge file cannot exhaust the
   * memory of a run. Check {@link #size} first to skip such files instead.
   */
  long MAX_READ_BYTES = 16L * 1024 * 1024;

  /** The owner (organisation or user) of the repository, for templates. */
  String repositoryOwner();

  /** The name of the repository without its owner, for templates. */
  String repositoryName();

  boolean exists(String path) throws IOException;

  /** Whether {@code path} is a regular file (following links that stay inside the repository). */
  boolean isFile(String path) throws IOException;

  /** The size of a file in bytes, read from the file system without opening the file. */
  long size(String path) throws IOException;

  /**
   * The file's bytes.
   *
   * @throws FileTooLargeException when the file is larger than {@link #MAX_READ_BYTES}
   */
  byte[] readBytes(String path) throws IOException;

  /**
   * The file's text, decoded in its own encoding, line endings kept.
   *
   * @throws FileTooLargeException when the file is larger than {@link #MAX_READ_BYTES}
   */
  String read(String path) throws IOException;

  /**
   * Writes text, creating parent folders. An existing file keeps its encoding and byte-order mark;
   * a new file is UTF-8. Writing the same content again does not touch the file. Content an existing
   * file's encoding cannot hold (a {@code €} in an ISO-8859-1 file) is refused with a {@link
   * WorkspaceException} rather than written as {@code ?}.
   */
  void write(String path, String content) throws IOException;

  void writeBytes(String path, byte[] content) throws IOException;

  /** Deletes a file; returns false when it did not exist. */
  boolean delete(String path) throws IOException;

  /** The entries directly inside {@code directory} ({@code ""} for the root), sorted, as paths. */
  List<String> list(String directory) throws IOException;

  /**
   * Every regular file whose repository-relative path matches the glob (the syntax of {@link
   * java.nio.file.FileSystem#getPathMatcher}, e.g. {@code **}{@code /pom.xml} or
   * {@code .github/workflows/*.yml}), sorted. A pattern without a {@code /} matches file names in any
   * folder. {@code .git} and links leading outside the repository are never listed.
   */
  List<String> glob(String pattern) throws IOException;

  /** The line separator a text file mostly uses ({@code "\n"} for new or mixed files). */
  default String lineSeparator(String path) throws IOException {
    if (!isFile(path)) {
      return "\n";
    }
    String text = read(path);
    int crlf = 0;
    int lf = 0;
    for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      if (i > 0 && text.charAt(i - 1) == '\r') {
        crlf++;
      } else {
        lf++;
      }
    }
    return crlf > lf ? "\r\n" : "\n";
  }

  /**
   * Keeps a table of findings with this run, as CSV text with a header line (OpenRewrite's data
   * tables, a dependency report): it is stored with the run and downloadable, and never part of the
   * commit. Attaching the same name again replaces the table.
   *
   * @param name a file-name-safe name such as {@code org.openrewrite.maven.table.DependenciesInUse}
   * @param csv the table, RFC 4180 CSV with a header line
   */
  void attachDataTable(String name, String csv);
}
