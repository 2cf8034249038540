// Drives the alerts page and the session timeline in Debian's chromium (headless) as an operator
// would: see the open alert with its chart and root cause, follow the root cause to its breakdown,
// add a threshold rule (first a wrong one), then open a session's timeline from the session search.
// Prints one JSON line with what it saw; AlertsBrowserTest asserts on it. Screenshots go to SCREENSHOT_DIR.
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
  viewport: { width: 1400, height: 1000 },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = context.pages()[0] || (await context.newPage());
  // Script errors, and console errors other than the 400 this run provokes on purpose (a wrong rule).
  const consoleErrors = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !/status of 400 /.test(message.text())) consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(String(error)));

  await page.goto(base + "/login");
  await page.fill("#user", process.env.DASH_USER);
  await page.fill("#password", process.env.DASH_PASSWORD);
  await page.click("#login-button");
  await page.waitForSelector('#tiles .tile[data-metric="experienceScore"]');
  await page.waitForFunction(() => {
    const v = document.querySelector('#tiles .tile[data-metric="experienceScore"] .value');
    return v && v.textContent !== "–";
  });
  seen.experienceTile = await page.textContent('#tiles .tile[data-metric="experienceScore"] .value');
  await page.waitForSelector("#open-alerts:not([hidden])");
  seen.openBadge = await page.textContent("#open-alerts");

  await page.click('nav a[data-tab="alerts"]');
  await page.waitForFunction(() => document.querySelectorAll("#alert-list .alert .alert-chart canvas").length >= 2);
  seen.alerts = await page.$$eval("#alert-list .alert", (cards) => cards.map((card) => ({
    id: card.dataset.alertId,
    state: card.dataset.state,
    title: card.querySelector("h3").textContent,
    rootCause: card.querySelector(".causes").textContent.replace(/^Root cause: /, ""),
    chartCanvas: !!card.querySelector(".alert-chart canvas"),
    series: card.querySelector(".alert-chart").dataset.series,
  })));
  await page.waitForFunction(() => document.querySelectorAll("#rule-metric option").length > 0);
  await page.screenshot({ path: path.join(shots, "10-alerts.png"), fullPage: true });

  // A rule with a wrong field, then the right one.
  await page.fill("#rule-id", "vsf-eu-isp");
  await page.selectOption("#rule-metric", "vsfPct");
  await page.fill("#rule-value", "5");
  await page.selectOption("#rule-dimension", "isp");
  await page.fill("#rule-for", "0");
  await page.click("#rule-save");
  await page.waitForSelector("#rule-error:not([hidden])");
  seen.ruleError = await page.textContent("#rule-error");
  await page.fill("#rule-for", "2");
  await page.click("#rule-save");
  await page.waitForSelector('#rule-list tr[data-rule-id="vsf-eu-isp"]');
  seen.rulesListed = await page.$$eval("#rule-list tbody tr", (rows) => rows.map((row) => row.dataset.ruleId));
  await page.screenshot({ path: path.join(shots, "11-alert-rules.png"), fullPage: true });

  // The root cause's breakdown.
  await page.click('.alert[data-alert-id="a-isp"] .root-cause a.breakdown-link');
  await page.waitForSelector("#breakdown-table tr.highlight");
  seen.breakdownDimension = await page.$eval("#dimension", (select) => select.value);
  seen.highlightedKey = await page.textContent("#breakdown-table tr.highlight td");

  // A session's timeline, from the session search.
  await page.fill("#session-q", process.env.STALLED_SESSION);
  await page.click("#session-form button");
  await page.waitForSelector("#session-table a");
  await page.click("#session-table a");
  await page.waitForSelector("#timeline-table");
  await page.waitForSelector("#timeline-chart canvas");
  seen.timelineStalls = Number(await page.$eval("#timeline-chart", (box) => box.dataset.stalls));
  seen.timelineRows = await page.$$eval("#timeline-table tbody tr", (rows) =>
    rows.map((row) => [...row.querySelectorAll("td")].slice(1).map((c) => c.textContent).join(": ")));
  await page.screenshot({ path: path.join(shots, "12-timeline.png"), fullPage: true });

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
