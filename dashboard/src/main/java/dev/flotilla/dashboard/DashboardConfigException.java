package dev.flotilla.dashboard;

/** A dashboard setting is missing or malformed; the message names the setting. */
public class DashboardConfigException extends RuntimeException {

  public DashboardConfigException(String message) {
    super(message);
  }
}
