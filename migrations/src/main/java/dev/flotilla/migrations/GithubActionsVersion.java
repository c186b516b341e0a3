package dev.flotilla.migrations;

import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.ParameterSpec;
import dev.flotilla.migration.ParameterSpec.Type;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Validation;
import dev.flotilla.migration.Workspace;
import dev.flotilla.migration.edit.YamlEditor;
import dev.flotilla.migration.edit.YamlScalar;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Points every {@code uses: owner/action@ref} (and {@code owner/action/sub/path@ref}) in GitHub
 * Actions workflows and composite actions at a new ref, editing only the ref's bytes.
 */
public final class GithubActionsVersion implements Migration {

  static final String ACTION = "action";
  static final String REF = "ref";
  static final String REPLACE_PINNED_SHAS = "replacePinnedShas";

  private static final Pattern ACTION_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]+");
  private static final Pattern REF_SYNTAX = Pattern.compile("[A-Za-z0-9_.+/-]+");
  private static final Pattern USES = Pattern.compile("([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)(/[^@\\s]*)?@(\\S+)");
  private static final Pattern FULL_SHA = Pattern.compile("[0-9a-fA-F]{40}");
  private static final List<String> USES_PATHS =
      List.of("jobs.*.steps[*].uses", "jobs.*.uses", "runs.steps[*].uses");

  @Override
  public String id() {
    return "github-actions-version";
  }

  @Override
  public String title() {
    return "Update a GitHub Action to a new version";
  }

  @Override
  public String description() {
    return """
        Points every `uses:` of one GitHub Action at a new ref (tag, branch or commit SHA) in \
        `.github/workflows/*.yml` / `*.yaml` and in composite actions (`action.yml` / `action.yaml` \
        in any folder).

        - `owner/action@ref` and `owner/action/sub/path@ref` (including reusable workflows) are \
          matched; the owner and name are compared without regard to case.
        - Only the value changes: its quoting, a trailing comment such as `# v3.5.0`, indentation \
          and line endings stay as they were. Check such comments in the review.
        - A `uses:` pinned to a full 40-character commit SHA is left alone unless \
          `replacePinnedShas` is `true`, so deliberate pins survive.
        - `docker://` images and local actions (`./...`) are never touched.
        """;
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(
        ParameterSpec.required(
            ACTION, Type.STRING, "the action to update, as owner/name (no ref)", "actions/checkout"),
        ParameterSpec.required(
            REF, Type.STRING, "the ref to point at: a tag, branch or full commit SHA", "v4"),
        ParameterSpec.optional(
            REPLACE_PINNED_SHAS,
            Type.BOOLEAN,
            false,
            "also replace uses: pinned to a full 40-character commit SHA",
            "true"));
  }

  @Override
  public Validation validate(Parameters parameters) {
    String action = parameters.string(ACTION, "");
    String ref = parameters.string(REF, "");
    return Validation.builder()
        .check(
            ACTION_NAME.matcher(action).matches(),
            ACTION,
            "'" + action + "' is not owner/name, e.g. actions/checkout (give the ref in '" + REF + "')")
        .check(
            REF_SYNTAX.matcher(ref).matches(),
            REF,
            "'" + ref + "' is not a git ref; use letters, digits and . _ - + / only, e.g. v4 or a commit SHA")
        .build();
  }

  @Override
  public Outcome apply(Workspace workspace, Parameters parameters) throws IOException {
    String action = parameters.string(ACTION);
    String ref = parameters.string(REF);
    boolean replacePins = parameters.bool(REPLACE_PINNED_SHAS, false);
    List<String> files = workflowFiles(workspace);
    if (files.isEmpty()) {
      return Outcome.notApplicable("no GitHub Actions workflow (.github/workflows/*.yml) or action.yml");
    }
    int changedFiles = 0;
    int pinned = 0;
    for (String file : files) {
      YamlEditor yaml = YamlEditor.parse(file, workspace.read(file));
      for (YamlScalar uses : usesValues(yaml)) {
        String value = uses.value().trim();
        if (value.startsWith("docker://") || value.startsWith("./") || value.startsWith("../")) {
          continue;
        }
        Matcher m = USES.matcher(value);
        if (!m.matches() || !m.group(1).toLowerCase(Locale.ROOT).equals(action.toLowerCase(Locale.ROOT))) {
          continue;
        }
        String current = m.group(3);
        if (current.equals(ref)) {
          continue;
        }
        if (FULL_SHA.matcher(current).matches() && !replacePins) {
          pinned++;
          continue;
        }
        String path = m.group(2) == null ? "" : m.group(2);
        yaml.replace(uses, m.group(1) + path + "@" + ref);
      }
      if (yaml.isChanged()) {
        workspace.write(file, yaml.text());
        changedFiles++;
      }
    }
    return summarise(action, ref, changedFiles, pinned);
  }

  private static List<String> workflowFiles(Workspace workspace) throws IOException {
    TreeSet<String> files = new TreeSet<>();
    for (String glob :
        List.of(".github/workflows/*.yml", ".github/workflows/*.yaml", "action.yml", "action.yaml")) {
      files.addAll(workspace.glob(glob));
    }
    return List.copyOf(files);
  }

  private static List<YamlScalar> usesValues(YamlEditor yaml) {
    // A workflow has steps under jobs and reusable-workflow calls on jobs; a composite action
    // has steps under runs. A key named "uses" under "with:" is an input, not an action.
    TreeSet<Integer> seen = new TreeSet<>();
    return USES_PATHS.stream()
        .flatMap(path -> yaml.select(path).stream())
        .filter(s -> seen.add(s.start()))
        .sorted((a, b) -> Integer.compare(a.start(), b.start()))
        .toList();
  }

  private static Outcome summarise(String action, String ref, int changedFiles, int pinned) {
    String pins =
        pinned == 0
            ? ""
            : "left "
                + pinned
                + (pinned == 1 ? " use" : " uses")
                + " pinned to a commit SHA alone (set replacePinnedShas: true to replace them)";
    if (changedFiles == 0) {
      return pinned == 0 ? Outcome.unchanged() : new Outcome(Outcome.Kind.UNCHANGED, pins);
    }
    return Outcome.changed(
        "set " + action + " to " + ref + " in " + changedFiles + (changedFiles == 1 ? " file" : " files")
            + (pins.isEmpty() ? "" : "; " + pins));
  }
}
