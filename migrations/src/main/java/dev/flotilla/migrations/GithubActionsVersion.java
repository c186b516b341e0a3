package dev.flotilla.migrations;

import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.ParameterSpec;
import dev.flotilla.migration.ParameterSpec.Type;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Validation;
import dev.flotilla.migration.Workspace;
import dev.flotilla.migration.edit.TextEdit;
import dev.flotilla.migration.edit.TextEdits;
import dev.flotilla.migration.edit.YamlEditor;
import dev.flotilla.migration.edit.YamlScalar;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Points every {@code uses: owner/action@ref} (and {@code owner/action/sub/path@ref}) in GitHub
 * Actions workflows and composite actions at a new ref, editing only the ref's bytes. It never
 * downgrades, and moves a use pinned to a commit SHA to the commit of the new release (found with
 * {@code git ls-remote}), rewriting its {@code # vX.Y.Z} comment; whatever it leaves alone, it says
 * why.
 */
public final class GithubActionsVersion implements Migration {

  static final String ACTION = "action";
  static final String REF = "ref";
  static final String REPLACE_PINNED_SHAS = "replacePinnedShas";
  static final String GIT_BASE_URL = "gitBaseUrl";
  static final String GITHUB = "https://github.com";

  private static final Pattern ACTION_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]+");
  private static final Pattern REF_SYNTAX = Pattern.compile("[A-Za-z0-9_.+/-]+");
  private static final Pattern USES = Pattern.compile("([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)(/[^@\\s]*)?@(\\S+)");
  private static final Pattern FULL_SHA = Pattern.compile("[0-9a-fA-F]{40}");
  private static final Pattern BASE_URL = Pattern.compile("(https?|file)://\\S+");
  /** A version in the comment after a pin, as Renovate writes it: {@code # v4.1.1}, {@code # pin @v4}, {@code # tag=v4}. */
  private static final Pattern VERSION_COMMENT =
      Pattern.compile("[ \\t]+#[ \\t]*(?:pin[ \\t]+|tag[ \\t]*=[ \\t]*)?@?([vV]?\\d+(?:\\.\\d+)*(?:-[0-9A-Za-z.]+)?)(?=[ \\t\\r\\n]|$)");
  private static final List<String> USES_PATHS =
      List.of("jobs.*.steps[*].uses", "jobs.*.uses", "runs.steps[*].uses");

  @Override
  public String id() {
    return "github-actions-version";
  }

  /** It edits workflows by definition, so its runs always need the {@code workflows} permission. */
  @Override
  public boolean editsWorkflows(Parameters parameters) {
    return true;
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
        - Only the value changes: its quoting, a trailing comment, indentation and line endings \
          stay as they were.
        - Never a downgrade: a use on a newer version than the ref (`@v7` when the ref is `v4`) is \
          left alone, and the summary says so.
        - A `uses:` pinned to a full 40-character commit SHA is left alone unless \
          `replacePinnedShas` is `true`; then it is moved to the commit the ref names (found with \
          `git ls-remote`), stays pinned, and its `# vX.Y.Z` comment is rewritten. A pin without a \
          version comment, or whose ref cannot be found, is left alone with the reason.
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
            "also move uses pinned to a full 40-character commit SHA to the commit of ref, rewriting their # vX.Y.Z comment",
            "true"),
        ParameterSpec.optional(
            GIT_BASE_URL,
            Type.STRING,
            GITHUB,
            "where git ls-remote finds the action's repository (<gitBaseUrl>/<owner>/<name>) to resolve ref to a commit for pinned uses",
            "https://github.example.com"));
  }

  @Override
  public Validation validate(Parameters parameters) {
    String action = parameters.string(ACTION, "");
    String ref = parameters.string(REF, "");
    String baseUrl = parameters.string(GIT_BASE_URL, GITHUB);
    return Validation.builder()
        .check(
            ACTION_NAME.matcher(action).matches(),
            ACTION,
            "'" + action + "' is not owner/name, e.g. actions/checkout (give the ref in '" + REF + "')")
        .check(
            REF_SYNTAX.matcher(ref).matches(),
            REF,
            "'" + ref + "' is not a git ref; use letters, digits and . _ - + / only, e.g. v4 or a commit SHA")
        .check(
            BASE_URL.matcher(baseUrl).matches(),
            GIT_BASE_URL,
            "'" + baseUrl + "' is not a git URL such as https://github.com")
        .build();
  }

  @Override
  public Outcome apply(Workspace workspace, Parameters parameters) throws IOException {
    Run run =
        new Run(
            parameters.string(ACTION),
            parameters.string(REF),
            parameters.bool(REPLACE_PINNED_SHAS, false),
            new RemoteTags(parameters.string(GIT_BASE_URL, GITHUB)));
    List<String> files = workflowFiles(workspace);
    if (files.isEmpty()) {
      return Outcome.notApplicable("no GitHub Actions workflow (.github/workflows/*.yml) or action.yml");
    }
    int changedFiles = 0;
    for (String file : files) {
      String text = workspace.read(file);
      List<TextEdit> edits = new ArrayList<>();
      for (YamlScalar uses : usesValues(YamlEditor.parse(file, text))) {
        edits.addAll(run.edit(file, text, uses));
      }
      String edited = TextEdits.apply(text, edits);
      if (!edited.equals(text)) {
        workspace.write(file, edited);
        changedFiles++;
      }
    }
    return run.summarise(changedFiles);
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

  /** One application: the parameters, the commits looked up so far, and what was left alone. */
  private static final class Run {
    private final String action;
    private final String ref;
    private final boolean replacePins;
    private final RemoteTags tags;
    private final Optional<ReleaseVersion> wanted;
    private final List<String> leftAlone = new ArrayList<>();
    private int pinsNotAsked;

    Run(String action, String ref, boolean replacePins, RemoteTags tags) {
      this.action = action;
      this.ref = ref;
      this.replacePins = replacePins;
      this.tags = tags;
      this.wanted = ReleaseVersion.ofGitRef(ref);
    }

    /** The edits for one {@code uses:} value: none, the ref, or a pin and its comment. */
    List<TextEdit> edit(String file, String text, YamlScalar uses) {
      String value = uses.value().trim();
      if (value.startsWith("docker://") || value.startsWith("./") || value.startsWith("../")) {
        return List.of();
      }
      Matcher m = USES.matcher(value);
      if (!m.matches() || !m.group(1).toLowerCase(Locale.ROOT).equals(action.toLowerCase(Locale.ROOT))) {
        return List.of();
      }
      String current = m.group(3);
      String prefix = m.group(1) + (m.group(2) == null ? "" : m.group(2)) + "@";
      String where = file + ":" + uses.line();
      if (current.equals(ref)) {
        return List.of();
      }
      if (FULL_SHA.matcher(current).matches()) {
        return editPin(where, text, uses, prefix, current);
      }
      if (isAhead(ReleaseVersion.ofGitRef(current))) {
        leftAlone.add(where + " " + m.group(1) + "@" + current + " is ahead of " + ref + " (never downgraded)");
        return List.of();
      }
      if (sameVersion(ReleaseVersion.ofGitRef(current))) {
        return List.of();
      }
      return List.of(replaceValue(uses, prefix + ref));
    }

    private List<TextEdit> editPin(String where, String text, YamlScalar uses, String prefix, String pinned) {
      if (!replacePins) {
        pinsNotAsked++;
        return List.of();
      }
      String shortPin = pinned.substring(0, 7);
      Matcher comment = VERSION_COMMENT.matcher(text).region(uses.end(), lineEnd(text, uses.end()));
      boolean commented = comment.lookingAt();
      if (FULL_SHA.matcher(ref).matches()) {
        if (commented) {
          leftAlone.add(where + " " + action + "@" + shortPin + " # " + comment.group(1)
              + ": ref is a bare commit SHA, so the version comment cannot be rewritten; give the release tag as ref");
          return List.of();
        }
        return List.of(replaceValue(uses, prefix + ref));
      }
      if (!commented) {
        leftAlone.add(where + " " + action + "@" + shortPin
            + " is pinned without a # vX.Y.Z comment, so whether " + ref + " is newer cannot be told;"
            + " add the version as a comment or move the pin by hand");
        return List.of();
      }
      Optional<ReleaseVersion> pinnedVersion = ReleaseVersion.ofGitRef(comment.group(1));
      if (isAhead(pinnedVersion)) {
        leftAlone.add(where + " " + action + "@" + shortPin + " # " + comment.group(1) + " is ahead of " + ref
            + " (never downgraded)");
        return List.of();
      }
      if (comment.group(1).equals(ref) || sameVersion(pinnedVersion)) {
        return List.of();
      }
      Optional<String> commit;
      try {
        commit = tags.commitOf(action, ref);
      } catch (RemoteTags.LookupException e) {
        leftAlone.add(where + " " + action + "@" + shortPin + " stays pinned: " + e.getMessage());
        return List.of();
      }
      if (commit.isEmpty()) {
        leftAlone.add(where + " " + action + "@" + shortPin + " stays pinned: " + tags.urlOf(action)
            + " has no tag or branch " + ref);
        return List.of();
      }
      return List.of(
          replaceValue(uses, prefix + commit.get()),
          TextEdit.replace(comment.start(1), comment.end(1), ref));
    }

    private boolean isAhead(Optional<ReleaseVersion> current) {
      return current.isPresent() && wanted.isPresent() && current.get().compareAsGitRef(wanted.get()) > 0;
    }

    private boolean sameVersion(Optional<ReleaseVersion> current) {
      return current.isPresent() && wanted.isPresent() && current.get().compareAsGitRef(wanted.get()) == 0;
    }

    Outcome summarise(int changedFiles) {
      List<String> notes = new ArrayList<>();
      if (pinsNotAsked > 0) {
        notes.add("left " + pinsNotAsked + (pinsNotAsked == 1 ? " use" : " uses")
            + " pinned to a commit SHA alone (set replacePinnedShas: true to move them to " + ref + "'s commit)");
      }
      if (!leftAlone.isEmpty()) {
        notes.add("left alone: " + String.join("; ", leftAlone));
      }
      String note = String.join("; ", notes);
      if (changedFiles == 0) {
        return Outcome.unchanged(note);
      }
      String summary =
          "set " + action + " to " + ref + " in " + changedFiles + (changedFiles == 1 ? " file" : " files");
      return Outcome.changed(note.isEmpty() ? summary : summary + "; " + note);
    }
  }

  /** The value's characters replaced, its quotes kept: a uses value never needs escaping. */
  private static TextEdit replaceValue(YamlScalar uses, String value) {
    String quote = switch (uses.style()) {
      case SINGLE_QUOTED -> "'";
      case DOUBLE_QUOTED -> "\"";
      default -> "";
    };
    return TextEdit.replace(uses.start(), uses.end(), quote + value + quote);
  }

  private static int lineEnd(String text, int from) {
    int end = from;
    while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
      end++;
    }
    return end;
  }
}
