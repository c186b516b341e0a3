package dev.flotilla.runner;

import dev.flotilla.FlotillaException;
import dev.flotilla.migration.InvalidParametersException;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.UnknownMigrationException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla preview}: runs a migration on a copy of a local checkout and prints the diff, so a
 * migration author sees what a campaign would push before launching it.
 */
@Command(
    name = "preview",
    description = {
      "Shows what a migration would change in a local checkout, as a unified diff.",
      "The checkout itself is never modified: the migration runs on a copy."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:the migration changed files, changed nothing, or does not apply",
      "1:any other error (the checkout does not exist, the migration failed)",
      "2:unknown migration or invalid parameters"
    })
public final class PreviewCommand implements Callable<Integer> {

  public static final int EXIT_OK = 0;
  public static final int EXIT_ERROR = 1;
  public static final int EXIT_INVALID = 2;

  /** Maps the command's exceptions to its exit codes; install it on the top-level command line. */
  public static final IExitCodeExceptionMapper EXIT_CODES =
      e ->
          e instanceof UnknownMigrationException
                  || e instanceof InvalidParametersException
                  || e instanceof CommandLine.ParameterException
              ? EXIT_INVALID
              : EXIT_ERROR;

  @Spec private CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  private boolean help;

  @Option(names = "--migration", required = true, paramLabel = "ID", description = "The migration id.")
  private String migration;

  @Option(
      names = "--param",
      paramLabel = "KEY=VALUE",
      description = "A migration parameter; repeat for several. Lists are comma-separated.")
  private List<String> params = new ArrayList<>();

  @Option(
      names = "--repo",
      paramLabel = "PATH",
      defaultValue = ".",
      description = "The checked-out repository (default: the current folder).")
  private Path repo;

  private final Supplier<Preview> preview;

  /** With the migrations on the classpath. */
  public PreviewCommand() {
    this(Preview::new);
  }

  public PreviewCommand(Supplier<Preview> preview) {
    this.preview = preview;
  }

  /**
   * A command line for this command alone, with its exit codes and one-line error messages; a
   * parent command line should install {@link #EXIT_CODES} and {@link #printMessage} the same way.
   */
  public static CommandLine commandLine(PreviewCommand command) {
    CommandLine cli = new CommandLine(command);
    cli.setExitCodeExceptionMapper(EXIT_CODES);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          printMessage(commandLine.getErr(), e);
          return EXIT_CODES.getExitCode(e);
        });
    return cli;
  }

  /** Prints the error's message (which says what to do), not its stack trace. */
  public static void printMessage(PrintWriter err, Exception e) {
    err.println("flotilla preview: " + e.getMessage());
    err.flush();
  }

  @Override
  public Integer call() {
    if (!Files.isDirectory(repo)) {
      throw new FlotillaException(
          "--repo " + repo + " does not exist or is not a folder; give the path of a checked-out repository");
    }
    PreviewResult result = preview.get().preview(migration, Parameters.fromPairs(params), repo);
    PrintWriter out = spec.commandLine().getOut();
    out.print(result.diff());
    out.println(outcomeLine(result.outcome()));
    out.flush();
    return EXIT_OK;
  }

  static String outcomeLine(Outcome outcome) {
    return switch (outcome.kind()) {
      case CHANGED -> "outcome: changed — " + outcome.message();
      case UNCHANGED -> outcome.needsHuman()
          ? "outcome: unchanged, needs a person — " + outcome.message()
          : "outcome: unchanged";
      case NOT_APPLICABLE -> "outcome: not applicable — " + outcome.message();
    };
  }
}
