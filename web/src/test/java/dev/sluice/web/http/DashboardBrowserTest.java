package dev.sluice.web.http;

import static dev.sluice.web.testing.Reports.COMMIT_B;
import static dev.sluice.web.testing.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.git.GitIsolation;
import dev.sluice.core.history.ChannelStatusReader;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.Rollout;
import dev.sluice.core.report.Action;
import dev.sluice.core.report.NodeReport;
import dev.sluice.core.testing.TestRemote;
import dev.sluice.web.channels.ChannelsService;
import dev.sluice.web.fleet.ActiveCounts;
import dev.sluice.web.fleet.FleetDatabase;
import dev.sluice.web.fleet.FleetService;
import dev.sluice.web.fleet.ReceivedReport;
import dev.sluice.web.fleet.ReportStore;
import dev.sluice.web.fleet.ReportValidator;
import dev.sluice.web.fleet.ReportWriter;
import dev.sluice.web.testing.MutableClock;
import dev.sluice.web.testing.PolicyRemote;
import dev.sluice.web.testing.Reports;
import io.javalin.Javalin;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Drives Debian's headless Chromium against a real server: what an operator actually sees. */
class DashboardBrowserTest {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final String XSS = "<img src=x onerror=alert(1)>";
  static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
  static final String ZONE = "Asia/Kolkata";

  @TempDir Path dir;
  private FleetDatabase database;
  private ReportWriter writer;
  private Javalin app;
  private ChromeDriver browser;
  private MutableClock clock;
  private TestRemote remote;
  private ObjectId initial;
  private ObjectId candidate;

