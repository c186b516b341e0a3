package dev.flotilla.controller.campaign.k8s;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** What the controller reports on a Campaign resource; only the controller writes it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "phase", "progress", "total", "merged", "open", "failed", "counts", "currentWave", "haltReason",
  "observedGeneration", "conditions"
})
public class CampaignResourceStatus {

  /** The campaign's phase as {@code kubectl get} shows it. */
  public enum Phase {
    Active,
    Paused,
    Halted,
    Completed,
    Cancelled
  }

  public Phase phase;

  @JsonPropertyDescription("Merged of total changesets, as merged/total.")
  public String progress;

  public Integer total;
  public Integer merged;

  @JsonPropertyDescription("Changesets with an open pull request.")
  public Integer open;

  @JsonPropertyDescription("Changesets whose run or CI failed.")
  public Integer failed;

  @JsonPropertyDescription("Changesets by state.")
  public Map<String, Integer> counts = new TreeMap<>();

  public Integer currentWave;
  public String haltReason;

  @JsonPropertyDescription("The metadata.generation the controller last acted on.")
  public Long observedGeneration;

  public List<Condition> conditions = new ArrayList<>();

  /** A condition as Kubernetes objects carry them; {@code lastTransitionTime} is RFC 3339. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"type", "status", "reason", "message", "observedGeneration", "lastTransitionTime"})
  public static class Condition {
    public String type;
    public String status;
    public String reason;
    public String message;
    public Long observedGeneration;
    public String lastTransitionTime;

    public Condition() {}

    Condition(String type, boolean status, String reason, String message, Long observedGeneration) {
      this.type = type;
      this.status = status ? "True" : "False";
      this.reason = reason;
      this.message = message;
      this.observedGeneration = observedGeneration;
    }

    /** Equal but for the transition time, which only a change of status moves. */
    boolean sameAs(Condition other) {
      return other != null && Objects.equals(type, other.type) && Objects.equals(status, other.status)
          && Objects.equals(reason, other.reason) && Objects.equals(message, other.message)
          && Objects.equals(observedGeneration, other.observedGeneration);
    }
  }
}
