package dev.flotilla.controller.config;

import dev.flotilla.controller.model.CampaignSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CampaignLoaderTest {

  @TempDir Path dir;

  private static String campaign(String name) {
    return """
           apiVersion: flotilla.dev/v1
           kind: Campaign
           metadata: {name: %s}
           spec: {migration: add-editorconfig}
           """
        .formatted(name);
  }

  @Test
  void loadsTheGoodFilesAndNamesEachBadOne() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), campaign("alpha"));
    Files.writeString(dir.resolve("b.yml"), campaign("beta") + "---\n" + campaign("gamma"));
    Files.writeString(dir.resolve("c.yaml"), campaign("Bad Name"));
    Files.writeString(dir.resolve("d.yaml"), "spec: [");
    Files.writeString(dir.resolve("notes.txt"), "not a campaign");
    Files.writeString(dir.resolve(".hidden.yaml"), "not even yaml: [");

    CampaignLoader.Result result = CampaignLoader.loadFolder(dir, TestMigrations.registry());

    assertThat(result.campaigns())
        .extracting(CampaignSpec::name)
        .containsExactly("alpha", "beta", "gamma");
    assertThat(result.hasErrors()).isTrue();
    assertThat(result.errors())
        .extracting(ConfigException::file)
        .containsExactly(dir.resolve("c.yaml").toString(), dir.resolve("d.yaml").toString());
    assertThat(result.errors().get(0).getMessage()).contains("name 'Bad Name' at line 3");
  }

  @Test
  void refusesTheSecondFileThatUsesAName() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), campaign("same"));
    Files.writeString(dir.resolve("b.yaml"), campaign("same"));

    CampaignLoader.Result result = CampaignLoader.loadFolder(dir, TestMigrations.registry());

    assertThat(result.campaigns()).hasSize(1);
    assertThat(result.errors())
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .isEqualTo(
                        dir.resolve("b.yaml")
                            + ": campaign name 'same' is already defined in "
                            + dir.resolve("a.yaml")
                            + "; give each campaign its own name"));
  }

  @Test
  void loadsNothingFromAnEmptyFolder() {
    CampaignLoader.Result result = CampaignLoader.loadFolder(dir, TestMigrations.registry());

    assertThat(result.campaigns()).isEmpty();
    assertThat(result.hasErrors()).isFalse();
  }

  @Test
  void saysWhichSettingToFixWhenTheFolderIsMissing() {
    Path missing = dir.resolve("nope");

    assertThatThrownBy(() -> CampaignLoader.loadFolder(missing, TestMigrations.registry()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            missing
                + ": is not a folder; create it or point FLOTILLA_CAMPAIGNS_DIR at the folder of"
                + " campaign files");
  }
}