  @BeforeEach
  void start() {
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    assumeTrue(
        ci || Files.isExecutable(CHROMIUM),
        "no /usr/bin/chromium (apt-get install chromium chromium-driver); required when CI=true");
    clock = new MutableClock(NOW);
    GitIsolation.install();
    remote = TestRemote.create(dir).at(NOW.minus(Duration.ofDays(2)));
    initial = remote.tip("master");
    candidate = remote.commit("preprod", "feature", Map.of("app.txt", "1.1"));
    remote.tag("v1.1.0_pre", candidate, "preprod release 1.1.0");
    database = FleetDatabase.open(dir.resolve("fleet.db"));
    writer = new ReportWriter(new ReportStore(database), clock);
    FleetService fleet = new FleetService(database, clock);
    ChannelsService channels =
        new ChannelsService(
            remote.uri(),
            dir.resolve("remote-cache"),
            ChannelStatusReader.withDefaultChannels(),
            clock,
            Duration.ofDays(7),
            fleet::promotionHealth,
            new ActiveCounts(database, clock, FleetService.DEFAULT_STALE_AFTER),
            System::nanoTime,
            Duration.ofSeconds(30));
    app =
        FleetServer.create(
                new FleetServer.Deps(
                    fleet,
                    new ReportValidator(clock),
                    writer,
                    clock,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(channels)))
            .start("127.0.0.1", 0);

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,2200",
        "--user-data-dir=" + dir.resolve("chromium-profile"));
    // Leave any alert open so the test can see it instead of the driver dismissing it.
    options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(dir.resolve("chromedriver.log").toFile())
            .build();
    browser = new ChromeDriver(service, options);
    // Times are shown in the viewer's zone: make it one with a half-hour offset.
    browser.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", ZONE));
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (app != null) {
      app.stop();
    }
    if (writer != null) {
      writer.close();
    }
    if (database != null) {
      database.close();
    }
  }

  private void post(String json) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base() + "api/reports"))
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  private String base() {
    return "http://127.0.0.1:" + app.port() + "/";
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  @Test
  void showsTheFleetAndNodeTextOnlyAsText() throws Exception {
    Instant recent = NOW.minus(Duration.ofMinutes(5));
    for (int n = 1; n <= 6; n++) {
      post(report().node(n).groups("farm-a").finishedAt(recent).json());
    }
    // Node 7 last reported six hours ago.
    clock.set(NOW.minus(Duration.ofHours(6)));
    post(report().node(7).finishedAt(NOW.minus(Duration.ofHours(6))).json());
    clock.set(NOW);
    post(
        report()
            .node(8)
            .preprod()
            .on(COMMIT_B, "v1.1.0_pre")
            .action(Action.UPDATED)
            .finishedAt(recent)
            .json());
    post(
        report()
            .node(9)
            .preprod()
            .groups(XSS)
            .target(COMMIT_B)
            .action(Action.ROLLED_BACK)
            .message(XSS)
            .reason("health-check-failed", XSS)
            .finishedAt(recent)
            .json());
    post(
        report()
            .node(10)
            .action(Action.HELD)
            .reason("maintenance-window", "outside the maintenance window")
            .finishedAt(recent)
            .json());

    browser.get(base());
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.until(b -> text("status").equals("live"));
    wait.until(b -> !text("channel-cards").isEmpty());

    // Channel cards: the candidate was tagged a minute after its branch moved, 2 days ago.
    String cards = text("channel-cards");
    assertThat(cards).contains("stable · master", "preprod · preprod", "v1.1.0_pre");
    assertThat(cards).containsPattern("soak\\s+5 d 0 h [01] min left");
    assertThat(cards).contains("not promotable").contains("left (until");

    assertThat(text("total-nodes")).isEqualTo("10");
    assertThat(text("active-nodes")).isEqualTo("9");
    // 2 of the 9 active nodes ride preprod.
    assertThat(text("preprod-share")).isEqualTo("22.2 %");
    assertThat(text("preprod-target")).isEqualTo("7.0 %");
    assertThat(text("failures-total")).isEqualTo("1");
    assertThat(text("held-total")).isEqualTo("1");
    assertThat(text("stale-total")).isEqualTo("1");
    List<WebElement> versionRows = browser.findElements(By.cssSelector("#versions-table tbody tr"));
    assertThat(versionRows)
        .extracting(WebElement::getText)
        .contains("stable v1.0.0 aaaaaaaaaaaa 8", "preprod v1.1.0_pre bbbbbbbbbbbb 1");
    assertThat(browser.findElements(By.cssSelector("#adoption-charts svg rect"))).isNotEmpty();

    // The node's hostile group, message and reason show up as literal text, never as markup.
    assertThat(browser.findElement(By.cssSelector("#failures-table tbody")).getText())
        .contains("health-check-failed", XSS);
    WebElement search = browser.findElement(By.id("node-search"));
    search.sendKeys("onerror");
    wait.until(b -> text("page-info").equals("1–1 of 1"));
    List<WebElement> cells = browser.findElements(By.cssSelector("#nodes-table tbody td"));
    assertThat(cells).extracting(WebElement::getText).contains(Reports.nodeId(9), XSS);
    // The node's full report opens as text too.
    browser.findElement(By.cssSelector("#nodes-table tbody button.link")).click();
    wait.until(b -> text("node-detail-body").contains("rolled-back"));
    assertThat(text("node-detail-body")).contains("\"message\": \"" + XSS + "\"");
    assertThat(browser.findElements(By.tagName("img"))).isEmpty();
    assertThatThrownBy(() -> browser.switchTo().alert())
        .isInstanceOf(NoAlertPresentException.class);

    search.clear();
    search.sendKeys("farm-a");
    wait.until(b -> text("page-info").equals("1–6 of 6"));

    Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
    Path target = Path.of("target", "screenshots");
    Files.createDirectories(target);
    Files.copy(shot, target.resolve("dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
    assertThat(new File(target.toFile(), "dashboard.png")).isNotEmpty();
  }

  /**
   * Stores a report through the dashboard's writer, as an accepted POST does: these tests are about
   * what the page shows, and a machine busy enough to trip the slow-upload limit must not fail
   * them.
   */
  private void store(NodeReport report) throws Exception {
    assertThat(writer.submit(new ReceivedReport(report, clock.instant())).get(30, TimeUnit.SECONDS))
        .isEqualTo(ReportStore.Outcome.STORED);
  }

  /** How the dashboard shows an instant: to the second, in the viewer's zone. */
  private static String local(Instant instant) {
    return LocalDateTime.ofInstant(instant, ZoneId.of(ZONE))
        .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
  }

  private WebElement card(String channel) {
    return browser.findElement(By.cssSelector(".channel-card[data-channel='" + channel + "']"));
  }

  /** Every version's colour as drawn in the versions table, the charts' legends and the cards. */
  private Map<String, String> versionColours() {
    Map<String, String> colours = new HashMap<>();
    for (WebElement swatch : browser.findElements(By.cssSelector(".swatch[data-version]"))) {
      String version = swatch.getAttribute("data-version");
      String colour = swatch.getCssValue("background-color");
      String before = colours.putIfAbsent(version, colour);
      assertThat(before).as("one colour for %s within a render", version).isIn(null, colour);
    }
    return colours;
  }

  @Test
  void channelCardsShowTheRolloutPolicysStateInTheViewersZone() throws Exception {
    // Stable: v1.0.0, then v1.1.0, rolled back to v1.0.0 at a time with seconds, then paused.
    remote.at(NOW.minus(Duration.ofDays(3)));
    remote.tag("v1.0.0", initial, "release 1.0.0");
    ObjectId v110 = remote.commit("master", "release 1.1.0", Map.of("app.txt", "1.1"));
    remote.tag("v1.1.0", v110, "release 1.1.0");
    Policy policy =
        PolicyRemote.withFrozenAndWeights(Policy.defaults(), List.of("hpc"), Map.of("canary", 1.0));
    PolicyRemote.commit(
        remote, NOW.minus(Duration.ofDays(1)), "freeze hpc; canary rides preprod", policy);
    Instant rolledBackAt = NOW.minus(Duration.ofHours(20)).plusSeconds(7);
    PolicyRemote.rollBack(
        remote,
        policy,
        rolledBackAt,
        "stable",
        "master",
        "v1.1.0",
        "v1.0.0",
        "<b>db</b> migration");
    policy =
        policy.withDeadend(new dev.sluice.core.policy.Deadend("v1.1.0", "<b>db</b> migration"));
    Instant pausedAt = NOW.minus(Duration.ofHours(19)).plusSeconds(42);
    policy =
        policy.withChannel(Channel.STABLE, policy.channel(Channel.STABLE).pause("investigating"));
    PolicyRemote.commit(remote, pausedAt, "pause stable: investigating", policy);
    // Preprod's candidate rolls out over two days, a quarter of the way through now.
    Instant rolloutStart = NOW.minus(Duration.ofHours(12));
    policy = policy.withRollout(new Rollout("v1.1.0_pre", rolloutStart, Duration.ofHours(48), 0.0));
    PolicyRemote.commit(remote, NOW.minus(Duration.ofHours(13)), "rollout v1.1.0_pre", policy);

    Instant recent = NOW.minus(Duration.ofMinutes(5));
    for (int n = 1; n <= 6; n++) {
      Reports node = report().node(n).on(initial.name(), "v1.0.0").finishedAt(recent);
      store((n <= 2 ? node.groups("hpc") : node).build());
    }
    store(report().node(7).on(v110.name(), "v1.1.0").finishedAt(recent).build());
    for (int n = 8; n <= 9; n++) {
      store(
          report()
              .node(n)
              .preprod()
              .groups("canary")
              .on(candidate.name(), "v1.1.0_pre")
              .finishedAt(recent)
              .build());
    }
    store(report().node(10).preprod().on(initial.name(), "v1.0.0").finishedAt(recent).build());

    browser.get(base());
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.until(b -> text("status").equals("live"));
    wait.until(b -> !text("channel-cards").isEmpty());

    WebElement stable = card("stable");
    assertThat(stable.findElement(By.cssSelector(".state-paused")).getText())
        .isEqualTo(
            "paused: investigating · since "
                + local(pausedAt)
                + " GMT+5:30 by Sluice Test <test@sluice.invalid>");
    String rollback = stable.findElement(By.cssSelector(".state-rollback")).getText();
    assertThat(rollback)
        .contains("rolled back v1.1.0 → v1.0.0")
        .contains(local(rolledBackAt) + " GMT+5:30 by Sluice Test <test@sluice.invalid>")
        .contains("reason: <b>db</b> migration");
    assertThat(local(rolledBackAt)).endsWith(":30:07"); // 16:00:07Z, half an hour off in Kolkata
    assertThat(stable.findElement(By.cssSelector(".state-deadends")).getText())
        .startsWith("dead-end v1.1.0 (" + v110.name().substring(0, 12) + "): <b>db</b> migration")
        .contains("1 node still on it")
        .contains("since " + local(rolledBackAt));
    assertThat(stable.findElement(By.cssSelector(".state-frozen")).getText())
        .isEqualTo("frozen: hpc (2 nodes)");
    assertThat(stable.findElements(By.cssSelector(".state-rollout"))).isEmpty();

    WebElement preprod = card("preprod");
    String rollout = preprod.findElement(By.cssSelector(".state-rollout")).getText();
    assertThat(rollout)
        .contains("phased rollout of v1.1.0_pre · active")
        .contains("66.7 % of 3 nodes on it · 25.0 % allowed now")
        .contains("started " + local(rolloutStart))
        .contains("completes " + local(rolloutStart.plus(Duration.ofHours(48))));
    assertThat(preprod.findElement(By.cssSelector(".state-rollout time")).getAttribute("datetime"))
        .isEqualTo(rolloutStart.toString());
    assertThat(preprod.findElements(By.cssSelector(".state-paused, .state-rollback"))).isEmpty();
    assertThat(preprod.findElement(By.cssSelector(".state-frozen")).getText())
        .isEqualTo("frozen: hpc");

    // 3 of 10 active nodes ride preprod; 8 nodes at 0.07 and 2 canaries at 1.0 make 25.6 %.
    assertThat(text("preprod-explain"))
        .isEqualTo("25.6 % expected, 30.0 % observed: group canary has weight 1.00 (2 nodes)");
    assertThat(text("generated-at")).isEqualTo(local(NOW) + " GMT+5:30");
    assertThat(browser.findElements(By.tagName("b"))).isEmpty();

    Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
    Path target = Path.of("target", "screenshots");
    Files.createDirectories(target);
    Files.copy(shot, target.resolve("channel-cards.png"), StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void versionColoursStayTheSameWhenOtherVersionsAppear() throws Exception {
    Instant recent = NOW.minus(Duration.ofMinutes(5));
    remote.tag("v1.0.0", initial, "release 1.0.0");
    store(report().node(1).on(initial.name(), "v1.0.0").finishedAt(recent).build());
    store(report().node(2).on(Reports.COMMIT_B, "v2.0.0").finishedAt(recent).build());
    store(report().node(3).preprod().on(candidate.name(), "v1.1.0_pre").finishedAt(recent).build());

    browser.get(base());
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.until(b -> text("status").equals("live"));
    wait.until(b -> !text("channel-cards").isEmpty());
    Map<String, String> first = versionColours();
    assertThat(first).containsKeys("v1.0.0", "v2.0.0", "v1.1.0_pre");
    assertThat(first.values()).as("versions are told apart").doesNotHaveDuplicates();

    // A version that sorts before all others appears; the page renders again from scratch.
    store(report().node(4).on(Reports.COMMIT_C, "v0.9.0").finishedAt(recent).build());
    browser.navigate().refresh();
    wait.until(b -> text("status").equals("live"));
    wait.until(b -> text("versions-table").contains("v0.9.0"));
    wait.until(b -> !text("channel-cards").isEmpty());
    Map<String, String> second = versionColours();

    assertThat(second).containsKey("v0.9.0");
    for (Map.Entry<String, String> version : first.entrySet()) {
      assertThat(second.get(version.getKey()))
          .as("colour of %s in the second render", version.getKey())
          .isEqualTo(version.getValue());
    }
  }

  @Test
  void findsANodeByItsNameAndShowsTheNameAsText() throws Exception {
    Instant recent = NOW.minus(Duration.ofMinutes(5));
    post(report().node(1).name("Flux-Node-042").finishedAt(recent).json());
    post(report().node(2).name("flux-node-420").finishedAt(recent).json());
    post(report().node(3).name(XSS).finishedAt(recent).json());
    post(report().node(4).finishedAt(recent).json());

    browser.get(base());
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.until(b -> text("status").equals("live"));
    wait.until(b -> text("page-info").equals("1–4 of 4"));

    WebElement name = browser.findElement(By.id("node-name"));
    name.sendKeys("NODE-04");
    wait.until(b -> text("page-info").equals("1–1 of 1"));
    assertThat(browser.findElement(By.cssSelector("#nodes-table tbody button.link")).getText())
        .isEqualTo("Flux-Node-042 · 00000000");

    name.clear();
    name.sendKeys("onerror");
    // The table is rebuilt on every reload: a row found a moment ago may be gone.
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(
            b ->
                b.findElement(By.cssSelector("#nodes-table tbody button.link"))
                    .getText()
                    .startsWith(XSS));
    assertThat(text("page-info")).isEqualTo("1–1 of 1");
    assertThat(browser.findElements(By.tagName("img"))).isEmpty();
    assertThatThrownBy(() -> browser.switchTo().alert())
        .isInstanceOf(NoAlertPresentException.class);
  }
}
