// Browser side of the Caudal dashboard: fetches the JSON API and draws tables and uPlot charts.
import uPlot from "uplot";

const REFRESH_MS = 30_000;
const $ = (id) => document.getElementById(id);
const charts = new Map();
let refreshTimer = null;
// The session's CSRF token (from /api/me): sent with every POST, and put in the pages' forms.
let csrfToken = null;

async function api(path, options = {}) {
  const headers = { ...(options.headers || {}) };
  if (options.method && options.method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  const response = await fetch(path, { credentials: "same-origin", ...options, headers });
  if (response.status === 401) {
    window.location.href = "/login";
    throw new Error("not logged in");
  }
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.error || `HTTP ${response.status}`);
  }
  return body;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(child ?? ""));
  }
  return node;
}

function show(id, text, info = false) {
  const node = $(id);
  node.hidden = !text;
  node.textContent = text || "";
  node.classList.toggle("info", info);
}

function range() {
  const span = Number($("range").value);
  const to = Date.now();
  return { from: to - span, to };
}

const fmt = {
  int: (v) => (v == null ? "–" : Math.round(v).toLocaleString("en")),
  pct: (v) => (v == null ? "–" : `${v.toFixed(2)} %`),
  ms: (v) => (v == null ? "–" : `${Math.round(v).toLocaleString("en")} ms`),
  ratio: (v) => (v == null ? "–" : `${(v * 100).toFixed(2)} %`),
  kbps: (v) => (v == null ? "–" : `${Math.round(v).toLocaleString("en")} kbit/s`),
  score: (v) => (v == null ? "–" : v.toFixed(1)),
  time: (ms) => (ms == null ? "–" : new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z")),
};

const TILES = [
  ["plays", "Plays", fmt.int],
  ["attempts", "Attempts", fmt.int],
  ["vsfPct", "VSF", fmt.pct],
  ["ebvsPct", "EBVS", fmt.pct],
  ["startupP50Ms", "Startup p50", fmt.ms],
  ["startupP95Ms", "Startup p95", fmt.ms],
  ["rebufferingRatio", "Rebuffering ratio", fmt.ratio],
  ["avgBitrateKbps", "Average bitrate", fmt.kbps],
  ["errors", "Errors", fmt.int],
  ["experienceScore", "Experience score", fmt.score],
];

const CHARTS = [
  ["plays-attempts", "Plays and attempts", [["plays", "plays", "#4fc3f7"], ["attempts", "attempts", "#9575cd"]]],
  ["failures", "VSF % and EBVS %", [["vsfPct", "VSF %", "#ff8a80"], ["ebvsPct", "EBVS %", "#ffb74d"]]],
  ["startup", "Startup time (ms)", [["startupP50Ms", "p50", "#81c784"], ["startupP95Ms", "p95", "#dce775"]]],
  ["rebuffering", "Rebuffering ratio (%)", [["rebufferingRatio", "rebuffering %", "#f06292", (v) => (v == null ? null : v * 100)]]],
  ["bitrate", "Average bitrate (kbit/s)", [["avgBitrateKbps", "kbit/s", "#4db6ac"]]],
  ["errors", "Errors", [["errors", "errors", "#e57373"]]],
  ["score", "Experience score (0–100)", [["experienceScore", "score", "#aed581"]]],
];

function drawTiles(totals) {
  const tiles = $("tiles");
  tiles.replaceChildren(
    ...TILES.map(([key, label, format]) =>
      el("div", { class: "tile", "data-metric": key },
        el("div", { class: "label" }, label),
        el("div", { class: "value" }, format(totals ? totals[key] : null)))));
}

function drawCharts(series) {
  const container = $("charts");
  const xs = series.map((point) => point.bucket / 1000);
  for (const [id, title, lines] of CHARTS) {
    const data = [xs, ...lines.map(([key, , , map]) => series.map((p) => (map ? map(p[key]) : p[key])))];
    let chart = charts.get(id);
    if (!chart) {
      const box = el("div", { class: "chart", id: `chart-${id}` }, el("h3", {}, title));
      container.append(box);
      chart = new uPlot({
        width: 540,
        height: 220,
        series: [{}, ...lines.map(([, label, color]) => ({ label, stroke: color, width: 2, spanGaps: false }))],
        axes: [{ stroke: "#9fb0c3", grid: { stroke: "#2a3542" } }, { stroke: "#9fb0c3", grid: { stroke: "#2a3542" } }],
      }, data, box);
      charts.set(id, chart);
    } else {
      chart.setData(data);
    }
  }
}

async function loadOverview() {
  const { from, to } = range();
  const body = await api(`/api/overview?from=${from}&to=${to}`);
  if (body.status !== "ok") {
    show("overview-message", body.message, true);
    drawTiles(null);
    drawCharts([]);
    return;
  }
  show("overview-message", "");
  drawTiles(body.totals);
  drawCharts(body.series);
}

function table(rows, formats = {}) {
  if (!rows.length) return el("p", { class: "muted" }, "No rows.");
  const columns = Object.keys(rows[0]);
  return el("table", {},
    el("thead", {}, el("tr", {}, ...columns.map((c) => el("th", {}, c)))),
    el("tbody", {}, ...rows.map((row) =>
      el("tr", {}, ...columns.map((c) => el("td", {}, formats[c] ? formats[c](row[c]) : cell(row[c])))))));
}

// The hash is "#tab" or "#tab?name=value&...": the part after "?" carries a link's parameters.
function hashParams() {
  const hash = window.location.hash;
  const at = hash.indexOf("?");
  return new URLSearchParams(at < 0 ? "" : hash.slice(at + 1));
}

function cell(value) {
  if (value == null) return "";
  if (typeof value === "object") return JSON.stringify(value);
  if (typeof value === "number" && !Number.isInteger(value)) return value.toFixed(3);
  return String(value);
}

const METRIC_FORMATS = {
  attempts: fmt.int, plays: fmt.int, vsfPct: fmt.pct, ebvsPct: fmt.pct, startupP50Ms: fmt.ms,
  startupP95Ms: fmt.ms, rebufferingRatio: fmt.ratio, avgBitrateKbps: fmt.kbps, errors: fmt.int,
  lossFraction: (v) => (v == null ? "–" : v.toFixed(4)),
  experienceScore: fmt.score,
};

// Only the newest breakdown request fills the table: a slower answer to an earlier choice (the
// dimension before the one just picked, say) must not overwrite it.
let breakdownRequests = 0;

async function loadBreakdown() {
  const request = ++breakdownRequests;
  const { from, to } = range();
  const dimension = $("dimension").value;
  const sort = $("sort").value;
  const body = await api(`/api/breakdown?dimension=${dimension}&sort=${sort}&from=${from}&to=${to}`);
  if (request !== breakdownRequests) return;
  show("breakdown-message", body.status === "ok" ? "" : body.message || "No QoE data in this time range.", true);
  $("breakdown-table").replaceChildren(table(body.rows, METRIC_FORMATS));
  // A link from an alert names the root-cause key: mark its row.
  const highlight = hashParams().get("key");
  for (const row of $("breakdown-table").querySelectorAll("tbody tr")) {
    const key = row.firstChild.textContent;
    row.dataset.key = key;
    if (highlight && key === highlight) row.classList.add("highlight");
  }
}

async function searchSession(event) {
  event.preventDefault();
  const q = $("session-q").value.trim();
  try {
    const body = await api(`/api/sessions?q=${encodeURIComponent(q)}`);
    show("session-message", body.status === "ok" ? "" : body.message, true);
    $("session-table").replaceChildren(table(body.rows, {
      sessionId: (id) => el("a", { href: `#timeline?session=${encodeURIComponent(id)}` }, id),
      experienceScore: fmt.score,
    }));
  } catch (error) {
    show("session-message", error.message);
  }
}

async function loadSteering() {
  const body = await api("/api/steering");
  show("steering-message", body.status === "ok" ? "" : body.message, body.status !== "not_connected");
  $("steering-regions").replaceChildren(...body.regions.map((region) =>
    el("div", { class: "region", "data-region": region.region },
      el("h3", {}, region.region),
      el("p", { class: "muted" }, `decided ${new Date(region.eventTime).toISOString()}, TTL ${region.ttlSeconds} s`),
      el("p", {}, "Pathway priority: ", el("strong", {}, region.pathwayPriority.join(" › ") || "none")),
      region.excluded.length ? table(region.excluded) : el("p", { class: "muted" }, "No excluded servers."),
      region.replications.length ? table(region.replications) : el("p", { class: "muted" }, "No open replication requests."))));
}

async function runSql() {
  show("sql-error", "");
  $("sql-info").textContent = "running…";
  try {
    const body = await api("/api/sql", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sql: $("sql-text").value }),
    });
    const rows = body.rows.map((values) => Object.fromEntries(body.columns.map((c, i) => [c, values[i]])));
    $("sql-result").replaceChildren(rows.length ? table(rows) : el("p", { class: "muted" }, `No rows (columns: ${body.columns.join(", ")}).`));
    const cut = body.truncatedBy === "bytes" ? ` (cut at ${body.byteLimit} bytes)` : body.truncated ? ` (first ${body.rowLimit} only)` : "";
    $("sql-info").textContent = `${body.rows.length} rows${cut}` + (body.elapsedMs === undefined ? "" : ` in ${body.elapsedMs} ms`);
    if (body.error) show("sql-error", body.error);
  } catch (error) {
    $("sql-info").textContent = "";
    $("sql-result").replaceChildren();
    show("sql-error", error.message);
  }
}

