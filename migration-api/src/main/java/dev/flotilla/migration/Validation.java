package dev.flotilla.migration;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The result of checking parameters: every problem found, each naming the parameter and saying what
 * is wrong. Build one with {@link #builder()} so all problems are collected, not just the first.
 */
public record Validation(List<Problem> problems) {

  /** One thing wrong with one parameter. */
  public record Problem(String parameter, String message) {
    @Override
    public String toString() {
      return parameter + ": " + message;
    }
  }

  public Validation {
    problems = List.copyOf(problems);
  }

  public static Validation ok() {
    return new Validation(List.of());
  }

  public static Validation of(String parameter, String message) {
    return new Validation(List.of(new Problem(parameter, message)));
  }

  public static Builder builder() {
    return new Builder();
  }

  public boolean isValid() {
    return problems.isEmpty();
  }

  /** This validation's problems followed by {@code other}'s. */
  public Validation and(Validation other) {
    List<Problem> all = new ArrayList<>(problems);
    all.addAll(other.problems);
    return new Validation(all);
  }

  /** One problem a line, for error messages. */
  public String describe() {
    return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
  }

  /** Throws {@link InvalidParametersException} naming every problem, if there are any. */
  public void orThrow(String migrationId) {
    if (!isValid()) {
      throw new InvalidParametersException(migrationId, this);
    }
  }

  /** Collects problems one check at a time. */
  public static final class Builder {
    private final List<Problem> problems = new ArrayList<>();

    public Builder problem(String parameter, String message) {
      problems.add(new Problem(parameter, message));
      return this;
    }

    /** Adds a problem when {@code condition} is false. */
    public Builder check(boolean condition, String parameter, String message) {
      return condition ? this : problem(parameter, message);
    }

    public Builder add(Validation validation) {
      problems.addAll(validation.problems());
      return this;
    }

    public Validation build() {
      return new Validation(problems);
    }
  }
}
