package dev.flotilla.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.runner.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultSpoolTest {

  @TempDir Path folder;

  @Test
  void aKeptResultOutlivesTheProcessUntilRecorded() {
    RunResult pushed = RunResult.pushed("0123456789abcdef0123456789abcdef01234567", 1, 2, 3, "bumped jackson");
    ResultSpool spool = ResultSpool.in(folder);
    spool.keep("cs1-a1", pushed);
    spool.keep("cs2-a1", RunResult.failed(RunResult.Phase.APPLY, "boom"));

    ResultSpool afterRestart = ResultSpool.in(folder);
    assertThat(afterRestart.pending()).containsOnlyKeys("cs1-a1", "cs2-a1");
    assertThat(afterRestart.pending().get("cs1-a1")).isEqualTo(pushed);

    afterRestart.recorded("cs1-a1");
    assertThat(ResultSpool.in(folder).pending()).containsOnlyKeys("cs2-a1");
  }

  @Test
  void aFileThatIsNoResultIsDroppedAndTheRunDoneAgain() throws Exception {
    Files.writeString(folder.resolve("cs3-a1.json"), "{not json");

    assertThat(ResultSpool.in(folder).isEmpty()).isTrue();
    assertThat(folder.resolve("cs3-a1.json")).doesNotExist();
  }

  @Test
  void inMemoryKeepsUntilRecorded() {
    ResultSpool spool = ResultSpool.inMemory();
    spool.keep("cs1-a1", RunResult.noChange("nothing"));
    assertThat(spool.isEmpty()).isFalse();
    spool.recorded("cs1-a1");
    assertThat(spool.isEmpty()).isTrue();
  }
}
