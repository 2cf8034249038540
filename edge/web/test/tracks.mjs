// Plays a title with several audio languages, subtitles and thumbnails in Debian's headless chromium
// through the edge's player page, uses its menus and seek bar as a viewer does, and reports what
// happened as JSON on the last line of stdout. Driven by TracksPlaybackTest:
//   node tracks.mjs URL SCREENSHOT_DIR NAME SWITCH_TO_LANG CUES_JSON THUMBNAIL_AT TIMEOUT_SECONDS FORCED_JSON
// CUES_JSON: [{"language": "fr", "kind": "subtitle", "at": 3.9, "text": "..."}]: for each, the
// subtitles menu is set to that track, the video is sought to `at`, and the cues showing there are
// read from the video's text tracks. THUMBNAIL_AT: a time whose thumbnail the page is asked for.
// FORCED_JSON: {"at": 4.0, "text": "..."}: with subtitles off, the forced narrative of SWITCH_TO_LANG
// must come on by itself once the audio is switched to it, and show that cue at that time.
// Then the page is opened again, to see that the choices made are remembered for the next title.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [url, screenshotDir, name, switchTo, cuesArg, thumbnailAtArg, timeoutArg, forcedArg] = process.argv.slice(2);
const forcedCue = JSON.parse(forcedArg);
const wantedCues = JSON.parse(cuesArg);
const thumbnailAt = Number(thumbnailAtArg);
const deadline = Date.now() + Number(timeoutArg) * 1000;
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caudal-chromium-'));
fs.mkdirSync(screenshotDir, { recursive: true });

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 760, height: 620 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--autoplay-policy=no-user-gesture-required'],
});
const result = { name, consoleErrors: [], pageErrors: [], steps: [], cues: [] };

const player = (page) => page.evaluate(() => {
  const v = document.querySelector('video');
  const s = window.caudalPlayer || {};
  const buffered = [];
  for (let i = 0; i < v.buffered.length; i++) buffered.push([v.buffered.start(i), v.buffered.end(i)]);
  return { currentTime: v.currentTime, paused: v.paused, errors: s.errors || [], player: s.player, stallLog: s.stallLog,
    audioTracks: s.audioTracks || [], audioTrack: s.audioTrack, audioSwitches: s.audioSwitches || 0,
    textTracks: s.textTracks || [], textTrack: s.textTrack, stalls: s.stalls || 0, thumbnails: Boolean(s.thumbnails),
    viewerMessage: s.viewerMessage, buffered,
    audioMenu: [...document.querySelectorAll('#audio option')].map((o) => o.textContent),
    audioMenuValue: document.getElementById('audio').value,
    textMenu: [...document.querySelectorAll('#subtitles option')].map((o) => o.textContent),
    textMenuValue: document.getElementById('subtitles').value,
    preference: JSON.parse(localStorage.getItem('caudal.player.tracks') || 'null') };
});

/** Waits until `check(state)` holds; throws naming what was awaited when the deadline passes. */
async function until(page, what, check) {
  for (;;) {
    const state = await player(page);
    if (state.errors.length) throw new Error('player errors while waiting for ' + what + ': ' + state.errors.join('; '));
    if (check(state)) return state;
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what + ': ' + JSON.stringify(state));
    await page.waitForTimeout(200);
  }
}

/** The text of the cues showing now on the video's showing text tracks. */
const showingCues = (page) => page.evaluate(() => {
  const out = [];
  for (const track of document.querySelector('video').textTracks) {
    if (track.mode !== 'showing' || !track.activeCues) continue;
    for (const cue of track.activeCues) {
      out.push({ track: track.label, language: track.language, text: cue.text, start: cue.startTime, end: cue.endTime });
    }
  }
  return out;
});

/** Pauses at the cue's time (so the playhead stays there while it is read) and reads the cues showing. */
async function cueAt(page, wanted) {
  await page.evaluate((at) => {
    const v = document.querySelector('video');
    v.pause();
    v.currentTime = at;
  }, wanted.at);
  let showing = [];
  for (;;) {
    showing = await showingCues(page);
    if (showing.some((c) => c.text.includes(wanted.text)) || Date.now() > deadline - 5000) break;
    await page.waitForTimeout(200);
  }
  return { showing, currentTime: (await player(page)).currentTime };
}

