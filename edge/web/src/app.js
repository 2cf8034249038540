// The viewer app at /app/: sign in, a home page of rows, search as you type, browse by category, a
// title page (rating, stars, similar titles, rent, play). Plain DOM, routed by the URL's fragment:
//   #/home  #/search/<text>  #/category/<name>  #/title/<id>
// window.caudalApp keeps what the browser test reads.

const REQUEST_TIMEOUT_MS = 10000;
const SEARCH_DELAY_MS = 200;

const app = { ready: false, view: null, errors: [], homeSource: null, lastRating: null, session: null };
window.caudalApp = app;

const view = document.getElementById('view');
const searchForm = document.getElementById('search-form');
const searchInput = document.getElementById('search');
const categoriesNav = document.getElementById('categories');
const account = document.getElementById('account');
/** Grants by title id, asked for once and reused for rating while they last. */
const grants = new Map();

// ---- talking to edge ----------------------------------------------------------------------------

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** fetch with a timeout; the answer's JSON, or an HttpError carrying edge's reason. */
async function api(path, { method = 'GET', body, headers = {} } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  let response;
  try {
    const init = { method, headers: { ...headers }, credentials: 'same-origin', signal: controller.signal };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    response = await fetch(path, init);
  } catch (e) {
    throw new HttpError(0, e.name === 'AbortError' ? 'the server did not answer in time' : 'the server cannot be reached');
  } finally {
    clearTimeout(timer);
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    // Not JSON: the status says enough.
  }
  if (!response.ok) {
    throw new HttpError(response.status, (json && json.error) || `${response.status} ${response.statusText}`);
  }
  return json;
}

/** A state-changing request of the signed-in viewer: carries the session's CSRF token. */
function post(path, body) {
  return api(path, { method: 'POST', body, headers: { 'X-CSRF-Token': app.session.csrfToken } });
}

// ---- small DOM helpers ---------------------------------------------------------------------------

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function show(heading, ...content) {
  view.replaceChildren(el('h1', {}, heading), ...content.flat().filter((c) => c !== null && c !== undefined));
}

function message(text, kind = 'note') {
  return el('p', { class: kind, role: kind === 'error' ? 'alert' : undefined }, text);
}

function failed(error) {
  const text = error instanceof HttpError ? error.message : String(error);
  app.errors.push(text);
  return message(text, 'error');
}

function titleLink(id) {
  return '#/title/' + encodeURIComponent(id);
}

function minutes(ms) {
  const s = Math.round((ms || 0) / 1000);
  return s < 60 ? `${s} s` : `${Math.round(s / 60)} min`;
}

function ratingText(title) {
  if (!title.ratingCount || title.ratingAverage === null || title.ratingAverage === undefined) return 'No ratings yet';
  return `${Number(title.ratingAverage).toFixed(1)} ★ (${title.ratingCount} rating${title.ratingCount === 1 ? '' : 's'})`;
}

/**
 * A title's poster frame: the catalog's poster when it has one (transcode may add a posterUrl or a
 * thumbnail track later; this is the one place to read it), else a neutral card with the title's name.
 */
function poster(title) {
  const url = title.posterUrl || title.poster;
  if (url) return el('div', { class: 'poster' }, el('img', { src: url, alt: '', loading: 'lazy' }));
  return el('div', { class: 'poster', 'aria-hidden': 'true' }, title.name);
}

function card(title) {
  const progress = typeof title.progress === 'number' && title.progress > 0
    ? el('div', { class: 'progress', title: `${Math.round(title.progress * 100)} % watched` },
      el('span', { style: `width:${Math.round(title.progress * 100)}%` }))
    : null;
  return el('li', { class: 'card', 'data-title-id': title.titleId },
    el('a', { href: titleLink(title.titleId) },
      poster(title),
      el('div', { class: 'name' }, title.name),
      el('div', { class: 'meta' }, `${title.category} · ${minutes(title.durationMs)}`),
      progress));
}

function row(id, heading, reason, titles) {
  return el('section', { class: 'row', 'data-row': id, 'aria-label': heading },
    el('h2', {}, heading),
    reason ? el('p', { class: 'reason' }, reason) : null,
    el('ul', { class: 'cards' }, titles.map(card)));
}

function grid(titles) {
  return el('ul', { class: 'cards grid' }, titles.map(card));
}

// ---- sign-in -------------------------------------------------------------------------------------

