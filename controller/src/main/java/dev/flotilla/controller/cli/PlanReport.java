package dev.flotilla.controller.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.controller.model.Plan;
import dev.flotilla.controller.model.Plan.Entry;
import dev.flotilla.controller.model.Plan.Verdict;
import java.util.List;

/** A plan as the command line prints it: counts, a table of repositories, diffs, or JSON. Pure. */
final class PlanReport {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int REASON_WIDTH = 80;

  private PlanReport() {}

  static String counts(Plan plan, List<Entry> entries) {
    Plan.Counts counts = Plan.Counts.of(entries);
    return String.format(
        "plan %d of campaign %s (%s): %d would change, %d no change, %d not applicable, %d need a person, %d refused, %d failed%s%n",
        plan.id(), plan.campaign(), plan.status().name().toLowerCase(java.util.Locale.ROOT),
        counts.get(Verdict.WOULD_CHANGE), counts.get(Verdict.NO_CHANGE), counts.get(Verdict.NOT_APPLICABLE),
        counts.get(Verdict.NEEDS_HUMAN), counts.get(Verdict.REFUSED), counts.get(Verdict.FAILED),
        open(counts) == 0 ? "" : ", " + open(counts) + " to go");
  }

  static String table(Plan plan, List<Entry> entries, boolean diffs) {
    StringBuilder out = new StringBuilder(counts(plan, entries));
    int width = Math.max("REPOSITORY".length(), entries.stream().mapToInt(e -> e.repository().length()).max().orElse(0));
    out.append(String.format("%-" + width + "s  %-14s  %-12s  %s%n", "REPOSITORY", "VERDICT", "CHANGES", "WHY"));
    for (Entry e : entries) {
      String changes = e.verdict() == Verdict.WOULD_CHANGE
          ? e.filesChanged() + " files +" + e.insertions() + " -" + e.deletions()
          : "";
      out.append(String.format("%-" + width + "s  %-14s  %-12s  %s%n", e.repository(), e.verdict(), changes, oneLine(e.reason())));
    }
    if (diffs) {
      for (Entry e : entries) {
        if (e.diff() != null) {
          out.append(System.lineSeparator()).append("=== ").append(e.repository()).append(System.lineSeparator()).append(e.diff());
        }
      }
    }
    return out.toString();
  }

  static String json(Plan plan, List<Entry> entries) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", plan.id());
    root.put("campaign", plan.campaign());
    root.put("sourceHash", plan.sourceHash());
    root.put("status", plan.status().name());
    root.put("requestedBy", plan.requestedBy());
    root.put("createdAt", String.valueOf(plan.createdAt()));
    root.put("finishedAt", plan.finishedAt() == null ? null : plan.finishedAt().toString());
    ObjectNode counts = root.putObject("counts");
    Plan.Counts.of(entries).byVerdict().forEach((verdict, n) -> counts.put(verdict.name(), n));
    ArrayNode repositories = root.putArray("repositories");
    for (Entry e : entries) {
      ObjectNode r = repositories.addObject();
      r.put("repository", e.repository());
      r.put("verdict", e.verdict().name());
      r.put("reason", e.reason());
      r.put("baseSha", e.baseSha());
      r.put("filesChanged", e.filesChanged());
      r.put("insertions", e.insertions());
      r.put("deletions", e.deletions());
      r.put("diff", e.diff());
      r.put("runId", e.runId());
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + System.lineSeparator();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the plan as JSON", e);
    }
  }

  static int open(Plan.Counts counts) {
    return counts.get(Verdict.PENDING) + counts.get(Verdict.RUNNING);
  }

  private static String oneLine(String text) {
    if (text == null) {
      return "";
    }
    String line = text.replaceAll("\\s+", " ").strip();
    return line.length() <= REASON_WIDTH ? line : line.substring(0, REASON_WIDTH - 1) + "…";
  }
}
