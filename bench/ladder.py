#!/usr/bin/env python3
"""Ladder benchmark: Caudal's per-title ladder against its fixed ladder (H.264), and its per-title
AV1 ladder against its per-title H.264 one, scored by VMAF.

Four 1080p30 clips of different complexity are made with the reference ffmpeg (imageio-ffmpeg,
with libvmaf). Each is transcoded by the job twice, `--ladder fixed` and `--ladder per-title`,
on Spark local[N]; the per-title run also asks for `--codecs h264,av1`, so it encodes an AV1
ladder on its own probe's hull beside the H.264 one (BENCH_AV1=0 leaves AV1 out). Every rung (init + segments as the player fetches them) is scaled back to
1920x1080 (bicubic) and scored with VMAF (libvmaf, default model) against its clip; its rate is
the rung's measured average bitrate from the job's ladder report. The two ladders of a clip are
compared by BD-rate: the mean difference of log rate at equal VMAF, over the VMAF range both
ladders cover, each ladder's rate-quality curve interpolated piecewise linearly. It also pairs
the job's own measure (its VMAF estimate) with VMAF on every rung, so the README can say how one
maps to the other. Run by bench/ladder, which builds the jar and installs imageio-ffmpeg.
"""

import argparse
import glob
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

from benchlib import JAVA_OPENS, TRANSCODE_PROGRESS as PROGRESS, BenchError, log, revision, rung_as_file

WIDTH, HEIGHT, FPS = 1920, 1080, 30

# name -> lavfi graph of the clip (size and rate are the same for all, duration is added).
CLIPS = {
    # A new still every 4 s: detailed Mandelbrot views, held.
    "slides": f"mandelbrot=size={WIDTH}x{HEIGHT}:rate=1/4:maxiter=2000,fps={FPS}",
    # Flat colours moving: a cartoon-like picture.
    "flat": (f"color=c=0x2a5599:size={WIDTH}x{HEIGHT}:rate={FPS},"
             "drawbox=x='mod(t*240,1600)':y=300:w=320:h=320:color=0xf5c518:t=fill,"
             "drawbox=x=200:y='mod(t*120,700)':w=500:h=180:color=0xd03030:t=fill,"
             "drawbox=x='1400-mod(t*90,1200)':y=760:w=260:h=220:color=0x30b060:t=fill"),
    # FFmpeg's moving test pattern.
    "motion": f"testsrc2=size={WIDTH}x{HEIGHT}:rate={FPS}",
    # The same motion under heavy temporal grain.
    "grain": f"testsrc2=size={WIDTH}x{HEIGHT}:rate={FPS},noise=alls=10:allf=t+u",
}
TARGETS = {"bd_rate_vs_fixed_pct": -20.0, "av1_bd_rate_vs_h264_pct": -25.0, "top_rung_vmaf": [93.0, 97.0],
           "probe_cpu_fraction": 0.3}


