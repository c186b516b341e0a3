package dev.flotilla.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.dashboard.port.ChangesetState;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AppScriptTest {

  @Test
  void thePageDrawsEveryStateOfThePortInTheBarAndTheLegend() throws Exception {
    String script;
    try (InputStream in = AppScriptTest.class.getResourceAsStream("/dev/flotilla/dashboard/web/app.js")) {
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String states = script.substring(script.indexOf("const STATES"), script.indexOf("];", script.indexOf("const STATES")));
    String colors = script.substring(script.indexOf("const COLORS"), script.indexOf("};", script.indexOf("const COLORS")));

    for (ChangesetState state : ChangesetState.values()) {
      assertThat(states).as("STATES lists %s", state).contains("'" + state.name() + "'");
      assertThat(colors).as("COLORS has %s", state).contains(state.name() + ":");
    }
  }
}
