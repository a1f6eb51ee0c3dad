package dev.sluice.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.updater.cli.ConfigDefaults;
import dev.sluice.updater.cli.RunCommand;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Builds node-updater's tarball and Debian package once with {@code scripts/package} from this
 * build's jar, then installs them into temporary folders and runs them with no java on PATH and no
 * JAVA_HOME: a real update from a bare repository over {@code file://} and over https, the info
 * endpoint over HTTP, and {@code systemd-analyze verify} on the units as the package installs them.
 */
class NodePackageTest {

  private static final Path ROOT = Path.of(System.getProperty("sluice.root", "..")).normalize();
  private static final Path JAR =
      Path.of(
          System.getProperty("sluice.nodeUpdaterJar", "../node-updater/target/node-updater.jar"));
  private static final String UNITS = "lib/systemd/system";

  @TempDir static Path tmp;
  static Path tarballHome;
  static Path debRoot;
  static Path debControl;
  static Path cleanPath;
  static String buildLog;

  @BeforeAll
  @Timeout(value = 10, unit = TimeUnit.MINUTES) // jlink and the training run, on a busy machine
  static void buildAndInstallOnce() throws Exception {
    assumeTrue(
        System.getProperty("os.name").equals("Linux"),
        "node-updater's packages are Linux packages: not built on "
            + System.getProperty("os.name"));
    assumeTrue(
        Files.isRegularFile(JAR) && !jarOlderThanClasses(),
        "no fresh node-updater.jar (" + JAR + "): run `mvn verify` (or package) first");

    Path out = tmp.resolve("out");
    // The last commit's time, as scripts/package takes it; a fixed one outside a git checkout.
    Map<String, String> epoch =
        Files.exists(ROOT.resolve(".git")) ? Map.of() : Map.of("SOURCE_DATE_EPOCH", "1764000000");
    Result build =
        run(
            ROOT,
            epoch,
            Duration.ofMinutes(10),
            ROOT.resolve("scripts/package").toString(),
            "--jar",
            JAR.toString(),
            "--out",
            out.toString(),
            "--fast");
    buildLog = build.output();
    System.out.println(buildLog);
    assertThat(build.code()).as(buildLog).isZero();

    Path tarball = only(out, "sluice-node-updater-*-linux-*.tar.gz");
    Path deb = only(out, "sluice-node-updater_*.deb");
    Path tarDir = Files.createDirectories(tmp.resolve("tar"));
    assertThat(run(tarDir, Map.of(), "tar", "-xzf", tarball.toString()).code()).isZero();
    tarballHome = tarDir.resolve("sluice");
    debRoot = tmp.resolve("root");
    assertOk(run(tmp, Map.of(), "dpkg-deb", "-x", deb.toString(), debRoot.toString()));
    debControl = tmp.resolve("control");
    assertOk(run(tmp, Map.of(), "dpkg-deb", "-e", deb.toString(), debControl.toString()));

    // A PATH with only what the launcher uses: no java anywhere on it.
    cleanPath = Files.createDirectories(tmp.resolve("path"));
    for (String tool : List.of("readlink", "dirname")) {
      Files.copy(which(tool), cleanPath.resolve(tool), StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES) // seven JVM starts, on a busy machine
  void tarballUpdatesFromFileRemoteAndServesInfoWithoutSystemJava() throws Exception {
    Path launcher = tarballHome.resolve("bin/node-updater");
    assertThat(run(tmp, Map.of("PATH", cleanPath.toString()), "/bin/sh", "-c", "command -v java"))
        .as("java must not be reachable in the package's environment")
        .extracting(Result::code)
        .isNotEqualTo(0);

    Path remote = bareRepo(tmp.resolve("tar-remote"));
    Path node = tmp.resolve("tar-node");
    String[] runArgs = {
      launcher.toString(),
      "run",
      "--workdir",
      node.resolve("app").toString(),
      "--remote",
      remote.toUri().toString(),
      "--state",
      node.resolve("state.db").toString(),
      "--channel",
      "stable",
      "--json"
    };
    Result first = node(runArgs);
    assertThat(first.code()).as(first.output()).isZero();
    assertThat(first.output()).contains("\"action\" : \"updated\"").contains(head(remote));
    Result again = node(runArgs);
    assertThat(again.output()).as(again.output()).contains("\"action\" : \"unchanged\"");

    commit(remote, "second.txt");
    Result moved = node(runArgs);
    assertThat(moved.code()).as(moved.output()).isZero();
    assertThat(moved.output()).contains("\"action\" : \"updated\"").contains(head(remote));
    assertThat(Files.readString(node.resolve("app/second.txt"))).isEqualTo("second.txt\n");

    Result status =
        node(launcher.toString(), "status", "--state", node.resolve("state.db").toString());
    assertThat(status.code()).as(status.output()).isZero();
    assertThat(status.output()).contains(head(remote).substring(0, 10));

    // The simulated nodes draw their own tickets: give the remote a preprod channel too, so a node
    // that draws preprod has something to install whatever the draw.
    assertOk(
        run(tmp, Map.of(), "git", "-C", remote.toString(), "branch", "-f", "preprod", "master"));
    Result simulate =
        node(
            launcher.toString(),
            "simulate",
            "--fleet",
            tmp.resolve("fleet").toString(),
            "--remote",
            remote.toUri().toString(),
            "--nodes",
            "3");
    assertThat(simulate.code()).as(simulate.output()).isZero();

    assertThat(node(launcher.toString(), "--version").output()).contains("node-updater");

    serveAndGetInfo(launcher, node.resolve("state.db"), head(remote));
  }

  @Test
  void debRunsFromItsSymlinkWithTheConfigTemplateAndItsArchiveMapsAtOptSluice() throws Exception {
    Path symlink = debRoot.resolve("usr/bin/node-updater");
    assertThat(Files.isSymbolicLink(symlink)).isTrue();
    assertThat(symlink.toRealPath()).isEqualTo(debRoot.resolve("opt/sluice/bin/node-updater"));

    // The template parses (every key known) and says what is missing.
    Path template = debRoot.resolve("etc/sluice/node.yaml");
    Result bare = node(symlink.toString(), "run", "--config", template.toString());
    assertThat(bare.code()).as(bare.output()).isEqualTo(2);
    assertThat(bare.output()).contains("missing --workdir");

    // The template with its two required keys filled in, and the state moved to a temp folder.
    Path remote = bareRepo(tmp.resolve("deb-remote"));
    Path node = tmp.resolve("deb-node");
    Path config = tmp.resolve("node.yaml");
    Files.writeString(
        config,
        Files.readString(template)
            .replace("#workdir: /srv/app", "workdir: " + node.resolve("app"))
            .replace("#remote: https://git.example.com/app.git", "remote: " + remote.toUri())
            .replace("#state: /var/lib/sluice/state.db", "state: " + node.resolve("state.db"))
            // The remote has only master: a node that drew preprod would have nothing to run.
            .replace("channel: auto", "channel: stable"));
    Result updated = node(symlink.toString(), "run", "--config", config.toString(), "--json");
    assertThat(updated.code()).as(updated.output()).isZero();
    assertThat(updated.output()).contains("\"action\" : \"updated\"").contains(head(remote));

    // At /opt/sluice, where the package installs it, the class-data archive maps: -Xshare:on
    // refuses to start without it. Seen in a mount namespace, nothing changes outside it.
    List<String> unshare = new ArrayList<>(List.of("unshare", "--mount"));
    if (!run(tmp, Map.of(), "id", "-u").output().strip().equals("0")) {
      unshare.add("--map-root-user");
    }
    Result mountable =
        run(
            tmp,
            Map.of(),
            Stream.concat(unshare.stream(), Stream.of("true")).toArray(String[]::new));
    assumeTrue(mountable.code() == 0, "cannot make a mount namespace here: " + mountable.output());
    Result shared =
        run(
            tmp,
            Map.of("SLUICE_JAVA_OPTS", "-Xshare:on"),
            Duration.ofMinutes(1),
            Stream.concat(
                    unshare.stream(),
                    Stream.of(
                        "/bin/sh",
                        "-c",
                        "mount -t tmpfs test /opt && mkdir /opt/sluice && mount --bind \"$0\" /opt/sluice"
                            + " && PATH=\"$1\" exec /opt/sluice/bin/node-updater --version",
                        debRoot.resolve("opt/sluice").toString(),
                        cleanPath.toString()))
                .toArray(String[]::new));
    assertThat(shared.code()).as(shared.output()).isZero();
  }

  @Test
  void debInstallsUnitsConffileUserAndStateDirectory() throws IOException {
    assertThat(Files.readString(debControl.resolve("conffiles")).lines())
        .containsExactly("/etc/sluice/node.yaml");
    String control = Files.readString(debControl.resolve("control"));
    assertThat(control)
        .contains("Package: sluice-node-updater")
        .containsPattern("(?m)^Architecture: (amd64|arm64)$")
        .contains("Depends: adduser");
    String postinst = Files.readString(debControl.resolve("postinst"));
    assertThat(postinst)
        .contains("adduser --system")
        .contains("--home /var/lib/sluice")
        .contains("install -d -o sluice -g sluice -m 0750 /var/lib/sluice");
    for (String script : List.of("postinst", "prerm", "postrm")) {
      assertThat(Files.isExecutable(debControl.resolve(script))).as(script).isTrue();
      assertOk(run(tmp, Map.of(), "sh", "-n", debControl.resolve(script).toString()));
    }
    assertThat(unitFiles(debRoot.resolve(UNITS)))
        .containsExactlyInAnyOrder(
            "sluice-node-updater.service",
            "sluice-node-updater-check.service",
            "sluice-node-updater.timer",
            "sluice-node-info.service");
  }

  /** Every key of the template is one `run --config` reads, and every key it reads is there. */
  @Test
  void configTemplateNamesEveryKeyRunReads() throws IOException {
    Set<String> keys = new TreeSet<>();
    Matcher m =
        Pattern.compile("(?m)^#?([a-zA-Z]+):")
            .matcher(Files.readString(debRoot.resolve("etc/sluice/node.yaml")));
    while (m.find()) {
      keys.add(m.group(1));
    }
    assertThat(keys)
        .isEqualTo(ConfigDefaults.keys(new CommandLine(RunCommand.class).getCommandSpec()));
  }

  @Test
  void unitsVerifyAndRunAsSluiceAfterTheNetworkBeforeTheApp() throws IOException {
    Path units = debRoot.resolve(UNITS);
    Map<String, Map<String, List<String>>> boot =
        parse(units.resolve("sluice-node-updater.service"));
    assertThat(boot.get("Unit").get("Wants")).contains("network-online.target");
    assertThat(boot.get("Unit").get("After")).contains("network-online.target");
    assertThat(boot.get("Install").get("WantedBy")).contains("multi-user.target");
    assertThat(boot.get("Service").get("ExecStart").get(0)).endsWith("--boot");

    for (String service :
        List.of(
            "sluice-node-updater.service",
            "sluice-node-updater-check.service",
            "sluice-node-info.service")) {
      Map<String, List<String>> s = parse(units.resolve(service)).get("Service");
      assertThat(s.get("User")).as(service).containsExactly("sluice");
      assertThat(s.get("Group")).as(service).containsExactly("sluice");
      assertThat(s.get("ProtectSystem")).as(service).containsExactly("strict");
      assertThat(s.get("NoNewPrivileges")).as(service).containsExactly("yes");
      assertThat(s.get("PrivateTmp")).as(service).containsExactly("yes");
      assertThat(s.get("ReadWritePaths")).as(service).contains("/var/lib/sluice");
      assertThat(s.get("ExecStart").get(0)).as(service).startsWith("/opt/sluice/bin/node-updater ");
    }
    for (String oneshot :
        List.of("sluice-node-updater.service", "sluice-node-updater-check.service")) {
      Map<String, List<String>> s = parse(units.resolve(oneshot)).get("Service");
      assertThat(s.get("Type")).containsExactly("oneshot");
      // Offline and rolled back: the node runs a good commit. 12 needs a person: a failed unit.
      assertThat(words(s.get("SuccessExitStatus"))).containsExactlyInAnyOrder("10", "11");
    }
    Map<String, List<String>> timer =
        parse(units.resolve("sluice-node-updater.timer")).get("Timer");
    assertThat(timer.get("Unit")).containsExactly("sluice-node-updater-check.service");
    assertThat(timer.get("RandomizedDelaySec")).containsExactly("1h");
    assertThat(timer.get("Persistent")).containsExactly("yes");
    assertThat(parse(units.resolve("sluice-node-updater-check.service")).get("Unit").get("After"))
        .anySatisfy(a -> assertThat(a).contains("sluice-node-updater.service"));

    // systemd itself, on the units where the package puts them (ExecStart= must exist there),
    // with the drop-ins the guide tells a site to write.
    Path verifyRoot = verifyRoot();
    Path etc = Files.createDirectories(verifyRoot.resolve("etc/systemd/system"));
    Files.writeString(
        Files.createDirectories(etc.resolve("sluice-node-updater.service.d")).resolve("app.conf"),
        "[Unit]\nBefore=app.service\n");
    Files.writeString(
        Files.createDirectories(etc.resolve("sluice-.service.d")).resolve("site.conf"),
        "[Service]\nReadWritePaths=/srv/app\n");
    Files.writeString(
        etc.resolve("app.service"),
        "[Unit]\nDescription=the app\n[Service]\nExecStart=/opt/sluice/bin/node-updater"
            + " --version\n[Install]\nWantedBy=multi-user.target\n");
    List<String> all = new ArrayList<>(List.of("app.service"));
    all.addAll(unitFiles(units));
    Result verified = verify(verifyRoot, all);
    assertThat(verified.code()).as(verified.output()).isZero();
    assertThat(verified.output()).as(verified.output()).doesNotContainIgnoringCase("sluice");

    // The drop-in really orders the updater before the app: an app that also asks to start first
    // makes a cycle that systemd refuses.
    Files.writeString(
        etc.resolve("app.service"),
        "[Unit]\nDescription=the app\nBefore=sluice-node-updater.service\n[Service]\n"
            + "ExecStart=/opt/sluice/bin/node-updater --version\n");
    Result cycle = verify(verifyRoot, List.of("app.service", "sluice-node-updater.service"));
    assertThat(cycle.output()).contains("ordering cycle");
  }

  @Test
  void unitsAreHardened() throws IOException {
    for (String service :
        List.of(
            "sluice-node-updater.service",
            "sluice-node-updater-check.service",
            "sluice-node-info.service")) {
      Result security =
          run(
              tmp,
              Map.of(),
              "systemd-analyze",
              "security",
              "--offline=yes",
              "--root=" + verifyRoot(),
              "--threshold=40",
              debRoot.resolve(UNITS).resolve(service).toString());
      assertThat(security.code()).as(security.output()).isZero();
      assertThat(security.output()).contains("Overall exposure level for " + service);
    }
  }

  @Test
  void tarballIsReproducibleInShapeAndHoldsOnlyTheNeededModules() throws IOException {
    Path tarball = only(tmp.resolve("out"), "sluice-node-updater-*.tar.gz");
    Result listing =
        run(tmp, Map.of(), "tar", "--full-time", "--numeric-owner", "-tvzf", tarball.toString());
    assertOk(listing);
    List<String> lines = listing.output().lines().toList();
    List<String> names =
        lines.stream().map(l -> l.replaceAll(" -> .*", "").replaceAll(".* ", "")).toList();
    assertThat(names).allMatch(n -> n.startsWith("sluice/"));
    String firstTime = lines.get(0).split(" +")[3] + " " + lines.get(0).split(" +")[4];
    assertThat(lines).allSatisfy(l -> assertThat(l).contains(" 0/0 ").contains(firstTime));

    Result modules =
        run(
            tmp,
            Map.of("PATH", cleanPath.toString()),
            tarballHome.resolve("runtime/bin/java").toString(),
            "--list-modules");
    assertOk(modules);
    Set<String> names2 =
        modules.output().lines().map(l -> l.replaceAll("@.*", "")).collect(Collectors.toSet());
    assertThat(names2)
        .contains("java.base", "java.sql", "java.net.http", "jdk.crypto.ec", "jdk.unsupported")
        .doesNotContain("jdk.compiler", "jdk.jshell", "java.se");
    assertThat(tarballHome.resolve("runtime/jmods")).doesNotExist();
    assertThat(tarballHome.resolve("runtime/include")).doesNotExist();
    assertThat(tarballHome.resolve("lib/node-updater.jsa")).isRegularFile();
    assertThat(tarballHome.resolve("lib/native/libsqlitejdbc.so")).isRegularFile();
  }

  /**
   * An https remote: the packaged runtime completes a TLS handshake (elliptic-curve key and ECDHE)
   * with a local server whose certificate it was told to trust; the server then answers 404, which
   * node-updater reports as an unreachable remote (exit 10) after the request arrived.
   */
  @Test
  void packagedRuntimeSpeaksTlsToHttpsRemotes() throws Exception {
    Path keystore = tmp.resolve("tls.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    assertOk(
        run(
            tmp,
            Map.of(),
            keytool,
            "-genkeypair",
            "-alias",
            "localhost",
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-dname",
            "CN=localhost",
            "-ext",
            "SAN=ip:127.0.0.1",
            "-validity",
            "2",
            "-storetype",
            "PKCS12",
            "-keystore",
            keystore.toString(),
            "-storepass",
            "changeit"));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    com.sun.net.httpserver.HttpsServer server =
        com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(ssl));
    AtomicInteger requests = new AtomicInteger();
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.sendResponseHeaders(404, -1);
          exchange.close();
        });
    server.start();
    try {
      Path node = tmp.resolve("tls-node");
      Result result =
          run(
              tmp,
              Map.of(
                  "PATH",
                  cleanPath.toString(),
                  "SLUICE_JAVA_OPTS",
                  "-Djavax.net.ssl.trustStore="
                      + keystore
                      + " -Djavax.net.ssl.trustStorePassword=changeit"),
              Duration.ofMinutes(2),
              tarballHome.resolve("bin/node-updater").toString(),
              "run",
              "--workdir",
              node.resolve("app").toString(),
              "--remote",
              "https://127.0.0.1:" + server.getAddress().getPort() + "/app.git",
              "--state",
              node.resolve("state.db").toString(),
              "--channel",
              "stable");
      assertThat(requests.get()).as(result.output()).isPositive();
      assertThat(result.code()).as(result.output()).isEqualTo(10);
      assertThat(result.output()).doesNotContainIgnoringCase("ssl").doesNotContain("PKIX");
    } finally {
      server.stop(0);
    }
  }

  // --- helpers

  private static void serveAndGetInfo(Path launcher, Path state, String commit) throws Exception {
    Path log = tmp.resolve("serve.log");
    ProcessBuilder pb =
        new ProcessBuilder(launcher.toString(), "serve", "--state", state.toString(), "--port", "0")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    cleanEnvironment(pb.environment(), Map.of("PATH", cleanPath.toString()));
    Process serve = pb.start();
    try {
      Pattern serving = Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/info");
      String port = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (port == null && System.nanoTime() < deadline && serve.isAlive()) {
        Thread.sleep(100);
        Matcher m = serving.matcher(Files.readString(log));
        port = m.find() ? m.group(1) : null;
      }
      assertThat(port).as(Files.readString(log)).isNotNull();
      // The process is the packaged runtime's java, not a system one.
      assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(serve.pid()), "exe")))
          .isEqualTo(launcher.getParent().getParent().resolve("runtime/bin/java").toRealPath());
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + port;
      HttpResponse<String> info =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/info")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(info.statusCode()).isEqualTo(200);
      assertThat(info.body()).contains("\"preprod\"").contains(commit);
      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body()).contains("sluice_node_preprod");
    } finally {
      serve.destroy();
      serve.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** A file system root for systemd-analyze: the package's files plus systemd's own units. */
  private static Path verifyRoot() throws IOException {
    Path system = Path.of("/lib/systemd/system");
    Path target = debRoot.resolve("usr/lib/systemd/system");
    if (!Files.exists(target.resolve("sysinit.target"))) {
      assertThat(which("systemd-analyze"))
          .as("systemd-analyze (Debian: apt-get install systemd)")
          .isNotNull();
      Files.createDirectories(target);
      // systemd's own units (sysinit.target and the rest), not its aliases and masks
      assertOk(
          run(
              tmp,
              Map.of(),
              "find",
              system.toString(),
              "-maxdepth",
              "1",
              "-type",
              "f",
              "-exec",
              "cp",
              "-t",
              target.toString(),
              "{}",
              "+"));
    }
    return debRoot;
  }

  private static Result verify(Path root, List<String> units) {
    List<String> command =
        new ArrayList<>(List.of("systemd-analyze", "verify", "--man=no", "--root=" + root));
    for (String unit : units) {
      Path inEtc = root.resolve("etc/systemd/system").resolve(unit);
      command.add((Files.exists(inEtc) ? inEtc : root.resolve(UNITS).resolve(unit)).toString());
    }
    return run(tmp, Map.of(), Duration.ofMinutes(1), command.toArray(String[]::new));
  }

  private static List<String> unitFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** A unit file's settings by section; a key given twice keeps both values. */
  private static Map<String, Map<String, List<String>>> parse(Path unit) throws IOException {
    Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
    Map<String, List<String>> current = null;
    for (String line : Files.readAllLines(unit)) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("[")) {
        current =
            sections.computeIfAbsent(
                line.substring(1, line.length() - 1), k -> new LinkedHashMap<>());
      } else {
        int eq = line.indexOf('=');
        current
            .computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>())
            .add(line.substring(eq + 1));
      }
    }
    return sections;
  }

  private static List<String> words(List<String> values) {
    return values.stream().flatMap(v -> Arrays.stream(v.split("\\s+"))).toList();
  }

  private static Result node(String... command) {
    return run(tmp, Map.of("PATH", cleanPath.toString()), Duration.ofMinutes(2), command);
  }

  private static Path bareRepo(Path dir) {
    Path work = dir.resolve("work");
    assertOk(run(tmp, Map.of(), "git", "init", "-q", "-b", "master", work.toString()));
    commit(work, "app.js");
    Path bare = dir.resolve("remote.git");
    assertOk(run(tmp, Map.of(), "git", "clone", "-q", "--bare", work.toString(), bare.toString()));
    assertOk(
        run(
            tmp,
            Map.of(),
            "git",
            "-C",
            work.toString(),
            "remote",
            "add",
            "origin",
            bare.toString()));
    return bare;
  }

  /** Adds a commit to a work tree, or, given a bare repository, to its work tree beside it. */
  private static void commit(Path repo, String file) {
    Path work = repo.getFileName().toString().endsWith(".git") ? repo.resolveSibling("work") : repo;
    try {
      Files.writeString(work.resolve(file), file + "\n");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    assertOk(run(tmp, Map.of(), "git", "-C", work.toString(), "add", file));
    assertOk(run(tmp, Map.of(), "git", "-C", work.toString(), "commit", "-q", "-m", file));
    if (work != repo) {
      assertOk(run(tmp, Map.of(), "git", "-C", work.toString(), "push", "-q", "origin", "master"));
    }
  }

  private static String head(Path bare) {
    Result r = run(tmp, Map.of(), "git", "--git-dir=" + bare, "rev-parse", "master");
    assertOk(r);
    return r.output().strip();
  }

  private static Path only(Path dir, String glob) throws IOException {
    List<Path> found = new ArrayList<>();
    try (var stream = Files.newDirectoryStream(dir, glob)) {
      stream.forEach(found::add);
    }
    assertThat(found).as(glob + " in " + dir + "\n" + buildLog).hasSize(1);
    return found.get(0);
  }

  private static boolean jarOlderThanClasses() throws IOException {
    Path classes = JAR.resolveSibling("classes");
    if (!Files.isDirectory(classes)) {
      return false;
    }
    long jarTime = Files.getLastModifiedTime(JAR).toMillis();
    try (Stream<Path> files = Files.walk(classes)) {
      return files.anyMatch(
          f -> {
            try {
              return Files.getLastModifiedTime(f).toMillis() > jarTime;
            } catch (IOException e) {
              return false;
            }
          });
    }
  }

  private static Path which(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  record Result(int code, String output) {}

  private static void assertOk(Result r) {
    assertThat(r.code()).as(r.output()).isZero();
  }

  private static Result run(Path dir, Map<String, String> env, String... command) {
    return run(dir, env, Duration.ofMinutes(1), command);
  }

  /**
   * Runs a command with an environment made for it: no JAVA_HOME or JVM option variables, git
   * without the machine's configuration, and the given variables on top.
   */
  private static Result run(
      Path dir, Map<String, String> env, Duration timeout, String... command) {
    try {
      Path out = Files.createTempFile(tmp, "out", ".log");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      cleanEnvironment(pb.environment(), env);
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError(
            "timed out after "
                + timeout
                + ": "
                + String.join(" ", command)
                + "\n"
                + Files.readString(out));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void cleanEnvironment(Map<String, String> environment, Map<String, String> extra) {
    for (String name :
        List.of(
            "JAVA_HOME",
            "JDK_JAVA_OPTIONS",
            "JAVA_TOOL_OPTIONS",
            "_JAVA_OPTIONS",
            "SLUICE_JAVA_OPTS",
            "CLASSPATH")) {
      environment.remove(name);
    }
    environment.put("GIT_CONFIG_NOSYSTEM", "1");
    environment.put("GIT_CONFIG_GLOBAL", "/dev/null");
    environment.put("GIT_AUTHOR_NAME", "test");
    environment.put("GIT_AUTHOR_EMAIL", "test@sluice.invalid");
    environment.put("GIT_COMMITTER_NAME", "test");
    environment.put("GIT_COMMITTER_EMAIL", "test@sluice.invalid");
    environment.put("HOME", tmp.toString());
    environment.putAll(extra);
  }
}
