package dev.flotilla.migrations;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version written as numbers separated by dots, such as an action's tag ({@code v4}, {@code
 * v4.1.2}, {@code v5.0.0-beta.1}) or a container image's tag ({@code 3.19}, {@code 17-jre}),
 * compared number by number so that {@code v4 < v4.1 < v4.1.2 < v10}. A missing number counts as
 * zero. Used to refuse downgrades; anything that does not parse is not comparable and the caller
 * decides.
 *
 * @param numbers the dot-separated numbers
 * @param suffix what follows them after a {@code -}: a pre-release for a git tag ({@code beta.1}), a
 *     variant for an image tag ({@code jre}); empty when none
 */
record ReleaseVersion(List<Integer> numbers, String suffix) {

  private static final Pattern GIT_TAG = Pattern.compile("[vV]?(\\d{1,9}(?:\\.\\d{1,9})*)(?:-([0-9A-Za-z.-]+))?");
  private static final Pattern IMAGE_TAG = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,9})*)(?:-([0-9A-Za-z._-]+))?");

  ReleaseVersion {
    numbers = List.copyOf(numbers);
    suffix = suffix == null ? "" : suffix;
  }

  /** {@code v4}, {@code 4.1.2}, {@code v5.0.0-rc.1}; empty for a branch name or anything else. */
  static Optional<ReleaseVersion> ofGitRef(String ref) {
    return parse(GIT_TAG, ref);
  }

  /** {@code 3.19}, {@code 21-jre}, {@code 1.25.3-alpine}; empty for {@code latest}, {@code bookworm}, ... */
  static Optional<ReleaseVersion> ofImageTag(String tag) {
    return parse(IMAGE_TAG, tag);
  }

  /**
   * Compares two git tags: numbers first, then a release above its own pre-releases (Semantic
   * Versioning's rule), pre-releases by their text.
   */
  int compareAsGitRef(ReleaseVersion other) {
    int byNumbers = compareNumbers(other);
    if (byNumbers != 0) {
      return byNumbers;
    }
    if (suffix.isEmpty() || other.suffix.isEmpty()) {
      return Boolean.compare(suffix.isEmpty(), other.suffix.isEmpty());
    }
    return suffix.compareTo(other.suffix);
  }

  /**
   * Compares two image tags of the same variant ({@code 17-jre} with {@code 21-jre}); tags of
   * different variants ({@code 17-jre} and {@code 21-jdk}) are not comparable: empty.
   */
  Optional<Integer> compareAsImageTag(ReleaseVersion other) {
    return suffix.equals(other.suffix) ? Optional.of(compareNumbers(other)) : Optional.empty();
  }

  private int compareNumbers(ReleaseVersion other) {
    int length = Math.max(numbers.size(), other.numbers.size());
    for (int i = 0; i < length; i++) {
      int a = i < numbers.size() ? numbers.get(i) : 0;
      int b = i < other.numbers.size() ? other.numbers.get(i) : 0;
      if (a != b) {
        return Integer.compare(a, b);
      }
    }
    return 0;
  }

  private static Optional<ReleaseVersion> parse(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text == null ? "" : text);
    if (!m.matches()) {
      return Optional.empty();
    }
    List<Integer> numbers = new ArrayList<>();
    for (String part : m.group(1).split("\\.")) {
      numbers.add(Integer.parseInt(part));
    }
    return Optional.of(new ReleaseVersion(numbers, m.group(2)));
  }
}