try {
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') result.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => result.pageErrors.push(String(e)));
  await page.goto(url);

  // 1. Every audio language and subtitle track listed; playback under way.
  let state = await until(page, 'playback and track menus',
    (s) => s.currentTime > 1 && s.audioTracks.length > 0 && s.textTracks.length > 0);
  result.steps.push('listed');
  result.audioLanguages = state.audioTracks.map((t) => t.language);
  result.textTracks = state.textTracks.map((t) => ({ language: t.language, kind: t.kind }));
  result.audioMenu = state.audioMenu;
  result.textMenu = state.textMenu;
  result.player = state.player;
  result.audioBeforeSwitch = (state.audioTracks[state.audioTrack] || {}).language || null;
  result.textBeforeSwitch = state.textTracks[state.textTrack] || null;

  // 2. Audio switched from the menu while playing: the stall counter before and after, and the playhead keeps moving.
  const switchIndex = state.audioTracks.findIndex((t) => t.language === switchTo);
  if (switchIndex < 0) throw new Error('no audio track in ' + switchTo + ': ' + JSON.stringify(state.audioTracks));
  result.stallsBeforeSwitch = state.stalls;
  result.switchedAt = state.currentTime;
  await page.selectOption('#audio', String(switchIndex));
  state = await until(page, 'the audio switch to ' + switchTo,
    (s) => s.audioTracks[s.audioTrack] && s.audioTracks[s.audioTrack].language === switchTo && s.audioSwitches > 0);
  const switchedAt = state.currentTime;
  state = await until(page, 'playback past the audio switch', (s) => s.currentTime > switchedAt + 4);
  result.stallsAfterSwitch = state.stalls;
  result.stallLog = state.stallLog || [];
  result.audioAfterSwitch = state.audioTracks[state.audioTrack].language;
  result.bufferedAfterSwitch = state.buffered;
  result.timeAfterSwitch = state.currentTime;
  result.steps.push('audio-switched');

  // 2b. With subtitles off, the forced narrative of the new audio language came on by itself.
  state = await until(page, 'the forced narrative in ' + switchTo, (s) => s.textTracks[s.textTrack]
    && s.textTracks[s.textTrack].kind === 'forced');
  result.textAfterSwitch = state.textTracks[state.textTrack];
  result.forced = await cueAt(page, forcedCue);
  await page.evaluate(() => document.querySelector('video').play());
  result.steps.push('forced');

  // 3. Each subtitle track chosen from the menu shows its cue at its time.
  for (const wanted of wantedCues) {
    const index = state.textTracks.findIndex((t) => t.language === wanted.language && t.kind === wanted.kind);
    if (index < 0) {
      result.cues.push({ wanted, error: 'not in the menu' });
      continue;
    }
    await page.selectOption('#subtitles', String(index));
    // Chosen while playing, as a viewer does: the track's cues arrive (dash.js loads a chosen track while it plays).
    await page.waitForFunction((language) => [...document.querySelector('video').textTracks]
      .some((t) => t.mode === 'showing' && t.language === language && t.cues && t.cues.length > 0), wanted.language,
    { timeout: Math.max(1000, deadline - Date.now()) }).catch(() => {});
    result.cues.push(Object.assign({ wanted }, await cueAt(page, wanted)));
    if (wanted.screenshot) await page.screenshot({ path: path.join(screenshotDir, name + '-subtitles.png') });
    await page.evaluate(() => document.querySelector('video').play());
  }
  result.steps.push('cues');
  state = await player(page);
  result.preference = state.preference;

  // 4. The thumbnail of a time, from the page's API and in the preview over the seek bar.
  state = await until(page, 'thumbnails', (s) => s.thumbnails);
  result.thumbnail = await page.evaluate((t) => window.caudalPlayer.thumbnail(t), thumbnailAt);
  const bar = await page.locator('#seek').boundingBox();
  const duration = await page.evaluate(() => Number(document.getElementById('seek').max));
  await page.mouse.move(bar.x + bar.width * Math.min(1, thumbnailAt / duration), bar.y + bar.height / 2);
  await page.waitForSelector('#preview:not([hidden]) #preview-frame:not([hidden])', { timeout: 10000 });
  await page.waitForTimeout(300);
  result.previewText = await page.locator('#preview-time').textContent();
  result.previewImage = await page.evaluate(() => document.getElementById('preview-image').style.backgroundImage);
  result.previewThumbnail = await page.evaluate(() => window.caudalPlayer.lastThumbnail || null);
  await page.screenshot({ path: path.join(screenshotDir, name + '-thumbnail.png') });
  // From the keyboard: focus the seek bar and step it; the preview follows.
  await page.mouse.move(0, 0);
  await page.focus('#seek');
  await page.keyboard.press('ArrowRight');
  result.keyboardPreview = await page.evaluate(() => !document.getElementById('preview').hidden
    && document.getElementById('preview-time').textContent);
  result.steps.push('thumbnail');

  // 5. The next title (here the same page again) starts with the remembered audio and subtitles.
  await page.reload();
  state = await until(page, 'the menus after reload', (s) => s.audioTracks.length > 0 && s.textTracks.length > 0
    && s.currentTime > 0.5);
  await page.waitForTimeout(500);
  state = await player(page);
  result.remembered = { audio: state.audioTracks[state.audioTrack] || null, text: state.textTracks[state.textTrack] || null,
    audioMenuValue: state.audioMenuValue, textMenuValue: state.textMenuValue };
  result.steps.push('remembered');
  Object.assign(result, { currentTime: state.currentTime, errors: state.errors, viewerMessage: state.viewerMessage });
} catch (e) {
  result.pageErrors.push('driver: ' + String(e));
  try {
    await context.pages()[0].screenshot({ path: path.join(screenshotDir, name + '-failed.png') });
  } catch (ignored) {
    // The page is gone: nothing to show.
  }
} finally {
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
