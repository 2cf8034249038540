#!/usr/bin/env python3
"""The runs and measurements behind bench/recommend.

One synthetic data set in the MovieLens 1M layout (SyntheticRatings: planted taste clusters,
Zipf-like popularity, fixed seed), then:
  job         RecommendJob --movielens DIR --eval time on Spark local[2]: every model's
              hyper-parameters searched on a validation split within --tune-budget (the trials
              and the choice are reported), the model chosen there, every model fitted again
              with its chosen settings on the train part (to report)
  implicit    the Python `implicit` library's AlternatingLeastSquares on the train part of the
              job's time-ordered split, with the factors, regularization and alpha the job chose
              for als-implicit: same iterations, binary preferences, 2 threads, BLAS pinned to one
              thread; fit and recommend-all timed
Progress goes to stderr; the last line of stdout is the JSON report. Run through bench/recommend,
which builds the jar and installs `implicit` into bench/.venv.

The orchestration uses the standard library only. `recommend.py --implicit-reference` is the
reference run itself; it needs numpy, scipy and implicit, and runs under bench/.venv's Python.
"""

import argparse
import json
import math
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from benchlib import BenchError, log, revision

# Where the job's search for implicit ALS starts (CandidateGrid: rank, regParam 0.05, alpha 20),
# and its iterations; the reference gets what the search chose. Every MovieLens rating is a
# positive interaction of weight 1.
K = 10
FACTORS = 64
ITERATIONS = 15
REGULARIZATION = 0.05
ALPHA = 20.0
CLUSTERS = 20
SEED = 42
TRAIN_RATIO = 0.75  # RecommendJob.TRAIN_RATIO, through Splits.byTime

TARGETS = {"chosen_over_popularity_ndcg": 2.0, "als_over_implicit": 3.0}

JAVA_OPTS = [
    "-Xmx6g",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
]

# Every BLAS / OpenMP pool the reference could spin up besides implicit's own threads.
BLAS_THREAD_VARS = ["OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
                    "NUMEXPR_NUM_THREADS"]

PROGRESS = re.compile(r"^\[recommend\] (.*)$")
# A trial of the search names its settings after the model: "fitting ease {lambda=500} on ...".
FITTING = re.compile(r"^fitting (\S+)(?: \{[^}]*\})? on (\d+) interactions$")
FITTED = re.compile(r"^(\S+)(?: \{[^}]*\})?: nDCG@\d+ ([\d.]+), MAP@\d+ ([\d.]+) \(fit ([\d.]+)s, score ([\d.]+)s\)$")


class Runner:
    """Runs timed child processes, pinned to `cores` CPUs when the machine has more."""

    def __init__(self, cores):
        self.cores = cores
        available = sorted(os.sched_getaffinity(0))
        self.cpus = set(available[:cores]) if len(available) > cores else None

    def _pin(self):
        if self.cpus:
            os.sched_setaffinity(0, self.cpus)

    def run(self, cmd, log_path, env=None, echo=None):
        """Runs cmd; stderr goes to log_path, each line prefixed with its arrival time.

        Returns a dict: wall_s, cpu_s, maxrss_mb, stdout [lines], stderr [(arrival s, line)].
        echo(line) decides which stderr lines are repeated on our stderr.
        """
        out_lines, err_lines = [], []
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                env=env, text=True, errors="replace", preexec_fn=self._pin)

        def read_stderr():
            with open(log_path, "w") as f:
                for line in proc.stderr:
                    at = time.monotonic() - start
                    line = line.rstrip("\n")
                    err_lines.append((at, line))
                    f.write(f"{at:8.2f} {line}\n")
                    if echo and echo(line):
                        print(f"    {at:6.1f}s {line}", file=sys.stderr, flush=True)

        reader = threading.Thread(target=read_stderr, daemon=True)
        reader.start()
        for line in proc.stdout:
            out_lines.append(line.rstrip("\n"))
        reader.join()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        code = os.waitstatus_to_exitcode(status)
        result = {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "maxrss_mb": usage.ru_maxrss / 1024,
                  "stdout": out_lines, "stderr": err_lines}
        if code != 0:
            raise BenchError(f"{os.path.basename(cmd[0])} exited with {code} after {wall:.1f} s (log {log_path}):\n"
                             + failure_excerpt([line for _, line in err_lines], out_lines))
        return result