function currentTab() {
  const name = window.location.hash.replace("#", "").split("?")[0] || "overview";
  return ["overview", "breakdowns", "alerts", "timeline", "steering", "sql"].includes(name) ? name : "overview";
}

async function refresh() {
  const tab = currentTab();
  try {
    if (tab === "overview") await loadOverview();
    if (tab === "breakdowns") {
      const dimension = hashParams().get("dimension");
      if (dimension) $("dimension").value = dimension;
      await loadBreakdown();
    }
    if (tab === "alerts") await loadAlerts();
    if (tab === "timeline") await loadTimelineFromHash();
    if (tab !== "alerts") await countOpenAlerts();
    if (tab === "steering") await loadSteering();
    $("updated").textContent = `updated ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    $("updated").textContent = `update failed: ${error.message}`;
  }
}

function showTab() {
  const tab = currentTab();
  for (const section of document.querySelectorAll(".tab")) section.hidden = section.id !== `tab-${tab}`;
  for (const link of document.querySelectorAll("nav a")) link.classList.toggle("active", link.dataset.tab === tab);
  refresh();
}

function scheduleRefresh() {
  clearInterval(refreshTimer);
  if ($("auto-refresh").checked) refreshTimer = setInterval(refresh, REFRESH_MS);
}

async function start() {
  const [me, status] = await Promise.all([api("/api/me"), api("/api/status")]);
  $("user-name").textContent = me.user;
  csrfToken = me.csrfToken;
  for (const field of document.querySelectorAll('input[name="_csrf"]')) field.value = csrfToken;
  $("sql-limits").textContent = `Each query stops after ${status.sqlTimeLimitMs / 1000} s and shows at most ${status.sqlRowLimit} rows.`;
  window.addEventListener("hashchange", showTab);
  $("range").addEventListener("change", refresh);
  $("dimension").addEventListener("change", loadBreakdown);
  $("sort").addEventListener("change", loadBreakdown);
  $("auto-refresh").addEventListener("change", scheduleRefresh);
  $("session-form").addEventListener("submit", searchSession);
  $("sql-run").addEventListener("click", runSql);
  $("rule-form").addEventListener("submit", saveRule);
  $("rule-cancel").addEventListener("click", () => editRule(null));
  $("timeline-form").addEventListener("submit", (event) => {
    event.preventDefault();
    window.location.hash = `#timeline?session=${encodeURIComponent($("timeline-session").value.trim())}`;
  });
  scheduleRefresh();
  showTab();
}

