package dev.flotilla.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class StoreWatchTest {

  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  final AtomicBoolean storeUp = new AtomicBoolean(true);

  @Test
  void healthyUntilTheStoreHasBeenGoneLongerThanTheLimit() {
    try (StoreWatch watch = new StoreWatch(store(), clock(), Duration.ofSeconds(60), Duration.ofDays(1))) {
      watch.probe();
      assertThat(watch.check().up()).isTrue();

      storeUp.set(false);
      advance(Duration.ofSeconds(30));
      watch.probe();
      assertThat(watch.check().up()).as("30s without the store").isTrue();

      advance(Duration.ofSeconds(31));
      watch.probe();
      assertThat(watch.check().up()).as("61s without the store").isFalse();
      assertThat(watch.check().detail()).contains("unreachable for 61s", "FLOTILLA_STORE_OUTAGE_LIMIT");

      storeUp.set(true);
      watch.probe();
      assertThat(watch.check().up()).as("the store is back").isTrue();
    }
  }

  private void advance(Duration by) {
    now.updateAndGet(t -> t.plus(by));
  }

  private Clock clock() {
    return new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
  }

  /** A pool that hands out a valid connection while the store is up and times out while it is not. */
  private DataSource store() {
    Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "isValid" -> true;
          case "close" -> null;
          default -> throw new UnsupportedOperationException(method.getName());
        });
    return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          if (!method.getName().equals("getConnection")) {
            throw new UnsupportedOperationException(method.getName());
          }
          if (!storeUp.get()) {
            throw new SQLTransientConnectionException("flotilla - Connection is not available, request timed out after 30000ms");
          }
          return connection;
        });
  }
}