def failure_excerpt(err, out):
    """The lines that say what went wrong: progress, the failure itself, its causes, the project's frames."""
    keep, logged, thrown, causes, frames = [], 0, 0, 0, 0
    for line in err:
        main_failure = line.find('Exception in thread "main"')
        if PROGRESS.match(line):
            keep.append(line)
        elif main_failure >= 0:
            keep.append(line[main_failure:][:600])
        elif re.match(r"^[\w.$]+(Exception|Error)(:|$)", line) and thrown < 2:
            keep.append(line[:400])
            thrown += 1
        elif line.startswith("Caused by") and causes < 4:
            keep.append(line[:400])
            causes += 1
        elif re.match(r"\s+at io\.caudal\.", line) and frames < 12:
            keep.append(line)
            frames += 1
        elif re.search(r"\bERROR\b|\b(error|failed|cannot|missing)\b", line, re.I) and logged < 6 \
                and not line.startswith(("\t", " ")):
            keep.append(line[:400])
            logged += 1
    if not keep:
        keep = err[-25:]
    return "\n".join(keep[-60:] + out[-5:])


def ratio(a, b):
    return a / b if b else None


def rounded(v, digits=4):
    return None if v is None else round(v, digits)


class Bench:
    def __init__(self, args, work, cores, size, java_extra, tune_budget):
        self.args = args
        self.work = work
        self.cores = cores
        self.users, self.items, self.interactions = size
        self.java_extra = java_extra
        self.tune_budget = tune_budget
        self.runner = Runner(cores)
        # A private copy of the jar, so a rebuild during the run cannot change what is measured.
        jar = os.path.join(work, "caudal-recommend.jar")
        shutil.copyfile(os.path.join(args.repo, args.jar), jar)
        with open(os.path.join(args.repo, args.classpath_file)) as f:
            deps = f.read().strip()
        self.classpath = jar + (":" + deps if deps else "")
        self.data = os.path.join(work, "movielens")
        self.tmp = os.path.join(work, "tmp")
        os.makedirs(self.tmp)

    def java(self, main, *args):
        return ["java", *JAVA_OPTS, *self.java_extra, f"-Dspark.master=local[{self.cores}]",
                f"-Dlog4j2.configurationFile={os.path.join(self.args.repo, 'bin', 'log4j2-local.properties')}",
                f"-Djava.io.tmpdir={self.tmp}", "-cp", self.classpath, main, *args]

    def java_env(self):
        return dict(os.environ, SPARK_LOCAL_IP="127.0.0.1")

    # ---- the data ---------------------------------------------------------------------------

    def make_data(self):
        log(f"generating ratings: {self.users} users, {self.items} titles, {self.interactions} interactions, "
            f"{CLUSTERS} taste clusters, seed {SEED} (SyntheticRatings)")
        r = self.runner.run(self.java("io.caudal.recommend.SyntheticRatings", self.data, str(self.users),
                                      str(self.items), str(self.interactions), str(CLUSTERS), str(SEED)),
                            os.path.join(self.work, "data.log"), env=self.java_env())
        with open(os.path.join(self.data, "ratings.dat"), "rb") as f:
            rows = sum(1 for _ in f)
        log(f"  {rows} ratings written in {r['wall_s']:.1f} s")
        return rows, r["wall_s"]

    # ---- the implicit reference -------------------------------------------------------------

    def implicit(self, als):
        """implicit's ALS with the job's chosen settings for als-implicit: {rank, regParam, alpha}."""
        out = os.path.join(self.work, "implicit.json")
        env = dict(os.environ)
        for var in BLAS_THREAD_VARS:
            env[var] = "1"
        # implicit's own loops run under OpenMP with num_threads=cores; BLAS is pinned above.
        env["OMP_NUM_THREADS"] = str(self.cores)
        cmd = [self.args.venv_python, os.path.abspath(__file__), "--implicit-reference", "--data", self.data,
               "--out", out, "--threads", str(self.cores), "--factors", str(int(als["rank"])),
               "--regularization", str(als["regParam"]), "--alpha", str(als["alpha"])]
        log(f"implicit {self.args.implicit_version}: AlternatingLeastSquares(factors={int(als['rank'])}, "
            f"iterations={ITERATIONS}, regularization={als['regParam']}, alpha={als['alpha']}, num_threads={self.cores}, "
            f"use_gpu=False), BLAS at 1 thread"
            + (f", OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']}" if "OPENBLAS_CORETYPE" in os.environ else ""))
        r = self.runner.run(cmd, os.path.join(self.work, "implicit.log"), env=env,
                            echo=lambda line: line.startswith("[implicit]"))
        with open(out) as f:
            result = json.load(f)
        result["process"] = {"wall_s": round(r["wall_s"], 2), "cpu_s": round(r["cpu_s"], 2),
                             "maxrss_mb": round(r["maxrss_mb"])}
        return result

    # ---- the job ----------------------------------------------------------------------------

    def job(self):
        report_dir = os.path.join(self.work, "report")
        args = ["--movielens", self.data, "--eval", "time", "--report", report_dir,
                "--als-rank", str(FACTORS), "--als-iterations", str(ITERATIONS), "--tune-budget", str(self.tune_budget)]
        cmd = self.java("io.caudal.recommend.RecommendJob", *args)
        log(f"job: RecommendJob {' '.join(args[:4])} --als-rank {FACTORS} --als-iterations {ITERATIONS} "
            f"--tune-budget {self.tune_budget} on "
            f"local[{self.cores}]" + (f", extra JVM options {' '.join(self.java_extra)}" if self.java_extra else ""))
        r = self.runner.run(cmd, os.path.join(self.work, "job.log"), env=self.java_env(),
                            echo=lambda line: bool(PROGRESS.match(line)))
        try:
            evaluation = json.loads(r["stdout"][-1])
        except (IndexError, ValueError) as e:
            raise BenchError(f"the job's last stdout line is not JSON ({e}):\n" + "\n".join(r["stdout"][-5:]))
        rounds = parse_rounds(r["stderr"])
        first_progress = min((at for at, line in r["stderr"] if PROGRESS.match(line)), default=None)
        return {
            "evaluation": evaluation,
            "rounds": rounds,
            "wall_s": r["wall_s"],
            "cpu_s": r["cpu_s"],
            "maxrss_mb": r["maxrss_mb"],
            "jvm_spark_start_and_read_s": first_progress,
        }