// ---- Alerts ---------------------------------------------------------------------------------------

const alertCharts = new Map();
let ruleChoices = null;

async function countOpenAlerts() {
  try {
    const { from, to } = range();
    const body = await api(`/api/alerts?from=${from}&to=${to}`);
    setOpenCount(body.alerts);
  } catch (error) {
    // the badge is a hint; the alerts tab says what failed
  }
}

function setOpenCount(alerts) {
  const open = alerts.filter((a) => a.state !== "RESOLVED").length;
  $("open-alerts").hidden = open === 0;
  $("open-alerts").textContent = String(open);
}

function sliceText(slice) {
  return `${slice.dimension}=${slice.key}`;
}

// Where a root cause's breakdown is: the breakdowns tab by its dimension, its key marked.
function breakdownLink(slice) {
  const dimension = slice.dimension === "fleet" ? "region" : slice.dimension;
  return `#breakdowns?dimension=${encodeURIComponent(dimension)}&key=${encodeURIComponent(slice.key)}`;
}

async function loadAlerts() {
  const { from, to } = range();
  const body = await api(`/api/alerts?from=${from}&to=${to}`);
  setOpenCount(body.alerts);
  show("alerts-message", body.status === "ok" ? "" : body.message, true);
  for (const chart of alertCharts.values()) chart.destroy();
  alertCharts.clear();
  $("alert-list").replaceChildren(...body.alerts.map(alertCard));
  await Promise.all(body.alerts.map((alert) => drawAlertChart(alert, from, to)));
  await loadRules();
}

