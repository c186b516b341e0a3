package dev.flotilla.controller.campaign.k8s;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * The schema of a campaign's {@code spec}, key for key the one {@code CampaignParser} reads from a
 * file (a test holds the two key lists equal). It carries the checks an API server can make by
 * itself; the controller then reads the spec through {@code CampaignParser}, so a resource and a file
 * are checked by the same code and get the same messages.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "migration", "migrationArtifact", "parameters", "schedule", "automerge", "allowNoChecks", "rollout", "limits", "rebaseAfter",
  "paused", "cancelPolicy", "verifiers", "postMerge", "runnerImage"
})
public class CampaignResourceSpec {

  /** Durations as {@code Durations} reads them: {@code 30s}, {@code 1h30m}, {@code 3d} or ISO-8601. */
  static final String DURATION = "^(([0-9]+(ms|s|m|h|d))+|[Pp][0-9A-Za-z.,]+)$";

  @Required
  @Pattern("^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")
  @JsonPropertyDescription("The migration to run; must be on the controller's classpath.")
  public String migration;

  @Pattern("^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+:[A-Za-z0-9_.+-]+$")
  @JsonPropertyDescription("Maven coordinates (groupId:artifactId:version) of the jar the migration must come from.")
  public String migrationArtifact;

  // Any mapping: the migration declares its parameters, and CampaignParser checks them against it.
  @PreserveUnknownFields
  @JsonPropertyDescription("The migration's parameters, checked against its declared parameters.")
  public JsonNode parameters;

  @Size(min = 1)
  @JsonPropertyDescription("A Quartz cron expression to run the campaign again; none runs it once now.")
  public String schedule;

  @JsonPropertyDescription("Whether this campaign's pull requests may be merged when green.")
  public Boolean automerge;

  @JsonPropertyDescription("Whether a pull request with no CI checks at all counts as green.")
  public Boolean allowNoChecks;

  public Rollout rollout;

  public Limits limits;

  @Pattern(DURATION)
  @JsonPropertyDescription("Re-run on a moved base branch when the branch is older than this.")
  public String rebaseAfter;

  @JsonPropertyDescription("true starts no new runs and merges nothing until it is set back to false.")
  public Boolean paused;

  @JsonPropertyDescription("What deleting the resource does to open pull requests.")
  public CancelPolicy cancelPolicy;

  @JsonPropertyDescription("Commands run in the runner's work tree before anything is pushed; a failing one fails the run.")
  public List<Verifier> verifiers;

  public PostMerge postMerge;

  @Pattern("^\\S+$")
  @JsonPropertyDescription("The runner image of this campaign's Jobs, with the toolchain its verifiers need.")
  public String runnerImage;

  /** One command run before the push. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"name", "command", "when", "timeout"})
  public static class Verifier {
    @Required
    @Size(min = 1)
    public String name;

    @Required
    @Size(min = 1)
    public String command;

    @JsonPropertyDescription("A file glob from the repository root; the verifier runs only when a file matches.")
    public String when;

    @Pattern(DURATION)
    public String timeout;
  }

  /** How long the default branch and its deployments are watched after a merge, and when their failures halt the campaign. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"watch", "haltOnFailureRate", "deployments"})
  public static class PostMerge {
    @Required
    @Pattern(DURATION)
    public String watch;

    @Min(0)
    @Max(1)
    public Double haltOnFailureRate;

    @JsonPropertyDescription("Environments whose deployment statuses of the merge commit are watched too, such as [production].")
    public List<@Size(min = 1) String> deployments;
  }

  /** Cumulative rollout waves and when a wave halts the campaign. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"waves", "haltOnFailureRate", "waveGracePeriod"})
  public static class Rollout {
    @Size(min = 1)
    @JsonPropertyDescription("Counts (\"5\") or shares (\"25%\"), cumulative, in increasing order.")
    public List<@Pattern("^[0-9]{1,9}%?$") String> waves;

    @Min(0)
    @Max(1)
    public Double haltOnFailureRate;

    @Pattern(DURATION)
    public String waveGracePeriod;
  }

  /** Load limits of one campaign. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"concurrentRuns", "pullRequestsPerHour", "openPullRequests"})
  public static class Limits {
    @Min(1)
    @Max(Integer.MAX_VALUE)
    public Integer concurrentRuns;

    @Min(1)
    @Max(Integer.MAX_VALUE)
    public Integer pullRequestsPerHour;

    @Min(1)
    @Max(Integer.MAX_VALUE)
    public Integer openPullRequests;
  }

  /** Written as in the file: {@code keepPullRequests} or {@code closePullRequests}. */
  public enum CancelPolicy {
    keepPullRequests,
    closePullRequests
  }
}
