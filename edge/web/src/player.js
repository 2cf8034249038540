// The edge's player page: plays /t/<token>/vod/<title>/ with hls.js or dash.js, sends CMCD with
// every request (query argument, so no CORS preflight), and keeps a log the browser test reads.
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

const state = { format, titleId, sessionId, errors: [], pathways: [], steeringManifests: 0, ready: false };
window.caudalPlayer = state;

function log(message) {
  status.textContent = message;
}

function fail(message) {
  state.errors.push(String(message));
  log('error: ' + message);
}

if (!token) {
  fail('no token: open the URL printed by bin/caudal edge --sign');
} else if (format === 'hls') {
  const config = { cmcd: { sessionId, contentId: titleId, useHeaders: false } };
  if (bufferSeconds) Object.assign(config, { maxBufferLength: bufferSeconds, maxMaxBufferLength: bufferSeconds });
  const hls = new Hls(config);
  state.player = 'hls.js ' + Hls.version;
  hls.on(Hls.Events.ERROR, (_, data) => {
    if (data.fatal) fail('hls.js ' + data.type + ' ' + data.details);
  });
  hls.on(Hls.Events.STEERING_MANIFEST_LOADED, (_, data) => {
    state.steeringManifests++;
    state.lastSteering = data.steeringManifest;
  });
  hls.on(Hls.Events.FRAG_LOADED, (_, data) => {
    note(pathwayOf(data.frag.url));
  });
  hls.loadSource(`/t/${token}/vod/${encodeURIComponent(titleId)}/master.m3u8`);
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
  state.player = 'dash.js ' + player.getVersion();
  player.on(dashjs.MediaPlayer.events.ERROR, (e) => fail('dash.js ' + JSON.stringify(e.error || e)));
  player.on(dashjs.MediaPlayer.events.FRAGMENT_LOADING_COMPLETED, (e) => {
    if (e.request && e.request.url) note(pathwayOf(e.request.url));
  });
  player.on(dashjs.MediaPlayer.events.CONTENT_STEERING_REQUEST_COMPLETED, () => {
    state.steeringManifests++;
  });
  player.initialize(video, `/t/${token}/vod/${encodeURIComponent(titleId)}/manifest.mpd`, true);
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

video.addEventListener('error', () => fail('video element: ' + (video.error && video.error.message)));
video.muted = true;
video.play().catch(() => {});
setInterval(() => log(`${state.player || ''} ${format} t=${video.currentTime.toFixed(1)}s`), 500);
