// What the player page knows about a title's tracks, apart from any player library: the viewer's
// remembered choice of audio and subtitles, how a track is named in the menus, which track best
// matches a remembered choice, and where a time's thumbnail is in an HLS image playlist's sprites.

const STORAGE_KEY = 'caudal.player.tracks';

/** The remembered choice: { audio: { language, channels }, text: { language, kind } | null }, or {}. */
export function loadPreference() {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) || '{}');
    return stored && typeof stored === 'object' ? stored : {};
  } catch (e) {
    // Storage blocked (a sandboxed frame, privacy settings) or a value from elsewhere: no preference.
    return {};
  }
}

export function savePreference(update) {
  const next = Object.assign(loadPreference(), update);
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch (e) {
    // The choice applies to this title only.
  }
  return next;
}

/** A language tag's name in the viewer's language ("fr" → "French"), or the tag itself. */
export function languageName(tag) {
  if (!tag || tag === 'und') return '';
  try {
    return new Intl.DisplayNames([navigator.language || 'en', 'en'], { type: 'language' }).of(tag) || tag;
  } catch (e) {
    return tag;
  }
}

function channelWords(channels) {
  const n = Number(channels);
  if (n === 1) return 'mono';
  if (n === 2) return 'stereo';
  if (n === 6) return '5.1';
  if (n === 8) return '7.1';
  return n > 0 ? n + ' ch' : '';
}

/**
 * Menu labels for audio tracks ({ language, name, channels }): the published name, else the
 * language's; tracks that would read alike are told apart by their channel layout.
 */
export function audioLabels(tracks) {
  const base = tracks.map((t) => t.name || languageName(t.language) || 'Audio ' + (tracks.indexOf(t) + 1));
  return base.map((label, i) => {
    const twin = base.some((other, j) => j !== i && other === label);
    const words = channelWords(tracks[i].channels);
    return twin && words && !label.includes(words) ? label + ' (' + words + ')' : label;
  });
}

const KIND_WORDS = { caption: 'SDH', forced: 'forced' };

/** Menu labels for text tracks ({ language, name, kind }): the name, with SDH or forced when the name does not say so. */
export function textLabels(tracks) {
  return tracks.map((t, i) => {
    const label = t.name || languageName(t.language) || 'Subtitles ' + (i + 1);
    const words = KIND_WORDS[t.kind];
    return words && !label.toLowerCase().includes(words.toLowerCase()) ? label + ' (' + words + ')' : label;
  });
}

function sameLanguage(a, b) {
  if (!a || !b) return false;
  const primary = (tag) => String(tag).toLowerCase().split(/[-_]/)[0];
  return primary(a) === primary(b);
}

/** The index of the audio track that best matches a remembered choice, or -1. */
export function matchAudio(tracks, wanted) {
  if (!wanted || !wanted.language) return -1;
  const exact = tracks.findIndex((t) => sameLanguage(t.language, wanted.language)
    && String(t.channels || '') === String(wanted.channels || ''));
  return exact >= 0 ? exact : tracks.findIndex((t) => sameLanguage(t.language, wanted.language));
}

/** The index of the text track that best matches a remembered choice (same language, same kind first), or -1. */
export function matchText(tracks, wanted) {
  if (!wanted || !wanted.language) return -1;
  const exact = tracks.findIndex((t) => sameLanguage(t.language, wanted.language) && t.kind === (wanted.kind || 'subtitle'));
  if (exact >= 0) return exact;
  // Forced narratives are no stand-in for full subtitles.
  return tracks.findIndex((t) => sameLanguage(t.language, wanted.language) && t.kind !== 'forced');
}

/**
 * The text track to show once the audio is in {@code audioLanguage}: the viewer's subtitles when on;
 * else (subtitles off, or only a forced narrative on) the forced narrative of that language, which
 * translates its signs and foreign-language lines, as the platforms' own players do; else -1.
 */
export function textForAudio(tracks, current, audioLanguage) {
  if (current >= 0 && tracks[current] && tracks[current].kind !== 'forced') return current;
  return tracks.findIndex((t) => t.kind === 'forced' && sameLanguage(t.language, audioLanguage));
}

/** A text track's kind from HLS attributes: forced, caption (SDH: transcribes dialogue) or subtitle. */
export function hlsTextKind(track) {
  if (track.forced) return 'forced';
  return /transcribes-spoken-dialog|describes-music-and-sound/.test(track.characteristics || '') ? 'caption' : 'subtitle';
}

/** A text track's kind from DASH roles (dash.js 5 gives descriptors, older versions strings). */
export function dashTextKind(track) {
  const roles = (track.roles || []).map((r) => (r && r.value) || r);
  if (roles.includes('forced-subtitle')) return 'forced';
  if (roles.includes('caption') || track.kind === 'captions') return 'caption';
  return 'subtitle';
}

/** The URI of the thumbnails' image playlist in a master playlist (EXT-X-IMAGE-STREAM-INF), preferring a pathway's. */
export function imagePlaylistUri(master, baseUrl, pathwayId) {
  const streams = master.split(/\r?\n/).filter((l) => l.startsWith('#EXT-X-IMAGE-STREAM-INF:'));
  const attribute = (line, name) => {
    const m = line.match(new RegExp('(?:^|[:,])' + name + '="([^"]*)"'));
    return m ? m[1] : null;
  };
  const chosen = streams.find((l) => pathwayId && attribute(l, 'PATHWAY-ID') === pathwayId) || streams[0];
  const uri = chosen && attribute(chosen, 'URI');
  return uri ? new URL(uri, baseUrl).href : null;
}

/**
 * An HLS image media playlist (EXT-X-IMAGES-ONLY, EXT-X-TILES) as sprites:
 * [{ start, duration, url, width, height, columns, rows, tileSeconds }].
 */
export function parseImagePlaylist(text, playlistUrl) {
  const sprites = [];
  let tiles = null;
  let duration = null;
  let start = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#EXT-X-TILES:')) {
      const res = line.match(/RESOLUTION=(\d+)x(\d+)/);
      const layout = line.match(/LAYOUT=(\d+)x(\d+)/);
      const every = line.match(/DURATION=([\d.]+)/);
      tiles = res && layout && every ? { width: +res[1], height: +res[2], columns: +layout[1], rows: +layout[2],
        tileSeconds: +every[1] } : null;
    } else if (line.startsWith('#EXTINF:')) {
      duration = parseFloat(line.slice('#EXTINF:'.length));
    } else if (line && !line.startsWith('#') && duration != null) {
      if (tiles) sprites.push(Object.assign({ start, duration, url: new URL(line, playlistUrl).href }, tiles));
      start += duration;
      duration = null;
    }
  }
  return sprites;
}

/** The thumbnail of a time: { url, x, y, width, height } (the tile in its sprite), or null. */
export function thumbnailAt(sprites, time) {
  const sprite = sprites.find((s) => time >= s.start && time < s.start + s.duration)
    || (sprites.length && time >= sprites[sprites.length - 1].start ? sprites[sprites.length - 1] : null);
  if (!sprite || !(sprite.tileSeconds > 0)) return null;
  const tilesInSprite = Math.min(sprite.columns * sprite.rows, Math.ceil(sprite.duration / sprite.tileSeconds - 1e-6));
  const index = Math.max(0, Math.min(tilesInSprite - 1, Math.floor((time - sprite.start) / sprite.tileSeconds)));
  return { url: sprite.url, x: (index % sprite.columns) * sprite.width, y: Math.floor(index / sprite.columns) * sprite.height,
    width: sprite.width, height: sprite.height };
}
