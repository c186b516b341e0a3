package dev.flotilla.controller.model;

import java.time.Instant;

/** A campaign as stored: its spec and whether it is running. */
public record Campaign(
    CampaignSpec spec, CampaignStatus status, String statusReason, int currentWave, Instant createdAt) {

  public String name() {
    return spec.name();
  }

  public boolean isActive() {
    return status == CampaignStatus.ACTIVE;
  }
}
