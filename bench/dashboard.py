#!/usr/bin/env python3
"""The runs and measurements behind bench/dashboard.

1. Generates qoe_minute with DuckDB: BENCH_ROWS rows over the 7 days up to now, one row per
   (minute, dimension, key) with 12 regions, 40 ISPs, 8 device classes, 300 servers and the rest
   titles, written as Hive partitions date=YYYY-MM-DD/hour=HH/ like qoe-stream writes them.
2. Starts the dashboard (bin/caudal's jar and classpath) on a free loopback port over that root,
   with a users file made by its own --add-user, and logs in.
3. Asks the dashboard for the exact statements and parameters it runs (--print-queries) for the
   last 24 hours, and opens the same views in the Python duckdb package with the same thread count.
4. Interleaves: overview API, overview direct, breakdown API, breakdown direct; 20 warm-up rounds,
   then BENCH_REQUESTS timed ones. API time is the HTTP round trip on one kept-alive connection
   (as a browser's) including parsing the JSON body;
   direct time is execute + fetchall.
The last line of stdout is the JSON report; overview_p99_ms, direct_p99_ms and ratio answer the
target (overview API p99 < 300 ms and within 1.5x of direct DuckDB).
"""

import argparse
import datetime
import http.client
import http.cookiejar
import re
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import BenchError, log, revision  # noqa: E402

import duckdb  # noqa: E402

WARMUP = 20
USER = "bench"
PASSWORD = "bench-password-not-secret"
KEYS = {"region": 12, "isp": 40, "device": 8, "server": 300}


def percentile(values, q):
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1)))))
    return ordered[rank]


