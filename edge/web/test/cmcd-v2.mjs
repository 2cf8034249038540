// Plays one title with dash.js 5 sending CMCD version 2 to the edge's collector, in Debian's
// headless chromium, and reports what happened as JSON on the last line of stdout. Driven by
// CmcdV2BrowserTest:
//   node cmcd-v2.mjs EDGE_URL TITLE_ID TOKEN SESSION_ID VERSION TIMEOUT_SECONDS
// VERSION 2: request-mode CMCD v2 on every segment and manifest request, and event-mode reports
// (play state, errors, time intervals, bitrate changes, responses received) posted to /v1/cmcd as
// application/cmcd with the playback token. VERSION 1: request-mode CMCD v1 only, as the player
// page sends it. The page is served by this script under the edge's origin (so the collector sees
// a same-origin player), with dash.js from node_modules; media and reports go to the edge.
// It plays the title to its end, then waits for the last reports.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [edgeUrl, titleId, token, sessionId, versionArg, timeoutArg] = process.argv.slice(2);
const version = Number(versionArg);
const deadline = Date.now() + Number(timeoutArg) * 1000;
const here = path.dirname(fileURLToPath(import.meta.url));
const dashJs = fs.readFileSync(path.join(here, '../node_modules/dashjs/dist/modern/umd/dash.all.min.js'));
const pageUrl = `${edgeUrl}/cmcd-v2-test/player.html`;
const scriptUrl = `${edgeUrl}/cmcd-v2-test/dash.all.min.js`;
const collector = `${edgeUrl}/v1/cmcd`;
// The keys each event report carries (e, ts and v are always sent in event mode).
const eventKeys = ['sid', 'cid', 'sta', 'sn', 'br', 'bl', 'mtp', 'tb', 'pt', 'msd', 'ec', 'bs', 'rc', 'ttfb', 'ttlb', 'url'];

const settings = version === 2
  ? { cmcd: { enabled: true, version: 2, sid: sessionId, cid: titleId, mode: 'query',
      eventTargets: [{ enabled: true, url: collector, events: ['ps', 'e', 't', 'bc', 'rr'], interval: 2,
        batchSize: 1, enabledKeys: eventKeys }] } }
  : { cmcd: { enabled: true, sid: sessionId, cid: titleId, mode: 'query' } };

const html = `<!doctype html><html><head><meta charset="utf-8"><title>CMCD v${version}</title></head>
<body><video id="video" muted playsinline></video>
<script src="${scriptUrl}"></script>
<script>
  const state = { errors: [], reports: 0 };
  window.cmcdTest = state;
  const video = document.getElementById('video');
  const player = dashjs.MediaPlayer().create();
  player.updateSettings({ streaming: ${JSON.stringify(settings)} });
  // Event reports go to the collector with the session's credential, as every report must.
  player.addRequestInterceptor((request) => {
    if (request.url && request.url.startsWith(${JSON.stringify(collector)})) {
      request.headers = Object.assign({}, request.headers, { Authorization: 'Bearer ' + ${JSON.stringify(token)} });
      state.reports++;
    }
    return Promise.resolve(request);
  });
  player.on(dashjs.MediaPlayer.events.ERROR, (e) => state.errors.push(JSON.stringify(e.error || e)));
  state.player = 'dash.js ' + player.getVersion();
  player.initialize(video, ${JSON.stringify(`/t/${token}/vod/${encodeURIComponent(titleId)}/manifest.mpd`)}, true);
</script></body></html>`;

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caudal-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--autoplay-policy=no-user-gesture-required'],
});
const result = { version, consoleErrors: [], pageErrors: [], collectorAnswers: {} };
try {
  const page = context.pages()[0] || await context.newPage();
  await page.route(pageUrl, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: html }));
  await page.route(scriptUrl, (route) => route.fulfill({ status: 200, contentType: 'application/javascript', body: dashJs }));
  page.on('console', (m) => { if (m.type() === 'error') result.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => result.pageErrors.push(String(e)));
  page.on('response', (r) => {
    if (r.url().startsWith(collector)) {
      result.collectorAnswers[r.status()] = (result.collectorAnswers[r.status()] || 0) + 1;
    }
  });
  await page.goto(pageUrl);
  const read = () => page.evaluate(() => {
    const v = document.querySelector('video');
    const s = window.cmcdTest || {};
    return { currentTime: v.currentTime, duration: v.duration, ended: v.ended, errors: s.errors || [],
      reports: s.reports || 0, player: s.player };
  });
  let state = await read();
  while (Date.now() < deadline) {
    state = await read();
    if (state.errors.length || state.ended) break;
    await page.waitForTimeout(250);
  }
  // The ended play state is reported as the video ends; give its report time to arrive.
  await page.waitForTimeout(2000);
  Object.assign(result, await read());
} catch (e) {
  result.pageErrors.push('driver: ' + String(e));
} finally {
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
