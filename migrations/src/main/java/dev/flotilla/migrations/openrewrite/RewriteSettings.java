package dev.flotilla.migrations.openrewrite;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the openrewrite migration resolves the dependencies a repository's build declares, so its
 * Java sources are parsed with their types.
 *
 * @param mavenRepository the Maven repository dependencies and their poms come from
 * @param artifactCache where downloaded jars are kept between runs of one runner
 */
record RewriteSettings(URI mavenRepository, Path artifactCache) {

  static final String MAVEN_REPOSITORY = "FLOTILLA_OPENREWRITE_MAVEN_REPOSITORY";
  static final String ARTIFACT_CACHE = "FLOTILLA_OPENREWRITE_CACHE";
  static final URI MAVEN_CENTRAL = URI.create("https://repo.maven.apache.org/maven2/");

  /** The runner's environment; Maven Central and a folder under the temporary directory by default. */
  static RewriteSettings from(Map<String, String> env) {
    String repository = env.getOrDefault(MAVEN_REPOSITORY, "").trim();
    String cache = env.getOrDefault(ARTIFACT_CACHE, "").trim();
    URI uri;
    try {
      uri = repository.isEmpty() ? MAVEN_CENTRAL : URI.create(repository);
    } catch (IllegalArgumentException e) {
      // The value may hold credentials: never echo it.
      throw new IllegalArgumentException(
          MAVEN_REPOSITORY + " is not a URL; give the team's repository such as https://nexus.example.com/repository/maven-public/");
    }
    if (uri.getScheme() == null) {
      throw new IllegalArgumentException(MAVEN_REPOSITORY + " has no scheme; give an https:// or file: URL");
    }
    Path cacheDir =
        cache.isEmpty()
            ? Path.of(System.getProperty("java.io.tmpdir"), "flotilla-openrewrite")
            : Path.of(cache);
    return new RewriteSettings(uri, cacheDir);
  }

  /** The repository without any user or password in it, for notes and logs. */
  String displayRepository() {
    if (mavenRepository.getRawUserInfo() == null) {
      return mavenRepository.toString();
    }
    return mavenRepository.getScheme() + "://" + mavenRepository.getHost()
        + (mavenRepository.getPort() < 0 ? "" : ":" + mavenRepository.getPort())
        + mavenRepository.getRawPath();
  }
}