def generate(root, rows, now_ms):
    """Writes qoe_minute; returns the number of rows written."""
    minutes = 7 * 24 * 60
    per_minute = max(sum(KEYS.values()) + 1, -(-rows // minutes))
    titles = per_minute - sum(KEYS.values())
    first = (now_ms // 60_000 - minutes) * 60_000
    target = os.path.join(root, "tables", "qoe_minute")
    os.makedirs(target, exist_ok=True)
    log(f"generating qoe_minute: {minutes} minutes x {per_minute} slices into {target}")
    started = time.time()
    con = duckdb.connect()
    con.execute(f"SET threads = {os.cpu_count() or 2}")
    slices = " UNION ALL ".join(
        [f"SELECT '{dim}' AS dimension, '{dim}-' || i AS key, i AS k FROM range({n}) t(i)" for dim, n in KEYS.items()]
        + [f"SELECT 'title' AS dimension, 'title-' || i AS key, i AS k FROM range({titles}) t(i)"])
    con.execute(f"""
        COPY (
          SELECT m.minute AS minute, s.dimension, s.key,
                 (20 + hash(m.minute, s.key) % 80)::BIGINT AS attempts,
                 (15 + hash(m.minute, s.key) % 70)::BIGINT AS plays,
                 (hash(s.key, m.minute, 1) % 500) / 100.0 AS vsfPct,
                 (hash(s.key, m.minute, 2) % 800) / 100.0 AS ebvsPct,
                 (600 + hash(s.key, m.minute, 3) % 900)::BIGINT AS startupP50Ms,
                 (1500 + hash(s.key, m.minute, 4) % 3000)::BIGINT AS startupP95Ms,
                 (hash(s.key, m.minute, 5) % 1000) / 20000.0 AS rebufferingRatio,
                 (1500 + hash(s.key, m.minute, 6) % 4500)::DOUBLE AS avgBitrateKbps,
                 (hash(s.key, m.minute, 7) % 5)::BIGINT AS errors,
                 (hash(s.key, m.minute, 8) % 100) / 10000.0 AS lossFraction,
                 (hash(s.key, m.minute, 9) % 300) / 10.0 AS jitterMs,
                 (50 + hash(m.minute, s.key) % 400)::BIGINT AS concurrentSessions,
                 (40 + hash(s.key, m.minute, 10) % 600 / 10.0)::DOUBLE AS experienceScore,
                 strftime(make_timestamp(m.minute * 1000), '%Y-%m-%d') AS date,
                 strftime(make_timestamp(m.minute * 1000), '%H') AS hour
          FROM (SELECT {first} + i * 60000 AS minute FROM range({minutes}) r(i)) m, ({slices}) s
        ) TO '{target}' (FORMAT parquet, PARTITION_BY (date, hour), OVERWRITE_OR_IGNORE true)
    """)
    written = con.execute(
        f"SELECT count(*) FROM read_parquet('{target}/**/*.parquet', hive_partitioning = true)").fetchone()[0]
    log(f"wrote {written} rows in {time.time() - started:.1f} s")
    return written


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def java_cmd(args, main_args):
    classpath = args.jar + ":" + open(args.classpath_file).read().strip()
    return ["java", "-Xmx1g", "-cp", classpath, "io.caudal.dashboard.DashboardMain", *main_args]


def start_dashboard(args, root, threads):
    users = os.path.join(root, "users.txt")
    subprocess.run(java_cmd(args, ["--users", users, "--add-user", USER]), input=PASSWORD + "\n",
                   text=True, check=True, capture_output=True)
    port = free_port()
    log_file = open(os.path.join(root, "dashboard.log"), "w")
    process = subprocess.Popen(
        java_cmd(args, ["--root", root, "--users", users, "--port", str(port), "--threads", str(threads),
                        "--memory-limit", "4GB"]),
        stdout=log_file, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            raise BenchError(f"the dashboard exited with {process.returncode}; see {log_file.name}")
        try:
            urllib.request.urlopen(base + "/login", timeout=2).read()
            return process, base
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    process.kill()
    raise BenchError("the dashboard did not answer within 60 s")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def login(base):
    """Logs in; returns the session cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    # The login form carries a one-time token matching a cookie set with the form (CSRF).
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"user": USER, "password": PASSWORD, "_csrf": token}).encode()
    try:
        opener.open(base + "/login", data=body)
    except urllib.error.HTTPError as e:
        if e.code != 303:
            raise BenchError(f"login answered {e.code}")
    cookies = [c for c in jar if c.name == "caudal_session"]
    if not cookies:
        raise BenchError("login set no session cookie")
    return f"caudal_session={cookies[0].value}"


def bind(params):
    return [datetime.date.fromisoformat(p["value"]) if p["type"] == "date" else p["value"] for p in params]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", required=True)
    parser.add_argument("--jar", required=True)
    parser.add_argument("--classpath-file", required=True)
    parser.add_argument("--duckdb-version", required=True)
    args = parser.parse_args()
    rows = int(os.environ.get("BENCH_ROWS", "10000000"))
    requests = int(os.environ.get("BENCH_REQUESTS", "200"))
    threads = int(os.environ.get("BENCH_THREADS", "2"))
    work = os.environ.get("BENCH_WORK_DIR") or tempfile.mkdtemp(prefix="caudal-bench-dashboard-")
    os.makedirs(work, exist_ok=True)
    process = None
    try:
        now_ms = int(time.time() * 1000)
        written = generate(work, rows, now_ms)
        to_ms = now_ms
        from_ms = to_ms - 24 * 3600 * 1000
        printed = subprocess.run(
            java_cmd(args, ["--print-queries", "--from", str(from_ms), "--to", str(to_ms)]),
            check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        queries = json.loads(printed)

        process, base = start_dashboard(args, work, threads)
        cookie = login(base)
        # One kept-alive connection, as a browser keeps one open to the dashboard.
        connection = http.client.HTTPConnection(urllib.parse.urlsplit(base).netloc, timeout=60)
        overview_url = f"/api/overview?from={from_ms}&to={to_ms}"
        breakdown_url = f"{queries['breakdown']['api']}&from={from_ms}&to={to_ms}"

        direct = duckdb.connect()
        direct.execute(f"SET threads = {threads}")
        glob = os.path.join(work, "tables", "qoe_minute", "**", "*.parquet")
        direct.execute(f"CREATE VIEW qoe_minute AS SELECT * FROM read_parquet('{glob}', "
                       "hive_partitioning = true, union_by_name = true)")
        overview_sql, overview_params = queries["overview"]["sql"], bind(queries["overview"]["params"])
        breakdown_sql, breakdown_params = queries["breakdown"]["sql"], bind(queries["breakdown"]["params"])

        def api(url):
            start = time.perf_counter()
            connection.request("GET", url, headers={"Cookie": cookie})
            response = connection.getresponse()
            payload = response.read()
            if response.status != 200:
                raise BenchError(f"GET {url} answered {response.status}: {payload[:200]!r}")
            body = json.loads(payload)
            return (time.perf_counter() - start) * 1000, body

        def run_direct(sql, params):
            start = time.perf_counter()
            result = direct.execute(sql, params).fetchall()
            return (time.perf_counter() - start) * 1000, result

        # The two sides must answer the same: same totals, same worst server.
        _, overview_body = api(overview_url)
        _, overview_rows = run_direct(overview_sql, overview_params)
        if overview_body.get("status") != "ok":
            raise BenchError(f"overview API answered {overview_body.get('status')}: {overview_body.get('message')}")
        if overview_body["totals"]["attempts"] != overview_rows[0][1]:
            raise BenchError(f"overview attempts differ: API {overview_body['totals']['attempts']}, "
                             f"direct {overview_rows[0][1]}")
        _, breakdown_body = api(breakdown_url)
        _, breakdown_rows = run_direct(breakdown_sql, breakdown_params)
        if breakdown_body["rows"][0]["key"] != breakdown_rows[0][0]:
            raise BenchError("breakdowns differ on the worst server")

        times = {"overview_api": [], "overview_direct": [], "breakdown_api": [], "breakdown_direct": []}
        log(f"{WARMUP} warm-up rounds, then {requests} timed rounds of each query on each side")
        for round_number in range(WARMUP + requests):
            measured = [
                ("overview_api", api(overview_url)[0]),
                ("overview_direct", run_direct(overview_sql, overview_params)[0]),
                ("breakdown_api", api(breakdown_url)[0]),
                ("breakdown_direct", run_direct(breakdown_sql, breakdown_params)[0]),
            ]
            if round_number >= WARMUP:
                for name, ms in measured:
                    times[name].append(ms)

        def p(name, q):
            return round(percentile(times[name], q), 2)

        report = {
            "benchmark": "dashboard",
            "revision": revision(args.repo, ["dashboard", "bench/dashboard", "bench/dashboard.py"]),
            "qoe_minute_rows": written,
            "range": "last 24 h of 7 days",
            "requests_per_query": requests,
            "duckdb_threads": threads,
            "duckdb_version": args.duckdb_version,
            "overview_p50_ms": p("overview_api", 50),
            "overview_p99_ms": p("overview_api", 99),
            "direct_p50_ms": p("overview_direct", 50),
            "direct_p99_ms": p("overview_direct", 99),
            "ratio": round(percentile(times["overview_api"], 99) / percentile(times["overview_direct"], 99), 3),
            "breakdown_p50_ms": p("breakdown_api", 50),
            "breakdown_p99_ms": p("breakdown_api", 99),
            "breakdown_direct_p50_ms": p("breakdown_direct", 50),
            "breakdown_direct_p99_ms": p("breakdown_direct", 99),
            "breakdown_ratio": round(percentile(times["breakdown_api"], 99) / percentile(times["breakdown_direct"], 99), 3),
        }
        report["target_met"] = report["overview_p99_ms"] < 300 and report["ratio"] <= 1.5
        print(json.dumps(report))
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        if os.environ.get("BENCH_KEEP") != "1" and not os.environ.get("BENCH_WORK_DIR"):
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except BenchError as e:
        log(f"failed: {e}")
        sys.exit(1)
