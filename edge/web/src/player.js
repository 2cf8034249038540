// The edge's player page: plays /t/<token>/vod/<title>/ with hls.js or dash.js, sends CMCD with
// every request (query argument, so no CORS preflight), and keeps a log the browser test reads.
// Protected titles are decrypted by the browser's ClearKey CDM with keys from this server's licence
// endpoint, /t/<token>/licence/clearkey: the token of the page is the grant the keys are given for.
// What goes wrong is told to the viewer in words (#message), never left as a spinner.
import Hls from 'hls.js';
import * as dashjs from 'dashjs';

const params = new URLSearchParams(location.search);
const titleId = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop());
const token = params.get('token');
const format = (params.get('format') || 'hls').toLowerCase();
// Forward buffer goal in seconds; players default to about 30 s, a whole short title.
const bufferSeconds = Number(params.get('buffer')) > 0 ? Number(params.get('buffer')) : undefined;
const sessionId = params.get('sid') || (self.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2));
const video = document.getElementById('video');
const status = document.getElementById('status');
const message = document.getElementById('message');
const base = `/t/${token}`;
const manifestUrl = (file) => `${base}/vod/${encodeURIComponent(titleId)}/${file}`;
const licenceUrl = new URL(`${base}/licence/clearkey`, location.href).href;
const CLEARKEY = 'org.w3.clearkey';
// A player that has shown nothing after this long tells the viewer so, rather than spin on.
const START_TIMEOUT_MS = 30000;
// dash.js error codes: the manifest could not be loaded; the licence server refused (MEDIA_KEY_MESSAGE_LICENSER_ERROR).
const DASH_MANIFEST_ERRORS = [11, 25];
const DASH_LICENCE_ERROR = 114;
let progress;

const state = { format, titleId, sessionId, errors: [], pathways: [], steeringManifests: 0, ready: false,
  licences: [], viewerMessage: null };
window.caudalPlayer = state;

function log(text) {
  status.textContent = text;
}

function fail(text) {
  state.errors.push(String(text));
  log('error: ' + text);
}

// How telling a message is: a refused licence or manifest names the cause; a decode error that follows
// it (a protected stream without its key) is only its consequence, and does not replace it.
const CAUSE = 2;
const SYMPTOM = 1;
let told = 0;

/** Tells the viewer what went wrong: the first cause, else the first symptom. */
function tell(text, weight = SYMPTOM) {
  if (told >= weight) return;
  told = weight;
  state.viewerMessage = text;
  message.textContent = text;
  message.hidden = false;
  clearInterval(progress);
}

/** What the licence server's refusal means to a viewer. */
function licenceMessage(httpStatus, reason) {
  if (reason === 'expired') return 'Your rental has expired.';
  if (httpStatus === 403) return 'This title is not included in your plan.';
  if (httpStatus === 503) return 'Protected titles cannot be played from this server right now.';
  return 'The key to play this title could not be obtained (' + (httpStatus || 'network error') + ').';
}

/** A licence answer as the player saw it: kept for the test, told to the viewer when refused. */
function licenceAnswered(httpStatus, body) {
  const answer = { status: httpStatus, reason: body && body.reason, error: body && body.error };
  state.licences.push(answer);
  if (httpStatus !== 200) {
    fail('licence ' + httpStatus + (answer.reason ? ' ' + answer.reason : ''));
    tell(licenceMessage(httpStatus, answer.reason), CAUSE);
  }
}

/**
 * hls.js asks ClearKey for a key only with init data, which it reads from a segment's pssh box and
 * then matches to the first key of the playlist when it cannot read the key id (ClearKey's case):
 * the audio key would never be asked for. A key tag's key id (its URI carries it) is init data of
 * the W3C "keyids" type, so each key tag gets its own request, for its own key.
 */
