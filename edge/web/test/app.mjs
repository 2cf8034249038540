// Uses the viewer app at /app/ in Debian's headless chromium as a viewer would, by keyboard where a
// viewer could, and reports what happened as JSON on the last line of stdout. Driven by
// ViewerAppBrowserTest:
//   node app.mjs APP_URL SCREENSHOT_DIR USER PASSWORD SEARCH_TEXT CATEGORY TITLE_ID RENTER TIMEOUT_SECONDS
// Steps: sign in, home rows, search as you type, browse a category, the title page, rate it (then
// reload until the average changes or 20 s pass), play it and wait for the playhead to pass 2 s;
// then sign out and in as RENTER, a demo viewer on tvod: refused, rent, play.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [appUrl, screenshotDir, user, password, searchText, category, titleId, renter, timeoutArg] = process.argv.slice(2);
const deadline = Date.now() + Number(timeoutArg) * 1000;
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caudal-chromium-'));
fs.mkdirSync(screenshotDir, { recursive: true });

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--autoplay-policy=no-user-gesture-required'],
});
const result = { steps: [], consoleErrors: [], pageErrors: [], notFound: [], refused: [], leakedText: [] };
let expectRefusal = false;
const step = (name, data = {}) => { result.steps.push(name); Object.assign(result, data); };
const left = () => Math.max(1000, deadline - Date.now());
/** Screenshots a page, noting it when it shows a "null" or "undefined" that leaked from the code. */
const shot = async (page, name) => {
  if (await page.evaluate(() => /\b(null|undefined|NaN)\b/.test(document.body.innerText))) result.leakedText.push(name);
  await page.screenshot({ path: path.join(screenshotDir, name + '.png'), fullPage: true });
};

