package dev.flotilla.runner;

import dev.flotilla.FlotillaException;
import dev.flotilla.migration.DirectoryWorkspace;
import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Migrations;
import dev.flotilla.runner.jars.MigrationJars;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.Parameters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.eclipse.jgit.util.FileUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.HistogramDiff;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows what a migration would change in a local checkout without touching it: the migration runs
 * on a copy (without {@code .git}, links kept as links), and the result is a unified diff.
 */
public final class Preview {

  private static final Logger log = LoggerFactory.getLogger(Preview.class);
  private static final String GIT = ".git";

  private final Migrations migrations;

  /** The built-in migrations and the jars in {@code FLOTILLA_MIGRATIONS_DIR}. */
  public Preview() {
    this(MigrationJars.fromEnvironment(System.getenv()).migrations());
  }

  public Preview(Migrations migrations) {
    this.migrations = migrations;
  }

  /**
   * Applies {@code migrationId} to a copy of {@code checkout} and diffs the copy against it.
   *
   * @throws dev.flotilla.migration.UnknownMigrationException naming the known ids
   * @throws dev.flotilla.migration.InvalidParametersException listing every parameter problem
   * @throws FlotillaException when the checkout cannot be read or the migration fails
   */
  public PreviewResult preview(String migrationId, Parameters params, Path checkout) {
    Migration migration = migrations.get(migrationId);
    params.check(migration).orThrow(migrationId);
    Parameters typed = params.withDefaults(migration.parameters());
    if (!Files.isDirectory(checkout)) {
      throw new FlotillaException(checkout + " is not a folder; give --repo the path of a checked-out repository");
    }
    Path copy = null;
    try {
      copy = Files.createTempDirectory("flotilla-preview-");
      SortedSet<String> before = copy(checkout, copy);
      String[] ownerAndName = ownerAndName(checkout);
      Outcome outcome = apply(migration, typed, new DirectoryWorkspace(copy, ownerAndName[0], ownerAndName[1]));
      SortedSet<String> paths = new TreeSet<>(before);
      paths.addAll(files(copy));
      return diff(outcome, checkout, copy, paths);
    } catch (IOException e) {
      throw new FlotillaException("cannot preview on " + checkout + ": " + e, e);
    } finally {
      deleteCopy(copy);
    }
  }

  private static Outcome apply(Migration migration, Parameters params, DirectoryWorkspace workspace) {
    try {
      return migration.apply(workspace, params);
    } catch (IOException | RuntimeException e) {
      throw new FlotillaException(
          "migration '" + migration.id() + "' failed: " + e.getClass().getName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Copies {@code from} into {@code to}, leaving out {@code .git} and re-creating links as links
   * (never following them, so a link out of the repository copies nothing from outside). Returns
   * the repository-relative paths of what it copied.
   */
  static SortedSet<String> copy(Path from, Path to) throws IOException {
    SortedSet<String> copied = new TreeSet<>();
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            if (!dir.equals(from) && dir.getFileName().toString().equals(GIT)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            Files.createDirectories(to.resolve(relative(from, dir)));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            String path = relative(from, file);
            Path target = to.resolve(path);
            if (file.getFileName().toString().equals(GIT)) {
              // A worktree's or submodule's .git file points at git data the preview must not use.
              return FileVisitResult.CONTINUE;
            }
            if (attrs.isSymbolicLink()) {
              Files.createSymbolicLink(target, Files.readSymbolicLink(file));
              copied.add(path);
            } else if (attrs.isRegularFile()) {
              Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
              copied.add(path);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return copied;
  }

  /** Every file and link under {@code root} except in {@code .git}, as repository-relative paths. */
  private static SortedSet<String> files(Path root) throws IOException {
    SortedSet<String> found = new TreeSet<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            return !dir.equals(root) && dir.getFileName().toString().equals(GIT)
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isSymbolicLink() || attrs.isRegularFile()) {
              found.add(relative(root, file));
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return found;
  }

  private static PreviewResult diff(Outcome outcome, Path original, Path changed, SortedSet<String> paths)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> changedFiles = new ArrayList<>();
    try (DiffFormatter formatter = new DiffFormatter(out)) {
      for (String path : paths) {
        byte[] before = content(original.resolve(path));
        byte[] after = content(changed.resolve(path));
        if (Arrays.equals(before, after)) {
          continue;
        }
        changedFiles.add(path);
        writeFileDiff(formatter, out, path, before, after);
      }
      formatter.flush();
    }
    return new PreviewResult(outcome, out.toString(StandardCharsets.UTF_8), changedFiles);
  }

  private static void writeFileDiff(
      DiffFormatter formatter, ByteArrayOutputStream out, String path, byte[] before, byte[] after)
      throws IOException {
    String oldName = before == null ? "/dev/null" : "a/" + path;
    String newName = after == null ? "/dev/null" : "b/" + path;
    RawText a = before == null ? RawText.EMPTY_TEXT : new RawText(before);
    RawText b = after == null ? RawText.EMPTY_TEXT : new RawText(after);
    formatter.flush();
    if ((before != null && RawText.isBinary(before)) || (after != null && RawText.isBinary(after))) {
      out.writeBytes(("Binary files " + oldName + " and " + newName + " differ\n").getBytes(StandardCharsets.UTF_8));
      return;
    }
    out.writeBytes(("--- " + oldName + "\n+++ " + newName + "\n").getBytes(StandardCharsets.UTF_8));
    EditList edits = new HistogramDiff().diff(RawTextComparator.DEFAULT, a, b);
    formatter.format(edits, a, b);
  }

  /** A file's bytes, a link's target (as git stores it), or null when absent. */
  private static byte[] content(Path file) throws IOException {
    if (Files.isSymbolicLink(file)) {
      return Files.readSymbolicLink(file).toString().getBytes(StandardCharsets.UTF_8);
    }
    return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? Files.readAllBytes(file) : null;
  }

  /** Owner and name from the origin remote's URL, for migrations that template them. */
  private static String[] ownerAndName(Path checkout) throws IOException {
    String fallback = checkout.toAbsolutePath().normalize().getFileName() == null
        ? "repository"
        : checkout.toAbsolutePath().normalize().getFileName().toString();
    Path config = checkout.resolve(GIT).resolve("config");
    if (Files.isRegularFile(config)) {
      FileBasedConfig git = new FileBasedConfig(config.toFile(), FS.DETECTED);
      try {
        git.load();
      } catch (ConfigInvalidException e) {
        throw new FlotillaException(config + " is not a valid git config: " + e.getMessage(), e);
      }
      String url = git.getString("remote", "origin", "url");
      if (url != null) {
        String[] segments = url.replaceAll("\\.git/?$", "").split("[/:]");
        if (segments.length >= 2 && !segments[segments.length - 2].isEmpty()) {
          return new String[] {segments[segments.length - 2], segments[segments.length - 1]};
        }
      }
    }
    return new String[] {"local", fallback};
  }

  private static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
  }

  private static void deleteCopy(Path dir) {
    if (dir == null) {
      return;
    }
    try {
      FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING);
    } catch (IOException e) {
      // Throwing here would hide the preview's own result or failure; a stray temp folder does not.
      log.warn("cannot delete the preview copy {}: {}", dir, e.toString());
    }
  }
}
