package dev.flotilla.runner;

import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Migrations;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.ParameterSpec;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Workspace;
import java.io.IOException;
import java.util.List;

/** Small migrations with known behaviour, so runner tests do not depend on the built-in ones. */
final class TestMigrations {

  private TestMigrations() {}

  static Migrations all() {
    return Migrations.of(List.of(new ReplaceText(), new Tidy(), new Stamp(), new Explode(), new Exhaust(), new ClaimChange()));
  }

  /** Replaces {@code from} with {@code to} in {@code file}; not applicable when the file is absent. */
  static class ReplaceText implements Migration {
    @Override
    public String id() {
      return "replace-text";
    }

    @Override
    public String title() {
      return "Replace text";
    }

    @Override
    public String description() {
      return "Replaces one string with another in a file.";
    }

    @Override
    public List<ParameterSpec> parameters() {
      return List.of(
          ParameterSpec.required("from", ParameterSpec.Type.STRING, "text to replace", "v1"),
          ParameterSpec.required("to", ParameterSpec.Type.STRING, "replacement", "v2"),
          ParameterSpec.optional(
              "file", ParameterSpec.Type.STRING, "README.md", "the file to edit", "docs/x.md"),
          ParameterSpec.optional(
              "refuse", ParameterSpec.Type.STRING, "", "leave the text alone, giving this reason", "pinned"),
          ParameterSpec.optional(
              "table", ParameterSpec.Type.STRING, "", "attach a data table of this name", "replacements"));
    }

    @Override
    public Outcome apply(Workspace workspace, Parameters parameters) throws IOException {
      String file = parameters.string("file");
      if (!workspace.isFile(file)) {
        return Outcome.notApplicable("no " + file);
      }
      String text = workspace.read(file);
      String from = parameters.string("from");
      String table = parameters.string("table", "");
      if (!table.isEmpty()) {
        workspace.attachDataTable(table, "file,found\r\n" + file + "," + text.contains(from) + "\r\n");
      }
      if (!text.contains(from)) {
        return Outcome.unchanged();
      }
      String refuse = parameters.string("refuse", "");
      if (!refuse.isEmpty()) {
        return Outcome.unchanged("left " + from + " alone: " + refuse);
      }
      workspace.write(file, text.replace(from, parameters.string("to")));
      return Outcome.changed("replaced " + from + " with " + parameters.string("to") + " in " + file);
    }
  }

  /** Adds NOTICE (two lines) and deletes obsolete.txt, to exercise additions and deletions. */
  static final class Tidy implements Migration {
    @Override
    public String id() {
      return "tidy";
    }

    @Override
    public String title() {
      return "Tidy up";
    }

    @Override
    public String description() {
      return "Adds NOTICE and removes obsolete.txt.";
    }

    @Override
    public Outcome apply(Workspace workspace, Parameters parameters) throws IOException {
      workspace.write("NOTICE", "Copyright Acme\nAll rights reserved\n");
      workspace.delete("obsolete.txt");
      return Outcome.changed("added NOTICE, removed obsolete.txt");
    }
  }

  /** Writes the repository's owner/name to OWNER and a binary logo.png. */
  static final class Stamp implements Migration {
    @Override
    public String id() {
      return "stamp";
    }

    @Override
    public String title() {
      return "Stamp";
    }

    @Override
    public String description() {
      return "Writes OWNER and logo.png.";
    }

    @Override
    public Outcome apply(Workspace workspace, Parameters parameters) throws IOException {
      workspace.write("OWNER", workspace.repositoryOwner() + "/" + workspace.repositoryName() + "\n");
      workspace.writeBytes("logo.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, 0});
      return Outcome.changed("stamped");
    }
  }

  /** Fails the way a buggy migration does. */
  static final class Explode implements Migration {
    @Override
    public String id() {
      return "explode";
    }

    @Override
    public String title() {
      return "Explode";
    }

    @Override
    public String description() {
      return "Always throws.";
    }

    @Override
    public Outcome apply(Workspace workspace, Parameters parameters) {
      throw new IllegalStateException("boom while editing");
    }
  }

  /** Runs out of memory, as a migration reading a huge file whole does. */
  static final class Exhaust implements Migration {
    @Override
    public String id() {
      return "exhaust";
    }

    @Override
    public String title() {
      return "Exhaust";
    }

    @Override
    public String description() {
      return "Throws OutOfMemoryError.";
    }

    @Override
    public Outcome apply(Workspace workspace, Parameters parameters) {
      throw new OutOfMemoryError("Java heap space");
    }
  }

  /** Says it changed something but leaves every file alone. */
  static final class ClaimChange implements Migration {
    @Override
    public String id() {
      return "claim-change";
    }

    @Override
    public String title() {
      return "Claim a change";
    }

    @Override
    public String description() {
      return "Reports a change without making one.";
    }

    @Override
    public Outcome apply(Workspace workspace, Parameters parameters) {
      return Outcome.changed("did something");
    }
  }
}