def parse_rounds(stderr):
    """The job's two rounds of fits from its progress lines: validation (to choose), then held-out.

    In the validation round a model is fitted once per setting tried: its times are summed, its
    nDCG and MAP are the best trial's, and "trials" counts them.
    """
    rounds, current, train_rows = [], None, None
    for at, line in stderr:
        m = PROGRESS.match(line)
        if not m:
            continue
        text = m.group(1)
        if text.startswith("choosing") or text.startswith("chosen:"):
            current = {}
            rounds.append(current)
            continue
        f = FITTING.match(text)
        if f:
            train_rows = int(f.group(2))
            if current is not None:
                current.setdefault("_started", {})[f.group(1)] = at
            continue
        f = FITTED.match(text)
        if f and current is not None:
            name = f.group(1)
            started = current.get("_started", {}).get(name)
            fit = {"ndcg_at_10": float(f.group(2)), "map_at_10": float(f.group(3)),
                   "train_s": float(f.group(4)), "score_s": float(f.group(5)),
                   "wall_s": round(at - started, 2) if started is not None else None,
                   "train_rows": train_rows, "trials": 1}
            before = current.get(name)
            if before:
                best = before if before["ndcg_at_10"] >= fit["ndcg_at_10"] else fit
                fit = dict(best, trials=before["trials"] + 1,
                           train_s=round(before["train_s"] + fit["train_s"], 2),
                           score_s=round(before["score_s"] + fit["score_s"], 2),
                           wall_s=round((before["wall_s"] or 0) + (fit["wall_s"] or 0), 2))
            current[name] = fit
    for r in rounds:
        r.pop("_started", None)
    names = ["validation", "held_out"]
    return {names[i] if i < len(names) else f"round{i + 1}": r for i, r in enumerate(rounds)}