async function loadSession() {
  app.session = await api('/v1/viewer/session');
  return app.session;
}

function signInView(session, problem) {
  app.view = 'signin';
  searchForm.hidden = true;
  categoriesNav.hidden = true;
  account.hidden = true;
  const userId = el('input', { id: 'user-id', name: 'userId', autocomplete: 'username', required: true });
  const password = el('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password' });
  const status = problem ? failed(problem) : null;
  const form = el('form', { class: 'signin', onsubmit: (e) => { e.preventDefault(); signIn(userId.value.trim(), password.value); } },
    el('label', { for: 'user-id' }, 'Viewer id'), userId,
    el('label', { for: 'password' }, 'Password'), password,
    el('button', { class: 'primary', type: 'submit' }, 'Sign in'));
  const demo = session.demoViewers && session.demoViewers.length
    ? el('section', { 'aria-label': 'Demo viewers' },
      el('h2', {}, 'Or pick a demo viewer'),
      message('Demo mode: these viewers need no password. Subscribers (svod) play every title; renters (tvod) rent a title first.'),
      el('ul', { class: 'demo' }, session.demoViewers.map((v) => el('li', {},
        el('button', { type: 'button', 'data-user-id': v.userId, onclick: () => signIn(v.userId, '') }, `${v.userId} · ${v.plan}`)))))
    : null;
  const closed = session.signInOpen ? null
    : message('Nobody can sign in to this server yet: start edge with --viewers-file FILE or --viewer-demo.', 'error');
  show('Sign in', status, closed, form, demo);
  (demo ? view.querySelector('ul.demo button') : userId).focus();
}

async function signIn(userId, password) {
  try {
    await api('/v1/viewer/login', { method: 'POST', body: { userId, password: password || null },
      headers: { 'X-CSRF-Token': app.session.loginToken } });
    await start();
  } catch (e) {
    try {
      await loadSession();
    } catch (ignored) {
      // Shown below with the first error.
    }
    signInView(app.session || { demoViewers: [] }, e);
  }
}

async function signOut() {
  try {
    await post('/v1/viewer/logout');
  } catch (e) {
    app.errors.push(String(e.message));
  }
  grants.clear();
  app.session = null;
  // Without a hashchange: the next viewer starts at home, and no page of the last one renders meanwhile.
  history.replaceState(null, '', '#/home');
  await start();
}

function showAccount(session) {
  account.replaceChildren(
    el('span', { id: 'who' }, `${session.userId} · ${session.plan}`),
    el('button', { type: 'button', onclick: signOut }, 'Sign out'));
  account.hidden = false;
  searchForm.hidden = false;
}

async function showCategories() {
  try {
    const { titles } = await api('/v1/titles');
    const categories = [...new Set(titles.map((t) => t.category))].sort();
    categoriesNav.replaceChildren(...categories.map((c) =>
      el('a', { href: '#/category/' + encodeURIComponent(c), 'data-category': c }, c)));
    categoriesNav.hidden = categories.length === 0;
    markCategory();
  } catch (e) {
    app.errors.push('categories: ' + e.message);
  }
}

