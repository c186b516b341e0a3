package dev.flotilla.controller.model;

/** Whether a campaign's changesets may move. */
public enum CampaignStatus {
  ACTIVE,
  PAUSED,
  HALTED,
  CANCELLED,
  COMPLETED
}
