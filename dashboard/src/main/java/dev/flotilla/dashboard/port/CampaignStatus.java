package dev.flotilla.dashboard.port;

/** Where a campaign is in its life. {@link #HALTED} always comes with a reason. */
public enum CampaignStatus {
  ACTIVE,
  PAUSED,
  HALTED,
  CANCELLED,
  COMPLETED
}
