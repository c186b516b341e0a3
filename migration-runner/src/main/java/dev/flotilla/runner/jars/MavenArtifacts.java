package dev.flotilla.runner.jars;

import dev.flotilla.FlotillaException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession.CloseableSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.transfer.ChecksumFailureException;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.AuthenticationBuilder;

/**
 * Fetches migration jars by Maven coordinates from the team's Maven repository with Maven Resolver:
 * the jar and its runtime dependencies (never Flotilla's migration API, which Flotilla brings),
 * every file checked against the repository's checksums (a mismatch is refused), kept in a cache
 * folder so a second start downloads nothing.
 */
public final class MavenArtifacts {

  /** {@code groupId:artifactId:version}, an exact version (no ranges). */
  private static final Pattern COORDINATES = Pattern.compile("[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+:[A-Za-z0-9_.+-]+");
  private static final String REPOSITORY_ID = "flotilla-migrations";

  /**
   * Where the jars come from. The password is never printed: not by {@link #toString()}, not in an
   * error.
   */
  public record Repository(URI url, String username, String password) {

    public Repository {
      if (url.getUserInfo() != null) {
        throw new FlotillaException("the Maven repository URL must not hold credentials (" + url.getScheme() + "://"
            + url.getHost() + "/...); give them as FLOTILLA_MAVEN_REPOSITORY_USERNAME and FLOTILLA_MAVEN_REPOSITORY_PASSWORD");
      }
    }

    @Override
    public String toString() {
      return url + (username == null ? "" : " (as " + username + ")");
    }
  }

  private final Repository repository;
  private final Path cache;

  public MavenArtifacts(Repository repository, Path cache) {
    this.repository = repository;
    this.cache = cache;
  }

  /**
   * Checks {@code coordinates} and says what is wrong with them, or returns null when they are
   * {@code groupId:artifactId:version}.
   */
  public static String problem(String coordinates) {
    if (coordinates == null || !COORDINATES.matcher(coordinates).matches()) {
      return "'" + coordinates + "' is not Maven coordinates; write groupId:artifactId:version, such as com.acme:acme-migrations:1.2.0";
    }
    if (coordinates.contains("[") || coordinates.contains(",")) {
      return "'" + coordinates + "' must name one version, not a range";
    }
    return null;
  }

  /** The jar {@code coordinates} names and its runtime dependencies, downloaded or from the cache. */
  public List<Path> resolve(String coordinates) {
    String problem = problem(coordinates);
    if (problem != null) {
      throw new FlotillaException(problem);
    }
    RepositorySystem system = new RepositorySystemSupplier().get();
    try (CloseableSession session = new SessionBuilderSupplier(system).get()
        .withLocalRepositoryBaseDirectories(cache)
        .setChecksumPolicy(RepositoryPolicy.CHECKSUM_POLICY_FAIL)
        .setConfigProperties(Map.of())
        .build()) {
      CollectRequest collect = new CollectRequest(new Dependency(new DefaultArtifact(coordinates), "runtime"), List.of(remote()));
      DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.andFilter(
          DependencyFilterUtils.classpathFilter("runtime"),
          (node, parents) -> node.getArtifact() == null || !isFlotillaApi(node.getArtifact().getGroupId(), node.getArtifact().getArtifactId())));
      List<Path> jars = new ArrayList<>();
      for (ArtifactResult result : system.resolveDependencies(session, request).getArtifactResults()) {
        jars.add(result.getArtifact().getPath());
      }
      return jars;
    } catch (DependencyResolutionException e) {
      throw new FlotillaException(failure(coordinates, e), e);
    } finally {
      system.shutdown();
    }
  }

  private static boolean isFlotillaApi(String groupId, String artifactId) {
    return "dev.flotilla".equals(groupId) && "migration-api".equals(artifactId);
  }

  private RemoteRepository remote() {
    RemoteRepository.Builder builder = new RemoteRepository.Builder(REPOSITORY_ID, "default", repository.url().toString())
        .setPolicy(new RepositoryPolicy(true, RepositoryPolicy.UPDATE_POLICY_DAILY, RepositoryPolicy.CHECKSUM_POLICY_FAIL));
    if (repository.username() != null) {
      builder.setAuthentication(new AuthenticationBuilder()
          .addUsername(repository.username())
          .addPassword(repository.password() == null ? "" : repository.password())
          .build());
    }
    return builder.build();
  }

  private String failure(String coordinates, Exception e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ChecksumFailureException checksum) {
        return "cannot load " + coordinates + " from " + repository + ": a downloaded file does not match its checksum"
            + " (expected " + checksum.getExpected() + ", got " + checksum.getActual() + "); nothing was loaded."
            + " Republish the artifact or fix the repository, then start again";
      }
    }
    String reason = e.getMessage() == null ? e.toString() : e.getMessage();
    if (repository.password() != null && !repository.password().isEmpty()) {
      reason = reason.replace(repository.password(), "<hidden>");
    }
    return "cannot load " + coordinates + " from " + repository + ": " + reason
        + "; check the coordinates, that the version is published there, and FLOTILLA_MAVEN_REPOSITORY_URL";
  }
}
