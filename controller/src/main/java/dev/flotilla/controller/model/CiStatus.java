package dev.flotilla.controller.model;

import java.util.List;

/** The combined state of every check on a commit, with each check for display. */
public record CiStatus(State state, List<Check> checks) {

  /** Combined: any failure fails; any pending is pending; all green is success; none reported. */
  public enum State {
    PENDING,
    SUCCESS,
    FAILURE,
    NONE
  }

  /** One check run or commit status. */
  public record Check(String name, State state, String url, String summary) {}

  public CiStatus {
    checks = List.copyOf(checks);
  }

  public static CiStatus none() {
    return new CiStatus(State.NONE, List.of());
  }
}
