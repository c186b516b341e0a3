/**
 * A simulated GitHub for tests and benchmarks: {@link dev.flotilla.controller.forge.github.sim.GitHubSim}
 * is one in-process HTTP server that keeps state as GitHub does and answers the REST and GraphQL
 * calls Flotilla's GitHub forge makes, with GitHub's response shapes (built from the examples of
 * GitHub's OpenAPI description and webhook examples, see {@code Templates}), status codes and headers.
 *
 * <p>What it keeps and does:
 *
 * <ul>
 *   <li>App authentication: {@code GET /app} and {@code /app/installations} with the App's JWT,
 *       installation tokens minted with the permissions and repositories asked for; personal tokens.
 *   <li>Repositories: default branch, {@code delete_branch_on_merge}, {@code allow_auto_merge},
 *       archived, empty, {@code size} (0 until GitHub's delayed computation, {@link
 *       dev.flotilla.controller.forge.github.sim.GitHubSim#sizeDelay}); paginated listings with ETags
 *       (a 304 costs no budget); files read with GraphQL.
 *   <li>Git: bare repositories under the folder given to {@code start}, over smart HTTP at
 *       {@code /git/OWNER/NAME.git} (the {@code clone_url} the API reports), authenticated with the
 *       token as password. Pushes touching {@code .github/workflows/} need the {@code workflows}
 *       permission, with GitHub's refusal message.
 *   <li>Pull requests: create (422 when one exists), list by head, read ({@code mergeable} null on
 *       the first read after the head or base moved, then {@code clean}, {@code blocked},
 *       {@code behind}, {@code dirty} or {@code unstable}), edit, close, labels, reviewers, comments,
 *       reviews given with {@link dev.flotilla.controller.forge.github.sim.GitHubSim#review}.
 *   <li>CI: every pushed commit gets the repository's {@link
 *       dev.flotilla.controller.forge.github.sim.SimRepo#ci} checks (check runs or statuses), which
 *       complete after their delay or on {@link dev.flotilla.controller.forge.github.sim.GitHubSim#completeCheck};
 *       by default a {@code ci.sh} saying {@code exit 1} fails.
 *   <li>Rules: classic protection and a ruleset ({@link dev.flotilla.controller.forge.github.sim.SimRepo.Rules}:
 *       required checks, strict up-to-date, required approvals, merge queue, App bypass), read with
 *       {@code .../protection/required_status_checks}, {@code /rules/branches/{branch}} and GraphQL.
 *   <li>Merges that move the base branch (merge commit, squash, rebase) or answer 405/409 with
 *       GitHub's messages; {@code update-branch}; the merge queue ({@code enqueuePullRequest}, which
 *       builds the merge group, runs CI on it, then lands it or removes it with a reason).
 *   <li>Webhooks to {@link dev.flotilla.controller.forge.github.sim.GitHubSim#webhooks} with
 *       {@code X-Hub-Signature-256}, {@code X-GitHub-Event} and {@code X-GitHub-Delivery}:
 *       pull_request, check_run, status, push, pull_request_review, installation_repositories.
 *   <li>Limits per credential ({@link dev.flotilla.controller.forge.github.sim.Limits}): the primary
 *       budget with {@code X-RateLimit-*} headers (403 when out), requests in flight and content
 *       creation (80 a minute, 500 an hour; every POST, PATCH, PUT and DELETE but GraphQL and token
 *       minting) answered with {@code Retry-After}, all of it compressible in time
 *       ({@link dev.flotilla.controller.forge.github.sim.Limits#compress}); injected faults, secondary
 *       limits and an exhausted budget mid-run; latency, fixed or in a range; calls counted per
 *       endpoint ({@link dev.flotilla.controller.forge.github.sim.GitHubSim#calls()}).
 * </ul>
 *
 * <p>State lives in memory maps and the bare repositories; nothing scans the disk per request, so the
 * same server carries benchmarks of thousands of repositories.
 */
package dev.flotilla.controller.forge.github.sim;