def env_int(name, default, low):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        n = int(value)
    except ValueError:
        raise BenchError(f"{name} must be an integer, got '{value}'")
    if n < low:
        raise BenchError(f"{name} must be at least {low}, got {n}")
    return n


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--implicit-reference", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data")
    parser.add_argument("--out")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--factors", type=int, default=FACTORS)
    parser.add_argument("--regularization", type=float, default=REGULARIZATION)
    parser.add_argument("--alpha", type=float, default=ALPHA)
    parser.add_argument("--repo")
    parser.add_argument("--jar")
    parser.add_argument("--classpath-file")
    parser.add_argument("--venv-python")
    parser.add_argument("--implicit-version", default="?")
    args = parser.parse_args()
    if args.implicit_reference:
        return implicit_reference(args.data, args.out, args.threads, args.factors, args.regularization, args.alpha)
    for name in ("repo", "jar", "classpath_file", "venv_python"):
        if not getattr(args, name):
            parser.error(f"--{name.replace('_', '-')} is required")

    started = time.monotonic()
    try:
        cores = env_int("BENCH_CORES", 2, 1)
        size = (env_int("BENCH_USERS", 6040, 2), env_int("BENCH_ITEMS", 3706, 2),
                env_int("BENCH_INTERACTIONS", 1000209, 10))
        tune_budget = env_int("BENCH_TUNE_BUDGET", 600, 0)
    except BenchError as e:
        log(str(e))
        return 2
    if len(os.sched_getaffinity(0)) < cores:
        log(f"this machine has {len(os.sched_getaffinity(0))} usable cores, the benchmark needs {cores}")
        return 2
    java_extra = shlex.split(os.environ.get("BENCH_JAVA_OPTS", ""))

    base = os.environ.get("BENCH_WORK_DIR")
    if base:
        os.makedirs(base, exist_ok=True)
    work = tempfile.mkdtemp(prefix="caudal-bench-recommend-", dir=base or None)
    keep = os.environ.get("BENCH_KEEP") == "1"
    log(f"work folder {work}")
    ok = False
    try:
        report = run(Bench(args, work, cores, size, java_extra, tune_budget), args, started)
        ok = True
    except BenchError as e:
        log(f"failed: {e}")
        log(f"after {time.monotonic() - started:.0f} s")
        return 1
    finally:
        if ok and not keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"files kept in {work}")
    print(json.dumps(report, separators=(", ", ": ")), flush=True)
    return 0


