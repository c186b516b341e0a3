package dev.flotilla.controller.exec.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What goes into the images: the build context each Dockerfile sees, and the base images they start from. */
class ContainerImagesTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)(\\s+AS\\s+\\S+)?\\s*$");
  private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

  @ParameterizedTest
  @ValueSource(strings = {"controller", "migration-runner"})
  void buildContextLeavesOutLocalStateAndEverythingGitIgnores(String module) throws IOException {
    List<String> ignored = lines(ROOT.resolve(module).resolve("Dockerfile.dockerignore"));

    // The demo keeps a dashboard token and a database there; an image must never carry them.
    assertThat(ignored).contains("flotilla-demo/", ".git/", "**/target/");
    for (String entry : lines(ROOT.resolve(".gitignore"))) {
      String anchored = entry.startsWith("/") ? entry.substring(1) : "**/" + entry;
      assertThat(ignored).as("%s from .gitignore", entry).containsAnyOf(anchored, entry.replaceFirst("^/", ""));
    }
  }

  @Test
  void refreshPinsEveryBaseImageByDigestAndKeepsTheTag(@TempDir Path dir) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path crane = bin.resolve("crane");
    // Stands in for the registry: `crane digest IMAGE` prints the digest of the image's manifest list.
    Files.writeString(crane, "#!/bin/sh\n[ \"$1\" = digest ] && echo " + DIGEST + "\n");
    Files.setPosixFilePermissions(crane, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<Path> copies = new ArrayList<>();
    for (String module : List.of("controller", "migration-runner")) {
      Path copy = dir.resolve(module + ".Dockerfile");
      Files.copy(ROOT.resolve(module).resolve("Dockerfile"), copy);
      copies.add(copy);
    }

    refresh(bin, copies);
    refresh(bin, copies);

    for (Path copy : copies) {
      String original = Files.readString(ROOT.resolve(copy.getFileName().toString().replace(".Dockerfile", ""))
          .resolve("Dockerfile"));
      String pinned = Files.readString(copy);
      List<String> before = froms(original);
      List<String> after = froms(pinned);
      assertThat(after).hasSameSizeAs(before).isNotEmpty();
      for (int i = 0; i < before.size(); i++) {
        String tag = before.get(i).replaceFirst("@sha256:[0-9a-f]{64}", "");
        assertThat(after.get(i)).isEqualTo(tag + "@" + DIGEST);
      }
      // Only the FROM lines change, stage names included.
      assertThat(pinned.replaceAll("@sha256:[0-9a-f]{64}", ""))
          .isEqualTo(original.replaceAll("@sha256:[0-9a-f]{64}", ""));
    }
  }

  private static void refresh(Path bin, List<Path> files) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("k8s/refresh-image-digests").toString()));
    files.forEach(f -> command.add(f.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PATH", bin + ":/usr/bin:/bin");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  private static List<String> froms(String dockerfile) {
    List<String> images = new ArrayList<>();
    Matcher m = FROM.matcher(dockerfile);
    while (m.find()) {
      images.add(m.group(1));
    }
    return images;
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.readAllLines(file).stream()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }
}
