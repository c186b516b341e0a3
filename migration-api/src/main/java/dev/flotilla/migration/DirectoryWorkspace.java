package dev.flotilla.migration;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/** A {@link Workspace} over a folder on disk, usually a fresh clone. */
public final class DirectoryWorkspace implements Workspace {

  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final Path root;
  private final String owner;
  private final String name;
  private final Set<String> changed = new TreeSet<>();
  private final java.util.Map<String, String> dataTables = new java.util.TreeMap<>();

  /**
   * @param root the repository's top folder
   * @param owner the repository's owner, for templates
   * @param name the repository's name, for templates
   */
  public DirectoryWorkspace(Path root, String owner, String name) throws IOException {
    this.root = root.toRealPath();
    this.owner = Objects.requireNonNull(owner, "owner");
    this.name = Objects.requireNonNull(name, "name");
  }

  @Override
  public String repositoryOwner() {
    return owner;
  }

  @Override
  public String repositoryName() {
    return name;
  }

  @Override
  public boolean exists(String path) throws IOException {
    return Files.exists(resolve(path));
  }

  @Override
  public boolean isFile(String path) throws IOException {
    return Files.isRegularFile(resolve(path));
  }

  @Override
  public long size(String path) throws IOException {
    return Files.size(resolve(path));
  }

  @Override
  public byte[] readBytes(String path) throws IOException {
    return readAll(path, resolve(path));
  }

  @Override
  public String read(String path) throws IOException {
    return decode(readBytes(path)).text();
  }

  @Override
  public void write(String path, String content) throws IOException {
    Path file = resolve(path);
    byte[] bytes;
    if (Files.isRegularFile(file)) {
      Decoded existing = decode(readAll(path, file));
      if (existing.text().equals(content)) {
        return;
      }
      if (!existing.charset().newEncoder().canEncode(content)) {
        throw new WorkspaceException(
            "'" + path + "' is " + existing.charset().name()
                + " encoded and cannot hold some characters of the new content; write only characters"
                + " of that encoding, or convert the file with writeBytes");
      }
      bytes = encode(content, existing.charset(), existing.bom());
    } else {
      bytes = content.getBytes(StandardCharsets.UTF_8);
    }
    writeFile(file, bytes);
    recordChange(file);
  }

  @Override
  public void writeBytes(String path, byte[] content) throws IOException {
    Path file = resolve(path);
    if (Files.isRegularFile(file)
        && Files.size(file) == content.length
        && Arrays.equals(readAll(path, file), content)) {
      return;
    }
    writeFile(file, content);
    recordChange(file);
  }

  @Override
  public boolean delete(String path) throws IOException {
    Path file = resolve(path);
    boolean deleted = Files.deleteIfExists(file);
    if (deleted) {
      recordChange(file);
    }
    return deleted;
  }

