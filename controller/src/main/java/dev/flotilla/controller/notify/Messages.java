package dev.flotilla.controller.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.controller.store.Outbox;
import dev.flotilla.dashboard.port.TeamDetail;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** What a message says, as Slack text or as plain JSON. Pure. */
final class Messages {

  static final ObjectMapper JSON = new ObjectMapper();
  /** A digest lists this many changesets; the team page has the rest. */
  static final int DIGEST_ITEMS = 20;

  private Messages() {}

  /** The digest's facts, or null when nothing waits on the team and nothing it can fix failed. */
  static String digestPayload(TeamDetail team, String day, String dashboardUrl) {
    List<TeamDetail.Changeset> waiting = team.changesets().stream()
        .filter(c -> c.waitingOn() == TeamDetail.WaitingOn.team).toList();
    if (waiting.isEmpty()) {
      return null;
    }
    ObjectNode payload = JSON.createObjectNode().put("team", team.team()).put("day", day)
        .put("waiting", waiting.size())
        .put("teamPage", dashboardUrl.replaceAll("/+$", "") + "/#/teams/" + team.team());
    var items = payload.putArray("items");
    for (TeamDetail.Changeset c : waiting.subList(0, Math.min(DIGEST_ITEMS, waiting.size()))) {
      items.addObject().put("repository", c.repository()).put("campaign", c.campaign()).put("state", c.state().name())
          .put("pullRequestUrl", c.pullRequestUrl()).put("action", c.action());
    }
    return payload.toString();
  }

  static String json(Outbox.Message message) {
    ObjectNode body = JSON.createObjectNode().put("id", message.key()).put("kind", message.kind()).put("team", message.team());
    body.set("data", read(message.payloadJson()));
    return body.toString();
  }

  static String slack(Outbox.Message message) {
    return JSON.createObjectNode().put("text", text(message)).toString();
  }

  static String text(Outbox.Message message) {
    JsonNode p = read(message.payloadJson());
    return switch (message.kind()) {
      case "DIGEST" -> {
        StringBuilder text = new StringBuilder(p.path("waiting").asInt() + " Flotilla change(s) wait on team "
            + message.team() + " (" + p.path("day").asText() + "):");
        for (JsonNode item : p.path("items")) {
          text.append("\n• ").append(item.path("repository").asText()).append(" (").append(item.path("campaign").asText())
              .append("): ").append(item.path("action").asText());
          if (item.hasNonNull("pullRequestUrl")) {
            text.append(" ").append(item.path("pullRequestUrl").asText());
          }
        }
        text.append("\nAll of it: ").append(p.path("teamPage").asText());
        yield text.toString();
      }
      case "CAMPAIGN_HALTED" -> "Campaign " + p.path("campaign").asText() + " halted: " + p.path("reason").asText("")
          + ". Its pull requests to team " + message.team() + " wait until the platform team resumes it.";
      case "PULL_REQUEST_CLOSED" -> "A pull request of campaign " + p.path("campaign").asText() + " on "
          + p.path("repository").asText() + " was closed without merging; Flotilla will not reopen it. "
          + p.path("pullRequestUrl").asText("");
      default -> message.kind() + " for team " + message.team();
    };
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