function alertCard(alert) {
  const resolved = alert.state === "RESOLVED";
  const causes = alert.rootCause.length
    ? alert.rootCause.map((slice) => el("span", { class: "root-cause", "data-dimension": slice.dimension, "data-key": slice.key },
      sliceText(slice), " ", el("a", { href: breakdownLink(slice), class: "breakdown-link" }, "breakdown")))
    : [el("span", { class: "muted" }, "no single slice explains it")];
  const against = alert.threshold != null ? `threshold ${alert.threshold}` : alert.baseline != null
    ? `baseline ${alert.baseline.toFixed(3)}${alert.score != null ? `, ${alert.score.toFixed(1)} spreads off` : ""}` : "";
  return el("div", { class: `alert${resolved ? " resolved" : ""}`, "data-alert-id": alert.alertId, "data-state": alert.state },
    el("h3", {}, el("span", { class: "state" }, alert.state), alert.message),
    el("p", {}, `${alert.kind === "THRESHOLD" ? `rule ${alert.ruleId}` : "anomaly"} · ${alert.metric} of ${alert.dimension}=${alert.key}`
      + ` · value ${alert.value.toFixed(3)}${against ? ` (${against})` : ""} · ${alert.attempts} attempts`
      + ` · onset ${fmt.time(alert.onsetMinute)} · last change ${fmt.time(alert.minute)} (revision ${alert.revision})`),
    el("p", { class: "causes" }, "Root cause: ", ...causes),
    el("div", { class: "alert-chart" }));
}

// A vertical line at the alert's onset.
function markAt(seconds, color) {
  return {
    hooks: {
      draw: (u) => {
        const x = u.valToPos(seconds, "x", true);
        if (!Number.isFinite(x)) return;
        u.ctx.save();
        u.ctx.strokeStyle = color;
        u.ctx.setLineDash([6, 4]);
        u.ctx.beginPath();
        u.ctx.moveTo(x, u.bbox.top);
        u.ctx.lineTo(x, u.bbox.top + u.bbox.height);
        u.ctx.stroke();
        u.ctx.restore();
      },
    },
  };
}

