package dev.flotilla.controller.exec.k8s;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Kubernetes names and label values for a run. Pure: the same run id always gives the same Job
 * name, which is what makes creating the Job a lock between controller replicas.
 */
public final class JobNames {

  /** DNS-1123 labels, label values and the {@code job-name} label of the Job's pods: all ≤ 63. */
  public static final int MAX_LENGTH = 63;

  private static final String PREFIX = "flotilla-";
  private static final int HASH_LENGTH = 10;

  private JobNames() {}

  /**
   * {@code flotilla-<campaign>-<repo>-<hash of runId>}: readable in {@code kubectl get jobs}, and
   * distinct for distinct runs however much of the readable part had to be cut.
   */
  public static String jobName(String campaign, String repository, String runId) {
    String suffix = "-" + hash(runId);
    int room = MAX_LENGTH - PREFIX.length() - suffix.length();
    String readable = dnsLabel(campaign + "-" + repository);
    if (readable.length() > room) {
      readable = trimDashes(readable.substring(0, room));
    }
    return readable.isEmpty() ? PREFIX + suffix.substring(1) : PREFIX + readable + suffix;
  }

  /**
   * A valid label value: at most 63 of {@code [A-Za-z0-9-_.]}, starting and ending alphanumeric;
   * anything else becomes a dash. The unshortened value belongs in an annotation.
   */
  public static String labelValue(String value) {
    String ascii = asciiOnly(value).replaceAll("[^A-Za-z0-9._-]", "-");
    if (ascii.length() > MAX_LENGTH) {
      ascii = ascii.substring(0, MAX_LENGTH);
    }
    return ascii.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
  }

  private static String dnsLabel(String value) {
    String lower = asciiOnly(value).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    return trimDashes(lower);
  }

  /** Accents become their base letter ("é" → "e"); other non-ASCII characters are dropped. */
  private static String asciiOnly(String value) {
    return Normalizer.normalize(value, Normalizer.Form.NFKD).replaceAll("[^\\x00-\\x7F]", "");
  }

  private static String trimDashes(String value) {
    return value.replaceAll("^-+", "").replaceAll("-+$", "");
  }

  private static String hash(String runId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(runId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
