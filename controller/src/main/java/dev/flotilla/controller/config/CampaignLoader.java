package dev.flotilla.controller.config;

import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.migration.Migrations;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads every campaign of a folder ({@code *.yaml} and {@code *.yml}, not recursive, as a mounted
 * ConfigMap presents them). A bad file is reported with its name and does not stop the good files
 * from loading.
 */
public final class CampaignLoader {

  private static final Logger log = LoggerFactory.getLogger(CampaignLoader.class);

  /** The campaigns that loaded, and one error per file that did not. */
  public record Result(List<CampaignSpec> campaigns, List<ConfigException> errors) {
    public Result {
      campaigns = List.copyOf(campaigns);
      errors = List.copyOf(errors);
    }

    public boolean hasErrors() {
      return !errors.isEmpty();
    }
  }

  private CampaignLoader() {}

  /** Throws {@link ConfigException} only when the folder itself cannot be read. */
  public static Result loadFolder(Path dir, Migrations migrations) {
    List<CampaignSpec> campaigns = new ArrayList<>();
    List<ConfigException> errors = new ArrayList<>();
    Map<String, Path> definedIn = new HashMap<>();
    for (Path file : campaignFiles(dir)) {
      try {
        List<CampaignSpec> loaded =
            CampaignParser.parseAll(Files.readAllBytes(file), file.toString(), migrations);
        checkUniqueNames(file, loaded, definedIn);
        campaigns.addAll(loaded);
      } catch (ConfigException e) {
        errors.add(e);
      } catch (IOException e) {
        errors.add(
            new ConfigException(
                file.toString(), 0, "cannot be read (" + e + "); check its permissions"));
      }
    }
    log.info(
        "Loaded {} campaigns from {} ({} files with errors)", campaigns.size(), dir, errors.size());
    return new Result(campaigns, errors);
  }

  private static List<Path> campaignFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ConfigException(
          dir.toString(),
          0,
          "is not a folder; create it or point FLOTILLA_CAMPAIGNS_DIR at the folder of campaign"
              + " files");
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.{yaml,yml}")) {
      for (Path file : stream) {
        // ConfigMap volumes hold hidden "..data" entries next to the visible links to them.
        if (!file.getFileName().toString().startsWith(".") && Files.isRegularFile(file)) {
          files.add(file);
        }
      }
    } catch (IOException e) {
      throw new ConfigException(
          dir.toString(), 0, "cannot be listed (" + e + "); check its permissions");
    }
    files.sort(null);
    return files;
  }

  /** A name is the campaign's key everywhere, so two files may not both define it. */
  private static void checkUniqueNames(
      Path file, List<CampaignSpec> loaded, Map<String, Path> definedIn) {
    List<ConfigException.Problem> problems = new ArrayList<>();
    for (CampaignSpec campaign : loaded) {
      Path other = definedIn.get(campaign.name());
      if (other != null) {
        problems.add(
            new ConfigException.Problem(
                0,
                "campaign name '"
                    + campaign.name()
                    + "' is already defined in "
                    + other
                    + "; give each campaign its own name"));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(file.toString(), problems);
    }
    loaded.forEach(c -> definedIn.put(c.name(), file));
  }
}