function markCategory() {
  const current = decodeURIComponent((location.hash.match(/^#\/category\/(.*)$/) || [])[1] || '');
  for (const link of categoriesNav.querySelectorAll('a')) {
    if (link.dataset.category === current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

// ---- pages ---------------------------------------------------------------------------------------

async function homeView() {
  app.view = 'home';
  show('Home', el('p', {}, 'Loading your rows…'));
  const userId = app.session.userId;
  try {
    const home = await api('/v1/users/' + encodeURIComponent(userId) + '/home');
    app.homeSource = 'home';
    const rows = home.rows.filter((r) => r.titles && r.titles.length);
    show('Home', rows.length ? rows.map((r) => row(r.id, r.title, r.reason, r.titles))
      : message('Nothing to show yet: search or browse a category above.'));
  } catch (e) {
    if (!(e instanceof HttpError) || e.status !== 404) {
      show('Home', failed(e));
      return;
    }
    // No personal rows on this server (or none for this viewer yet): the whole catalog, said plainly.
    try {
      const { titles } = await api('/v1/titles');
      app.homeSource = 'catalog';
      show('Home', message('Personal rows are not available yet: here is the whole catalog.'),
        titles.length ? row('catalog', 'All titles', 'Every title in the catalog, by name', titles)
          : message('The catalog is empty: publish a title with bin/caudal transcode.'));
    } catch (e2) {
      show('Home', failed(e2));
    }
  }
}

async function searchView(text) {
  app.view = 'search';
  if (searchInput.value !== text && document.activeElement !== searchInput) searchInput.value = text;
  const heading = text ? `Titles matching “${text}”` : 'Search';
  if (!text) {
    show(heading, message('Type part of a title’s name above.'));
    return;
  }
  try {
    const { titles } = await api('/v1/titles?name=' + encodeURIComponent(text));
    if (app.view !== 'search' || searchInput.value.trim() !== text) return; // a newer search took over
    show(heading, titles.length ? grid(titles) : message('No title matches.'));
  } catch (e) {
    show(heading, failed(e));
  }
}

async function categoryView(category) {
  app.view = 'category';
  markCategory();
  show(category, el('p', {}, 'Loading…'));
  try {
    const { titles } = await api('/v1/titles?category=' + encodeURIComponent(category));
    show(category, titles.length ? grid(titles) : message('No titles in this category.'));
  } catch (e) {
    show(category, failed(e));
  }
}

async function titleView(titleId) {
  app.view = 'title';
  show('Title', el('p', {}, 'Loading…'));
  let title;
  try {
    title = await api('/v1/titles/' + encodeURIComponent(titleId));
  } catch (e) {
    show('Title', failed(e.status === 404 ? new Error('This title is not in the catalog.') : e));
    return;
  }
  const status = el('div', { id: 'title-status', role: 'status' });
  const rating = el('p', { id: 'rating' }, ratingText(title));
  const stars = el('div', { class: 'stars', role: 'group', 'aria-label': 'Your rating' },
    [1, 2, 3, 4, 5].map((n) => el('button', { type: 'button', 'data-stars': n, 'aria-pressed': 'false',
      'aria-label': `${n} star${n === 1 ? '' : 's'}`, onclick: () => rate(title, n, stars, status) }, `${n} ★`)));
  const actions = el('div', { class: 'actions' });
  const similar = el('section', { class: 'row', 'aria-label': 'Similar titles' }, el('h2', {}, 'More like this'),
    el('p', {}, 'Loading…'));
  show(title.name,
    el('div', { class: 'title-page' },
      poster(title),
      el('div', {},
        el('p', { class: 'meta' }, `${title.category} · ${minutes(title.durationMs)}`),
        rating,
        el('p', {}, 'Your rating:'), stars,
        actions,
        status)),
    similar);
  pressStars(stars, remembered(titleId));
  app.title = { titleId, ratingCount: title.ratingCount || 0, ratingAverage: title.ratingAverage };
  renderActions(title, actions, status);
  similarTitles(title, similar);
}

/** Play, and for a renter the rental: rent, or when it ends. */
function renderActions(title, actions, status) {
  const play = el('button', { class: 'primary', type: 'button', id: 'play', onclick: () => playTitle(title, status) }, '▶ Play');
  const children = [play];
  if (app.session.plan === 'tvod') {
    const rental = (app.session.rentals || []).find((r) => r.titleId === title.titleId);
    if (rental) {
      children.push(el('span', { id: 'rental' }, `Rented until ${new Date(rental.endsAt).toLocaleString()}`));
    } else {
      children.push(el('button', { type: 'button', id: 'rent', onclick: () => rentTitle(title, actions, status) }, 'Rent'));
    }
  }
  actions.replaceChildren(...children);
}

async function rentTitle(title, actions, status) {
  try {
    const rental = await post('/v1/viewer/rent/' + encodeURIComponent(title.titleId));
    app.session.rentals = [...(app.session.rentals || []).filter((r) => r.titleId !== title.titleId), rental];
    grants.delete(title.titleId);
    renderActions(title, actions, status);
    status.replaceChildren();
    document.getElementById('play').focus();
  } catch (e) {
    status.replaceChildren(failed(e));
  }
}

/** The viewer's grant for a title (asked once, reused while it lasts). */
async function grantFor(titleId) {
  const known = grants.get(titleId);
  if (known && Date.parse(known.expiresAt) > Date.now() + 60000) return known;
  const grant = await post('/v1/viewer/play/' + encodeURIComponent(titleId));
  grants.set(titleId, grant);
  return grant;
}

async function playTitle(title, status) {
  status.replaceChildren(message('Asking for playback…'));
  try {
    const grant = await grantFor(title.titleId);
    location.assign(grant.player);
  } catch (e) {
    status.replaceChildren(failed(e));
  }
}

/** Stars go to POST /v1/ratings with the title's playback token: a viewer rates what they may watch. */
async function rate(title, stars, group, status) {
  pressStars(group, stars);
  try {
    const grant = await grantFor(title.titleId);
    await api('/v1/ratings', { method: 'POST', body: { titleId: title.titleId, stars },
      headers: { Authorization: 'Bearer ' + grant.token } });
    app.lastRating = { titleId: title.titleId, stars, status: 202 };
    remember(title.titleId, stars);
    status.replaceChildren(message(`Thanks: your ${stars} star${stars === 1 ? '' : 's'} are in. The average updates once ratings are taken up.`));
  } catch (e) {
    app.lastRating = { titleId: title.titleId, stars, status: e.status || 0, error: e.message };
    status.replaceChildren(failed(e.status === 403 && app.session.plan === 'tvod'
      ? new Error('Rent this title to rate it: ' + e.message) : e));
  }
}

/** The viewer's own stars, kept in this browser so the title page shows them again. */
function ownStarsKey(titleId) {
  return `caudal.stars.${app.session.userId}.${titleId}`;
}

function remember(titleId, stars) {
  try {
    localStorage.setItem(ownStarsKey(titleId), String(stars));
  } catch (e) {
    // Storage may be off (private mode): the stars are stored by edge all the same.
  }
}

function remembered(titleId) {
  try {
    return Number(localStorage.getItem(ownStarsKey(titleId))) || 0;
  } catch (e) {
    return 0;
  }
}

function pressStars(group, stars) {
  for (const b of group.querySelectorAll('button')) b.setAttribute('aria-pressed', String(Number(b.dataset.stars) === stars));
}

async function similarTitles(title, section) {
  const heading = section.querySelector('h2');
  try {
    const answer = await api('/v1/titles/' + encodeURIComponent(title.titleId) + '/similar');
    const titles = answer.titles.filter((t) => t.titleId !== title.titleId);
    section.replaceChildren(heading, titles.length ? el('ul', { class: 'cards' }, titles.map(card))
      : message('No similar titles yet.'));
  } catch (e) {
    if (!(e instanceof HttpError) || e.status !== 404) {
      section.replaceChildren(heading, failed(e));
      return;
    }
    // No similar titles served here: the title's category stands in, said plainly.
    try {
      const { titles } = await api('/v1/titles?category=' + encodeURIComponent(title.category));
      const others = titles.filter((t) => t.titleId !== title.titleId);
      section.replaceChildren(heading, message(`Similar titles are not available yet: more in ${title.category}.`),
        others.length ? el('ul', { class: 'cards' }, others.map(card)) : message('No other titles in this category.'));
    } catch (e2) {
      section.replaceChildren(heading, failed(e2));
    }
  }
}

// ---- routing -------------------------------------------------------------------------------------

async function route() {
  app.ready = false;
  const hash = location.hash || '#/home';
  const [, page, rest] = hash.match(/^#\/([^/]*)\/?(.*)$/) || [];
  const arg = rest ? decodeURIComponent(rest) : '';
  markCategory();
  if (page === 'search') await searchView(arg);
  else if (page === 'category' && arg) await categoryView(arg);
  else if (page === 'title' && arg) await titleView(arg);
  else await homeView();
  if (document.activeElement === document.body) view.focus({ preventScroll: true });
  app.ready = true;
}

let searchTimer;
searchInput.addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => {
    const text = searchInput.value.trim();
    location.replace('#/search/' + encodeURIComponent(text));
  }, SEARCH_DELAY_MS);
});
searchForm.addEventListener('submit', (e) => {
  e.preventDefault();
  location.replace('#/search/' + encodeURIComponent(searchInput.value.trim()));
});
window.addEventListener('hashchange', () => {
  if (app.session && app.session.signedIn) route();
});

async function start() {
  app.ready = false;
  try {
    const session = await loadSession();
    if (!session.signedIn) {
      signInView(session);
      app.ready = true;
      return;
    }
    showAccount(session);
    showCategories();
    await route();
  } catch (e) {
    show('Caudal', failed(e));
    app.ready = true;
  }
}

start();
