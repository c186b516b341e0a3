package dev.flotilla.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirectoryWorkspaceTest {

  @TempDir Path tmp;
  private Path repo;
  private DirectoryWorkspace workspace;

  @BeforeEach
  void createRepository() throws IOException {
    repo = Files.createDirectories(tmp.resolve("repo"));
    Files.writeString(tmp.resolve("secret.txt"), "outside");
    Files.createDirectories(repo.resolve(".git"));
    Files.writeString(repo.resolve(".git/config"), "[core]\n");
    Files.writeString(repo.resolve("README.md"), "hello\n");
    workspace = new DirectoryWorkspace(repo, "acme", "demo");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../secret.txt", "a/../../secret.txt", "/etc/passwd", "..", ".git/config", "src/.git/x", ""})
  void refusesPathsThatLeaveTheRepositoryOrEnterGit(String path) {
    assertThatThrownBy(() -> workspace.read(path)).isInstanceOf(WorkspaceException.class);
    assertThatThrownBy(() -> workspace.write(path, "x")).isInstanceOf(WorkspaceException.class);
    assertThat(tmp.resolve("secret.txt")).hasContent("outside");
  }

  @Test
  void refusesAHugeFileBeforeReadingIt() throws IOException {
    // Sparse: three GiB on paper, no disk and no time; reading it whole would exhaust any heap.
    try (RandomAccessFile huge = new RandomAccessFile(repo.resolve("dump.sql").toFile(), "rw")) {
      huge.setLength(3L * 1024 * 1024 * 1024);
    }

    assertThatThrownBy(() -> workspace.read("dump.sql"))
        .isInstanceOf(FileTooLargeException.class)
        .hasMessageContaining("'dump.sql' is 3072 MiB, larger than the 16 MiB a migration may read");
    assertThatThrownBy(() -> workspace.readBytes("dump.sql")).isInstanceOf(FileTooLargeException.class);
    assertThatThrownBy(() -> workspace.write("dump.sql", "x")).isInstanceOf(FileTooLargeException.class);
    assertThat(workspace.size("dump.sql")).isEqualTo(3L * 1024 * 1024 * 1024);
  }

  @Test
  void recordsWhatItChangedAndNothingElse() throws IOException {
    Files.writeString(repo.resolve("old.txt"), "old\n");

    workspace.write("README.md", "hello\n");
    workspace.write("docs/new.md", "new\n");
    workspace.writeBytes("README.md", "hello\n".getBytes(StandardCharsets.UTF_8));
    workspace.delete("old.txt");
    workspace.delete("never-there.txt");

    assertThat(workspace.changedPaths()).containsExactly("docs/new.md", "old.txt");
  }

  @Test
  void refusesToReadThroughALinkToAFolderOutside() throws IOException {
    Files.createSymbolicLink(repo.resolve("etc-link"), Path.of("/etc"));

    assertThatThrownBy(() -> workspace.read("etc-link/passwd"))
        .isInstanceOf(WorkspaceException.class)
        .hasMessageContaining("etc-link/passwd")
        .hasMessageContaining("symbolic link");
  }

  @Test
  void refusesALinkToTheParentFolder() throws IOException {
    Files.createSymbolicLink(repo.resolve("up"), Path.of(".."));

    assertThatThrownBy(() -> workspace.read("up/secret.txt")).isInstanceOf(WorkspaceException.class);
    assertThatThrownBy(() -> workspace.write("up/new.txt", "x")).isInstanceOf(WorkspaceException.class);
    assertThat(tmp.resolve("new.txt")).doesNotExist();
  }

  @Test
  void refusesToReadOrWriteThroughAFileLinkPointingOutside() throws IOException {
    Files.createSymbolicLink(repo.resolve("leak.txt"), tmp.resolve("secret.txt"));

    assertThatThrownBy(() -> workspace.read("leak.txt")).isInstanceOf(WorkspaceException.class);
    assertThatThrownBy(() -> workspace.write("leak.txt", "overwritten")).isInstanceOf(WorkspaceException.class);
    assertThat(tmp.resolve("secret.txt")).hasContent("outside");
  }

  @Test
  void refusesALinkIntoGit() throws IOException {
    Files.createSymbolicLink(repo.resolve("git-link"), Path.of(".git"));

    assertThatThrownBy(() -> workspace.read("git-link/config"))
        .isInstanceOf(WorkspaceException.class)
        .hasMessageContaining(".git");
  }

  @Test
  void refusesADanglingLink() throws IOException {
    Files.createSymbolicLink(repo.resolve("dangling"), tmp.resolve("nowhere"));

    assertThatThrownBy(() -> workspace.write("dangling", "x")).isInstanceOf(WorkspaceException.class);
    assertThat(tmp.resolve("nowhere")).doesNotExist();
  }

  @Test
  void followsALinkToAFileInside() throws IOException {
    Files.createSymbolicLink(repo.resolve("readme-link"), Path.of("README.md"));

    assertThat(workspace.read("readme-link")).isEqualTo("hello\n");
    assertThat(workspace.isFile("readme-link")).isTrue();
  }

  @Test
  void globsRootAndNestedFilesButNeverGit() throws IOException {
    write("pom.xml", "a/pom.xml", "a/b/pom.xml", "ci.yml", "sub/x.yml", ".github/workflows/build.yml",
        ".github/workflows/nested/deep.yml", ".git/pom.xml", ".git/hooks/x.yml");

    assertThat(workspace.glob("**/pom.xml")).containsExactly("a/b/pom.xml", "a/pom.xml", "pom.xml");
    assertThat(workspace.glob("pom.xml")).containsExactly("a/b/pom.xml", "a/pom.xml", "pom.xml");
    assertThat(workspace.glob("*.yml"))
        .containsExactly(".github/workflows/build.yml", ".github/workflows/nested/deep.yml", "ci.yml", "sub/x.yml");
    assertThat(workspace.glob(".github/workflows/*.yml")).containsExactly(".github/workflows/build.yml");
    assertThat(workspace.list("")).contains("README.md", "pom.xml").doesNotContain(".git");
  }

  @Test
  void neverListsAGitFileOrLinksLeadingOutside() throws IOException {
    Files.delete(repo.resolve(".git/config"));
    Files.delete(repo.resolve(".git"));
    Files.writeString(repo.resolve(".git"), "gitdir: /elsewhere\n");
    Files.createSymbolicLink(repo.resolve("outside.txt"), tmp.resolve("secret.txt"));

    assertThat(workspace.glob("*")).containsExactly("README.md");
    assertThat(workspace.list("")).containsExactly("README.md");
  }

  @Test
  void keepsAUtf8ByteOrderMark() throws IOException {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    Files.write(repo.resolve("bom.txt"), concat(bom, "caf\u00e9\n".getBytes(StandardCharsets.UTF_8)));

    assertThat(workspace.read("bom.txt")).isEqualTo("caf\u00e9\n");
    workspace.write("bom.txt", "th\u00e9\n");

    assertThat(Files.readAllBytes(repo.resolve("bom.txt")))
        .isEqualTo(concat(bom, "th\u00e9\n".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void roundTripsLatin1BytesExactly() throws IOException {
    byte[] latin1 = "<?xml encoding=\"ISO-8859-1\"?><n>Jos\u00e9 M\u00fcller</n>\n".getBytes(StandardCharsets.ISO_8859_1);
    Files.write(repo.resolve("latin1.xml"), latin1);

    String text = workspace.read("latin1.xml");
    assertThat(text).contains("Jos\u00e9 M\u00fcller");
    workspace.write("latin1.xml", text.replace("M\u00fcller", "M\u00f8ller"));

    assertThat(Files.readAllBytes(repo.resolve("latin1.xml")))
        .isEqualTo(new String(latin1, StandardCharsets.ISO_8859_1).replace("M\u00fcller", "M\u00f8ller").getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void refusesToWriteCharactersALatin1FileCannotHold() throws IOException {
    Files.write(repo.resolve("latin1.txt"), "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> workspace.write("latin1.txt", "\u20ac 5"))
        .isInstanceOf(WorkspaceException.class)
        .hasMessageContaining("latin1.txt")
        .hasMessageContaining("ISO-8859-1");
    assertThat(Files.readAllBytes(repo.resolve("latin1.txt"))).isEqualTo("caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void preservesCrlf() throws IOException {
    Files.writeString(repo.resolve("win.txt"), "a\r\nb\r\n");

    workspace.write("win.txt", workspace.read("win.txt").replace("b", "c"));

    assertThat(Files.readString(repo.resolve("win.txt"))).isEqualTo("a\r\nc\r\n");
    assertThat(workspace.lineSeparator("win.txt")).isEqualTo("\r\n");
    assertThat(workspace.lineSeparator("README.md")).isEqualTo("\n");
  }

  @Test
  void writesBinaryBytesAndCreatesFolders() throws IOException {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xFF};

    workspace.writeBytes("img/logo.png", png);

    assertThat(Files.readAllBytes(repo.resolve("img/logo.png"))).isEqualTo(png);
    assertThat(workspace.readBytes("img/logo.png")).isEqualTo(png);
  }

  @Test
  void writesNewFilesAsUtf8WithoutBom() throws IOException {
    workspace.write("new/dir/file.txt", "\u00e9");

    assertThat(Files.readAllBytes(repo.resolve("new/dir/file.txt"))).isEqualTo(new byte[] {(byte) 0xC3, (byte) 0xA9});
  }

  @Test
  void doesNotTouchAFileWrittenWithIdenticalContent() throws IOException {
    Path readme = repo.resolve("README.md");
    FileTime old = FileTime.from(Instant.parse("2001-02-03T04:05:06Z"));
    Files.setLastModifiedTime(readme, old);
    Files.write(repo.resolve("data.bin"), new byte[] {1, 2, 3});
    Files.setLastModifiedTime(repo.resolve("data.bin"), old);

    workspace.write("README.md", "hello\n");
    workspace.writeBytes("data.bin", new byte[] {1, 2, 3});

    assertThat(Files.getLastModifiedTime(readme)).isEqualTo(old);
    assertThat(Files.getLastModifiedTime(repo.resolve("data.bin"))).isEqualTo(old);
  }

  @Test
  void deletesFilesAndReportsWhetherTheyExisted() throws IOException {
    assertThat(workspace.delete("README.md")).isTrue();
    assertThat(workspace.delete("README.md")).isFalse();
    assertThat(workspace.exists("README.md")).isFalse();
  }

  private void write(String... paths) throws IOException {
    for (String path : paths) {
      Path file = repo.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, path);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
