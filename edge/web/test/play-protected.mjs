// Plays one protected title in Debian's headless chromium through the edge's player page and reports
// what happened as JSON on the last line of stdout, with every licence answer the page received as
// it came over the network. Driven by ProtectedPlaybackTest:
//   node play-protected.mjs URL SCREENSHOT_DIR NAME MIN_SECONDS TIMEOUT_SECONDS [HOLD_LICENCES_UNTIL_MS]
// Ends once the playhead passes MIN_SECONDS, or once the page tells the viewer why it cannot play.
// HOLD_LICENCES_UNTIL_MS (epoch milliseconds) holds the page's licence requests back until then, as a slow
// network would: a rental that ends while the player waits for its keys.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [url, screenshotDir, name, minSecondsArg, timeoutArg, holdUntilArg] = process.argv.slice(2);
const minSeconds = Number(minSecondsArg);
const deadline = Date.now() + Number(timeoutArg) * 1000;
const holdUntil = Number(holdUntilArg || 0);
const isLicence = (href) => new URL(href).pathname.endsWith('/licence/clearkey');
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caudal-chromium-'));

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--autoplay-policy=no-user-gesture-required'],
});
const result = { name, consoleErrors: [], pageErrors: [], licenceResponses: [] };
const pending = [];
try {
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') result.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => result.pageErrors.push(String(e)));
  // What the page was given, read off the wire: the test checks no key of another title ever reached it.
  page.on('response', (response) => {
    if (!isLicence(response.url()) || response.request().method() !== 'POST') return;
    pending.push(response.text().then((body) => {
      let json = null;
      try { json = JSON.parse(body); } catch (e) { json = null; }
      result.licenceResponses.push({ status: response.status(), body: json,
        kids: json && Array.isArray(json.keys) ? json.keys.map((k) => k.kid) : [] });
    }, () => result.licenceResponses.push({ status: response.status(), body: null, kids: [] })));
  });
  if (holdUntil > 0) {
    // A predicate, not a glob: players may add a query (dash.js's CMCD) to the licence URL.
    await page.route((u) => isLicence(u.href), async (route) => {
      const wait = holdUntil - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await route.continue();
    });
  }
  await page.goto(url);
  const read = () => page.evaluate(() => {
    const v = document.querySelector('video');
    const s = window.caudalPlayer || {};
    const m = document.getElementById('message');
    return { currentTime: v.currentTime, paused: v.paused, errors: s.errors || [], player: s.player,
      licences: s.licences || [], viewerMessage: s.viewerMessage, messageShown: !!m && !m.hidden && m.textContent };
  });
  let state = await read();
  while (Date.now() < deadline) {
    state = await read();
    // A held licence request is still to be answered: what the page says before then is not its last word.
    if (state.viewerMessage && Date.now() > holdUntil + 2000) break;
    if (state.currentTime > minSeconds) break;
    await page.waitForTimeout(250);
  }
  Object.assign(result, state);
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, name + '.png') });
  await Promise.all(pending);
} catch (e) {
  result.pageErrors.push('driver: ' + String(e));
} finally {
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
