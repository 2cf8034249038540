// Plays one title in Debian's headless chromium through the edge's player page and reports what
// happened as JSON on the last line of stdout. Driven by BrowserPlaybackTest:
//   node play.mjs URL SCREENSHOT_DIR NAME SWITCH_ORIGIN MIN_SECONDS TIMEOUT_SECONDS
// Prints "PLAYING" once the playhead moves past 2 s (the test then changes the steering decision)
// and waits until the playhead passes MIN_SECONDS after segments came from SWITCH_ORIGIN.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [url, screenshotDir, name, switchOrigin, minSecondsArg, timeoutArg] = process.argv.slice(2);
const minSeconds = Number(minSecondsArg);
const deadline = Date.now() + Number(timeoutArg) * 1000;
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caudal-chromium-'));

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--autoplay-policy=no-user-gesture-required'],
});
const result = { name, consoleErrors: [], pageErrors: [] };
try {
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') result.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => result.pageErrors.push(String(e)));
  await page.goto(url);
  const read = () => page.evaluate(() => {
    const v = document.querySelector('video');
    const s = window.caudalPlayer || {};
    return { currentTime: v.currentTime, paused: v.paused, errors: s.errors || [], pathways: s.pathways || [],
      steeringManifests: s.steeringManifests || 0, player: s.player, sessionId: s.sessionId };
  });
  let said = false;
  let state = await read();
  while (Date.now() < deadline) {
    state = await read();
    if (state.errors.length) break;
    if (!said && state.currentTime > 2) {
      said = true;
      console.log('PLAYING');
    }
    const switched = state.pathways.includes(switchOrigin);
    if (said && switched && state.currentTime > minSeconds) break;
    await page.waitForTimeout(250);
  }
  Object.assign(result, state);
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, name + '.png') });
} catch (e) {
  result.pageErrors.push('driver: ' + String(e));
} finally {
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
