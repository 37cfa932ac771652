package io.pgbluegreen.api;

import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.fixture.PgDistribution;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.operation.OperationView;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import io.pgbluegreen.support.Operations;
import io.pgbluegreen.support.Teardown;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The status page (GET /) in a real headless browser: Debian's chromium through its chromedriver, driven by Selenium,
 * against the in-process daemon watching a real PostgreSQL 15 primary and its streaming standby. It loads without a
 * console error, shows a check that fails for real (replay paused on the standby under writes) as failing, and
 * follows a cutover started with a POST (held in catch_up until the page showed it running), step by step, to its
 * end; it leaves target/status-page.png (and -gate-failing, -cutover-running) for a person to look at. Selenium Manager never runs (the driver's path is
 * given) and every request the browser made went to the loopback daemon.
 */
class StatusPageIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    /** Held strongly: java.util.logging keeps loggers weakly, and their level and handler must stay. */
    private static final List<Logger> SELENIUM_LOGGERS = List.of(
            Logger.getLogger("org.openqa.selenium.manager.SeleniumManager"),
            Logger.getLogger("org.openqa.selenium.remote.service.DriverFinder"));
    private static final List<String> SELENIUM_LOG = new CopyOnWriteArrayList<>();
    private static final Handler RECORDER = new Handler() {
        @Override
        public void publish(LogRecord record) {
            SELENIUM_LOG.add(record.getLoggerName() + ": " + record.getMessage()
                    + (record.getParameters() == null ? "" : " " + List.of(record.getParameters())));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private static PgServer blue;
    private static PgServer green;
    private static Daemon daemon;
    private static ChromeDriver browser;
    private static final List<String> consoleErrors = new ArrayList<>();
    private static final Set<String> requested = new LinkedHashSet<>();

    @BeforeAll
    static void start() {
        blue = PgServer.start("blue", 15);
        blue.execute("postgres", "CREATE TABLE items (id bigserial PRIMARY KEY, payload text NOT NULL)");
        green = PgServer.startStandby("green", blue, "green_slot");
        daemon = Daemon.config().target("blue", blue, "postgres").target("green", green, "postgres")
                .physical("phys", "blue", "green")
                .set("pg-bluegreen.deployments.phys.gate.max-replay-lag-bytes", "100000")
                .set("pg-bluegreen.gate.interval", "1s")
                .start();
        browser = startBrowser();
    }

    @AfterAll
    static void stop() {
        Teardown.closeAll(() -> {
            if (browser != null) {
                browser.quit(); // ends chromium and the chromedriver service it started
            }
        }, daemon, green, blue);
        SELENIUM_LOGGERS.forEach(l -> l.removeHandler(RECORDER));
    }

    /** Debian's chromium and chromedriver at fixed paths: with the driver given, Selenium Manager is skipped. */
    private static ChromeDriver startBrowser() {
        for (Logger logger : SELENIUM_LOGGERS) {
            logger.setLevel(Level.ALL);
            logger.addHandler(RECORDER);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1400",
                // nothing of the browser's own goes out: no updates, sync, metrics, and every non-loopback
                // request would go to a closed proxy port instead (loopback bypasses proxies by default)
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--metrics-recording-only",
                "--proxy-server=http://127.0.0.1:9");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        return new ChromeDriver(service, options);
    }

    @Test
    void showsTheGateTheLagAndACutoverStepByStep() throws Exception {
        var page = daemon.get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page.headers().toString());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'none'"),
                page.headers().toString());
        assertTrue(daemon.get("/status.js").headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertTrue(daemon.get("/status.css").headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
        Gates.awaitReady(daemon, "phys", WAIT);
        browser.get(daemon.url() + "/");
        String card = read("article[data-deployment='phys'] h3", WebElement::getText);
        assertEquals("pg-bluegreen", browser.getTitle());
        assertTrue(card.contains("physical: blue → green"), card);
        awaitElement("article[data-deployment='phys'] tr[data-check='replay_lag_bytes'][data-status='pass']");
        awaitElement("article[data-deployment='phys'] [data-ready='true']");
        awaitElement("article[data-deployment='phys'] svg.sparkline polyline");
        readBrowserLogs();
        assertEquals(List.of(), consoleErrors, "console errors on load");

        // a check that fails for real: replay paused on the standby while blue takes writes
        green.execute("postgres", "SELECT pg_wal_replay_pause()");
        try {
            blue.execute("postgres", "INSERT INTO items(payload) SELECT repeat('x', 200) FROM generate_series(1, 5000)");
            String failing = "article[data-deployment='phys'] tr[data-check='replay_lag_bytes'][data-status='fail']";
            assertEquals("fail", read(failing + " td.status", WebElement::getText));
            assertTrue(read(failing, e -> e.getAttribute("class")).contains("fail"));
            String row = read(failing, WebElement::getText);
            assertTrue(row.contains("100000"), "the threshold is shown: " + row);
            awaitElement("article[data-deployment='phys'] tr[data-check='replay_not_paused'][data-status='fail']");
            awaitElement("article[data-deployment='phys'] [data-ready='false']");
            Await.until(WAIT, "the page to show the lag above the threshold", () -> find("article[data-deployment='phys'] .lag-now")
                    .map(e -> e.getAttribute("data-lag-bytes")).filter(b -> b.matches("\\d+"))
                    .map(Long::parseLong).filter(b -> b > 100000).isPresent());
            screenshot("status-page-gate-failing.png");
        } finally {
            green.execute("postgres", "SELECT pg_wal_replay_resume()");
        }
        Gates.awaitReady(daemon, "phys", WAIT);
        awaitElement("article[data-deployment='phys'] [data-ready='true']");

        // a cutover started by curl, held in catch_up while the page looks: replay is paused on the standby (the one
        // failing check, overridden with a reason) so green cannot reach blue's final position until it resumes
        green.execute("postgres", "SELECT pg_wal_replay_pause()");
        String id;
        boolean listed;
        String operation;
        Set<String> statesSeen = new LinkedHashSet<>();
        Set<String> stepsSeen = new LinkedHashSet<>();
        try {
            var accepted = daemon.post("/deployments/phys/cutover", "{\"override\": {\"checks\": [\"replay_not_paused\"],"
                    + " \"reason\": \"StatusPageIT holds the cutover in catch_up\"}}");
            assertEquals(202, accepted.statusCode(), accepted.body());
            id = Operations.read(daemon, accepted.body()).id();
            // the page finds the cutover itself, in GET /operations
            listed = daemon.get("/operations").statusCode() == 200;
            assertTrue(listed, "GET /operations answers");
            operation = "article[data-operation='" + id + "']";
            awaitElement(operation + "[data-state='running'] tr[data-step='catch_up'][data-state='running']");
            for (String done : List.of("acquire_lock", "fence_blue", "prove_quiet")) {
                awaitElement(operation + " tr[data-step='" + done + "'][data-state='succeeded']");
            }
            assertEquals("running", read(operation + " .op-state", WebElement::getText));
            assertTrue(read(operation + " tr[data-step='catch_up'] td.took", WebElement::getText).endsWith("so far"));
            screenshot("status-page-cutover-running.png");
        } finally {
            green.execute("postgres", "SELECT pg_wal_replay_resume()");
        }
        Await.until(Duration.ofSeconds(90), "the page to show the cutover's end", () -> {
            Optional<WebElement> article = find(operation);
            if (article.isEmpty()) {
                return false;
            }
            try {
                String state = article.get().getAttribute("data-state");
                statesSeen.add(state);
                for (WebElement step : article.get().findElements(By.cssSelector("tr[data-step]"))) {
                    stepsSeen.add(step.getAttribute("data-step") + ":" + step.getAttribute("data-state"));
                }
                return state != null && !"running".equals(state);
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return false; // redrawn between two reads: look again
            }
        });
        OperationView ended = Operations.awaitEnd(daemon, id, WAIT);
        assertEquals("succeeded", ended.state(), ended.toString());
        assertEquals("succeeded", read(operation + " .op-state", WebElement::getText));
        List<String> names = read(operation, e -> e.findElements(By.cssSelector("tr[data-step]")).stream()
                .map(step -> step.getAttribute("data-step")).toList());
        assertEquals(ended.steps().stream().map(s -> s.name()).toList(), names);
        assertTrue(stepsSeen.containsAll(names.stream().map(n -> n + ":succeeded").toList()), stepsSeen.toString());
        List<String> times = read(operation, e -> e.findElements(By.cssSelector("tr[data-step] td.took")).stream()
                .map(WebElement::getText).toList());
        assertEquals(names.size(), times.size());
        for (String took : times) {
            assertTrue(took.matches("\\d+(\\.\\d)? m?s"), "a finished step's time: " + took);
        }
        screenshot("status-page.png");

        readBrowserLogs();
        assertEquals(List.of(), consoleErrors, "console errors");
        List<String> outside = requested.stream().filter(url -> !url.startsWith(daemon.url() + "/")
                && !url.startsWith("data:") && !url.startsWith("about:")).toList();
        assertEquals(List.of(), outside, "requests the browser made elsewhere than the daemon");
        assertTrue(requested.contains(daemon.url() + "/deployments/phys/gate"), requested.toString());
        assertTrue(requested.contains(daemon.url() + "/operations/" + id) || listed, requested.toString());
        assertTrue(SELENIUM_LOG.stream().anyMatch(l -> l.contains("Skipping Selenium Manager")), SELENIUM_LOG.toString());
        assertFalse(SELENIUM_LOG.stream().anyMatch(l -> l.contains("SeleniumManager:")),
                "Selenium Manager ran: " + SELENIUM_LOG);
    }

    private static Optional<WebElement> find(String css) {
        return browser.findElements(By.cssSelector(css)).stream().findFirst();
    }

    private static void awaitElement(String css) {
        read(css, e -> e);
    }

    /** Waits for the element and reads it; the page redraws what changed, so a read of a replaced one is retried. */
    private static <T> T read(String css, java.util.function.Function<WebElement, T> reader) {
        List<T> out = new ArrayList<>();
        Await.until(WAIT, "the page to show " + css, () -> {
            try {
                Optional<WebElement> element = find(css);
                element.ifPresent(e -> out.add(reader.apply(e)));
                return element.isPresent();
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return false;
            }
        });
        return out.get(out.size() - 1);
    }

    private static final Pattern URL = Pattern.compile("\"(?:url|documentURL)\":\"([^\"]*)\"");

    /**
     * Drains the console (SEVERE entries: none is excused) and the network events (every URL the page asked for).
     */
    private static void readBrowserLogs() {
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                consoleErrors.add(entry.getMessage());
            }
        }
        for (LogEntry entry : browser.manage().logs().get(LogType.PERFORMANCE)) {
            String message = entry.getMessage();
            if (message.contains("\"method\":\"Network.")) {
                Matcher m = URL.matcher(message);
                while (m.find()) {
                    requested.add(m.group(1));
                }
            }
        }
    }

    /** The whole page, not only the window: the window is made as tall as the page first. */
    private static void screenshot(String name) throws Exception {
        long height = (Long) browser.executeScript("return document.documentElement.scrollHeight");
        browser.manage().window().setSize(new Dimension(1280, (int) Math.min(height + 120, 6000)));
        Path file = PgDistribution.projectDir().resolve("target").resolve(name);
        Files.createDirectories(file.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }
}
