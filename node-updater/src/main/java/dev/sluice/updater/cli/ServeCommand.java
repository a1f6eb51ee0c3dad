package dev.sluice.updater.cli;

import dev.sluice.updater.serve.NodeInfoService;
import dev.sluice.updater.serve.NodeServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code node-updater serve}: the node's read-only info endpoint. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Serve GET /info (JSON with the preprod flag), /metrics (Prometheus) and /healthz.")
public final class ServeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--state",
      paramLabel = "FILE",
      defaultValue = RunCommand.DEFAULT_STATE,
      description = "The node's state database (default: ${DEFAULT-VALUE}).")
  Path state;

  @Option(
      names = "--port",
      defaultValue = "8080",
      paramLabel = "PORT",
      description = "Default: ${DEFAULT-VALUE}; 0 picks a free port.")
  int port;

  @Option(
      names = "--bind",
      defaultValue = "127.0.0.1",
      paramLabel = "ADDRESS",
      description = "Default: ${DEFAULT-VALUE}.")
  String bind;

  @Override
  public Integer call() throws InterruptedException {
    NodeServer server = NodeServer.start(new NodeInfoService(state), bind, port);
    spec.commandLine()
        .getOut()
        .println("serving http://" + bind + ":" + server.port() + "/info for " + state);
    spec.commandLine().getOut().flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                }));
    stopped.await();
    return 0;
  }
}
