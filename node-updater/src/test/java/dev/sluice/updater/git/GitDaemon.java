package dev.sluice.updater.git;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code git daemon} serving the repositories in one folder over {@code git://} on a free
 * loopback port. It speaks protocol v2 to clients that ask for it and v0 to the others.
 */
final class GitDaemon implements AutoCloseable {

  private final Process process;
  private final int port;

  private GitDaemon(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static GitDaemon serve(Path root, Path home) throws IOException, InterruptedException {
    for (int attempt = 0; ; attempt++) {
      int port = freePort();
      Process process =
          GitCli.builder(
                  home,
                  "daemon",
                  "--reuseaddr",
                  "--export-all",
                  "--informative-errors",
                  "--listen=127.0.0.1",
                  "--port=" + port,
                  "--base-path=" + root,
                  root.toString())
              .redirectErrorStream(true)
              .redirectOutput(home.resolve("daemon-" + port + ".log").toFile())
              .start();
      GitDaemon daemon = new GitDaemon(process, port);
      if (daemon.awaitListening()) {
        return daemon;
      }
      daemon.close();
      if (attempt == 3) {
        throw new IOException("git daemon did not start on 127.0.0.1:" + port);
      }
    }
  }

  /** The URL of a repository below the served folder, e.g. {@code remote.git}. */
  String url(String path) {
    return "git://127.0.0.1:" + port + "/" + path;
  }

  private boolean awaitListening() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline && process.isAlive()) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return true;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    return false;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
