package dev.flotilla.controller.chaos;

import dev.flotilla.FlotillaException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides, with a seeded {@link Random}, which calls fail, and writes one line per injected fault to
 * a log file. The file outlives a {@code kill -9}, so a chaos run can count every fault of every
 * controller it started. Every injected failure's message contains {@value #MARK}.
 */
final class Faults {

  static final String MARK = "injected fault";

  private final Random random;
  private final double rate;
  private final Path log;
  private final AtomicLong injected = new AtomicLong();

  Faults(long seed, double rate, Path log) {
    if (rate < 0 || rate > 1) {
      throw new FlotillaException("a fault rate is between 0 and 1, not " + rate);
    }
    this.random = new Random(seed);
    this.rate = rate;
    this.log = log;
  }

  /** True for about {@code rate} of the calls. */
  boolean strikes() {
    synchronized (random) {
      return random.nextDouble() < rate;
    }
  }

  /** A fair coin from the same seeded sequence, to pick between kinds of fault. */
  boolean coin() {
    synchronized (random) {
      return random.nextBoolean();
    }
  }

  /** A pause of up to {@code max}, the part of a timeout spent waiting for an answer. */
  Duration pause(Duration max) {
    synchronized (random) {
      return Duration.ofMillis(1 + random.nextInt((int) Math.max(1, max.toMillis())));
    }
  }

  /** Records one injected fault and returns the exception that carries it. */
  FlotillaException record(String what) {
    injected.incrementAndGet();
    String line = MARK + ": " + what;
    try {
      Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the fault log " + log, e);
    }
    return new FlotillaException(line);
  }

  long injected() {
    return injected.get();
  }

  /** How many faults every controller of a chaos run wrote to {@code log}. */
  static long countIn(Path log) {
    if (!Files.exists(log)) {
      return 0;
    }
    try (var lines = Files.lines(log)) {
      return lines.filter(l -> l.startsWith(MARK)).count();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the fault log " + log, e);
    }
  }
}