def run(bench, args, started):
    load_before = os.getloadavg()
    rows, _ = bench.make_data()
    job = bench.job()
    ev = job["evaluation"]
    models = ev.get("models") or {}
    chosen = ev.get("chosen") or {}
    for need in ("popularity", "als-implicit"):
        if need not in models:
            raise BenchError(f"the job's JSON has no '{need}' model: {sorted(models)}")
    if "model" not in chosen:
        raise BenchError("the job's JSON has no chosen model")
    als_params = models["als-implicit"].get("params") or {"rank": FACTORS, "regParam": REGULARIZATION, "alpha": ALPHA}
    ref = bench.implicit(als_params)
    log(f"  implicit: fit {ref['train_s']:.2f} s (first fit {ref['first_train_s']:.2f} s, "
        f"{ref['fit_cpu_utilization']:.0%} of {bench.cores} cores), recommend-all {ref['score_s']:.2f} s, "
        f"nDCG@10 {ref['metrics']['ndcg_at_10']:.4f}; exact (Cholesky) solver: fit {ref['cholesky']['train_s']:.2f} s, "
        f"nDCG@10 {ref['cholesky']['metrics']['ndcg_at_10']:.4f}")
    warnings = []
    held_out = job["rounds"].get("held_out", {})
    job_train_rows = next((m["train_rows"] for m in held_out.values()), None)
    if job_train_rows is not None and job_train_rows != ref["split"]["train_rows"]:
        warnings.append(f"the job trained on {job_train_rows} rows, the reference's split of ratings.dat has "
                        f"{ref['split']['train_rows']}: the splits differ")
    load_after = os.getloadavg()
    if max(load_before[0], load_after[0]) > bench.cores + 0.5:
        warnings.append(f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after: other work "
                        f"may have shared the {bench.cores} cores")

    als_train = models["als-implicit"]["train_s"]
    chosen_ndcg = chosen["ndcg_at_10"]
    popularity_ndcg = models["popularity"]["ndcg_at_10"]
    chosen_over_popularity = ratio(chosen_ndcg, popularity_ndcg)
    als_over_implicit = ratio(als_train, ref["train_s"])

    # Where the job's time went, both rounds together.
    time_by_model = {}
    for rnd in job["rounds"].values():
        for name, m in rnd.items():
            t = time_by_model.setdefault(name, {"train_s": 0.0, "score_s": 0.0})
            t["train_s"] += m["train_s"]
            t["score_s"] += m["score_s"]
    for t in time_by_model.values():
        t["train_s"], t["score_s"] = round(t["train_s"], 2), round(t["score_s"], 2)
        t["total_s"] = round(t["train_s"] + t["score_s"], 2)
    fitted_s = sum(t["total_s"] for t in time_by_model.values())

    split = ref["split"]
    dataset = (f"SyntheticRatings (MovieLens 1M layout): {bench.users} users x {bench.items} titles, {rows} ratings "
               f"(asked {bench.interactions}), {CLUSTERS} planted taste clusters, seed {SEED}; time-ordered split at "
               f"the {TRAIN_RATIO:.0%} timestamp quantile: {split['train_rows']} train rows "
               f"({split['train_users']} users x {split['train_items']} titles), {split['test_rows']} test rows of "
               f"{split['test_users']} users")
    tuning = (ev.get("tuning") or {}).get("models") or {}
    tuned = {}
    for name, t in tuning.items():
        if not t.get("start"):
            continue  # the baselines have nothing to tune
        tuned[name] = {
            "chosen": t["chosen"],
            "validation_ndcg_at_10": t["validation_ndcg_at_10"],
            "start": t["start"],
            "start_validation_ndcg_at_10": t["start_validation_ndcg_at_10"],
            "chosen_over_start_validation_ndcg": rounded(ratio(t["validation_ndcg_at_10"],
                                                               t["start_validation_ndcg_at_10"]), 3),
            "held_out_ndcg_at_10": (models.get(name) or {}).get("ndcg_at_10"),
            "trials": t["trials"],
            "stopped": t["stopped"],
            "tried": [{"params": one["params"], "ndcg_at_10": one["ndcg_at_10"],
                       "train_s": one["train_s"], "score_s": one["score_s"]} for one in t["tried"]],
        }
    validation_round = job["rounds"].get("validation", {})
    report = {
        "chosen": chosen["model"],
        "chosen_params": chosen.get("params", {}),
        "chosen_ndcg_at_10": chosen_ndcg,
        "popularity_ndcg_at_10": popularity_ndcg,
        "chosen_over_popularity_ndcg": rounded(chosen_over_popularity, 3),
        "als_train_s": als_train,
        "implicit_train_s": round(ref["train_s"], 3),
        "als_over_implicit": rounded(als_over_implicit, 2),
        "als_score_s": models["als-implicit"]["score_s"],
        "implicit_score_s": round(ref["score_s"], 3),
        "als_ndcg_at_10": models["als-implicit"]["ndcg_at_10"],
        "implicit_ndcg_at_10": round(ref["metrics"]["ndcg_at_10"], 6),
        "ease_ndcg_at_10": (models.get("ease") or {}).get("ndcg_at_10"),
        "rp3beta_ndcg_at_10": (models.get("rp3beta") or {}).get("ndcg_at_10"),
        "tune_budget_s": bench.tune_budget,
        "tuning_s": round(sum(m["train_s"] + m["score_s"] for m in validation_round.values()), 2),
        "tuning": tuned,
        "models": models,
        "implicit": {
            "version": ref["version"],
            "params": ref["params"],
            "metrics": {k: round(v, 6) for k, v in ref["metrics"].items()},
            "train_s": round(ref["train_s"], 3),
            "first_train_s": round(ref["first_train_s"], 3),
            "score_s": round(ref["score_s"], 3),
            "fit_cpu_utilization": round(ref["fit_cpu_utilization"], 3),
            "cholesky": {"train_s": round(ref["cholesky"]["train_s"], 3),
                         "ndcg_at_10": round(ref["cholesky"]["metrics"]["ndcg_at_10"], 6),
                         "note": "use_cg=False: an exact solve per row, as Spark's ALS does"},
            "blas": ref["blas"],
            "process": ref["process"],
            "note": "the settings are the ones the job's search chose for als-implicit; implicit's confidence is "
                    "alpha*r for a rating (Spark's is 1 + alpha*r), and its regularization is fixed where Spark's "
                    "ALS multiplies regParam by each row's count; "
                    "implicit_train_s is the second of two fits on fresh models, as the job's train_s is its "
                    "second fit",
        },
        "job": {
            "wall_s": round(job["wall_s"], 2),
            "cpu_s": round(job["cpu_s"], 2),
            "cpu_utilization": round(job["cpu_s"] / (job["wall_s"] * bench.cores), 3),
            "maxrss_mb": round(job["maxrss_mb"]),
            "jvm_spark_start_and_read_s": rounded(job["jvm_spark_start_and_read_s"], 2),
            "fits_and_scoring_s": round(fitted_s, 2),
            "time_by_model": dict(sorted(time_by_model.items(), key=lambda kv: -kv[1]["total_s"])),
            "rounds": job["rounds"],
            "java_opts": JAVA_OPTS + bench.java_extra,
        },
        "split": split,
        "dataset": dataset,
        "protocol": ev.get("protocol"),
        "cores": bench.cores,
        "targets": TARGETS,
        "meets_targets": {
            "chosen_over_popularity_ndcg": chosen_over_popularity is not None
            and chosen_over_popularity >= TARGETS["chosen_over_popularity_ndcg"],
            "als_over_implicit": als_over_implicit is not None and als_over_implicit <= TARGETS["als_over_implicit"],
        },
        "revision": revision(args.repo, ["jobs/recommend", "pom.xml"]),
        "warnings": warnings,
    }
    for w in warnings:
        log(f"warning: {w}")
    report["total_s"] = round(time.monotonic() - started, 1)
    dominant = next(iter(report["job"]["time_by_model"].items()), None)
    log(f"done in {report['total_s']:.0f} s: chosen {chosen['model']} nDCG@10 {chosen_ndcg:.4f} vs popularity "
        f"{popularity_ndcg:.4f} (x{report['chosen_over_popularity_ndcg']}); als-implicit fit {als_train:.1f} s vs "
        f"implicit {ref['train_s']:.1f} s (x{report['als_over_implicit']}); job {job['wall_s']:.0f} s"
        + (f", most of it {dominant[0]} ({dominant[1]['total_s']:.0f} s over both rounds)" if dominant else ""))
    return report