try {
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const url = (m.location() && m.location().url) || '';
    // The app asks for personal rows and similar titles and falls back on a 404, which chromium logs.
    if (/Failed to load resource.*404/.test(m.text()) && /\/(home|similar)$/.test(url)) result.notFound.push(url);
    // The renter's play before renting is meant to be refused, and chromium logs that too.
    else if (expectRefusal && /Failed to load resource.*403/.test(m.text()) && url.includes('/v1/viewer/play/')) result.refused.push(url);
    else result.consoleErrors.push(m.text() + (url ? ' @ ' + url : ''));
  });
  page.on('pageerror', (e) => result.pageErrors.push(String(e)));
  const app = () => page.evaluate(() => ({ ...window.caudalApp }));
  const settled = (view) => page.waitForFunction((v) => window.caudalApp && window.caudalApp.ready
    && window.caudalApp.view === v, view, { timeout: left() });

  // Sign in by keyboard: type the id, Tab, the password, Enter.
  await page.goto(appUrl);
  await settled('signin');
  step('signin', { demoViewers: await page.$$eval('ul.demo button', (b) => b.map((x) => x.dataset.userId)) });
  await shot(page, 'signin');
  await page.focus('#user-id');
  await page.keyboard.type(user);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await settled('home');
  await page.waitForSelector('section.row li.card', { timeout: left() });
  step('home', {
    who: await page.textContent('#who'),
    homeSource: (await app()).homeSource,
    homeNote: await page.$eval('main', (m) => (m.querySelector('.note') || {}).textContent || null),
    rows: await page.$$eval('section.row', (rows) => rows.map((r) => ({ id: r.dataset.row,
      title: r.querySelector('h2').textContent, titles: [...r.querySelectorAll('li.card')].map((c) => c.dataset.titleId) }))),
  });
  await shot(page, 'home');

  // The same page at a phone's width: nothing wider than the screen (rows scroll within themselves).
  await page.setViewportSize({ width: 390, height: 844 });
  step('phone', { phoneOverflowPx: await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth) });
  await shot(page, 'home-phone');
  await page.setViewportSize({ width: 1280, height: 800 });

  // Search as you type.
  await page.focus('#search');
  await page.keyboard.type(searchText, { delay: 60 });
  await page.waitForFunction((text) => window.caudalApp.view === 'search'
    && document.querySelector('main h1').textContent.includes(text), searchText, { timeout: left() });
  await page.waitForSelector('main ul.cards li.card', { timeout: left() });
  step('search', { searchResults: await page.$$eval('main li.card .name', (n) => n.map((x) => x.textContent)) });
  await shot(page, 'search');

  // Browse a category from the header.
  await page.click(`nav#categories a[data-category="${category}"]`);
  await page.waitForFunction((c) => window.caudalApp.view === 'category' && window.caudalApp.ready
    && document.querySelector('main h1').textContent === c && document.querySelector('main li.card'), category, { timeout: left() });
  step('category', {
    categoryResults: await page.$$eval('main li.card', (n) => n.map((x) => x.querySelector('.meta').textContent)),
    categoryCurrent: await page.getAttribute(`nav#categories a[data-category="${category}"]`, 'aria-current'),
  });

  // The title page, from its card on the home page.
  await page.click('a.brand');
  await settled('home');
  await page.click(`section.row li.card[data-title-id="${titleId}"] a`);
  await settled('title');
  await page.waitForFunction(() => !document.querySelector('section[aria-label="Similar titles"] p')
    || !document.querySelector('section[aria-label="Similar titles"] p').textContent.startsWith('Loading'), null, { timeout: left() });
  const before = (await app()).title;
  step('title', { titleName: await page.textContent('main h1'), ratingBefore: await page.textContent('#rating'),
    ratingCountBefore: before.ratingCount,
    similar: await page.$$eval('section[aria-label="Similar titles"] li.card', (n) => n.map((x) => x.dataset.titleId)) });
  await shot(page, 'title');

  // Rate it 4 stars, then reload until the average includes it (when averages are served).
  await page.click('.stars button[data-stars="4"]');
  await page.waitForFunction(() => window.caudalApp.lastRating, null, { timeout: left() });
  step('rate', { lastRating: (await app()).lastRating, rateMessage: await page.textContent('#title-status') });
  const rateUntil = Date.now() + 20000;
  let after = before;
  while (Date.now() < rateUntil && after.ratingCount <= before.ratingCount) {
    await page.waitForTimeout(1000);
    await page.reload();
    await settled('title');
    after = (await app()).title;
  }
  step('rated', { ratingCountAfter: after.ratingCount, ratingAfter: await page.textContent('#rating') });
  await shot(page, 'title-rated');

  // Play by keyboard: focus Play, press Enter; the player page plays with the grant's token.
  await page.focus('#play');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/play\//, { timeout: left() });
  await page.waitForFunction(() => {
    const v = document.querySelector('video');
    const p = window.caudalPlayer;
    return (p && p.errors && p.errors.length) || (v && v.currentTime > 2);
  }, null, { timeout: left() });
  const playing = await page.evaluate(() => ({ currentTime: document.querySelector('video').currentTime,
    playerErrors: (window.caudalPlayer || {}).errors || [], playerUrl: location.pathname }));
  step('play', playing);
  await shot(page, 'playing');

  // A renter (a demo viewer on tvod): refused with the reason until the title is rented, then told
  // when the rental ends, and let through to the player.
  await page.goto(appUrl);
  await settled('home');
  await page.click('#account button');
  await settled('signin');
  await page.click(`ul.demo button[data-user-id="${renter}"]`);
  await settled('home');
  await page.evaluate((id) => { location.hash = '#/title/' + encodeURIComponent(id); }, titleId);
  await settled('title');
  expectRefusal = true;
  await page.click('#play');
  await page.waitForSelector('#title-status .error', { timeout: left() });
  expectRefusal = false;
  step('tvod-refused', { tvodWho: await page.textContent('#who'), tvodRefusal: await page.textContent('#title-status') });
  await page.click('#rent');
  await page.waitForSelector('#rental', { timeout: left() });
  step('tvod-rented', { rentalText: await page.textContent('#rental') });
  await shot(page, 'title-rental');
  await page.click('#play');
  await page.waitForURL(/\/play\//, { timeout: left() });
  step('tvod-play', { tvodPlayerUrl: await page.evaluate(() => location.pathname) });
} catch (e) {
  result.pageErrors.push('driver: ' + String(e));
} finally {
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
