package dev.flotilla.controller.exec.k8s;

import dev.flotilla.controller.config.ConfigException;
import dev.flotilla.controller.config.Settings;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How runner Jobs look and how many may run at once.
 *
 * @param namespace where Jobs, their pods and Secrets live
 * @param runnerImage the runner image, pinned by tag or digest
 * @param imagePullPolicy {@code IfNotPresent}, {@code Always} or {@code Never}
 * @param serviceAccountName the runner pods' service account; its token is never mounted
 * @param backoffLimit pod retries inside one Job; 0 because the controller decides retries and a
 *     failed run is a result worth recording
 * @param ttlAfterFinished how long finished Jobs stay for {@code kubectl logs} before Kubernetes
 *     deletes them
 * @param maxRunningJobs the global cap on unfinished managed Jobs in the namespace
 *     ({@code FLOTILLA_GLOBAL_CONCURRENT_RUNS}, the same cap the dispatcher applies)
 * @param logTailLines how many last lines of a failed run's pod log to keep for the dashboard
 * @param apiRequestsPerSecond the executor's client-side limit on requests to the API server
 *     ({@code FLOTILLA_K8S_API_QPS}); informers' list and watch are not counted
 */
public record KubernetesExecutorConfig(
    String namespace,
    String runnerImage,
    String imagePullPolicy,
    String serviceAccountName,
    String cpuRequest,
    String cpuLimit,
    String memoryRequest,
    String memoryLimit,
    Duration deadline,
    int backoffLimit,
    Duration ttlAfterFinished,
    int maxRunningJobs,
    int logTailLines,
    int apiRequestsPerSecond) {

  public static final String DEFAULT_IMAGE = "ghcr.io/flotilla-dev/flotilla-runner:0.1.0";
  /** kubelet's default API QPS; two requests a Job (the Job, its Secret) allow 25 Jobs a second. */
  public static final int DEFAULT_API_QPS = 50;

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*([smhd])");

  public KubernetesExecutorConfig {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(runnerImage, "runnerImage");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(ttlAfterFinished, "ttlAfterFinished");
    if (maxRunningJobs < 1) {
      throw new IllegalArgumentException("maxRunningJobs must be at least 1, was " + maxRunningJobs);
    }
    if (apiRequestsPerSecond < 1) {
      throw new IllegalArgumentException("apiRequestsPerSecond must be at least 1, was " + apiRequestsPerSecond);
    }
  }

  /** The defaults, in namespace {@code flotilla}. */
  public static KubernetesExecutorConfig defaults() {
    return fromSettings(Map.of());
  }

  /**
   * From {@code FLOTILLA_*} settings (the environment in production, a map in tests). A bad value
   * fails here, naming the setting and what it accepts.
   */
  public static KubernetesExecutorConfig fromSettings(Map<String, String> settings) {
    Function<String, String> get = name -> blankToNull(settings.get(name));
    String cpu = quantity("FLOTILLA_RUNNER_CPU", get, "500m");
    String memory = quantity("FLOTILLA_RUNNER_MEMORY", get, "512Mi");
    return new KubernetesExecutorConfig(
        or(get.apply("FLOTILLA_K8S_NAMESPACE"), "flotilla"),
        or(get.apply("FLOTILLA_RUNNER_IMAGE"), DEFAULT_IMAGE),
        "IfNotPresent",
        "flotilla-runner",
        cpu,
        cpu,
        memory,
        memory,
        duration("FLOTILLA_RUNNER_DEADLINE", get, Duration.ofMinutes(30)),
        0,
        Duration.ofHours(6),
        positive("FLOTILLA_GLOBAL_CONCURRENT_RUNS", get, 50),
        200,
        positive("FLOTILLA_K8S_API_QPS", get, DEFAULT_API_QPS));
  }

  /** From the controller's checked settings, with the defaults above for what they do not set. */
  public static KubernetesExecutorConfig from(Settings settings) {
    return new KubernetesExecutorConfig(
        settings.k8sNamespace(),
        settings.runnerImage().orElse(DEFAULT_IMAGE),
        "IfNotPresent",
        "flotilla-runner",
        settings.runnerCpu(),
        settings.runnerCpu(),
        settings.runnerMemory(),
        settings.runnerMemory(),
        settings.runnerDeadline(),
        0,
        Duration.ofHours(6),
        settings.globalConcurrentRuns(),
        200,
        settings.k8sApiQps());
  }

  /** The same settings with another image pull policy ({@code Always} for moving dev tags). */
  public KubernetesExecutorConfig withImagePullPolicy(String policy) {
    return new KubernetesExecutorConfig(
        namespace, runnerImage, pullPolicy(policy), serviceAccountName, cpuRequest, cpuLimit,
        memoryRequest, memoryLimit, deadline, backoffLimit, ttlAfterFinished, maxRunningJobs, logTailLines,
        apiRequestsPerSecond);
  }

  /** The deadline as a person says it: {@code 30m}, {@code 1h30m}, {@code 45s}. */
  public String deadlineText() {
    return human(deadline);
  }

  static String human(Duration duration) {
    long seconds = duration.toSeconds();
    StringBuilder text = new StringBuilder();
    if (seconds >= 3600) {
      text.append(seconds / 3600).append('h');
      seconds %= 3600;
    }
    if (seconds >= 60) {
      text.append(seconds / 60).append('m');
      seconds %= 60;
    }
    if (seconds > 0 || text.length() == 0) {
      text.append(seconds).append('s');
    }
    return text.toString();
  }

  private static String pullPolicy(String value) {
    for (String allowed : new String[] {"Always", "IfNotPresent", "Never"}) {
      if (allowed.equalsIgnoreCase(value)) {
        return allowed;
      }
    }
    throw new IllegalArgumentException("image pull policy '" + value + "' is not Always, IfNotPresent or Never");
  }

  private static String quantity(String name, Function<String, String> get, String fallback) {
    String value = or(get.apply(name), fallback);
    try {
      Quantity.getAmountInBytes(new Quantity(value));
      return value;
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw bad(name, value, "a Kubernetes quantity such as 500m, 2, 512Mi or 1Gi");
    }
  }

  private static Duration duration(String name, Function<String, String> get, Duration fallback) {
    String value = get.apply(name);
    if (value == null) {
      return fallback;
    }
    String text = value.toLowerCase(Locale.ROOT);
    Matcher part = SHORT_DURATION.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (part.lookingAt()) {
      long amount = Long.parseLong(part.group(1));
      total =
          total.plus(
              switch (part.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
              });
      end = part.end();
      part.region(end, text.length());
    }
    if (end == text.length() && end > 0 && !total.isZero()) {
      return total;
    }
    try {
      Duration iso = Duration.parse(value);
      if (!iso.isNegative() && !iso.isZero()) {
        return iso;
      }
    } catch (DateTimeParseException e) {
      // Neither form: the error below names the setting and both accepted forms.
    }
    throw bad(name, value, "a positive duration such as 45s, 30m, 1h30m or PT30M");
  }

  private static int positive(String name, Function<String, String> get, int fallback) {
    String value = get.apply(name);
    if (value == null) {
      return fallback;
    }
    try {
      int number = Integer.parseInt(value.strip());
      if (number > 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // Reported below with the setting's name.
    }
    throw bad(name, value, "a whole number above 0");
  }

  private static ConfigException bad(String name, String value, String expected) {
    return new ConfigException("environment", 0, name + "='" + value + "' is not valid; use " + expected);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static String or(String value, String fallback) {
    return value == null ? fallback : value;
  }
}
