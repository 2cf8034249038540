// Drives the dashboard in Debian's chromium (headless) as an operator would: log in, read the
// overview, run a SQL query, download its CSV. Prints one JSON line with what it saw; the JUnit
// test (DashboardBrowserTest) asserts on it. Screenshots go to SCREENSHOT_DIR.
import { chromium } from "playwright-core";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const base = process.env.BASE_URL;
const shots = process.env.SCREENSHOT_DIR;
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "caudal-chromium-"));
const seen = {};

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  acceptDownloads: true,
  viewport: { width: 1400, height: 1000 },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = context.pages()[0] || (await context.newPage());
  // Script errors, and console errors other than the refusals this run provokes on purpose
  // (401 for the wrong password, 400 for the refused query).
  const consoleErrors = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !/status of 40[01] /.test(message.text())) consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(String(error)));

  await page.goto(base + "/");
  seen.redirectedToLogin = page.url().endsWith("/login");

  await page.fill("#user", process.env.DASH_USER);
  await page.fill("#password", "wrong password");
  await page.click("#login-button");
  seen.wrongPasswordMessage = (await page.textContent("#login-message")).trim();

  await page.fill("#user", process.env.DASH_USER);
  await page.fill("#password", process.env.DASH_PASSWORD);
  await page.click("#login-button");
  await page.waitForSelector('#tiles .tile[data-metric="attempts"]');
  await page.selectOption("#range", "3600000");
  await page.waitForFunction(() => document.querySelectorAll("#charts .chart canvas").length >= 6);
  await page.waitForFunction(() => {
    const v = document.querySelector('#tiles .tile[data-metric="attempts"] .value');
    return v && v.textContent !== "–";
  });
  seen.tiles = await page.$$eval("#tiles .tile", (tiles) =>
    Object.fromEntries(tiles.map((t) => [t.dataset.metric, t.querySelector(".value").textContent])));
  seen.charts = await page.$$eval("#charts .chart h3", (titles) => titles.map((t) => t.textContent));
  seen.user = await page.textContent("#user-name");
  await page.screenshot({ path: path.join(shots, "01-overview.png"), fullPage: true });

  await page.click('nav a[data-tab="breakdowns"]');
  await page.selectOption("#dimension", "server");
  await page.waitForFunction(() => document.querySelector("#breakdown-table td")?.textContent === "srv-3");
  seen.breakdownFirst = await page.textContent("#breakdown-table tbody tr td");
  await page.fill("#session-q", "sess-bbb");
  await page.click("#session-form button");
  await page.waitForSelector("#session-table table");
  seen.sessionRow = await page.$$eval("#session-table tbody tr td", (cells) => cells.map((c) => c.textContent));
  await page.screenshot({ path: path.join(shots, "02-breakdowns.png"), fullPage: true });

  await page.click('nav a[data-tab="steering"]');
  await page.waitForSelector("#steering-message:not([hidden])");
  seen.steeringMessage = await page.textContent("#steering-message");

  await page.click('nav a[data-tab="sql"]');
  await page.fill("#sql-text", "SELECT key, sum(attempts) AS attempts FROM qoe_minute WHERE dimension = 'region' GROUP BY key ORDER BY key");
  await page.click("#sql-run");
  await page.waitForSelector("#sql-result table");
  seen.sqlHeader = await page.$$eval("#sql-result thead th", (cells) => cells.map((c) => c.textContent));
  seen.sqlRows = await page.$$eval("#sql-result tbody tr", (rows) =>
    rows.map((row) => [...row.querySelectorAll("td")].map((c) => c.textContent)));
  seen.sqlInfo = await page.textContent("#sql-info");
  await page.screenshot({ path: path.join(shots, "03-sql.png"), fullPage: true });

  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#sql-csv")]);
  const csvPath = path.join(shots, "query.csv");
  await download.saveAs(csvPath);
  seen.csvName = download.suggestedFilename();
  seen.csv = fs.readFileSync(csvPath, "utf8");

  await page.fill("#sql-text", "SELECT * FROM read_csv('/etc/passwd')");
  await page.click("#sql-run");
  await page.waitForSelector("#sql-error:not([hidden])");
  seen.sqlAttackMessage = await page.textContent("#sql-error");
  await page.screenshot({ path: path.join(shots, "04-sql-refused.png"), fullPage: true });

  seen.consoleErrors = consoleErrors;
  seen.ok = true;
} catch (error) {
  seen.ok = false;
  seen.error = String(error && error.stack || error);
} finally {
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(seen));
