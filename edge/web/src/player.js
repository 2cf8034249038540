// The edge's player page: plays /t/<token>/vod/<title>/ with hls.js or dash.js, sends CMCD with
// every request (query argument, so no CORS preflight), and keeps a log the browser test reads.
// Protected titles are decrypted by the browser's ClearKey CDM with keys from this server's licence
// endpoint, /t/<token>/licence/clearkey: the token of the page is the grant the keys are given for.
// What goes wrong is told to the viewer in words (#message), never left as a spinner.
// The viewer picks the audio language and subtitles from two menus (the choice is remembered for
// the next title) and sees a thumbnail over the seek bar while hovering, dragging or stepping it.
import Hls from 'hls.js';
import * as dashjs from 'dashjs';
import {
  audioLabels, dashTextKind, hlsTextKind, imagePlaylistUri, loadPreference, matchAudio, matchText,
  parseImagePlaylist, savePreference, textForAudio, textLabels, thumbnailAt,
} from './tracks.js';

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
const audioMenu = document.getElementById('audio');
const textMenu = document.getElementById('subtitles');
const seekBar = document.getElementById('seek');
const preview = document.getElementById('preview');
const previewFrame = document.getElementById('preview-frame');
const previewImage = document.getElementById('preview-image');
const previewTime = document.getElementById('preview-time');
const base = `/t/${token}`;
const manifestUrl = (file) => `${base}/vod/${encodeURIComponent(titleId)}/${file}`;
const licenceUrl = new URL(`${base}/licence/clearkey`, location.href).href;
const CLEARKEY = 'org.w3.clearkey';
// A player that has shown nothing after this long tells the viewer so, rather than spin on.
const START_TIMEOUT_MS = 30000;
// dash.js error codes: the manifest could not be loaded; the licence server refused (MEDIA_KEY_MESSAGE_LICENSER_ERROR).
const DASH_MANIFEST_ERRORS = [11, 25];
const DASH_LICENCE_ERROR = 114;
// Thumbnails are shown this wide over the seek bar, whatever the sprites' tile size.
const PREVIEW_WIDTH = 160;
let progress;

// stalls: the player waited for data while playing (not for a seek); the browser test reads it around an audio switch.
const state = { format, titleId, sessionId, errors: [], pathways: [], steeringManifests: 0, ready: false,
  licences: [], viewerMessage: null, audioTracks: [], audioTrack: -1, audioSwitches: 0, textTracks: [],
  textTrack: -1, stalls: 0, started: false, preference: loadPreference(), thumbnails: null };
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
  // The remembered language is asked for up front, so the first audio fetched is the viewer's.
  if (state.preference.audio) {
    const { language, channels } = state.preference.audio;
    config.audioPreference = channels ? { lang: language, channels: String(channels) } : { lang: language };
  }
  if (state.preference.text) config.subtitlePreference = { lang: state.preference.text.language };
  const hls = new Hls(config);
  state.player = 'hls.js ' + Hls.version;
  hlsTracks(hls);
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
  // Subtitles start on only when the viewer chose them before; the language is picked below.
  streaming.text = { defaultEnabled: Boolean(state.preference.text) };
  player.updateSettings({ streaming });
  dashTracks(player);
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
  // Before the MPD arrives (dash.js takes them only once initialised): the remembered languages.
  if (state.preference.audio) player.setInitialMediaSettingsFor('audio', { lang: state.preference.audio.language });
  if (state.preference.text) player.setInitialMediaSettingsFor('text', { lang: state.preference.text.language });
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

/** Fills a menu with labels, the selected one marked; the subtitles menu starts with Off (-1). */
function fillMenu(menu, labels, selected, withOff) {
  const options = labels.map((label, i) => new Option(label, String(i), false, i === selected));
  if (withOff) options.unshift(new Option('Off', '-1', false, selected < 0));
  menu.replaceChildren(...options);
  menu.disabled = labels.length === 0 || (!withOff && labels.length < 2);
}

