#!/usr/bin/env python3
"""Quality-scale fit: the straight line from VMAF's detail-loss feature (ADM2) to VMAF that the
transcode job uses as its quality measure (QualityScale), refitted from scratch, and how well it
follows VMAF on the ladder benchmark's clips, which the fit never sees.

Training pictures are lavfi test patterns unlike the benchmark's clips: a Mandelbrot zoom, the game
of life scaled up, SMPTE bars under noise with a moving box, a Sierpinski carpet, moving gradients,
the old testsrc and a zone plate. Each clip is encoded with libx264 (veryfast) at four sizes and
three CRFs, scaled back to 1920x1080 (bicubic) and scored by libvmaf (default model) with its
floating-point ADM2 feature, which the job's DetailLoss reproduces (DetailLossTest). A cellular
automaton scaled up by nearest neighbour (pixel art) is scored too but left out of the fit: there
VMAF stays at 90-99 for downscaled rungs that lose every hard pixel edge, while detail loss says
they lost it; the estimate is up to 30 points under VMAF on such pictures, which costs bits, not
quality. Run by bench/quality-fit.
"""

import argparse
import json
import math
import os
import subprocess
import tempfile
import time

from benchlib import BenchError, log, revision
import ladder

W, H, FPS = 1920, 1080, 30
TRAINING = {
    "zoom": f"mandelbrot=size={W}x{H}:rate={FPS}:start_scale=1.5:end_scale=0.3",
    "life": f"life=s=480x270:mold=10:r={FPS}:ratio=0.1:death_color=#C83232:life_color=#00ff00,"
            f"scale={W}:{H}:flags=bicubic",
    "bars": f"smptehdbars=s={W}x{H}:r={FPS},noise=alls=4:allf=t,"
            "drawbox=x='mod(t*300,1600)':y=400:w=300:h=300:color=white:t=fill",
    "sierp": f"sierpinski=s={W}x{H}:r={FPS}",
    "grad": f"gradients=s={W}x{H}:r={FPS}:speed=0.05:nb_colors=3",
    "tsrc": f"testsrc=s={W}x{H}:r={FPS}",
    "zone": f"zoneplate=s={W}x{H}:r={FPS}:kt2=2:kx2=256:ky2=256",
}
LEFT_OUT = {"cell": f"cellauto=s=480x270:rule=110:r={FPS},scale={W}:{H}:flags=neighbor"}
SIZES = [(1920, 1080), (1280, 720), (960, 540), (640, 360)]
CRFS = [20, 28, 36]


def run(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        raise BenchError(f"{' '.join(cmd[:6])}...: exit {out.returncode}\n{out.stderr[-2000:]}")
    return out


def score(ffmpeg, work, name, graph, seconds):
    """(clip, size, crf, vmaf, adm2) of every encode of one clip."""
    src = os.path.join(work, f"{name}.y4m")
    run([ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-f", "lavfi", "-i",
         f"{graph},format=yuv420p", "-t", f"{seconds:g}", src])
    rows = []
    for w, h in SIZES:
        for crf in CRFS:
            enc = os.path.join(work, f"{name}-{w}-{crf}.mp4")
            run([ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-i", src, "-vf",
                 f"scale={w}:{h}:flags=bicubic", "-c:v", "libx264", "-preset", "veryfast", "-crf", str(crf), enc])
            log_path = os.path.join(work, f"{name}-{w}-{crf}.json")
            run([ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-i", enc, "-i", src, "-lavfi",
                 f"[0:v]scale={W}:{H}:flags=bicubic,format=yuv420p[d];[1:v]format=yuv420p[r];"
                 f"[d][r]libvmaf=log_fmt=json:log_path={log_path}:feature=name=float_adm", "-f", "null", "-"])
            with open(log_path) as f:
                pooled = json.load(f)["pooled_metrics"]
            rows.append({"clip": name, "size": f"{w}x{h}", "crf": crf, "vmaf": round(pooled["vmaf"]["mean"], 3),
                         "adm2": round(pooled["adm2"]["mean"], 6)})
            log(f"  {name} {w}x{h} crf {crf}: VMAF {rows[-1]['vmaf']:.2f}, ADM2 {rows[-1]['adm2']:.4f}")
            os.remove(enc)
    os.remove(src)
    return rows


def agreement(rows, slope, intercept):
    """How the estimate follows VMAF: r, RMSE overall and where rungs live (VMAF >= 60, >= 85)."""
    def est(r):
        return max(0.0, min(100.0, intercept + slope * r["adm2"]))

    def rmse(sel):
        return round(math.sqrt(sum((est(r) - r["vmaf"]) ** 2 for r in sel) / len(sel)), 2) if sel else None

    n = len(rows)
    me = sum(est(r) for r in rows) / n
    mv = sum(r["vmaf"] for r in rows) / n
    cov = sum((est(r) - me) * (r["vmaf"] - mv) for r in rows)
    den = math.sqrt(sum((est(r) - me) ** 2 for r in rows) * sum((r["vmaf"] - mv) ** 2 for r in rows))
    high = [r for r in rows if r["vmaf"] >= 85]
    return {"n": n, "r": round(cov / den, 3) if den else None, "rmse": rmse(rows),
            "rmse_vmaf_60_up": rmse([r for r in rows if r["vmaf"] >= 60]), "rmse_vmaf_85_up": rmse(high),
            "bias_vmaf_85_up": round(sum(est(r) - r["vmaf"] for r in high) / len(high), 2) if high else None}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repo", required=True)
    parser.add_argument("--ffmpeg", required=True)
    args = parser.parse_args()
    seconds = float(os.environ.get("BENCH_FIT_SECONDS", "1"))
    work = tempfile.mkdtemp(prefix="caudal-bench-quality-fit-")
    started = time.monotonic()
    training = [r for name, graph in TRAINING.items() for r in score(args.ffmpeg, work, name, graph, seconds)]
    left_out = [r for name, graph in LEFT_OUT.items() for r in score(args.ffmpeg, work, name, graph, seconds)]
    benchmark = [r for name, graph in ladder.CLIPS.items() for r in score(args.ffmpeg, work, name, graph, seconds)]
    fitted = ladder.fit([(r["adm2"], r["vmaf"]) for r in training])
    slope, intercept = fitted["slope"], fitted["intercept"]
    print(json.dumps({
        "benchmark": "quality-fit",
        "revision": revision(args.repo, ["bench/quality-fit", "bench/quality_fit.py"]),
        "encodes": f"libx264 veryfast at {len(SIZES)} sizes x CRF {CRFS}, {seconds:g} s of each clip, "
                   f"scaled back to {W}x{H} bicubic; VMAF default model and its float ADM2",
        "slope": round(slope, 1),
        "intercept": round(intercept, 1),
        "training": agreement(training, slope, intercept),
        "left_out_pixel_art": agreement(left_out, slope, intercept),
        "benchmark_clips": agreement(benchmark, slope, intercept),
        "wall_s": round(time.monotonic() - started, 1),
    }))


if __name__ == "__main__":
    try:
        main()
    except BenchError as e:
        log(f"failed: {e}")
        raise SystemExit(1)
