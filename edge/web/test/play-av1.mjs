// Plays the AV1 rungs of a title in Debian's headless chromium through the edge's player page and
// reports what happened as JSON on the last line of stdout. Driven by Av1PlaybackTest:
//   node play-av1.mjs URL SCREENSHOT_DIR NAME MIN_SECONDS TIMEOUT_SECONDS
// The manifests are cut down to their AV1 rungs on their way into the page (the H.264 variants
// of the HLS master, the avc1 adaptation set of the MPD), as a player that prefers AV1 would
// choose, so what plays is AV1. Every SourceBuffer the player creates is recorded with its type,
// and the decoded frames are read from the video element.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [url, screenshotDir, name, minSecondsArg, timeoutArg] = process.argv.slice(2);
const minSeconds = Number(minSecondsArg);
const deadline = Date.now() + Number(timeoutArg) * 1000;
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caudal-chromium-'));

/**
 * The master playlist without the variants and I-frame streams whose CODECS are not AV1, and
 * without the thumbnails' image stream (trick play is not what this page is checked for).
 */
function av1Master(text) {
  const lines = text.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith('#EXT-X-STREAM-INF:') && !/CODECS="av01\./.test(lines[i])) {
      i++; // and its URI line
      continue;
    }
    if ((lines[i].startsWith('#EXT-X-I-FRAME-STREAM-INF:') && !/CODECS="av01\./.test(lines[i]))
        || lines[i].startsWith('#EXT-X-IMAGE-STREAM-INF:')) {
      continue;
    }
    out.push(lines[i]);
  }
  return out.join('\n');
}

/** The MPD without its video adaptation sets of other codecs. */
function av1Mpd(text) {
  return text.replace(/<AdaptationSet [^>]*contentType="video"[\s\S]*?<\/AdaptationSet>\s*/g,
    (set) => (/codecs="av01\./.test(set) ? set : ''));
}

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--autoplay-policy=no-user-gesture-required'],
});
const result = { name, consoleErrors: [], pageErrors: [], manifestCodecs: [] };
try {
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') result.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => result.pageErrors.push(String(e)));
  await page.addInitScript(() => {
    window.sourceBufferTypes = [];
    const add = MediaSource.prototype.addSourceBuffer;
    MediaSource.prototype.addSourceBuffer = function (type) {
      window.sourceBufferTypes.push(type);
      return add.call(this, type);
    };
  });
  await page.route(/\/(master\.m3u8|manifest\.mpd)(\?|$)/, async (route) => {
    const response = await route.fetch();
    const text = await response.text();
    const forced = route.request().url().includes('master.m3u8') ? av1Master(text) : av1Mpd(text);
    result.manifestCodecs.push(...[...forced.matchAll(/(?:CODECS|codecs)="([^"]+)"/g)].map((m) => m[1]));
    await route.fulfill({ response, body: forced });
  });
  await page.goto(url);
  const read = () => page.evaluate(() => {
    const v = document.querySelector('video');
    const s = window.caudalPlayer || {};
    const q = v.getVideoPlaybackQuality();
    return { currentTime: v.currentTime, errors: s.errors || [], player: s.player,
      sourceBufferTypes: window.sourceBufferTypes, totalVideoFrames: q.totalVideoFrames,
      droppedVideoFrames: q.droppedVideoFrames, videoWidth: v.videoWidth, videoHeight: v.videoHeight,
      av1Supported: MediaSource.isTypeSupported('video/mp4; codecs="av01.0.04M.08"') };
  });
  let state = await read();
  while (Date.now() < deadline) {
    state = await read();
    if (state.errors.length || state.currentTime > minSeconds) break;
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