async function drawAlertChart(alert, from, to) {
  const box = document.querySelector(`[data-alert-id="${CSS.escape(alert.alertId)}"] .alert-chart`);
  const body = await api(`/api/alert-chart?alertId=${encodeURIComponent(alert.alertId)}&from=${from}&to=${to}`);
  const minutes = [...new Set(body.series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const data = [minutes.map((m) => m / 1000), ...body.series.map((s) => {
    const byMinute = new Map(s.points);
    return minutes.map((m) => (byMinute.has(m) ? byMinute.get(m) : null));
  })];
  const palette = ["#4fc3f7", "#9575cd", "#4db6ac"];
  const series = [{}, ...body.series.map((s, i) => ({
    label: `${s.label}${s.rootCause ? " (root cause)" : ""}`,
    stroke: s.rootCause ? "#ffb74d" : palette[i % palette.length],
    width: s.rootCause ? 3 : 2,
  }))];
  box.dataset.series = JSON.stringify(body.series.map((s) => ({ label: s.label, rootCause: s.rootCause, points: s.points.length })));
  box.append(el("h4", { class: "muted" }, `${body.metric} per minute around the onset`));
  const chart = new uPlot({
    width: 720,
    height: 220,
    series,
    plugins: [markAt(body.onsetMinute / 1000, "#ff8a80")],
    axes: [{ stroke: "#9fb0c3", grid: { stroke: "#2a3542" } }, { stroke: "#9fb0c3", grid: { stroke: "#2a3542" } }],
  }, data, box);
  alertCharts.set(alert.alertId, chart);
}

async function loadRules() {
  const body = await api("/api/alert-rules");
  $("rules-folder").textContent = body.folder;
  if (!ruleChoices) {
    ruleChoices = body;
    $("rule-metric").replaceChildren(...body.metrics.map((m) => el("option", {}, m)));
    $("rule-dimension").replaceChildren(...body.dimensions.map((d) => el("option", {}, d)));
  }
  show("rules-message", body.rules.length ? "" : "No threshold rules yet: add one below.", true);
  if (!body.rules.length) {
    $("rule-list").replaceChildren();
    return;
  }
  $("rule-list").replaceChildren(el("table", { class: "rules" },
    el("thead", {}, el("tr", {}, ...["rule", "when", "slice", "for", "min. attempts", "enabled", "description", ""].map((c) => el("th", {}, c)))),
    el("tbody", {}, ...body.rules.map((entry) => {
      const rule = entry.rule;
      if (!rule) {
        return el("tr", { "data-rule-id": entry.ruleId }, el("td", {}, entry.ruleId),
          el("td", { colspan: "6", class: "kind-error" }, `unreadable: ${entry.error}`),
          el("td", {}, removeButton(entry.ruleId)));
      }
      const edit = el("button", { type: "button", class: "link" }, "edit");
      edit.addEventListener("click", () => editRule(rule));
      return el("tr", { "data-rule-id": rule.ruleId },
        el("td", {}, rule.ruleId),
        el("td", {}, `${rule.metric} ${rule.comparison === "ABOVE" ? ">" : "<"} ${rule.value}`),
        el("td", {}, `${rule.dimension}${rule.key ? `=${rule.key}` : " (every key)"}`),
        el("td", {}, `${rule.forMinutes} min`),
        el("td", {}, String(rule.minAttempts)),
        el("td", {}, rule.enabled ? "yes" : "no"),
        el("td", {}, rule.description || ""),
        el("td", {}, edit, " ", removeButton(rule.ruleId)));
    }))));
}

function removeButton(ruleId) {
  const button = el("button", { type: "button", class: "link remove" }, "remove");
  button.addEventListener("click", async () => {
    if (!window.confirm(`Remove the rule ${ruleId}?`)) return;
    try {
      await api(`/api/alert-rules/${encodeURIComponent(ruleId)}`, { method: "DELETE" });
      show("rule-error", "");
      await loadRules();
    } catch (error) {
      show("rule-error", error.message);
    }
  });
  return button;
}

function editRule(rule) {
  $("rule-editing").value = rule ? rule.ruleId : "";
  $("rule-form-title").textContent = rule ? `Edit rule ${rule.ruleId}` : "Add a rule";
  $("rule-cancel").hidden = !rule;
  $("rule-id").disabled = !!rule;
  $("rule-id").value = rule ? rule.ruleId : "";
  $("rule-metric").value = rule ? rule.metric : $("rule-metric").options[0]?.value;
  $("rule-comparison").value = rule ? rule.comparison : "ABOVE";
  $("rule-value").value = rule ? String(rule.value) : "";
  $("rule-dimension").value = rule ? rule.dimension : "fleet";
  $("rule-key").value = rule && rule.key ? rule.key : "";
  $("rule-for").value = rule ? String(rule.forMinutes) : "1";
  $("rule-min-attempts").value = rule ? String(rule.minAttempts) : "0";
  $("rule-enabled").checked = rule ? rule.enabled : true;
  $("rule-description").value = rule && rule.description ? rule.description : "";
  show("rule-error", "");
}

// Numbers are sent as typed, so the server's check names a field that is not one.
function numberOrText(text) {
  const trimmed = text.trim();
  return trimmed !== "" && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
}

async function saveRule(event) {
  event.preventDefault();
  const editing = $("rule-editing").value;
  const rule = {
    ruleId: editing || $("rule-id").value.trim(),
    metric: $("rule-metric").value,
    comparison: $("rule-comparison").value,
    value: numberOrText($("rule-value").value),
    dimension: $("rule-dimension").value,
    key: $("rule-key").value.trim() || null,
    forMinutes: numberOrText($("rule-for").value),
    minAttempts: numberOrText($("rule-min-attempts").value),
    enabled: $("rule-enabled").checked,
    description: $("rule-description").value.trim() || null,
  };
  try {
    await api(editing ? `/api/alert-rules/${encodeURIComponent(editing)}` : "/api/alert-rules", {
      method: editing ? "PUT" : "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(rule),
    });
    editRule(null);
    await loadRules();
  } catch (error) {
    show("rule-error", error.message);
  }
}

// ---- Session timeline -----------------------------------------------------------------------------

let timelineChart = null;
let timelineShown = null;

async function loadTimelineFromHash() {
  const session = hashParams().get("session");
  if (!session || session === timelineShown) return;
  $("timeline-session").value = session;
  timelineShown = session;
  await loadTimeline(session);
}

// The session's events as rows of one list: what happened, when, and the detail that matters.
function timelineRows(body) {
  const rows = [];
  let stallStart = null;
  for (const h of body.heartbeats) {
    if (h.type === "STALL_START") stallStart = h.eventTime;
    if (h.type === "STALL_END") {
      rows.push({ t: h.eventTime, kind: "stall", detail: `stalled ${stallStart == null ? "?" : h.eventTime - stallStart} ms (buffer ${h.bufferMs ?? "–"} ms)` });
      stallStart = null;
    } else if (h.type === "ERROR") {
      rows.push({ t: h.eventTime, kind: "error", detail: `error ${h.errorCode ?? ""}` });
    } else if (h.type !== "HEARTBEAT" && h.type !== "STALL_START") {
      rows.push({ t: h.eventTime, kind: h.type.toLowerCase(), detail: `${h.bitrateKbps ?? "–"} kbit/s, buffer ${h.bufferMs ?? "–"} ms, server ${h.serverId}` });
    }
  }
  if (stallStart != null) rows.push({ t: stallStart, kind: "stall", detail: "stalled, not ended in the range" });
  for (const c of body.caps) rows.push({ t: c.eventTime, kind: "cap", detail: `cap ${c.maxBitrateKbps} kbit/s (${c.reason})` });
  for (const s of body.steering) {
    rows.push({ t: s.eventTime, kind: "steering", detail: `pathway ${s.pathwayPriority.join(" › ")}${s.excluded.length ? `; excluded ${s.excluded.map((e) => `${e.serverId} (${e.reason})`).join(", ")}` : ""}` });
  }
  return rows.sort((a, b) => a.t - b.t);
}

async function loadTimeline(session) {
  show("timeline-message", "");
  $("timeline-events").replaceChildren();
  $("timeline-summary").textContent = "reading the session's events…";
  if (timelineChart) {
    timelineChart.destroy();
    timelineChart = null;
  }
  $("timeline-chart").hidden = true;
  try {
    let body = await api(`/api/timeline?session=${encodeURIComponent(session)}`);
    if (body.status === "no_session_row") {
      const { from, to } = range();
      body = await api(`/api/timeline?session=${encodeURIComponent(session)}&from=${from}&to=${to}`);
    }
    $("timeline-summary").textContent = body.status === "ok"
      ? `${fmt.time(body.from)} – ${fmt.time(body.to)}: ${body.heartbeats.length} player events, ${body.caps.length} caps, `
        + `${body.steering.length} steering decisions${body.truncated ? " (the read stopped at its limit; the range is longer than shown)" : ""}`
      : "";
    if (body.status !== "ok") {
      show("timeline-message", body.message, body.status !== "not_connected");
      return;
    }
    drawTimeline(body);
    $("timeline-events").replaceChildren(el("table", { id: "timeline-table" },
      el("thead", {}, el("tr", {}, el("th", {}, "time"), el("th", {}, "what"), el("th", {}, "detail"))),
      el("tbody", {}, ...timelineRows(body).map((row) =>
        el("tr", { "data-kind": row.kind }, el("td", {}, fmt.time(row.t)), el("td", { class: `kind-${row.kind}` }, row.kind), el("td", {}, row.detail))))));
  } catch (error) {
    $("timeline-summary").textContent = "";
    show("timeline-message", error.message);
  }
}

// Bitrate, cap and buffer on one time axis; stalls shaded, errors, caps and steering marked.
function drawTimeline(body) {
  const hb = body.heartbeats;
  const times = [...new Set([...hb.map((h) => h.eventTime), ...body.caps.map((c) => c.eventTime)])].sort((a, b) => a - b);
  let cap = null;
  const caps = [...body.caps];
  const byTime = new Map(hb.map((h) => [h.eventTime, h]));
  const bitrate = [];
  const buffer = [];
  const capLine = [];
  for (const t of times) {
    while (caps.length && caps[0].eventTime <= t) cap = caps.shift().maxBitrateKbps;
    const h = byTime.get(t);
    bitrate.push(h && h.bitrateKbps != null ? h.bitrateKbps : null);
    buffer.push(h && h.bufferMs != null ? h.bufferMs / 1000 : null);
    capLine.push(cap);
  }
  const stalls = [];
  let start = null;
  for (const h of hb) {
    if (h.type === "STALL_START") start = h.eventTime;
    if (h.type === "STALL_END" && start != null) {
      stalls.push([start, h.eventTime]);
      start = null;
    }
  }
  if (start != null) stalls.push([start, body.to]);
  const marks = [
    ...hb.filter((h) => h.type === "ERROR").map((h) => [h.eventTime, "#ff1744"]),
    ...body.caps.map((c) => [c.eventTime, "#ffb74d"]),
    ...body.steering.map((s) => [s.eventTime, "#90caf9"]),
  ];
  const box = $("timeline-chart");
  box.hidden = false;
  box.replaceChildren(el("h3", {}, `Session ${body.session}`));
  box.dataset.stalls = String(stalls.length);
  timelineChart = new uPlot({
    width: 1100,
    height: 300,
    scales: { kbps: {}, s: {} },
    series: [{},
      { label: "bitrate kbit/s", stroke: "#4db6ac", width: 2, scale: "kbps", spanGaps: true },
      { label: "cap kbit/s", stroke: "#ffb74d", width: 1, dash: [4, 4], scale: "kbps", spanGaps: true },
      { label: "buffer s", stroke: "#9575cd", width: 2, scale: "s", spanGaps: true }],
    axes: [{ stroke: "#9fb0c3", grid: { stroke: "#2a3542" } },
      { scale: "kbps", stroke: "#9fb0c3", grid: { stroke: "#2a3542" } },
      { scale: "s", side: 1, stroke: "#9fb0c3", grid: { show: false } }],
    plugins: [{
      hooks: {
        drawClear: (u) => {
          u.ctx.save();
          u.ctx.fillStyle = "rgba(255, 138, 128, 0.25)";
          for (const [a, b] of stalls) {
            const x0 = u.valToPos(a / 1000, "x", true);
            const x1 = u.valToPos(b / 1000, "x", true);
            u.ctx.fillRect(x0, u.bbox.top, Math.max(2, x1 - x0), u.bbox.height);
          }
          u.ctx.restore();
        },
      },
    }, ...marks.map(([t, color]) => markAt(t / 1000, color))],
  }, [times.map((t) => t / 1000), bitrate, capLine, buffer], box);
}

start();