def run(cmd, log_path, env=None, echo=False):
    """Runs cmd; returns (wall seconds, CPU seconds, stdout lines)."""
    with open(log_path, "w") as err:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, env=env, text=True)
        lines = []
        for line in proc.stdout:
            line = line.rstrip("\n")
            lines.append(line)
            if echo and PROGRESS.match(line):
                print(f"    {line}", file=sys.stderr, flush=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        with open(log_path) as f:
            tail = f.readlines()[-20:]
        raise BenchError(f"{os.path.basename(cmd[0])} exited with {code} (log {log_path}):\n" + "".join(tail)
                         + "\n".join(lines[-10:]))
    return wall, usage.ru_utime + usage.ru_stime, lines


def bd_rate(reference, test):
    """Mean % rate difference of test against reference at equal quality.

    Each side is a list of (kbps, vmaf). Over the VMAF range both cover, log rate is
    interpolated piecewise linearly in VMAF and the mean difference is taken (200 steps).
    Returns None when the ranges do not overlap."""
    def curve(points):
        pts = sorted((q, math.log10(r)) for r, q in points)
        # Keep it monotone: a rung that costs more for less quality adds no information.
        mono = []
        for q, lr in pts:
            if not mono or (q > mono[-1][0] and lr >= mono[-1][1]):
                mono.append((q, lr))
        return mono

    def at(c, q):
        for (q0, r0), (q1, r1) in zip(c, c[1:]):
            if q0 <= q <= q1:
                return r0 + (r1 - r0) * (q - q0) / (q1 - q0) if q1 > q0 else r0
        return c[0][1] if q <= c[0][0] else c[-1][1]

    a, b = curve(reference), curve(test)
    if len(a) < 2 or len(b) < 2:
        return None
    low, high = max(a[0][0], b[0][0]), min(a[-1][0], b[-1][0])
    if high <= low:
        return None
    steps = 200
    diff = sum(at(b, low + (high - low) * (i + 0.5) / steps) - at(a, low + (high - low) * (i + 0.5) / steps)
               for i in range(steps)) / steps
    return round((10 ** diff - 1) * 100, 2)


class Bench:
    def __init__(self, args, work, seconds, cores, subsample):
        self.args = args
        self.work = work
        self.seconds = seconds
        self.cores = cores
        self.subsample = subsample
        jar = os.path.join(work, "caudal-transcode.jar")
        shutil.copyfile(os.path.join(args.repo, args.jar), jar)
        with open(os.path.join(args.repo, args.classpath_file)) as f:
            deps = f.read().strip()
        self.classpath = jar + (":" + deps if deps else "")

    def make_clip(self, name, graph):
        out = os.path.join(self.work, f"{name}.mp4")
        # Near-lossless H.264 mezzanine, a keyframe every 2 s, as an upload would be.
        cmd = [self.args.ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-f", "lavfi",
               "-i", f"{graph},format=yuv420p", "-t", f"{self.seconds:g}", "-c:v", "libx264", "-preset", "veryfast",
               "-crf", "16", "-g", str(2 * FPS), "-pix_fmt", "yuv420p", out]
        wall, _, _ = run(cmd, os.path.join(self.work, f"make-{name}.log"))
        log(f"clip {name}: {self.seconds:g} s {WIDTH}x{HEIGHT} ({os.path.getsize(out) / 1e6:.1f} MB, {wall:.0f} s)")
        return out

    def transcode(self, name, clip, ladder, codecs="h264"):
        root = os.path.join(self.work, f"root-{name}-{ladder}")
        tmp = os.path.join(self.work, f"tmp-{name}-{ladder}")
        os.makedirs(tmp)
        cmd = ["java", f"-Dspark.master=local[{self.cores}]", f"-Djava.io.tmpdir={tmp}", "-cp", self.classpath,
               *JAVA_OPENS, "io.caudal.transcode.TranscodeJob", "--input", clip, "--name", f"bench {name}",
               "--category", "bench", "--root", root, "--ladder", ladder, "--codecs", codecs]
        log(f"transcode {name} --ladder {ladder} --codecs {codecs}")
        wall, cpu, _ = run(cmd, os.path.join(self.work, f"transcode-{name}-{ladder}.log"), echo=True)
        reports = glob.glob(os.path.join(root, "reports", "transcode", "*", "ladder.json"))
        if len(reports) != 1:
            raise BenchError(f"{root}: expected one ladder report, found {len(reports)}")
        with open(reports[0]) as f:
            report = json.load(f)
        title_dir = os.path.join(root, "vod", report["titleId"])
        rungs = []
        for r in report["rungs"]:
            vmaf = self.vmaf(self.rung_file(title_dir, r["id"], f"{name}-{ladder}"), clip, f"{name}-{ladder}-{r['id']}")
            rungs.append({"id": r["id"], "size": f"{r['width']}x{r['height']}", "target_kbps": r["targetKbps"],
                          "kbps": r["averageKbps"], "peak_kbps": r["peakKbps"], "estimate": r["quality"],
                          "vmaf": vmaf, "codec": r.get("codec", "h264")})
            log(f"  {ladder} {r['id']:>8} {r['width']}x{r['height']:<5} {r['averageKbps']:>6} kbit/s "
                f"estimate {r['quality']:.2f}  VMAF {vmaf:.2f}")
        av1_probe = report.get("codecs", {}).get("av1", {}).get("probeCpuSeconds", 0)
        return {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "cpu": report["cpu"], "chosen": report.get("chosen"),
                "rungs": [r for r in rungs if r["codec"] == "h264"], "av1_rungs": [r for r in rungs if r["codec"] == "av1"],
                "av1_probe_cpu_s": av1_probe}

    def rung_file(self, title_dir, rung, label):
        return rung_as_file(os.path.join(title_dir, "video", rung), os.path.join(self.work, f"rung-{label}-{rung}.mp4"))

    def vmaf(self, distorted, clip, label):
        path = os.path.join(self.work, f"vmaf-{label}.json")
        graph = (f"[0:v]scale={WIDTH}:{HEIGHT}:flags=bicubic,setpts=PTS-STARTPTS[d];"
                 f"[1:v]setpts=PTS-STARTPTS[r];"
                 f"[d][r]libvmaf=log_fmt=json:log_path={path}:n_threads={self.cores}:n_subsample={self.subsample}")
        cmd = [self.args.ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-i", distorted, "-i", clip,
               "-lavfi", graph, "-f", "null", "-"]
        run(cmd, os.path.join(self.work, f"vmaf-{label}.log"))
        with open(path) as f:
            data = json.load(f)
        os.remove(distorted)
        return round(data["pooled_metrics"]["vmaf"]["mean"], 3)


def fit(pairs):
    """Least squares vmaf = a + b * estimate, with r and the root mean square of estimate - vmaf."""
    n = len(pairs)
    if n < 3:
        return None
    mx = sum(x for x, _ in pairs) / n
    my = sum(y for _, y in pairs) / n
    sxx = sum((x - mx) ** 2 for x, _ in pairs)
    syy = sum((y - my) ** 2 for _, y in pairs)
    sxy = sum((x - mx) * (y - my) for x, y in pairs)
    if sxx == 0 or syy == 0:
        return None
    b = sxy / sxx
    a = my - b * mx
    return {"intercept": round(a, 3), "slope": round(b, 3), "r": round(sxy / math.sqrt(sxx * syy), 3),
            "rmse": round(math.sqrt(sum((x - y) ** 2 for x, y in pairs) / n), 2)}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repo", required=True)
    parser.add_argument("--jar", required=True)
    parser.add_argument("--classpath-file", required=True)
    parser.add_argument("--ffmpeg", required=True)
    args = parser.parse_args()
    seconds = float(os.environ.get("BENCH_CLIP_SECONDS", "20"))
    cores = int(os.environ.get("BENCH_CORES", "2"))
    subsample = int(os.environ.get("BENCH_VMAF_SUBSAMPLE", "1"))
    with_av1 = os.environ.get("BENCH_AV1", "1") != "0"
    work = os.environ.get("BENCH_WORK_DIR") or tempfile.mkdtemp(prefix="caudal-bench-ladder-")
    os.makedirs(work, exist_ok=True)
    started = time.monotonic()
    try:
        bench = Bench(args, work, seconds, cores, subsample)
        clips = {}
        chosen = [c for c in os.environ.get("BENCH_CLIPS", ",".join(CLIPS)).split(",") if c]
        unknown = [c for c in chosen if c not in CLIPS]
        if unknown:
            raise BenchError(f"BENCH_CLIPS names unknown clips {unknown}; known: {', '.join(CLIPS)}")
        for name in chosen:
            clip = bench.make_clip(name, CLIPS[name])
            fixed = bench.transcode(name, clip, "fixed")
            per_title = bench.transcode(name, clip, "per-title", "h264,av1" if with_av1 else "h264")
            os.remove(clip)
            clips[name] = {"fixed": fixed, "per_title": per_title,
                           "bd_rate_vs_fixed_pct": bd_rate([(r["kbps"], r["vmaf"]) for r in fixed["rungs"]],
                                                           [(r["kbps"], r["vmaf"]) for r in per_title["rungs"]]),
                           "av1_bd_rate_vs_h264_pct": bd_rate([(r["kbps"], r["vmaf"]) for r in per_title["rungs"]],
                                                              [(r["kbps"], r["vmaf"]) for r in per_title["av1_rungs"]])
                           if with_av1 else None}
            log(f"  {name}: BD-rate per-title vs fixed {clips[name]['bd_rate_vs_fixed_pct']} %, "
                f"AV1 vs H.264 (per-title) {clips[name]['av1_bd_rate_vs_h264_pct']} %")
        per_clip = {n: c["bd_rate_vs_fixed_pct"] for n, c in clips.items()}
        known = [v for v in per_clip.values() if v is not None]
        tops = [c["per_title"]["rungs"][0]["vmaf"] for c in clips.values()]
        av1_per_clip = {n: c["av1_bd_rate_vs_h264_pct"] for n, c in clips.items()}
        av1_known = [v for v in av1_per_clip.values() if v is not None]
        # The job's CPU figures are its tasks' thread CPU: SVT-AV1's own threads are not in them,
        # so the AV1 probe is taken out again and the fraction stays the H.264 probe's share.
        probe = sum(c["per_title"]["cpu"]["probeSeconds"] - c["per_title"]["av1_probe_cpu_s"] for c in clips.values())
        encode = sum(c["per_title"]["cpu"]["encodeSeconds"] for c in clips.values())
        pairs = [(r["estimate"], r["vmaf"]) for c in clips.values() for lad in ("fixed", "per_title")
                 for r in c[lad]["rungs"]]
        result = {
            "benchmark": "ladder",
            "revision": revision(args.repo, ["jobs/transcode", "bench/ladder", "bench/ladder.py"]),
            "clips": f"{len(chosen)} x {seconds:g} s {WIDTH}x{HEIGHT} {FPS} fps: {', '.join(chosen)}",
            "quality": f"VMAF (libvmaf default model, every {subsample} frame(s)) of each rung scaled to "
                       f"{WIDTH}x{HEIGHT} bicubic against its clip; rate = measured average of the rung",
            "bd_rate_vs_fixed_pct": round(sum(known) / len(known), 2) if known else None,
            "bd_rate_per_clip": per_clip,
            "av1_bd_rate_vs_h264_pct": round(sum(av1_known) / len(av1_known), 2) if av1_known else None,
            "av1_bd_rate_per_clip": av1_per_clip if with_av1 else None,
            "av1_top_rung_vmaf": {n: c["per_title"]["av1_rungs"][0]["vmaf"] for n, c in clips.items()
                                  if c["per_title"]["av1_rungs"]} if with_av1 else None,
            "av1_rungs_per_clip": {n: len(c["per_title"]["av1_rungs"]) for n, c in clips.items()} if with_av1 else None,
            "top_rung_vmaf_min": min(tops),
            "top_rung_vmaf_max": max(tops),
            "probe_cpu_fraction": round(probe / encode, 3) if encode else None,
            "rungs_per_clip": {n: len(c["per_title"]["rungs"]) for n, c in clips.items()},
            "estimate_to_vmaf": fit(pairs),
            "targets": TARGETS,
            "ladders": {n: {**{lad: [{k: r[k] for k in ("id", "size", "kbps", "estimate", "vmaf")} for r in c[lad]["rungs"]]
                               for lad in ("fixed", "per_title")},
                            "per_title_av1": [{k: r[k] for k in ("id", "size", "kbps", "estimate", "vmaf")}
                                              for r in c["per_title"]["av1_rungs"]]} for n, c in clips.items()},
            "wall_s": round(time.monotonic() - started, 1),
        }
    except BenchError as e:
        log(f"failed: {e}")
        return 1
    finally:
        if os.environ.get("BENCH_KEEP") != "1" and not os.environ.get("BENCH_WORK_DIR"):
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