/**
 * Shows the audio tracks ({ language, name, channels }) in the menu; the viewer's pick goes to the
 * player through {@code select} and is remembered for the next title.
 */
function showAudio(tracks, selected, select) {
  state.audioTracks = tracks;
  state.audioTrack = selected;
  fillMenu(audioMenu, audioLabels(tracks), selected, false);
  audioMenu.onchange = () => {
    const chosen = tracks[Number(audioMenu.value)];
    state.preference = savePreference({ audio: { language: chosen.language, channels: chosen.channels } });
    select(Number(audioMenu.value));
  };
}

/** Shows the text tracks ({ language, name, kind }) with Off; the viewer's pick (Off too) is remembered. */
function showText(tracks, selected, select) {
  state.textTracks = tracks;
  state.textTrack = selected;
  fillMenu(textMenu, textLabels(tracks), selected, true);
  textMenu.onchange = () => {
    const index = Number(textMenu.value);
    state.preference = savePreference({ text: index < 0 ? null : { language: tracks[index].language, kind: tracks[index].kind } });
    state.textTrack = index;
    select(index);
  };
}

/** hls.js: audio renditions and subtitles from its track lists, and thumbnails from the master's image playlist. */
function hlsTracks(hls) {
  hls.subtitleDisplay = true;
  let audioApplied = false;
  let textApplied = false;
  // Renditions of every channel layout are in groups of their own (stereo, 5.1): hls.js's audioTracks
  // holds the current level's group only, allAudioTracks every group, which is what a viewer picks from.
  // With content steering every group is listed once per pathway: a rendition is shown once.
  const allAudio = () => (hls.allAudioTracks || hls.audioTracks).filter((t, i, all) =>
    all.findIndex((o) => o.lang === t.lang && o.name === t.name && o.channels === t.channels) === i);
  const audioList = () => allAudio().map((t) => ({ language: t.lang, name: t.name, channels: t.channels }));
  const currentAudio = () => {
    const t = hls.audioTracks[hls.audioTrack];
    return t ? allAudio().findIndex((a) => a.lang === t.lang && a.name === t.name && a.channels === t.channels) : -1;
  };
  const textList = () => hls.subtitleTracks.map((t) => ({ language: t.lang, name: t.name, kind: hlsTextKind(t) }));
  // hls.js keeps an option as its preference, and holds to it when it changes level or pathway
  // (whose groups are other groups): a track is chosen by its attributes, not by its index.
  const audioOption = (t) => ({ lang: t.lang, name: t.name, channels: t.channels });
  const textOption = (t) => ({ lang: t.lang, name: t.name, forced: t.forced, characteristics: t.characteristics });
  // Switched at the next segment, without flushing what is buffered, so the picture does not stop.
  const selectAudio = (i) => hls.setAudioOption(Object.assign(audioOption(allAudio()[i]), { flushImmediate: false }));
  const selectText = (i) => {
    if (i < 0) {
      hls.config.subtitlePreference = undefined;
      hls.subtitleTrack = -1;
    } else {
      hls.setSubtitleOption(textOption(hls.subtitleTracks[i]));
    }
  };
  hls.on(Hls.Events.AUDIO_TRACKS_UPDATED, () => {
    const tracks = audioList();
    if (!audioApplied) {
      audioApplied = true;
      const wanted = matchAudio(tracks, state.preference.audio);
      if (wanted >= 0 && wanted !== currentAudio()) hls.setAudioOption(audioOption(allAudio()[wanted]));
    }
    showAudio(tracks, currentAudio(), selectAudio);
  });
  const audioLanguage = () => (hls.audioTracks[hls.audioTrack] || {}).lang;
  // With no subtitles on (Off too), the forced narrative of the audio's language, if any.
  const chooseText = (i) => selectText(i < 0 ? textForAudio(textList(), -1, audioLanguage()) : i);
  const forcedForAudio = () => {
    const tracks = textList();
    if (!tracks.length) return;
    const wanted = textForAudio(tracks, hls.subtitleTrack, audioLanguage());
    if (wanted !== hls.subtitleTrack) selectText(wanted);
    showText(tracks, wanted, chooseText);
  };
  hls.on(Hls.Events.AUDIO_TRACK_SWITCHED, () => {
    state.audioSwitches++;
    showAudio(audioList(), currentAudio(), selectAudio);
    forcedForAudio();
  });
  hls.on(Hls.Events.SUBTITLE_TRACKS_UPDATED, () => {
    if (!textApplied && 'text' in state.preference) {
      textApplied = true;
      selectText(matchText(textList(), state.preference.text));
    }
    forcedForAudio();
  });
  hls.on(Hls.Events.SUBTITLE_TRACK_SWITCH, (_, data) => {
    state.textTrack = data.id;
    textMenu.value = String(data.id);
    // hls.js picks its own track after it lists them (and on each group change): the forced rule again.
    forcedForAudio();
  });
  hls.on(Hls.Events.MANIFEST_LOADED, async (_, data) => {
    try {
      // hls.js reads no image playlists: the page reads the master's EXT-X-IMAGE-STREAM-INF itself.
      const masterUrl = data.url || manifestUrl('master.m3u8');
      const master = await (await fetch(masterUrl)).text();
      const steering = master.match(/#EXT-X-CONTENT-STEERING:.*PATHWAY-ID="([^"]*)"/);
      const uri = imagePlaylistUri(master, masterUrl, steering && steering[1]);
      if (!uri) return;
      const sprites = parseImagePlaylist(await (await fetch(uri)).text(), uri);
      if (sprites.length) useThumbnails((time) => Promise.resolve(thumbnailAt(sprites, time)));
    } catch (e) {
      // No thumbnails: the seek bar still works.
    }
  });
}

/** dash.js: audio adaptation sets, text tracks and its thumbnail API. */
function dashTracks(player) {
  const events = dashjs.MediaPlayer.events;
  let dashAudio = [];
  let textApplied = false;
  const label = (t) => (t.labels && t.labels[0] && t.labels[0].text) || t.label || '';
  const channels = (t) => (t.audioChannelConfiguration && t.audioChannelConfiguration[0]
    && (t.audioChannelConfiguration[0].value || t.audioChannelConfiguration[0])) || '';
  const audioList = () => dashAudio.map((t) => ({ language: t.lang, name: label(t), channels: String(channels(t)) }));
  const currentAudio = () => {
    const current = player.getCurrentTrackFor('audio');
    return current ? dashAudio.findIndex((t) => t.id === current.id && t.index === current.index) : -1;
  };
  const selectAudio = (i) => player.setCurrentTrack(dashAudio[i]);
  const selectText = (i) => {
    player.enableText(i >= 0);
    player.setTextTrack(i);
  };
  player.on(events.STREAM_INITIALIZED, () => {
    dashAudio = player.getTracksFor('audio');
    const tracks = audioList();
    // The initial settings picked the language; the channel layout is matched here.
    const wanted = matchAudio(tracks, state.preference.audio);
    if (wanted >= 0 && wanted !== currentAudio()) selectAudio(wanted);
    showAudio(tracks, wanted >= 0 ? wanted : currentAudio(), selectAudio);
    useThumbnails((time) => new Promise((resolve) => player.provideThumbnail(time, resolve)));
  });
  let textTracks = [];
  const audioLanguage = () => (player.getCurrentTrackFor('audio') || {}).lang;
  // With no subtitles on (Off too), the forced narrative of the audio's language, if any.
  const chooseText = (i) => selectText(i < 0 ? textForAudio(textTracks, -1, audioLanguage()) : i);
  const forcedForAudio = (selected) => {
    if (!textTracks.length) return;
    const wanted = textForAudio(textTracks, selected, audioLanguage());
    if (wanted !== selected) selectText(wanted);
    showText(textTracks, wanted, chooseText);
  };
  player.on(events.TRACK_CHANGE_RENDERED, (e) => {
    if (e.mediaType !== 'audio') return;
    state.audioSwitches++;
    showAudio(audioList(), currentAudio(), selectAudio);
    forcedForAudio(state.textTrack);
  });
  // The tracks in the order setTextTrack counts them.
  player.on(events.TEXT_TRACKS_ADDED, (e) => {
    textTracks = (e.tracks || []).map((t) => ({ language: t.lang, name: label(t), kind: dashTextKind(t) }));
    let selected = e.enabled === false ? -1 : player.getCurrentTextTrackIndex();
    if (!textApplied && 'text' in state.preference) {
      selected = matchText(textTracks, state.preference.text);
      selectText(selected);
    }
    textApplied = true;
    forcedForAudio(selected);
  });
}

function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
}

