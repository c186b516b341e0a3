package dev.flotilla.dashboard.port;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans (a campaign file's dry run over the fleet) and the data tables runs kept, as the dashboard
 * reads and requests them. The controller implements it; the dashboard serves it at {@code /api/plans}
 * and {@code /api/runs/{id}/datatables}.
 */
public interface PlanPort {

  /** Every plan, newest first; only those of {@code campaign} when it is not null. */
  List<PlanSummary> plans(String campaign);

  /** One plan with every repository's verdict and diff. */
  Optional<PlanDetail> plan(long id);

  /**
   * Asks for the plans of the campaigns in {@code campaignFile} (YAML, several documents allowed):
   * the existing plan of the same content, or a new one a controller makes.
   *
   * @param again make a finished plan of this content anew
   * @throws IllegalArgumentException when the file is not a valid campaign file; the message says
   *     where and what to change
   */
  List<PlanSummary> request(String campaignFile, boolean again, Actor actor);

  /** The data tables a run kept, by name; empty for an unknown run. */
  List<DataTableInfo> dataTables(String runId);

  /** The data tables every run of {@code campaign} kept (its changesets' runs and its plans' dry runs), newest first. */
  List<DataTableInfo> campaignDataTables(String campaign);

  /** One data table's CSV text. */
  Optional<String> dataTable(String runId, String name);

  /**
   * A plan without its repositories.
   *
   * @param counts repositories per verdict ({@code WOULD_CHANGE}, {@code NO_CHANGE}, {@code
   *     NOT_APPLICABLE}, {@code NEEDS_HUMAN}, {@code REFUSED}, {@code FAILED}, {@code PENDING}, {@code RUNNING})
   */
  record PlanSummary(
      long id,
      String campaign,
      String sourceHash,
      String status,
      String requestedBy,
      Instant createdAt,
      Instant finishedAt,
      Map<String, Integer> counts) {}

  /** One repository's verdict; {@code diff} for {@code WOULD_CHANGE}, possibly cut with a last line saying so. */
  record PlanRepository(
      String repository,
      String verdict,
      String reason,
      String baseSha,
      Integer filesChanged,
      Integer insertions,
      Integer deletions,
      String diff,
      String runId,
      List<String> dataTables) {}

  record PlanDetail(PlanSummary plan, List<PlanRepository> repositories) {}

  /** A stored data table, without its rows. */
  record DataTableInfo(String name, String runId, String campaign, String repository, int bytes, Instant createdAt) {}
}