function clearKeyInitData(initDataType, initData, keyContext) {
  const keyId = keyContext && keyContext.decryptdata && keyContext.decryptdata.keyId;
  if (initData || !keyId) return { initDataType, initData };
  const kid = btoa(String.fromCharCode(...keyId)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return { initDataType: 'keyids', initData: new TextEncoder().encode(JSON.stringify({ kids: [kid] })).buffer };
}

/** The JSON a server answered with, as XHR or a player handed it over (text, bytes or parsed). */
function jsonOf(response) {
  try {
    if (response == null) return null;
    if (response instanceof ArrayBuffer || ArrayBuffer.isView(response)) {
      return JSON.parse(new TextDecoder().decode(response));
    }
    return typeof response === 'string' ? JSON.parse(response) : response;
  } catch (e) {
    return null;
  }
}

/** Why the manifest could not be had, in words: asks the server again to read its answer. */
async function explainManifest(file) {
  try {
    const response = await fetch(manifestUrl(file), { cache: 'no-store' });
    if (response.ok) return false;
    const body = jsonOf(await response.text());
    const why = body && body.error ? ' (' + body.error + ')' : '';
    if (response.status === 403) {
      tell(/expired/.test(why) ? 'This link has expired.' + why : 'This link does not give access to this title.' + why,
        CAUSE);
    } else if (response.status === 404) {
      tell('This title does not exist or is no longer available.', CAUSE);
    } else {
      tell('The title could not be loaded (' + response.status + ').', CAUSE);
    }
    return true;
  } catch (e) {
    tell('The server could not be reached.', CAUSE);
    return true;
  }
}

if (!token) {
  fail('no token: open the URL printed by bin/caudal edge --sign');
  message.textContent = 'This page needs a playback link: open the URL printed by bin/caudal edge --sign.';
  message.hidden = false;
  state.viewerMessage = message.textContent;
} else if (format === 'hls') {
  const config = {
    cmcd: { sessionId, contentId: titleId, useHeaders: false },
    debug: params.has('debug'),
    // The licence URL comes from here, not from the playlist: hls.js's EME controller takes it from drmSystems.
    emeEnabled: true,
    drmSystems: { [CLEARKEY]: { licenseUrl: licenceUrl, generateRequest: clearKeyInitData } },
    licenseResponseCallback: (xhr) => {
      licenceAnswered(xhr.status, null);
      return xhr.response;
    },
  };
  if (bufferSeconds) Object.assign(config, { maxBufferLength: bufferSeconds, maxMaxBufferLength: bufferSeconds });
  const hls = new Hls(config);
  state.player = 'hls.js ' + Hls.version;
  hls.on(Hls.Events.ERROR, (_, data) => {
    if (data.details === Hls.ErrorDetails.KEY_SYSTEM_LICENSE_REQUEST_FAILED) {
      const xhr = data.networkDetails;
      licenceAnswered(data.response ? data.response.code : xhr && xhr.status, jsonOf(xhr && xhr.response));
    }
    if (!data.fatal) return;
    fail('hls.js ' + data.type + ' ' + data.details);
    if (data.details === Hls.ErrorDetails.MANIFEST_LOAD_ERROR) {
      explainManifest('master.m3u8');
    } else if (data.type === Hls.ErrorTypes.KEY_SYSTEM_ERROR) {
      tell('This title is protected and its key could not be obtained.');
    } else {
      tell('Playback stopped: ' + data.details + '.');
    }
  });
  hls.on(Hls.Events.STEERING_MANIFEST_LOADED, (_, data) => {
    state.steeringManifests++;
    state.lastSteering = data.steeringManifest;
  });
  hls.on(Hls.Events.FRAG_LOADED, (_, data) => {
    note(pathwayOf(data.frag.url));
  });
  hls.loadSource(manifestUrl('master.m3u8'));
  hls.attachMedia(video);
  state.ready = true;
} else if (format === 'dash') {
  const player = dashjs.MediaPlayer().create();
  const streaming = { cmcd: { enabled: true, sid: sessionId, cid: titleId, mode: 'query' } };
  if (bufferSeconds) {
    streaming.buffer = { bufferTimeAtTopQuality: bufferSeconds, bufferTimeAtTopQualityLongForm: bufferSeconds,
      bufferTimeDefault: bufferSeconds };
  }
  player.updateSettings({ streaming });
  // The page's grant, whatever licence URL the MPD carries.
  player.setProtectionData({ [CLEARKEY]: { serverURL: licenceUrl } });
  state.player = 'dash.js ' + player.getVersion();
  player.on(dashjs.MediaPlayer.events.ERROR, (e) => {
    const error = e.error || e;
    fail('dash.js ' + JSON.stringify(error));
    if (error && error.code === DASH_LICENCE_ERROR) {
      // Told by the licence event below, which carries the server's answer.
    } else if (error && DASH_MANIFEST_ERRORS.includes(error.code)) {
      explainManifest('manifest.mpd');
    } else if (error && error.code >= 100 && error.code < 200) {
      tell('This title is protected and its key could not be obtained.');
    } else {
      tell('Playback stopped' + (error && error.message ? ': ' + error.message : '.'));
    }
  });
  // Protection events join MediaPlayer.events only once dash.js meets protected content: named from Protection.
  player.on(dashjs.Protection.events.LICENSE_REQUEST_COMPLETE, (e) => {
    const data = e.error && e.error.data;
    licenceAnswered(e.error ? (data && data.responseCode) : 200, e.error ? jsonOf(data && data.serverResponse) : null);
  });
  player.on(dashjs.MediaPlayer.events.FRAGMENT_LOADING_COMPLETED, (e) => {
    if (e.request && e.request.url) note(pathwayOf(e.request.url));
  });
  player.on(dashjs.MediaPlayer.events.CONTENT_STEERING_REQUEST_COMPLETED, () => {
    state.steeringManifests++;
  });
  player.initialize(video, manifestUrl('manifest.mpd'), true);
  state.ready = true;
} else {
  fail('format must be hls or dash, got ' + format);
}

// The origin a segment came from; the test maps origins to pathways.
function pathwayOf(url) {
  try {
    return new URL(url, location.href).origin;
  } catch (e) {
    return url;
  }
}

function note(pathway) {
  if (pathway && state.pathways[state.pathways.length - 1] !== pathway) state.pathways.push(pathway);
}

video.addEventListener('error', () => {
  fail('video element: ' + (video.error && video.error.message));
  tell('This video cannot be played in this browser' + (video.error && video.error.message ? ': ' + video.error.message : '.'));
});
video.muted = true;
video.play().catch(() => {});
progress = setInterval(() => log(`${state.player || ''} ${format} t=${video.currentTime.toFixed(1)}s`), 500);
setTimeout(() => {
  if (token && video.currentTime === 0 && !state.viewerMessage) {
    tell('The video did not start: check your connection and reload the page.');
  }
}, START_TIMEOUT_MS);
