package dev.flotilla.migration;

/**
 * A file larger than {@link Workspace#MAX_READ_BYTES}, refused before it is read: a migration edits
 * text that people write, and such a file is generated or data.
 */
public class FileTooLargeException extends WorkspaceException {

  public FileTooLargeException(String path, long size) {
    super(
        "'" + path + "' is " + mebibytes(size) + ", larger than the " + mebibytes(Workspace.MAX_READ_BYTES)
            + " a migration may read; skip it with Workspace.size() or exclude it from the campaign");
  }

  private static String mebibytes(long bytes) {
    return bytes >= 1024 * 1024 ? (bytes / (1024 * 1024)) + " MiB" : bytes + " bytes";
  }
}
