package dev.skiff.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code skiff} command: one binary for the server, the node agent and their tools. */
@Command(
    name = "skiff",
    mixinStandardHelpOptions = true,
    versionProvider = SkiffVersion.class,
    description = "Kubernetes, written in Java.",
    subcommands = {ServerCommand.class, SimulateCommand.class, ImagesCommand.class, CommandLine.HelpCommand.class})
public final class SkiffCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command, e.g. 'skiff server'.");
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new SkiffCommand()).execute(args));
  }
}
