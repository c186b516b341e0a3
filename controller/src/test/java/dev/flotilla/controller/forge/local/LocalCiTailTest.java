package dev.flotilla.controller.forge.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCiTailTest {

  @TempDir Path tmp;

  @Test
  void keepsTheEndOfAHugeLogWithoutReadingItWhole() throws Exception {
    Path log = tmp.resolve("ci.log");
    // Sparse: three GiB of output on paper, then the lines that matter.
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "rw")) {
      file.seek(3L * 1024 * 1024 * 1024);
      file.write("\nFooTest > parses FAILED\nexit 1\n".getBytes(StandardCharsets.UTF_8));
    }

    assertThat(LocalCi.tail(log)).endsWith("FooTest > parses FAILED\nexit 1");
  }
}
