package dev.flotilla.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.FlotillaException;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {

  abstract static class Named implements Migration {
    private final String id;

    Named(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public String title() {
      return id;
    }

    @Override
    public String description() {
      return id;
    }

    @Override
    public Outcome apply(Workspace workspace, Parameters parameters) {
      return Outcome.unchanged();
    }
  }

  static final class First extends Named {
    First(String id) {
      super(id);
    }
  }

  static final class Second extends Named {
    Second(String id) {
      super(id);
    }
  }

  @Test
  void refusesTwoClassesWithOneIdNamingBoth() {
    assertThatThrownBy(() -> Migrations.of(List.of(new First("bump-x"), new Second("bump-x"))))
        .isInstanceOf(FlotillaException.class)
        .hasMessageContaining("'bump-x'")
        .hasMessageContaining(First.class.getName())
        .hasMessageContaining(Second.class.getName());
  }

  @Test
  void countsTheSameClassListedTwiceOnce() {
    Migrations migrations = Migrations.of(List.of(new First("a"), new First("a"), new Second("b")));

    assertThat(migrations.ids()).containsExactly("a", "b");
  }

  @Test
  void listsTheKnownIdsForAnUnknownOne() {
    Migrations migrations = Migrations.of(List.of(new First("add-x"), new Second("bump-y")));

    assertThatThrownBy(() -> migrations.get("bump-z"))
        .isInstanceOf(UnknownMigrationException.class)
        .hasMessage("unknown migration 'bump-z'; known migrations: add-x, bump-y");
    assertThat(migrations.get("add-x")).isInstanceOf(First.class);
  }

  @Test
  void refusesAMigrationWithoutAnId() {
    assertThatThrownBy(() -> Migrations.of(List.of(new First(" "))))
        .isInstanceOf(FlotillaException.class)
        .hasMessageContaining(First.class.getName());
  }

  @Test
  void explainsAServicesFileNamingAMissingClass(@TempDir Path dir) throws IOException {
    Path services = Files.createDirectories(dir.resolve("META-INF/services"));
    Files.writeString(services.resolve(Migration.class.getName()), "com.example.DoesNotExist\n");

    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      assertThatThrownBy(() -> Migrations.load(loader))
          .isInstanceOf(FlotillaException.class)
          .hasMessageContaining("com.example.DoesNotExist")
          .hasMessageContaining("public no-argument constructor");
    }
  }
}