let thumbnailOf = null;
let previewAsked = 0;
let scrubbing = false;

/** Thumbnails are available: {@code provide(time)} resolves to { url, x, y, width, height } or null. */
function useThumbnails(provide) {
  thumbnailOf = provide;
  state.thumbnails = true;
  state.thumbnail = (time) => provide(time);
}

/** The preview over the seek bar for a time: the time always, the thumbnail when the title has them. */
async function showPreview(time) {
  const asked = ++previewAsked;
  const duration = Number(seekBar.max) || 0;
  previewTime.textContent = clock(time);
  const thumb = thumbnailOf ? await thumbnailOf(time) : null;
  // A later hover has moved on: this answer is stale.
  if (asked !== previewAsked) return;
  if (thumb && thumb.url) {
    const scale = PREVIEW_WIDTH / thumb.width;
    previewImage.style.width = thumb.width + 'px';
    previewImage.style.height = thumb.height + 'px';
    previewImage.style.backgroundImage = 'url("' + thumb.url + '")';
    previewImage.style.backgroundPosition = -thumb.x + 'px ' + -thumb.y + 'px';
    previewImage.style.transform = 'scale(' + scale + ')';
    previewFrame.style.width = PREVIEW_WIDTH + 'px';
    previewFrame.style.height = Math.round(thumb.height * scale) + 'px';
    previewFrame.hidden = false;
    state.lastThumbnail = thumb;
  } else {
    previewFrame.hidden = true;
  }
  const width = seekBar.clientWidth;
  const half = (previewFrame.hidden ? 40 : PREVIEW_WIDTH) / 2 + 2;
  const x = duration > 0 ? (time / duration) * width : 0;
  preview.style.left = Math.min(width - half, Math.max(half, x)) + 'px';
  preview.hidden = false;
}

