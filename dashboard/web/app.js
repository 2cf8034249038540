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
];

const CHARTS = [
  ["plays-attempts", "Plays and attempts", [["plays", "plays", "#4fc3f7"], ["attempts", "attempts", "#9575cd"]]],
  ["failures", "VSF % and EBVS %", [["vsfPct", "VSF %", "#ff8a80"], ["ebvsPct", "EBVS %", "#ffb74d"]]],
  ["startup", "Startup time (ms)", [["startupP50Ms", "p50", "#81c784"], ["startupP95Ms", "p95", "#dce775"]]],
  ["rebuffering", "Rebuffering ratio (%)", [["rebufferingRatio", "rebuffering %", "#f06292", (v) => (v == null ? null : v * 100)]]],
  ["bitrate", "Average bitrate (kbit/s)", [["avgBitrateKbps", "kbit/s", "#4db6ac"]]],
  ["errors", "Errors", [["errors", "errors", "#e57373"]]],
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
}

async function searchSession(event) {
  event.preventDefault();
  const q = $("session-q").value.trim();
  try {
    const body = await api(`/api/sessions?q=${encodeURIComponent(q)}`);
    show("session-message", body.status === "ok" ? "" : body.message, true);
    $("session-table").replaceChildren(table(body.rows));
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
  const name = window.location.hash.replace("#", "") || "overview";
  return ["overview", "breakdowns", "steering", "sql"].includes(name) ? name : "overview";
}

async function refresh() {
  const tab = currentTab();
  try {
    if (tab === "overview") await loadOverview();
    if (tab === "breakdowns") await loadBreakdown();
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
  scheduleRefresh();
  showTab();
}

start();
