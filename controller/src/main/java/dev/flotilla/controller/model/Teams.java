package dev.flotilla.controller.model;

import java.util.Locale;

/** One spelling of a team name, whichever source named it. */
public final class Teams {

  private Teams() {}

  /**
   * {@code group:default/payments} (a Backstage entity reference), {@code @acme/payments} (a GitHub
   * team in CODEOWNERS), {@code Payments} and {@code payments} all name the team {@code payments}, so
   * one team gets one page whichever source answered for each of its repositories.
   */
  public static String normalise(String name) {
    String team = name.trim();
    if (team.startsWith("@")) {
      team = team.substring(1);
    }
    int colon = team.indexOf(':');
    if (colon >= 0) {
      team = team.substring(colon + 1);
    }
    int slash = team.lastIndexOf('/');
    if (slash >= 0) {
      team = team.substring(slash + 1);
    }
    return team.toLowerCase(Locale.ROOT);
  }
}