  /**
   * Every path this workspace wrote with new content or deleted, repository-relative with {@code /},
   * sorted: what the migration changed, and so all a commit of its work may contain.
   */
  public SortedSet<String> changedPaths() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(changed));
  }

  @Override
  public void attachDataTable(String name, String csv) {
    if (name == null || !name.matches("[A-Za-z0-9._-]{1,200}")) {
      throw new IllegalArgumentException(
          "data table name '" + name + "' must be 1 to 200 letters, digits, '.', '_' or '-'");
    }
    dataTables.put(name, Objects.requireNonNull(csv, "csv"));
  }

  /** The data tables attached so far, by name, sorted. */
  public java.util.Map<String, String> dataTables() {
    return Collections.unmodifiableMap(new java.util.TreeMap<>(dataTables));
  }

  @Override
  public List<String> list(String directory) throws IOException {
    Path dir = directory.isEmpty() ? root : resolve(directory);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .filter(p -> !p.getFileName().toString().equals(".git"))
          .filter(this::staysInside)
          .map(this::relative)
          .sorted()
          .toList();
    }
  }

  @Override
  public List<String> glob(String pattern) throws IOException {
    String full = pattern.contains("/") ? pattern : "**/" + pattern;
    PathMatcher deep = root.getFileSystem().getPathMatcher("glob:" + full);
    // "**/x" in Java's glob needs at least one folder; the root-level file matches the bare pattern.
    PathMatcher top =
        full.startsWith("**/")
            ? root.getFileSystem().getPathMatcher("glob:" + full.substring(3))
            : deep;
    List<String> found = new ArrayList<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            return dir.getFileName() != null && dir.getFileName().toString().equals(".git")
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            Path rel = root.relativize(file);
            boolean matches = deep.matches(rel) || (rel.getNameCount() == 1 && top.matches(rel));
            // A .git file (worktree or submodule pointer) is as off-limits as a .git folder.
            boolean git = file.getFileName().toString().equals(".git");
            if (matches && !git && Files.isRegularFile(file) && staysInside(file)) {
              found.add(relative(file));
            }
            return FileVisitResult.CONTINUE;
          }
        });
    found.sort(null);
    return found;
  }

  /**
   * Maps a repository-relative path to a file inside the root, refusing every way out: absolute
   * paths, {@code ..}, {@code .git}, and links (at any level) whose target is outside.
   */
  Path resolve(String path) throws IOException {
    if (path == null || path.isEmpty()) {
      throw new WorkspaceException("an empty path names no file in the repository");
    }
    String normalised = path.replace('\\', '/');
    if (normalised.startsWith("/") || Path.of(path).isAbsolute() || normalised.matches("^[A-Za-z]:.*")) {
      throw new WorkspaceException(
          "'" + path + "' is an absolute path; a migration may only use paths inside the repository");
    }
    for (String segment : normalised.split("/")) {
      if (segment.equals("..")) {
        throw new WorkspaceException(
            "'" + path + "' climbs out with '..'; a migration may only use paths inside the repository");
      }
      if (segment.equals(".git")) {
        throw new WorkspaceException("'" + path + "' is inside .git, which migrations may not touch");
      }
    }
    Path candidate = root.resolve(normalised).normalize();
    if (!candidate.startsWith(root)) {
      throw new WorkspaceException("'" + path + "' is outside the repository");
    }
    // The nearest existing ancestor (or the file itself) must really be inside: this catches links.
    Path existing = candidate;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing != null && Files.isSymbolicLink(existing) && !Files.exists(existing)) {
      throw new WorkspaceException(
          "'" + path + "' is a symbolic link to something that does not exist; refusing to follow it");
    }
    if (existing != null) {
      Path real = existing.toRealPath();
      if (!real.startsWith(root)) {
        throw new WorkspaceException(
            "'" + path + "' leads outside the repository through a symbolic link; refusing to follow it");
      }
      // A link inside the repository could still point into .git.
      for (Path segment : root.relativize(real)) {
        if (segment.toString().equals(".git")) {
          throw new WorkspaceException(
              "'" + path + "' leads into .git through a symbolic link, which migrations may not touch");
        }
      }
    }
    return candidate;
  }

  private boolean staysInside(Path file) {
    try {
      return file.toRealPath().startsWith(root);
    } catch (IOException e) {
      return false;
    }
  }

  private String relative(Path file) {
    return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
  }

  /** Reads a whole file, refusing before reading one too large to hold in memory. */
  private static byte[] readAll(String path, Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_READ_BYTES) {
      throw new FileTooLargeException(path, size);
    }
    return Files.readAllBytes(file);
  }

  /** Notes the path git sees change: a write through a link inside the repository edits its target. */
  private void recordChange(Path file) throws IOException {
    Path real =
        Files.exists(file) ? file.toRealPath() : file.getParent().toRealPath().resolve(file.getFileName());
    changed.add(relative(real));
  }

  private static void writeFile(Path file, byte[] bytes) throws IOException {
    Path parent = file.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(file, bytes);
  }

  private record Decoded(String text, Charset charset, boolean bom) {}

  private static Decoded decode(byte[] bytes) {
    boolean bom =
        bytes.length >= 3 && bytes[0] == UTF8_BOM[0] && bytes[1] == UTF8_BOM[1] && bytes[2] == UTF8_BOM[2];
    int offset = bom ? 3 : 0;
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset))
              .toString();
      return new Decoded(text, StandardCharsets.UTF_8, bom);
    } catch (CharacterCodingException e) {
      // Not UTF-8: Latin-1 maps every byte to one char and back, so nothing is lost.
      return new Decoded(new String(bytes, StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1, false);
    }
  }

  private static byte[] encode(String text, Charset charset, boolean bom) {
    byte[] body = text.getBytes(charset);
    if (!bom) {
      return body;
    }
    byte[] withBom = new byte[body.length + 3];
    System.arraycopy(UTF8_BOM, 0, withBom, 0, 3);
    System.arraycopy(body, 0, withBom, 3, body.length);
    return withBom;
  }
}
