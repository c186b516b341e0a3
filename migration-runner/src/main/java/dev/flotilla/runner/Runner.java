package dev.flotilla.runner;

import dev.flotilla.TokenMask;
import dev.flotilla.FlotillaException;
import dev.flotilla.Printable;
import dev.flotilla.migration.DirectoryWorkspace;
import dev.flotilla.migration.InvalidParametersException;
import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Migrations;
import dev.flotilla.runner.jars.MigrationJars;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.UnknownMigrationException;
import dev.flotilla.migration.Validation;
import dev.flotilla.runner.CredentialResolver.Secret;
import dev.flotilla.runner.RunResult.Phase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.AddCommand;
import org.eclipse.jgit.api.CreateBranchCommand.SetupUpstreamMode;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.EmptyCommitException;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.util.io.DisabledOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one migration on one repository: validate, clone (shallow, default branch only), branch,
 * apply, commit, and push the campaign branch with a lease. Never throws for a repository's
 * problem: every failure becomes a {@link RunResult#failed} with a reason a person can act on, and
 * the git token never appears in a reason or a log line.
 */
public final class Runner {

  /** The commit trailer that marks a commit as Flotilla's, naming its campaign. */
  public static final String TRAILER = "Flotilla-Campaign";

  private static final Logger log = LoggerFactory.getLogger(Runner.class);
  private static final int BRANCHES_LISTED = 10;
  private static final int PATHS_LISTED = 5;
  /** The file GitHub names in its refusal, when it names one (group 1). */
  private static final Pattern WORKFLOW_REFUSAL =
      Pattern.compile("refusing to allow .{0,80}? to create or update workflow(?: `([^`\\s]{1,300})`)?.{0,40}? without `workflows?` (?:permission|scope)");

  private final Migrations migrations;
  private final CredentialResolver credentials;

  /**
   * The built-in migrations and the jars in {@code FLOTILLA_MIGRATIONS_DIR}, with credentials from
   * this process's environment.
   */
  public Runner() {
    this(MigrationJars.fromEnvironment(System.getenv()).migrations(), CredentialResolver.fromEnvironment());
  }

  public Runner(Migrations migrations, CredentialResolver credentials) {
    this.migrations = migrations;
    this.credentials = credentials;
  }

  /**
   * Runs {@code request} in {@code workDir}, which must be empty or absent; the clone is left there
   * for the caller to inspect or delete.
   */
  public RunResult run(RunRequest request, Path workDir) {
    try (MdcScope ignored = MdcScope.forRun(request)) {
      Run run = new Run(request, workDir);
      RunResult result;
      try {
        result = run.execute();
      } catch (StepFailure e) {
        result = RunResult.failed(e.phase, run.scrub(e.getMessage()));
      } catch (RuntimeException | Error e) {
        // A bug of ours, or a repository too big for memory: still a result, so the fleet goes on.
        result =
            RunResult.failed(
                run.phase, run.scrub("unexpected " + e.getClass().getName() + ": " + e.getMessage()));
      }
      if (result.status() == RunResult.Status.FAILED) {
        log.warn("run failed in {}: {}", result.phase(), Printable.escape(result.reason()));
      }
      return result;
    }
  }

  /** One run's state; each step is a method, in the order {@link #execute} calls them. */
  private final class Run {
    private final RunRequest request;
    private final Path workDir;
    private final String ref;
    private Phase phase = Phase.VALIDATE;
    private Secret secret;
    private CredentialsProvider credentialsProvider;
    private Migration migration;
    private Parameters parameters;
    private DirectoryWorkspace workspace;
    private ObjectId defaultHead;
    private ObjectId remoteBranchHead;
    private Git git;
    private RevCommit base;
    private RevCommit commit;
    private Diffstat diffstat;

    Run(RunRequest request, Path workDir) {
      this.request = request;
      this.workDir = workDir;
      this.ref = Constants.R_HEADS + request.branch();
    }

    RunResult execute() {
      try {
        validate();
        if (request.revertSha() != null) {
          cloneShallow();
          checkout();
          Outcome reverted = revert();
          if (reverted.kind() == Outcome.Kind.UNCHANGED) {
            return report(RunResult.noChange(reverted.message()));
          }
          return report(push(reverted));
        }
        cloneShallow();
        checkout();
        Outcome outcome = apply();
        if (outcome.kind() == Outcome.Kind.NOT_APPLICABLE) {
          return report(RunResult.notApplicable(outcome.message()));
        }
        if (outcome.needsHuman()) {
          return report(RunResult.needsHuman(outcome.message()));
        }
        if (outcome.kind() == Outcome.Kind.UNCHANGED) {
          return report(RunResult.noChange("already up to date"));
        }
        if (!commit(outcome)) {
          return report(
              RunResult.noChange(
                  "the migration reported '" + outcome.message() + "' but no file differs"));
        }
        verify();
        if (request.dryRun()) {
          return report(wouldChange(outcome));
        }
        return report(push(outcome));
      } finally {
        if (git != null) {
          git.close();
        }
      }
    }

    private void validate() {
      phase = Phase.VALIDATE;
      if (request.repository().indexOf('/') <= 0 || request.repository().endsWith("/")) {
        throw new StepFailure(
            phase, "repository '" + request.repository() + "' is not of the form owner/name");
      }
      // The push force-updates the branch: it must never be the one everybody builds on.
      if (request.branch().equals(request.defaultBranch())) {
        throw new StepFailure(
            phase,
            "branch '" + request.branch() + "' is the default branch; Flotilla pushes only its own branch such as "
                + RunRequest.branchFor(request.campaign()));
      }
      if (request.revertSha() != null && !ObjectId.isId(request.revertSha())) {
        throw new StepFailure(
            phase, "revertSha '" + request.revertSha() + "' is not a full 40-character commit sha");
      }
      if (request.lastPushedSha() != null && !ObjectId.isId(request.lastPushedSha())) {
        throw new StepFailure(
            phase, "lastPushedSha '" + request.lastPushedSha() + "' is not a full 40-character commit sha");
      }
      try {
        migration = migrations.get(request.migration());
        Parameters given = Parameters.of(request.parameters());
        Validation validation = given.check(migration);
        if (!validation.isValid()) {
          throw new StepFailure(
              phase, new InvalidParametersException(migration.id(), validation).getMessage());
        }
        parameters = given.withDefaults(migration.parameters());
        secret = credentials.resolve(request.credential()).orElse(null);
      } catch (UnknownMigrationException | CredentialResolver.CredentialException e) {
        throw new StepFailure(phase, e.getMessage());
      }
      if (secret != null) {
        credentialsProvider = new UsernamePasswordCredentialsProvider(secret.username(), secret.token());
      }
    }

    // Not clone(): that name belongs to Object.
    private void cloneShallow() {
      phase = Phase.CLONE;
      Map<String, Ref> heads = remoteHeads();
      if (heads.isEmpty()) {
        throw new StepFailure(
            phase,
            "repository is empty: "
                + displayUrl()
                + " has no branches; push a first commit to "
                + request.defaultBranch()
                + " before running a campaign on it");
      }
      Ref head = heads.get(Constants.R_HEADS + request.defaultBranch());
      if (head == null) {
        throw new StepFailure(phase, missingDefaultBranch(heads));
      }
      defaultHead = head.getObjectId();
      Ref ours = heads.get(ref);
      remoteBranchHead = ours == null ? null : ours.getObjectId();

      List<String> branches = new ArrayList<>(List.of(head.getName()));
      if (needRemoteBranchCommit()) {
        branches.add(ref);
      }
      log.info("cloning {} ({}) into {}", displayUrl(), request.defaultBranch(), workDir);
      try {
        git =
            Git.cloneRepository()
                .setURI(request.cloneUrl())
                .setDirectory(workDir.toFile())
                .setDepth(request.revertSha() == null ? 1 : Integer.MAX_VALUE)
                .setNoTags()
                .setCloneAllBranches(false)
                .setBranchesToClone(branches)
                .setBranch(head.getName())
                // checkout() writes the working tree once, on our branch.
                .setNoCheckout(true)
                .setCredentialsProvider(credentialsProvider)
                .call();
        // The base may have moved between ls-remote and the clone (a pull request merged meanwhile);
        // a depth-1 clone holds only the new tip, so build on what was actually cloned.
        ObjectId cloned = git.getRepository().resolve(Constants.R_REMOTES + "origin/" + request.defaultBranch());
        if (cloned != null) {
          defaultHead = cloned;
        }
        base = git.getRepository().parseCommit(defaultHead);
      } catch (GitAPIException | JGitInternalException | IOException e) {
        throw new StepFailure(phase, transportFailure("clone of " + displayUrl(), e));
      }
    }

    private Map<String, Ref> remoteHeads() {
      try {
        return Git.lsRemoteRepository()
            .setRemote(request.cloneUrl())
            .setHeads(true)
            .setCredentialsProvider(credentialsProvider)
            .callAsMap();
      } catch (GitAPIException | JGitInternalException e) {
        throw new StepFailure(phase, transportFailure("clone of " + displayUrl(), e));
      }
    }

    /**
     * The branch's commit is needed only when it may be ours: to compare trees (adopting a result
     * lost in a crash, or skipping a push that changes nothing) and to read its trailer.
     */
    private boolean needRemoteBranchCommit() {
      return remoteBranchHead != null
          && !request.dryRun()
          && (request.lastPushedSha() == null || remoteBranchHead.name().equals(request.lastPushedSha()));
    }

    private String missingDefaultBranch(Map<String, Ref> heads) {
      List<String> names =
          heads.keySet().stream()
              .map(name -> name.substring(Constants.R_HEADS.length()))
              .sorted()
              .limit(BRANCHES_LISTED)
              .toList();
      return "default branch '"
          + request.defaultBranch()
          + "' does not exist in "
          + displayUrl()
          + "; it has "
          + String.join(", ", names)
          + (heads.size() > BRANCHES_LISTED ? " and " + (heads.size() - BRANCHES_LISTED) + " more" : "")
          + " (check the repository's default branch on the forge)";
    }

    private void checkout() {
      phase = Phase.CHECKOUT;
      try {
        git.checkout()
            .setCreateBranch(true)
            .setName(request.branch())
            .setStartPoint(base)
            .setUpstreamMode(SetupUpstreamMode.NOTRACK)
            .call();
      } catch (GitAPIException | JGitInternalException e) {
        throw new StepFailure(
            phase, "cannot create branch " + request.branch() + " from " + request.defaultBranch() + ": " + messages(e));
      }
    }

    private Outcome apply() {
      phase = Phase.APPLY;
      String[] ownerAndName = request.repository().split("/", 2);
      Outcome outcome;
      try {
        workspace = new DirectoryWorkspace(workDir, ownerAndName[0], ownerAndName[1]);
        outcome = migration.apply(workspace, parameters);
      } catch (Exception | Error e) {
        // A migration's bug must become this repository's failure, never the fleet's. Memory
        // exhausted by this run's own data is freed as the stack unwinds, so that is one too.
        log.warn("migration {} threw", migration.id(), e);
        throw new StepFailure(
            phase,
            "migration '"
                + migration.id()
                + "' failed: "
                + e.getClass().getName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      }
      if (outcome == null) {
        throw new StepFailure(phase, "migration '" + migration.id() + "' returned no outcome");
      }
      log.info("migration {} says {} {}", migration.id(), outcome.kind(), Printable.escape(outcome.message()));
      return outcome;
    }

    /**
     * Runs the campaign's verifiers on the committed change; the first that fails ends the run before
     * anything is pushed.
     */
    private void verify() {
      phase = Phase.VERIFY;
      try {
        Verifiers.run(request.verifiers(), workDir, this::scrub).ifPresent(failure -> {
          throw new StepFailure(phase, failure);
        });
      } catch (IOException e) {
        throw new StepFailure(phase, "cannot run the verifiers: " + messages(e));
      }
    }

    /**
     * Reverts the merge commit {@code revertSha} of the default branch on the campaign's revert
     * branch, as {@code git revert -m 1} would, in one commit carrying the campaign's trailer; already
     * reverted (the tree would not change) is {@code UNCHANGED}.
     */
    private Outcome revert() {
      phase = Phase.APPLY;
      String sha = request.revertSha();
      try {
        var repository = git.getRepository();
        RevCommit merged = repository.parseCommit(ObjectId.fromString(sha));
        if (merged.getParentCount() == 0) {
          throw new StepFailure(phase, "commit " + abbreviate(sha) + " is the first commit; Flotilla does not revert it");
        }
        // git revert -m 1: merge the first parent's tree into ours with the merged commit as the base.
        RevCommit mainline = repository.parseCommit(merged.getParent(0));
        var merger = org.eclipse.jgit.merge.MergeStrategy.RECURSIVE.newMerger(repository, true);
        merger.setBase(merged.getTree());
        if (!merger.merge(base, mainline)) {
          throw new StepFailure(phase, "cannot revert " + abbreviate(sha) + " on " + request.defaultBranch()
              + " cleanly: later commits changed the same lines, so revert it by hand");
        }
        ObjectId tree = merger.getResultTreeId();
        if (tree.equals(base.getTree())) {
          return Outcome.unchanged("the default branch no longer holds " + abbreviate(sha) + "'s change");
        }
        PersonIdent ident = new PersonIdent(request.author().name(), request.author().email());
        String message = "Revert \"" + merged.getShortMessage() + "\"\n\nThis reverts commit " + sha
            + ", which campaign " + request.campaign() + " merged.\n\n" + TRAILER + ": " + request.campaign() + "\n";
        org.eclipse.jgit.lib.CommitBuilder builder = new org.eclipse.jgit.lib.CommitBuilder();
        builder.setTreeId(tree);
        builder.setParentId(base);
        builder.setAuthor(ident);
        builder.setCommitter(ident);
        builder.setMessage(message);
        ObjectId id;
        try (org.eclipse.jgit.lib.ObjectInserter inserter = repository.newObjectInserter()) {
          id = inserter.insert(builder);
          inserter.flush();
        }
        var update = repository.updateRef(ref);
        update.setNewObjectId(id);
        update.forceUpdate();
        commit = repository.parseCommit(id);
        try (DiffFormatter formatter = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
          formatter.setRepository(git.getRepository());
          formatter.setDetectRenames(false);
          int insertions = 0;
          int deletions = 0;
          List<DiffEntry> entries = formatter.scan(base.getTree(), commit.getTree());
          for (DiffEntry entry : entries) {
            for (Edit edit : formatter.toFileHeader(entry).toEditList()) {
              insertions += edit.getLengthB();
              deletions += edit.getLengthA();
            }
          }
          diffstat = new Diffstat(entries.size(), insertions, deletions);
        }
        return Outcome.changed("reverts " + abbreviate(sha) + " (" + merged.getShortMessage() + ")");
      } catch (org.eclipse.jgit.errors.MissingObjectException e) {
        throw new StepFailure(phase, "commit " + abbreviate(sha) + " is not in " + request.defaultBranch()
            + "'s history; nothing to revert");
      } catch (JGitInternalException | IOException e) {
        throw new StepFailure(phase, "cannot revert " + abbreviate(sha) + ": " + messages(e));
      }
    }

    /**
     * Stages exactly the paths the migration wrote or deleted and commits them; false when no file
     * differs. Everything else, gitlinks included, stays as the base has it: the work tree cannot
     * represent a submodule's content, so {@code git add -A} would delete it.
     */
    private boolean commit(Outcome outcome) {
      phase = Phase.COMMIT;
      Set<String> changed = workspace.changedPaths();
      if (changed.isEmpty()) {
        return false;
      }
      PersonIdent ident = new PersonIdent(request.author().name(), request.author().email());
      try {
        refuseWritesIntoSubmodules(changed);
        AddCommand add = git.add().setAll(true);
        changed.forEach(add::addFilepattern);
        add.call();
        commit =
            git.commit()
                .setMessage(message(outcome))
                .setAuthor(ident)
                .setCommitter(ident)
                .setAllowEmpty(false)
                .setSign(false)
                .setNoVerify(true)
                .call();
        diffstat = diffstat(changed);
        return true;
      } catch (EmptyCommitException e) {
        return false;
      } catch (GitAPIException | JGitInternalException | IOException e) {
        throw new StepFailure(phase, "cannot commit the migration's changes: " + messages(e));
      }
    }

    private void refuseWritesIntoSubmodules(Set<String> changed) throws IOException {
      DirCache index = git.getRepository().readDirCache();
      for (int i = 0; i < index.getEntryCount(); i++) {
        DirCacheEntry entry = index.getEntry(i);
        if (entry.getFileMode() != FileMode.GITLINK) {
          continue;
        }
        String submodule = entry.getPathString();
        List<String> inside =
            changed.stream().filter(path -> path.equals(submodule) || path.startsWith(submodule + "/")).toList();
        if (!inside.isEmpty()) {
          throw new StepFailure(
              phase,
              "the migration changed "
                  + listed(inside)
                  + " in the submodule "
                  + submodule
                  + "; Flotilla never changes a submodule (its content is not checked out), so the"
                  + " migration must leave "
                  + submodule
                  + " alone");
        }
      }
    }
    private String message(Outcome outcome) {
      StringBuilder message = new StringBuilder(migration.title()).append("\n\n");
      if (!outcome.message().isBlank()) {
        message.append(outcome.message()).append("\n\n");
      }
      return message.append(TRAILER).append(": ").append(request.campaign()).append('\n').toString();
    }

    /** Counts the commit's changes and refuses it when it holds anything the migration did not change. */
    private Diffstat diffstat(Set<String> changed) throws IOException {
      int insertions = 0;
      int deletions = 0;
      try (DiffFormatter formatter = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
        formatter.setRepository(git.getRepository());
        formatter.setDiffComparator(RawTextComparator.DEFAULT);
        formatter.setDetectRenames(false);
        List<DiffEntry> entries = formatter.scan(base.getTree(), commit.getTree());
        List<String> unexpected = new ArrayList<>();
        for (DiffEntry entry : entries) {
          String path = entry.getChangeType() == DiffEntry.ChangeType.DELETE ? entry.getOldPath() : entry.getNewPath();
          boolean submodule = entry.getOldMode() == FileMode.GITLINK || entry.getNewMode() == FileMode.GITLINK;
          if (submodule || !changed.contains(path)) {
            unexpected.add(path);
            continue;
          }
          for (Edit edit : formatter.toFileHeader(entry).toEditList()) {
            insertions += edit.getLengthB();
            deletions += edit.getLengthA();
          }
        }
        if (!unexpected.isEmpty()) {
          throw new StepFailure(
              phase,
              "the commit would change "
                  + listed(unexpected)
                  + ", which the migration did not change (it changed "
                  + listed(List.copyOf(changed))
                  + "); nothing was pushed. This is a bug in Flotilla or the migration: report it with"
                  + " the repository's layout");
        }
        return new Diffstat(entries.size(), insertions, deletions);
      }
    }

    private RunResult push(Outcome outcome) {
      phase = Phase.PUSH;
      ObjectId expected;
      if (remoteBranchHead == null) {
        expected = ObjectId.zeroId();
      } else if (request.lastPushedSha() != null && !remoteBranchHead.name().equals(request.lastPushedSha())) {
        return RunResult.modified(
            remoteBranchHead.name(),
            "someone pushed to "
                + request.branch()
                + " since Flotilla's last push (expected "
                + abbreviate(request.lastPushedSha())
                + ", found "
                + abbreviate(remoteBranchHead.name())
                + "); Flotilla leaves the branch alone");
      } else {
        RevCommit theirs = parseRemoteBranchHead();
        if (theirs.getTree().equals(commit.getTree()) && isOnBase(theirs)) {
          // Our own earlier push with the same content on the same base (possibly a result lost in a
          // crash): adopt it. On an older base it must be replaced, or its conflict would never end.
          log.info("{} already holds this change at {}; not pushing", request.branch(), theirs.name());
          return pushed(theirs, outcome);
        }
        if (request.lastPushedSha() == null && !isOurs(theirs)) {
          return RunResult.modified(
              theirs.name(),
              request.branch()
                  + " already exists at "
                  + abbreviate(theirs.name())
                  + " and that commit was not made by Flotilla for campaign "
                  + request.campaign()
                  + "; Flotilla leaves the branch alone");
        }
        expected = remoteBranchHead;
      }
      return pushWithLease(expected, outcome);
    }

    private RevCommit parseRemoteBranchHead() {
      try {
        return git.getRepository().parseCommit(remoteBranchHead);
      } catch (IOException e) {
        throw new StepFailure(
            phase, "cannot read " + request.branch() + " at " + abbreviate(remoteBranchHead.name()) + ": " + messages(e));
      }
    }

    private boolean isOnBase(RevCommit head) {
      // Parsed from the raw object: in a shallow clone the walker reports the head as parentless.
      try {
        RevCommit raw = RevCommit.parse(git.getRepository().open(head).getCachedBytes());
        return raw.getParentCount() == 1 && raw.getParent(0).getId().equals(base.getId());
      } catch (IOException e) {
        throw new StepFailure(phase, "cannot read " + request.branch() + " at " + abbreviate(head.name()) + ": " + messages(e));
      }
    }

    private boolean isOurs(RevCommit head) {
      return head.getFooterLines(TRAILER).contains(request.campaign())
          && head.getAuthorIdent().getEmailAddress().equals(request.author().email())
          && head.getAuthorIdent().getName().equals(request.author().name());
    }

    private RunResult pushWithLease(ObjectId expected, Outcome outcome) {
      log.info(
          "pushing {} to {} over {}",
          abbreviate(commit.name()),
          request.branch(),
          expected.equals(ObjectId.zeroId()) ? "nothing" : abbreviate(expected.name()));
      try (Transport transport = Transport.open(git.getRepository(), "origin")) {
        transport.setCredentialsProvider(credentialsProvider);
        RemoteRefUpdate update = new RemoteRefUpdate(git.getRepository(), ref, ref, true, null, expected);
        PushResult result = transport.push(NullProgressMonitor.INSTANCE, List.of(update));
        RemoteRefUpdate done = result.getRemoteUpdate(ref);
        return switch (done.getStatus()) {
          case OK, UP_TO_DATE -> pushed(commit, outcome);
          case REJECTED_REMOTE_CHANGED -> raced(result, expected);
          default -> throw new StepFailure(phase, rejection(done, result));
        };
      } catch (IOException | URISyntaxException | JGitInternalException e) {
        throw new StepFailure(phase, transportFailure("push of " + request.branch() + " to " + displayUrl(), e));
      }
    }

    /** The server or the advertisement said the branch moved between our look and our push. */
    private RunResult raced(PushResult result, ObjectId expected) {
      Ref found = result.getAdvertisedRef(ref);
      String foundSha = found == null ? null : found.getObjectId().name();
      return RunResult.modified(
          foundSha,
          "someone pushed to "
              + request.branch()
              + " while Flotilla was running (expected "
              + (expected.equals(ObjectId.zeroId()) ? "no branch" : abbreviate(expected.name()))
              + ", found "
              + (foundSha == null ? "no branch" : abbreviate(foundSha))
              + "); Flotilla leaves the branch alone");
    }

    private String rejection(RemoteRefUpdate done, PushResult result) {
      String refusal = workflowRefusal(done.getMessage() + "\n" + result.getMessages());
      if (refusal != null) {
        return "push of " + request.branch() + " to " + displayUrl() + " was refused: " + refusal;
      }
      StringBuilder reason =
          new StringBuilder("push of ")
              .append(request.branch())
              .append(" to ")
              .append(displayUrl())
              .append(" was rejected (")
              .append(done.getStatus())
              .append(")");
      if (done.getMessage() != null && !done.getMessage().isBlank()) {
        reason.append(": ").append(done.getMessage().strip());
      }
      String serverOutput = result.getMessages();
      if (serverOutput != null && !serverOutput.isBlank()) {
        reason.append("; the server said: ").append(serverOutput.strip());
      }
      return reason
          .append("; check that ")
          .append(request.branch())
          .append(" is not protected and that the token may push to ")
          .append(request.repository())
          .toString();
    }

    /** A dry run's end: the commit stays in the clone, and its diff goes into the result. */
    private RunResult wouldChange(Outcome outcome) {
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      try (DiffFormatter formatter = new DiffFormatter(text)) {
        formatter.setRepository(git.getRepository());
        formatter.setDiffComparator(RawTextComparator.DEFAULT);
        formatter.setDetectRenames(false);
        formatter.format(base.getTree(), commit.getTree());
      } catch (IOException e) {
        throw new StepFailure(phase, "cannot write the diff of the migration's changes: " + messages(e));
      }
      log.info("dry run: not pushing {}", request.branch());
      return RunResult.wouldChange(
          base.name(), diffstat.files(), diffstat.insertions(), diffstat.deletions(), outcome.message(),
          text.toString(StandardCharsets.UTF_8));
    }

    private RunResult pushed(RevCommit head, Outcome outcome) {
      return RunResult.pushed(
          head.name(), diffstat.files(), diffstat.insertions(), diffstat.deletions(), outcome.message());
    }

    private RunResult report(RunResult result) {
      if (request.dryRun() && base != null) {
        result = result.withBaseSha(base.name());
      }
      if (workspace != null && !workspace.dataTables().isEmpty()) {
        result = result.withDataTables(workspace.dataTables().entrySet().stream()
            .map(table -> new RunResult.DataTable(table.getKey(), table.getValue()))
            .toList());
      }
      log.info(
          "run finished: {}{}",
          result.status(),
          result.headSha() == null ? "" : " at " + abbreviate(result.headSha()));
      return result;
    }

    private String transportFailure(String action, Throwable e) {
      String details = messages(e);
      String lower = details.toLowerCase();
      String hint = null;
      String refusal = workflowRefusal(details);
      if (refusal != null) {
        return action + " was refused: " + refusal;
      }
      if (lower.contains("not authorized")
          || lower.contains("authentication")
          || lower.contains("401")
          || lower.contains("403")) {
        hint =
            "authentication failed; check the token has contents: write on " + request.repository();
      } else if (hasCause(e, NoRemoteRepositoryException.class)
          || lower.contains("not found")
          || lower.contains("does not exist")) {
        hint = "repository not found; check the clone URL and that the token can read " + request.repository();
      } else if (lower.contains("connection")
          || lower.contains("unknownhost")
          || lower.contains("timed out")
          || lower.contains("cannot open git-")) {
        hint = "cannot reach the git server; check the clone URL and that this network may reach it";
      }
      return action + " failed: " + (hint == null ? details : hint + " (" + details + ")");
    }

    private String displayUrl() {
      return withoutUserInfo(request.cloneUrl());
    }

    String scrub(String text) {
      String scrubbed = withoutUserInfo(text);
      return TokenMask.mask(secret == null ? scrubbed : secret.scrub(scrubbed));
    }
  }

  private record Diffstat(int files, int insertions, int deletions) {}

  /** A step's failure, carrying the phase it happened in; its message is the result's reason. */
  private static final class StepFailure extends FlotillaException {
    private final Phase phase;

    StepFailure(Phase phase, String message) {
      super(message);
      this.phase = phase;
    }
  }

  /**
   * GitHub's refusal of a push that creates or changes a workflow without the right, as GitHub words
   * it: "refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml`
   * without `workflows` permission" (a token: "... without `workflow` scope"). Null for any other text.
   */
  static String workflowRefusal(String serverText) {
    if (serverText == null) {
      return null;
    }
    Matcher refusal = WORKFLOW_REFUSAL.matcher(serverText);
    if (!refusal.find()) {
      return null;
    }
    String file = refusal.group(1) == null ? "a file under .github/workflows/" : refusal.group(1);
    return "GitHub requires the `workflows` permission to create or change " + file
        + ", and this run's token does not have it. With a GitHub App: give the App the repository"
        + " permission \"Workflows: read and write\", accept it on each installation, and make sure the"
        + " migration says it edits workflows (Migration.editsWorkflows) so Flotilla asks for it;"
        + " with a personal access token: a fine-grained token needs \"Workflows: read and write\","
        + " a classic one the `workflow` scope. Then retry the changeset.";
  }

  /** {@code https://user:token@host/x} shows as {@code https://host/x}: URLs may carry secrets too. */
  static String withoutUserInfo(String text) {
    return text == null ? null : text.replaceAll("(?<=://)[^/@\\s]+@", "");
  }

  private static String listed(List<String> paths) {
    String shown = String.join(", ", paths.subList(0, Math.min(paths.size(), PATHS_LISTED)));
    return paths.size() > PATHS_LISTED ? shown + " and " + (paths.size() - PATHS_LISTED) + " more" : shown;
  }

  static String abbreviate(String sha) {
    return sha.length() > 7 ? sha.substring(0, 7) : sha;
  }

  /** Every distinct message in the cause chain, outermost first. */
  static String messages(Throwable e) {
    Set<String> messages = new LinkedHashSet<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
      if (messages.stream().noneMatch(seen -> seen.contains(message))) {
        messages.add(message);
      }
    }
    return String.join(": ", messages);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
