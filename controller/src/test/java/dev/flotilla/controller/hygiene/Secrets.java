package dev.flotilla.controller.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Recognisable secrets, every form they could leak in, and a record of where text surfaced (responses,
 * rows, logs, exception messages) so one assertion can name each place a secret turned up.
 */
final class Secrets implements AutoCloseable {

  static final String GIT_TOKEN = "ghp_SECRETflotillaTOKEN0123456789abcdef";
  static final String WEBHOOK_SECRET = "whsec_SECRETflotillaHOOK9876543210";
  static final String DASHBOARD_TOKEN = "dash_SECRETflotillaDASH0246813579";
  static final String DB_PASSWORD = "dbpw_SECRETflotillaPASS1357924680";
  /** Set in the test JVM's environment by the build, as a controller's secrets are set in its own. */
  static final String ENVIRONMENT_CANARY_VARIABLE = "FLOTILLA_HYGIENE_CANARY";
  static final String ENVIRONMENT_CANARY = "canary_SECRETflotillaENV1122334455";

  /** A PEM private key, generated per run; its base64 body is unique enough to search for. */
  final String appKeyPem;
  private final Map<String, List<String>> forms = new LinkedHashMap<>();
  private final List<String[]> surfaces = new ArrayList<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final Logger flotilla = (Logger) LoggerFactory.getLogger("dev.flotilla");
  private final Level flotillaLevel;

  Secrets() throws NoSuchAlgorithmException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
    appKeyPem = "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    for (String secret : List.of(GIT_TOKEN, WEBHOOK_SECRET, DASHBOARD_TOKEN, DB_PASSWORD, ENVIRONMENT_CANARY)) {
      forms.put(secret, encodings(secret));
    }
    // Two lines from the middle of the key: any dump of the key holds them, nothing else does.
    String[] lines = body.split("\n");
    forms.put("the GitHub App private key", List.of(lines[5], lines[6], lines[5] + lines[6]));
    flotillaLevel = flotilla.getLevel();
    flotilla.setLevel(Level.DEBUG);
    logs.start();
    root.addAppender(logs);
  }

  private static List<String> encodings(String secret) {
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    return List.of(
        secret,
        Base64.getEncoder().encodeToString(bytes),
        Base64.getEncoder().encodeToString(("x-access-token:" + secret).getBytes(StandardCharsets.UTF_8)),
        URLEncoder.encode(secret, StandardCharsets.UTF_8),
        HexFormat.of().formatHex(bytes));
  }

  /** Records text that left the system at {@code where}, to be searched by {@link #assertNoneLeaked()}. */
  void saw(String where, String text) {
    if (text != null) {
      surfaces.add(new String[] {where, text});
    }
  }

  /** Records an exception's messages, its causes' included. */
  void saw(String where, Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      saw(where + " (" + t.getClass().getSimpleName() + ")", t.getMessage());
    }
  }

  int logEvents() {
    return logs.list.size();
  }

  /** Fails naming every place any form of any secret appeared, the log included. */
  void assertNoneLeaked() {
    for (ILoggingEvent event : List.copyOf(logs.list)) {
      String text = event.getFormattedMessage() + " " + event.getMDCPropertyMap();
      if (event.getThrowableProxy() != null) {
        text += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
      }
      saw("log " + event.getLoggerName(), text);
    }
    List<String> leaks = new ArrayList<>();
    for (String[] surface : surfaces) {
      forms.forEach((secret, encoded) -> {
        for (String form : encoded) {
          if (surface[1].contains(form)) {
            leaks.add(secret.substring(0, Math.min(12, secret.length())) + "... in " + surface[0]
                + (form.equals(secret) ? "" : " (encoded)") + ": " + excerpt(surface[1], form));
          }
        }
      });
    }
    assertThat(leaks).as("secrets found in %d places searched", surfaces.size()).isEmpty();
  }

  private static String excerpt(String text, String form) {
    int at = text.indexOf(form);
    return text.substring(Math.max(0, at - 60), Math.min(text.length(), at + form.length() + 20)).replace('\n', ' ');
  }

  @Override
  public void close() {
    root.detachAppender(logs);
    flotilla.setLevel(flotillaLevel);
  }
}