function hidePreview() {
  previewAsked++;
  preview.hidden = true;
}

function seekBarTime(event) {
  const box = seekBar.getBoundingClientRect();
  const fraction = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
  return fraction * (Number(seekBar.max) || 0);
}

video.addEventListener('durationchange', () => {
  if (Number.isFinite(video.duration)) seekBar.max = String(video.duration);
});
video.addEventListener('timeupdate', () => {
  if (scrubbing) return;
  seekBar.value = String(video.currentTime);
  seekBar.setAttribute('aria-valuetext', clock(video.currentTime));
});
seekBar.addEventListener('pointermove', (e) => showPreview(seekBarTime(e)));
seekBar.addEventListener('pointerleave', () => { if (!scrubbing) hidePreview(); });
// Dragging with the pointer, or arrow keys and Page Up/Down while the bar has focus.
seekBar.addEventListener('input', () => {
  scrubbing = true;
  seekBar.setAttribute('aria-valuetext', clock(Number(seekBar.value)));
  showPreview(Number(seekBar.value));
});
seekBar.addEventListener('change', () => {
  scrubbing = false;
  video.currentTime = Number(seekBar.value);
});
seekBar.addEventListener('blur', hidePreview);
video.addEventListener('playing', () => { state.started = true; });
video.addEventListener('waiting', () => {
  if (state.started && !video.seeking) {
    state.stalls++;
    state.stallLog = (state.stallLog || []).concat([{ at: video.currentTime, buffered: video.buffered.length
      ? [video.buffered.start(0), video.buffered.end(video.buffered.length - 1)] : [] }]);
  }
});

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
