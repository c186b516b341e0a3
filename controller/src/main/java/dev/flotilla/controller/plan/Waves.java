package dev.flotilla.controller.plan;

import java.util.List;

/**
 * Rollout waves as cumulative sizes of the eligible fleet: {@code ["5", "25%", "100%"]} over 200
 * repositories is 5, then up to 50, then all 200. The last wave always takes the rest.
 */
public final class Waves {

  private Waves() {}

  /** The exclusive upper position of each wave. */
  public static int[] thresholds(List<String> waves, int fleetSize) {
    int[] thresholds = new int[waves.size()];
    int previous = 0;
    for (int i = 0; i < waves.size(); i++) {
      String wave = waves.get(i).trim();
      int size =
          wave.endsWith("%")
              ? (int) Math.ceil(Double.parseDouble(wave.substring(0, wave.length() - 1)) / 100.0 * fleetSize)
              : Integer.parseInt(wave);
      previous = Math.max(previous, Math.min(size, fleetSize));
      thresholds[i] = previous;
    }
    if (thresholds.length > 0) {
      thresholds[thresholds.length - 1] = Math.max(fleetSize, thresholds[thresholds.length - 1]);
    }
    return thresholds;
  }

  /** The wave a repository at {@code position} (0-based, in rollout order) belongs to. */
  public static int waveOf(int position, int[] thresholds) {
    for (int i = 0; i < thresholds.length; i++) {
      if (position < thresholds[i]) {
        return i;
      }
    }
    return Math.max(0, thresholds.length - 1);
  }
}