# ---- the reference run, under bench/.venv ---------------------------------------------------

def implicit_reference(data_dir, out_path, threads, factors=FACTORS, regularization=REGULARIZATION, alpha=ALPHA):
    """Reads ratings.dat like the job, splits it like Splits.byTime, fits and scores implicit's ALS."""
    import numpy as np
    import scipy.sparse as sp
    import threadpoolctl
    import implicit
    from implicit.als import AlternatingLeastSquares

    def say(message):
        print(f"[implicit] {message}", file=sys.stderr, flush=True)

    # MovieLens.read: titles from movies.dat; ratings outside 1-5 or of unknown titles are refused.
    with open(os.path.join(data_dir, "movies.dat"), encoding="latin-1") as f:
        titles = {line.split("::", 1)[0].strip() for line in f if line.strip()}
    users, items, times = [], [], []
    refused = 0
    with open(os.path.join(data_dir, "ratings.dat"), encoding="latin-1") as f:
        for line in f:
            if not line.strip():
                continue
            u, i, r, t = line.strip().split("::")
            if not 1 <= float(r) <= 5 or i.strip() not in titles:
                refused += 1
                continue
            users.append(u.strip())
            items.append(i.strip())
            times.append(int(t))
    times = np.asarray(times, dtype=np.int64)
    n = len(times)

    # Splits.byTime: cutoff at the floor(ratio * n)-th smallest timestamp; train strictly before;
    # test at or after, of users and titles present in train.
    cutoff = np.sort(times)[int(math.floor(TRAIN_RATIO * n))]
    users = np.asarray(users)
    items = np.asarray(items)
    in_train = times < cutoff
    train_users, user_index = np.unique(users[in_train], return_inverse=True)
    train_items, item_index = np.unique(items[in_train], return_inverse=True)
    # Duplicate (user, title) pairs are summed, as InteractionMatrix does.
    user_items = sp.csr_matrix((np.ones(int(in_train.sum()), dtype=np.float32), (user_index, item_index)),
                               shape=(len(train_users), len(train_items)))
    user_items.sum_duplicates()
    duplicates = int(in_train.sum()) - user_items.nnz

    user_pos = {u: k for k, u in enumerate(train_users)}
    item_pos = {i: k for k, i in enumerate(train_items)}
    relevant = {}
    test_rows = 0
    for u, i in zip(users[~in_train], items[~in_train]):
        pu, pi = user_pos.get(u), item_pos.get(i)
        if pu is None or pi is None:
            continue
        relevant.setdefault(pu, set()).add(pi)
        test_rows += 1
    split = {"rows": n, "refused": refused, "cutoff_timestamp": int(cutoff), "train_rows": int(in_train.sum()),
             "train_users": len(train_users), "train_items": len(train_items), "train_nnz": int(user_items.nnz),
             "duplicate_pairs": duplicates, "test_rows": test_rows, "test_users": len(relevant)}
    say(f"split: {split['train_rows']} train rows ({split['train_users']} users x {split['train_items']} titles), "
        f"{test_rows} test rows of {len(relevant)} users")

    params = {"factors": factors, "iterations": ITERATIONS, "regularization": regularization, "alpha": alpha,
              "num_threads": threads, "use_gpu": False, "random_state": SEED, "dtype": "float32",
              "preferences": "binary (1 per train rating)"}

    def fit(**extra):
        model = AlternatingLeastSquares(factors=factors, iterations=ITERATIONS, regularization=regularization,
                                        alpha=alpha, use_gpu=False, num_threads=threads, random_state=SEED,
                                        calculate_training_loss=False, **extra)
        wall0, cpu0 = time.perf_counter(), time.process_time()
        model.fit(user_items, show_progress=False)
        return model, time.perf_counter() - wall0, time.process_time() - cpu0

    def recommend(model):
        t0 = time.perf_counter()
        ids, _ = model.recommend(np.arange(user_items.shape[0]), user_items, N=K, filter_already_liked_items=True)
        return ids, time.perf_counter() - t0

    with threadpoolctl.threadpool_limits(limits=1, user_api="blas"):
        # Two fits on fresh models; the second is the one reported, as the job reports its second fit.
        _, first_train_s, _ = fit()
        say(f"first fit {first_train_s:.2f} s")
        model, train_s, fit_cpu = fit()
        ids, score_s = recommend(model)
        say(f"fit {train_s:.2f} s ({fit_cpu:.1f} s CPU), recommend-all top {K} {score_s:.2f} s")
        exact, exact_train_s, _ = fit(use_cg=False)
        exact_ids, _ = recommend(exact)
        say(f"exact solver (use_cg=False): fit {exact_train_s:.2f} s")
        blas = [{k: lib.get(k) for k in ("internal_api", "version", "num_threads", "threading_layer",
                                         "architecture")}
                for lib in threadpoolctl.threadpool_info()]

    result = {
        "version": implicit.__version__,
        "params": params,
        "split": split,
        "first_train_s": first_train_s,
        "train_s": train_s,
        "score_s": score_s,
        "fit_cpu_utilization": fit_cpu / (train_s * threads),
        "metrics": ranking_metrics(ids, relevant, len(train_items)),
        "cholesky": {"train_s": exact_train_s, "metrics": ranking_metrics(exact_ids, relevant, len(train_items))},
        "blas": blas,
    }
    with open(out_path, "w") as f:
        json.dump(result, f)
    return 0


def ranking_metrics(ids, relevant, catalog):
    """RankingMetrics' definitions: averaged over users with a relevant item, binary relevance, k=10."""
    precision = recall = ndcg = ap = 0.0
    shown = set()
    for row in ids:
        shown.update(int(i) for i in row[:K] if i >= 0)
    for u, rel in relevant.items():
        top = []
        for i in ids[u]:
            i = int(i)
            if i >= 0 and i not in top:
                top.append(i)
            if len(top) == K:
                break
        hits = [i in rel for i in top]
        found = sum(hits)
        precision += found / K
        recall += found / len(rel)
        dcg = sum(1 / math.log2(rank + 1) for rank, hit in enumerate(hits, 1) if hit)
        ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(K, len(rel)) + 1))
        ndcg += dcg / ideal
        s, n = 0.0, 0
        for rank, hit in enumerate(hits, 1):
            if hit:
                n += 1
                s += n / rank
        ap += s / len(rel)
    users = len(relevant) or 1
    return {"precision_at_10": precision / users, "recall_at_10": recall / users, "ndcg_at_10": ndcg / users,
            "map_at_10": ap / users, "catalog_coverage": len(shown) / catalog}


if __name__ == "__main__":
    sys.exit(main())
