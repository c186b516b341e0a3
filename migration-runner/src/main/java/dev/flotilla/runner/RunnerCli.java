package dev.flotilla.runner;

import dev.flotilla.runner.RunJson.BadRequestException;
import dev.flotilla.runner.jars.FetchMigrationsCommand;
import java.io.IOException;
import org.eclipse.jgit.util.FileUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The runner image's entrypoint: {@code flotilla-runner run --request FILE}. The result JSON goes to
 * stdout and to {@code --result} (a pod's termination message path); logs go to stderr.
 */
@Command(
    name = "flotilla-runner",
    mixinStandardHelpOptions = true,
    versionProvider = RunnerCli.Version.class,
    description = "Runs one Flotilla migration on one repository: clone, apply, commit, push.")
public final class RunnerCli implements Callable<Integer> {

  /** The run finished; its status is in the result (NO_CHANGE, NOT_APPLICABLE, NEEDS_HUMAN, PUSHED, MODIFIED). */
  public static final int EXIT_OK = 0;
  /** The run failed; the result's phase and reason say why. */
  public static final int EXIT_FAILED = 1;
  /** The request file or the command line is wrong; nothing was run. */
  public static final int EXIT_BAD_REQUEST = 2;

  @Spec private CommandSpec spec;

  public static void main(String[] args) {
    // Before any logger exists: the runner's logs must stay off stdout, which carries the result.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "flotilla-runner-logback.xml");
    }
    System.exit(commandLine(Runner::new).execute(args));
  }

  /** The command line with its exit codes and error printing; {@code runner} makes the Runner. */
  public static CommandLine commandLine(Supplier<Runner> runner) {
    CommandLine cli = new CommandLine(new RunnerCli());
    cli.addSubcommand(new RunCommand(runner));
    cli.addSubcommand(new FetchMigrationsCommand(System::getenv));
    IExitCodeExceptionMapper exitCodes =
        e ->
            e instanceof BadRequestException || e instanceof CommandLine.ParameterException
                ? EXIT_BAD_REQUEST
                : EXIT_FAILED;
    cli.setExitCodeExceptionMapper(exitCodes);
    cli.setExecutionExceptionHandler(
        (e, command, parsed) -> {
          command.getErr().println("flotilla-runner: " + e.getMessage());
          return exitCodes.getExitCode(e);
        });
    return cli;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return EXIT_BAD_REQUEST;
  }

  /** {@code flotilla-runner run}. */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      versionProvider = RunnerCli.Version.class,
      description = "Runs the request and prints the result as one line of JSON.",
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {
        "0:NO_CHANGE, NOT_APPLICABLE, NEEDS_HUMAN, PUSHED or MODIFIED",
        "1:FAILED (see the result's phase and reason)",
        "2:the request file or the options are wrong"
      })
  static final class RunCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(names = "--request", required = true, paramLabel = "FILE", description = "The run request (JSON).")
    private Path requestFile;

    @Option(
        names = "--result",
        paramLabel = "FILE",
        description = "Also write the result here, e.g. /dev/termination-log.")
    private Path resultFile;

    @Option(
        names = "--work-dir",
        paramLabel = "DIR",
        description = "Clone into this empty folder and keep it (default: a temporary folder, deleted afterwards).")
    private Path workDir;

    private final Supplier<Runner> runner;

    RunCommand(Supplier<Runner> runner) {
      this.runner = runner;
    }

    @Override
    public Integer call() throws IOException {
      RunRequest request = RunJson.readRequest(requestFile);
      Path dir = workDir != null ? workDir : Files.createTempDirectory("flotilla-run-");
      try {
        RunResult result = runner.get().run(request, dir);
        String json = RunJson.writeResult(result);
        spec.commandLine().getOut().println(json);
        spec.commandLine().getOut().flush();
        if (resultFile != null) {
          Files.writeString(resultFile, json, StandardCharsets.UTF_8);
        }
        return result.status() == RunResult.Status.FAILED ? EXIT_FAILED : EXIT_OK;
      } finally {
        if (workDir == null) {
          deleteRecursively(dir);
        }
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING);
  }

  /** The version from the jar's manifest. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = RunnerCli.class.getPackage().getImplementationVersion();
      return new String[] {"flotilla-runner " + (version == null ? "(development build)" : version)};
    }
  }
}
