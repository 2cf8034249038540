#!/usr/bin/env python3
"""The runs and measurements behind bench/transcode (standard library only).

One synthetic 1080p30 source, the same ladder and the same encoder settings for every run:
  caudal local[2]     the transcode job end to end, default task granularity (one task per chunk)
  ffmpeg              one ffmpeg process: one decode, split + scale per rung, one libx264 per rung
  caudal local[1]     the same job on one task slot
  caudal chunk-rung   the job on local[2] with one task per chunk x rung
  caudal cbcs         the job on local[2] with --protect cbcs (protect_overhead: its wall time over local[2]'s)
  caudal tracks       the same video with English stereo and French 5.1 audio, two subtitle files and
                      thumbnails, over the same title with one audio track and no thumbnails (tracks_overhead)
then PSNR and SSIM of every rung of Caudal's and ffmpeg's output against the source. Progress
goes to stderr; the last line of stdout is the JSON report. Run through bench/transcode, which
builds the jar and prepares the reference ffmpeg.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from benchlib import JAVA_OPENS, TRANSCODE_PROGRESS as PROGRESS, BenchError, log, revision, rung_as_file

WIDTH, HEIGHT, FPS = 1920, 1080, 30
# LadderBuilder's fixed ladder for 1920x1080 at 30 fps (the job runs with --ladder fixed, so the
# reference encodes the same rungs): id, width, height, target kbit/s (maxrate 1.5x, buffer 2x
# the target, as RungTarget.capped does).
LADDER = [
    ("1080p", 1920, 1080, 5000),
    ("720p", 1280, 720, 2720),
    ("540p", 960, 540, 1770),
    ("360p", 640, 360, 960),
    ("268p", 480, 268, 620),
]
# EncoderSettings' defaults and x264Params for 4 s segments at 30 fps.
SEGMENT_FRAMES = 4 * FPS
PRESET = "veryfast"
X264_PARAMS = f"keyint={SEGMENT_FRAMES}:min-keyint={SEGMENT_FRAMES}:scenecut=0:open-gop=0:forced-idr=1"
AUDIO_KBPS = 128
AUDIO_RATE = 48000

TARGETS = {"ratio": 1.15, "psnr_delta_db_max": 0.2, "local2_over_local1": 0.6, "protect_overhead": 1.05,
           "tracks_overhead": 1.15}
# The audio of the tracks run: SampleMaker's --audio LANG:CHANNELS.
TRACKS_AUDIO = ["en:2", "fr:6"]


TRACK = re.compile(r"^\s+(\S+)\s+(\d+x\d+|\d+ ch)\s+(\S+)\s+avg\s+(\d+) kbit/s\s+peak\s+(\d+) kbit/s"
                   r"\s+(\d+) segments\s+([\d,]+) bytes")
PSNR = re.compile(r"PSNR y:(\S+) u:(\S+) v:(\S+) average:(\S+)")
SSIM = re.compile(r"SSIM Y:(\S+) \(\S+\) U:(\S+) \(\S+\) V:(\S+) \(\S+\) All:(\S+)")


class Runner:
    """Runs timed child processes, pinned to `cores` CPUs when the machine has more."""

    def __init__(self, cores):
        self.cores = cores
        available = sorted(os.sched_getaffinity(0))
        self.cpus = set(available[:cores]) if len(available) > cores else None

    def _pin(self):
        if self.cpus:
            os.sched_setaffinity(0, self.cpus)

    def run(self, cmd, log_path, env=None, cwd=None, echo=None):
        """Runs cmd; returns (wall seconds, CPU seconds, [(arrival seconds, stdout line)])."""
        lines = []
        with open(log_path, "w") as err:
            start = time.monotonic()
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL,
                                    env=env, cwd=cwd, text=True, preexec_fn=self._pin)
            for line in proc.stdout:
                line = line.rstrip("\n")
                lines.append((time.monotonic() - start, line))
                if echo and echo(line):
                    print(f"    {line}", file=sys.stderr, flush=True)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.monotonic() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            with open(log_path) as f:
                tail = f.readlines()[-25:]
            out_tail = [line for _, line in lines[-10:]]
            raise BenchError(f"{os.path.basename(cmd[0])} exited with {proc.returncode} "
                             f"(log {log_path}):\n" + "".join(tail) + "\n".join(out_tail))
        return wall, usage.ru_utime + usage.ru_stime, lines


class Bench:
    def __init__(self, args, work, seconds, cores):
        self.args = args
        self.work = work
        self.seconds = seconds
        self.cores = cores
        self.frames = round(seconds * FPS)
        self.runner = Runner(cores)
        self.ffmpeg = os.path.join(args.ffmpeg_dir, "ffmpeg")
        self.ffprobe = os.path.join(args.ffmpeg_dir, "ffprobe")
        self.ffenv = dict(os.environ, LD_LIBRARY_PATH=args.ffmpeg_dir)
        # A private copy of the jar, so a rebuild during the run cannot change what is measured.
        jar = os.path.join(work, "caudal-transcode.jar")
        shutil.copyfile(os.path.join(args.repo, args.jar), jar)
        with open(os.path.join(args.repo, args.classpath_file)) as f:
            deps = f.read().strip()
        self.classpath = jar + (":" + deps if deps else "")
        self.source = os.path.join(work, "source.mp4")

    # ---- the source -------------------------------------------------------------------------

    def java(self, main, *args, props=()):
        return ["java", *[f"-D{p}" for p in props], "-cp", self.classpath, *JAVA_OPENS, main, *args]

    def make_source(self):
        log(f"making the source: {self.seconds:g} s {WIDTH}x{HEIGHT} at {FPS} fps (SampleMaker)")
        wall, _, _ = self.runner.run(
            self.java("io.caudal.transcode.sample.SampleMaker", self.source, "--seconds", f"{self.seconds:g}",
                      "--size", f"{WIDTH}x{HEIGHT}", "--rate", str(FPS)),
            os.path.join(self.work, "source.log"))
        info = self.probe(self.source)
        video = next(s for s in info["streams"] if s["codec_type"] == "video")
        audio = next((s for s in info["streams"] if s["codec_type"] == "audio"), None)
        if (video["width"], video["height"]) != (WIDTH, HEIGHT) or int(video.get("nb_frames", 0)) != self.frames:
            raise BenchError(f"source came out as {video['width']}x{video['height']}, "
                             f"{video.get('nb_frames')} frames; expected {WIDTH}x{HEIGHT}, {self.frames}")
        kbps = round(int(video.get("bit_rate", 0)) / 1000)
        text = (f"SampleMaker testsrc2 {WIDTH}x{HEIGHT} {FPS} fps, {self.seconds:g} s ({self.frames} frames), "
                f"H.264 {video.get('profile', '')} {kbps} kbit/s GOP 60")
        if audio:
            text += f" + 440 Hz sine AAC {audio['channels']} ch {audio['sample_rate']} Hz"
        log(f"  {text} ({wall:.1f} s)")
        return text

    def probe(self, path):
        out = subprocess.run([self.ffprobe, "-v", "error", "-show_streams", "-show_format", "-of", "json", path],
                             env=self.ffenv, capture_output=True, text=True)
        if out.returncode != 0:
            raise BenchError(f"ffprobe {path}: {out.stderr.strip()}")
        return json.loads(out.stdout)

    # ---- Caudal -----------------------------------------------------------------------------

    def caudal(self, label, master, tasks=None, protect=None, source=None, extra=()):
        root = os.path.join(self.work, f"root-{label}")
        tmp = os.path.join(self.work, f"tmp-{label}")
        os.makedirs(tmp)
        args = ["--input", source or self.source, "--name", f"bench {label}", "--category", "bench", "--root", root,
                "--ladder", "fixed", *extra]
        if tasks:
            args += ["--tasks", tasks]
        if protect:
            # A fresh local root makes its own master key, as a first run does.
            args += ["--protect", protect]
        # A fresh root (output is content-addressed: a second run into the same root publishes
        # nothing) and a fresh java.io.tmpdir, so each run copies the source and extracts
        # nothing from an earlier run's leftovers.
        cmd = self.java("io.caudal.transcode.TranscodeJob", *args,
                        props=[f"spark.master={master}", f"java.io.tmpdir={tmp}"])
        log(f"caudal {label}: {master}" + (f", --tasks {tasks}" if tasks else ", default tasks")
            + (f", --protect {protect}" if protect else ""))
        wall, cpu, lines = self.runner.run(
            cmd, os.path.join(self.work, f"caudal-{label}.log"),
            echo=lambda line: bool(PROGRESS.match(line)))
        result = parse_caudal(lines, wall)
        result["cpu_s"] = round(cpu, 2)
        result["cpu_utilization"] = round(cpu / (wall * self.cores), 3)
        result["root"] = root
        log(f"  {label}: {wall:.1f} s wall, {cpu:.1f} s CPU ({result['cpu_utilization']:.0%} of {self.cores} cores); "
            f"phases {json.dumps(result['phases'])}")
        return result

    def check_caudal_ladder(self, result):
        got = [(t["id"], t["size"]) for t in result["tracks"] if not t["id"].startswith("audio")]
        want = [(r[0], f"{r[1]}x{r[2]}") for r in LADDER]
        if got != want:
            raise BenchError(f"Caudal's ladder {got} is not the one the reference encodes {want}")

    def caudal_rung_file(self, result, rung):
        return rung_as_file(os.path.join(result["title_dir"], "video", rung), os.path.join(self.work, f"caudal-{rung}.mp4"))

    # ---- every track a viewer expects ---------------------------------------------------------

    def job_options(self):
        """The transcode job's --help, to tell which options this build has."""
        out = subprocess.run(self.java("io.caudal.transcode.TranscodeJob", "--help"), capture_output=True, text=True)
        return out.stdout

    def make_tracks_source(self):
        """The same video as the source, with English stereo and French 5.1 audio streams."""
        path = os.path.join(self.work, "source-tracks.mp4")
        audio = [a for spec in TRACKS_AUDIO for a in ("--audio", spec)]
        self.runner.run(
            self.java("io.caudal.transcode.sample.SampleMaker", path, "--seconds", f"{self.seconds:g}",
                      "--size", f"{WIDTH}x{HEIGHT}", "--rate", str(FPS), *audio),
            os.path.join(self.work, "source-tracks.log"))
        streams = [s for s in self.probe(path)["streams"] if s["codec_type"] == "audio"]
        if [s["channels"] for s in streams] != [2, 6]:
            raise BenchError(f"the tracks source has audio {[s['channels'] for s in streams]}, expected [2, 6]")
        return path

    def write_subtitles(self):
        """An English WebVTT and a French SRT file, one cue every 5 s over the whole title."""
        vtt = os.path.join(self.work, "en.vtt")
        srt = os.path.join(self.work, "fr.srt")

        def stamp(seconds, sep):
            h, rest = divmod(seconds, 3600)
            m, s = divmod(rest, 60)
            return f"{int(h):02d}:{int(m):02d}:{s:06.3f}".replace(".", sep)

        cues = [(t, min(t + 3, self.seconds)) for t in range(0, int(self.seconds), 5)]
        with open(vtt, "w") as f:
            f.write("WEBVTT\n\n")
            for n, (a, b) in enumerate(cues, 1):
                f.write(f"{stamp(a, '.')} --> {stamp(b, '.')}\nEnglish line {n}\n\n")
        with open(srt, "w") as f:
            for n, (a, b) in enumerate(cues, 1):
                f.write(f"{n}\n{stamp(a, ',')} --> {stamp(b, ',')}\nLigne française {n}\n\n")
        return vtt, srt

    def tracks(self):
        """tracks_overhead: two audio languages, two subtitle files and thumbnails over one audio track.

        Both runs are made here, one right after the other, so they see the machine alike; the base
        run asks for no thumbnails, as thumbnails are on by default. Returns None (and why) when
        this build of the job has no subtitle or thumbnail options.
        """
        options = self.job_options()
        missing = [o for o in ("--subtitles", "--thumbnails-every", "--audio-lang") if o not in options]
        if missing:
            return None, f"tracks_overhead not measured: the job has no {', '.join(missing)}"
        source = self.make_tracks_source()
        vtt, srt = self.write_subtitles()
        base = self.caudal("tracks-base", "local[2]", extra=["--thumbnails-every", "0"])
        full = self.caudal("tracks", "local[2]", source=source,
                           extra=["--subtitles", f"en={vtt}", "--subtitles", f"fr={srt}", "--thumbnails-every", "10"])
        for r in (base, full):
            shutil.rmtree(r.pop("root"), ignore_errors=True)
        audio = [t["id"] for t in full["tracks"] if t["id"].startswith("audio")]
        if len(audio) != 3:
            raise BenchError(f"the tracks run published audio {audio}, expected three renditions")
        return {"base": base, "tracks": full, "overhead": full["wall_s"] / base["wall_s"],
                "cpu_overhead": full["cpu_s"] / base["cpu_s"], "audio_renditions": audio}, None

    # ---- the ffmpeg reference ---------------------------------------------------------------

    def reference(self):
        out_dir = os.path.join(self.work, "ffmpeg")
        os.makedirs(out_dir)
        graph = f"[0:v]split={len(LADDER)}" + "".join(f"[s{i}]" for i in range(len(LADDER)))
        for i, (_, w, h, _) in enumerate(LADDER):
            graph += f";[s{i}]scale={w}:{h}:flags=bicubic[o{i}]"
        cmd = [self.ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-i", self.source,
               "-filter_complex", graph]
        for i, (rung, _, _, kbps) in enumerate(LADDER):
            cmd += ["-map", f"[o{i}]", "-c:v", "libx264", "-preset", PRESET, "-profile:v", "high",
                    "-pix_fmt", "yuv420p", "-b:v", f"{kbps}k", "-maxrate", f"{kbps * 3 // 2}k",
                    "-bufsize", f"{kbps * 2}k", "-g", str(SEGMENT_FRAMES), "-x264-params", X264_PARAMS,
                    "-an", os.path.join(out_dir, f"{rung}.mp4")]
        cmd += ["-map", "0:a", "-c:a", "aac", "-b:a", f"{AUDIO_KBPS}k", "-ar", str(AUDIO_RATE), "-ac", "2",
                "-vn", os.path.join(out_dir, "audio.m4a")]
        log("ffmpeg: one process, split + scale + libx264 per rung, threads at ffmpeg's default")
        wall, cpu, _ = self.runner.run(cmd, os.path.join(self.work, "ffmpeg.log"), env=self.ffenv)
        utilization = cpu / (wall * self.cores)
        log(f"  ffmpeg: {wall:.1f} s wall, {cpu:.1f} s CPU ({utilization:.0%} of {self.cores} cores)")
        files, kbps = {}, {}
        for rung, *_ in LADDER:
            path = os.path.join(out_dir, f"{rung}.mp4")
            stream = next(s for s in self.probe(path)["streams"] if s["codec_type"] == "video")
            if int(stream.get("nb_frames", 0)) != self.frames:
                raise BenchError(f"ffmpeg's {rung} has {stream.get('nb_frames')} frames, expected {self.frames}")
            files[rung] = path
            kbps[rung] = round(int(stream.get("bit_rate", 0)) / 1000)
        return {"wall_s": wall, "cpu_s": round(cpu, 2), "cpu_utilization": round(utilization, 3),
                "files": files, "kbps": kbps}

    # ---- quality ----------------------------------------------------------------------------

    def quality(self, label, distorted):
        """PSNR and SSIM of distorted (scaled back to the source size, bicubic) against the source."""
        stats = f"psnr-{label}.log"
        graph = (f"[0:v]scale={WIDTH}:{HEIGHT}:flags=bicubic,setpts=PTS-STARTPTS,split[d1][d2];"
                 f"[1:v]setpts=PTS-STARTPTS,split[r1][r2];"
                 f"[d1][r1]psnr=stats_file={stats};[d2][r2]ssim")
        cmd = [self.ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info", "-i", distorted,
               "-i", self.source, "-lavfi", graph, "-an", "-f", "null", "-"]
        out = subprocess.run(cmd, env=self.ffenv, cwd=self.work, capture_output=True, text=True)
        if out.returncode != 0:
            raise BenchError(f"quality of {label}: ffmpeg exited with {out.returncode}:\n{out.stderr[-3000:]}")
        psnr = PSNR.search(out.stderr)
        ssim = SSIM.search(out.stderr)
        if not psnr or not ssim:
            raise BenchError(f"quality of {label}: no PSNR/SSIM summary in ffmpeg's output:\n{out.stderr[-3000:]}")
        with open(os.path.join(self.work, stats)) as f:
            compared = sum(1 for line in f if line.strip())
        return {"psnr_y": float(psnr.group(1)), "psnr_avg": float(psnr.group(4)),
                "ssim_y": float(ssim.group(1)), "ssim_all": float(ssim.group(4)), "frames": compared}


def parse_caudal(lines, wall):
    """Timings by phase from the job's progress lines, and its published tracks from the summary."""
    progress = []  # (arrival, job-clock seconds, text)
    tracks, title_dir = [], None
    for arrival, line in lines:
        m = PROGRESS.match(line)
        if m:
            progress.append((arrival, float(m.group(1)), m.group(2)))
            continue
        m = TRACK.match(line)
        if m:
            tracks.append({"id": m.group(1), "size": m.group(2), "codecs": m.group(3), "avg_kbps": int(m.group(4)),
                           "peak_kbps": int(m.group(5)), "segments": int(m.group(6)),
                           "bytes": int(m.group(7).replace(",", ""))})
            continue
        m = re.match(r"^\s+HLS:\s+(.*)/master\.m3u8$", line)
        if m:
            title_dir = m.group(1)
    if not progress or not tracks or not title_dir:
        raise BenchError("the job printed no progress or no summary of a published title:\n"
                         + "\n".join(line for _, line in lines[-20:]))
    if title_dir.startswith("file:"):
        title_dir = re.sub(r"^file:(//)?", "", title_dir)

    # The job's clock starts once the Spark context is up; what came before is JVM + Spark start.
    spark_up = min(arrival - clock for arrival, clock, _ in progress)

    def stage(name):
        begin = next((clock for _, clock, text in progress if re.match(rf"{name}: \d+ tasks$", text)), None)
        done = [clock for _, clock, text in progress if re.match(rf"{name}: \d+/\d+ tasks done", text)]
        return begin, done

    # Each encode task decodes back what it wrote: one stage, "encode and verify" (", thumbnails" when
    # the thumbnail task runs beside the encode tasks).
    encode_stage = "encode and verify(?:, thumbnails)?"
    encode_begin, encode_done = stage(encode_stage)
    if encode_begin is None or not encode_done:
        raise BenchError("the job's progress lines have no 'encode and verify' stage")
    tasks = re.search(r"(\d+) tasks$", next(t for _, _, t in progress if re.match(rf"{encode_stage}: \d+ tasks$", t)))
    phases = {
        "jvm_and_spark_start_s": spark_up,
        "copy_hash_probe_plan_s": encode_begin,
        "encode_and_verify_s": encode_done[-1] - encode_begin,
        "package_publish_exit_s": wall - (spark_up + encode_done[-1]),
    }
    return {
        "wall_s": wall,
        "phases": {k: round(v, 2) for k, v in phases.items()},
        "encode_tasks": int(tasks.group(1)),
        # When each encode task finished, from the encode stage's start: the spread shows idle slots.
        "encode_task_done_s": [round(t - encode_begin, 1) for t in encode_done],
        "tracks": tracks,
        "title_dir": title_dir,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", required=True)
    parser.add_argument("--jar", required=True)
    parser.add_argument("--classpath-file", required=True)
    parser.add_argument("--ffmpeg-dir", required=True)
    parser.add_argument("--ffmpeg-version", required=True)
    args = parser.parse_args()

    started = time.monotonic()
    try:
        seconds = float(os.environ.get("BENCH_SECONDS", "60"))
        cores = int(os.environ.get("BENCH_CORES", "2"))
    except ValueError as e:
        log(f"BENCH_SECONDS / BENCH_CORES: {e}")
        return 2
    if not 4 <= seconds <= 3600 or cores < 2:
        log("BENCH_SECONDS must be between 4 and 3600, BENCH_CORES at least 2")
        return 2
    if len(os.sched_getaffinity(0)) < cores:
        log(f"this machine has {len(os.sched_getaffinity(0))} usable cores, the benchmark needs {cores}")
        return 2

    base = os.environ.get("BENCH_WORK_DIR")
    if base:
        os.makedirs(base, exist_ok=True)
    work = tempfile.mkdtemp(prefix="caudal-bench-transcode-", dir=base or None)
    keep = os.environ.get("BENCH_KEEP") == "1"
    log(f"work folder {work}")
    ok = False
    try:
        report = run(Bench(args, work, seconds, cores), args, started)
        ok = True
    except BenchError as e:
        log(f"failed: {e}")
        return 1
    finally:
        if ok and not keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"files kept in {work}")
    print(json.dumps(report, separators=(", ", ": ")), flush=True)
    return 0


def run(bench, args, started):
    source = bench.make_source()
    rungs = [r[0] for r in LADDER]
    if os.environ.get("BENCH_TRACKS_ONLY") == "1":
        return tracks_report(bench, args, started, source, *bench.tracks())

    local2 = bench.caudal("local2", "local[2]")
    bench.check_caudal_ladder(local2)
    # Right after the clear run, so both see the machine alike.
    cbcs = bench.caudal("cbcs", "local[2]", protect="cbcs")
    shutil.rmtree(cbcs.pop("root"), ignore_errors=True)
    protect_overhead = cbcs["wall_s"] / local2["wall_s"]
    # CPU seconds too: on a shared machine the wall-time ratio carries other people's load.
    protect_cpu_overhead = cbcs["cpu_s"] / local2["cpu_s"]
    if os.environ.get("BENCH_PROTECT_ONLY") == "1":
        return protect_report(bench, args, started, source, local2, cbcs)
    tracks, tracks_skipped = bench.tracks()
    ref = bench.reference()
    local1 = bench.caudal("local1", "local[1]")
    shutil.rmtree(local1.pop("root"), ignore_errors=True)
    chunk_rung = bench.caudal("chunk-rung", "local[2]", tasks="chunk-rung")
    shutil.rmtree(chunk_rung.pop("root"), ignore_errors=True)

    log("quality: PSNR and SSIM of each rung against the source (scaled back to "
        f"{WIDTH}x{HEIGHT}, bicubic)")
    per_rung, warnings = {}, []
    caudal_kbps = {t["id"]: t["avg_kbps"] for t in local2["tracks"]}
    for rung in rungs:
        c = bench.quality(f"caudal-{rung}", bench.caudal_rung_file(local2, rung))
        f = bench.quality(f"ffmpeg-{rung}", ref["files"][rung])
        for who, q in (("caudal", c), ("ffmpeg", f)):
            if q["frames"] != bench.frames:
                warnings.append(f"{who} {rung}: {q['frames']} frames compared, source has {bench.frames}")
        per_rung[rung] = {
            "caudal_psnr": round(c["psnr_y"], 3), "ffmpeg_psnr": round(f["psnr_y"], 3),
            "caudal_ssim": round(c["ssim_y"], 5), "ffmpeg_ssim": round(f["ssim_y"], 5),
            "caudal_psnr_avg": round(c["psnr_avg"], 3), "ffmpeg_psnr_avg": round(f["psnr_avg"], 3),
            "caudal_ssim_all": round(c["ssim_all"], 5), "ffmpeg_ssim_all": round(f["ssim_all"], 5),
            "caudal_kbps": caudal_kbps.get(rung), "ffmpeg_kbps": ref["kbps"][rung],
        }
        log(f"  {rung:>5}: PSNR-Y caudal {c['psnr_y']:.3f} ffmpeg {f['psnr_y']:.3f} dB, "
            f"SSIM-Y caudal {c['ssim_y']:.5f} ffmpeg {f['ssim_y']:.5f}, "
            f"kbit/s caudal {caudal_kbps.get(rung)} ffmpeg {ref['kbps'][rung]}")
    if tracks_skipped:
        warnings.append(tracks_skipped)
    for w in warnings:
        log(f"warning: {w}")

    caudal_s, ffmpeg_s = local2["wall_s"], ref["wall_s"]
    encoded = bench.frames * len(rungs)
    report = {
        "caudal_s": round(caudal_s, 2),
        "ffmpeg_s": round(ffmpeg_s, 2),
        "ratio": round(caudal_s / ffmpeg_s, 3),
        "psnr_delta_db_max": round(max(p["ffmpeg_psnr"] - p["caudal_psnr"] for p in per_rung.values()), 3),
        "local1_s": round(local1["wall_s"], 2),
        "local2_s": round(caudal_s, 2),
        "local2_over_local1": round(caudal_s / local1["wall_s"], 3),
        "chunk_rung_s": round(chunk_rung["wall_s"], 2),
        "protect_overhead": round(protect_overhead, 3),
        "protect_cpu_overhead": round(protect_cpu_overhead, 3),
        "cbcs_s": round(cbcs["wall_s"], 2),
        "tracks_overhead": round(tracks["overhead"], 3) if tracks else None,
        "tracks_cpu_overhead": round(tracks["cpu_overhead"], 3) if tracks else None,
        "per_rung": per_rung,
        "fps_per_core": round(encoded / caudal_s / bench.cores, 2),
        "ffmpeg_fps_per_core": round(encoded / ffmpeg_s / bench.cores, 2),
        "frames_encoded": encoded,
        "cores": bench.cores,
        "source": source,
        "psnr": "PSNR-Y and SSIM-Y of each rung scaled back to 1920x1080 (bicubic) against the decoded source; "
                "_avg / _all are the YUV averages",
        "targets": TARGETS,
        "meets_targets": {
            "ratio": caudal_s / ffmpeg_s <= TARGETS["ratio"],
            "psnr_delta_db_max": max(p["ffmpeg_psnr"] - p["caudal_psnr"] for p in per_rung.values())
            <= TARGETS["psnr_delta_db_max"],
            "local2_over_local1": caudal_s / local1["wall_s"] <= TARGETS["local2_over_local1"],
            "protect_overhead": protect_overhead <= TARGETS["protect_overhead"],
            "tracks_overhead": tracks["overhead"] <= TARGETS["tracks_overhead"] if tracks else None,
        },
        "runs": {
            name: {k: r[k] for k in ("wall_s", "cpu_s", "cpu_utilization", "phases", "encode_tasks",
                                     "encode_task_done_s")}
            for name, r in (("local2", local2), ("local1", local1), ("chunk_rung", chunk_rung), ("cbcs", cbcs))
        },
        "ffmpeg_run": {"wall_s": round(ffmpeg_s, 2), "cpu_s": ref["cpu_s"], "cpu_utilization": ref["cpu_utilization"]},
        "encoder": {"codec": "libx264", "preset": PRESET, "profile": "high", "x264_params": X264_PARAMS,
                    "scaler": "bicubic", "audio": f"aac {AUDIO_KBPS}k {AUDIO_RATE} Hz stereo"},
        "ffmpeg": f"{args.ffmpeg_version} (org.bytedeco ffmpeg linux-x86_64-gpl)",
        "revision": revision(args.repo, ["jobs", "schemas", "pom.xml"]),
        "warnings": warnings,
    }
    if tracks:
        for name in ("base", "tracks"):
            r = tracks[name]
            report["runs"][f"tracks_{name}"] = {k: r[k] for k in ("wall_s", "cpu_s", "cpu_utilization", "phases",
                                                                 "encode_tasks", "encode_task_done_s")}
    for run in report["runs"].values():
        run["wall_s"] = round(run["wall_s"], 2)
    report["total_s"] = round(time.monotonic() - started, 1)
    log(f"done in {report['total_s']:.0f} s: caudal {caudal_s:.1f} s, ffmpeg {ffmpeg_s:.1f} s "
        f"(ratio {report['ratio']:.2f}), local[1] {local1['wall_s']:.1f} s, chunk-rung {chunk_rung['wall_s']:.1f} s")
    return report


def tracks_report(bench, args, started, source, tracks, skipped):
    """BENCH_TRACKS_ONLY=1: the title with every kind of track against the one with one audio track."""
    if not tracks:
        raise BenchError(skipped)
    report = {
        "tracks_overhead": round(tracks["overhead"], 3),
        "tracks_cpu_overhead": round(tracks["cpu_overhead"], 3),
        "tracks_base_s": round(tracks["base"]["wall_s"], 2),
        "tracks_s": round(tracks["tracks"]["wall_s"], 2),
        "audio_renditions": tracks["audio_renditions"],
        "targets": {"tracks_overhead": TARGETS["tracks_overhead"]},
        "meets_targets": {"tracks_overhead": tracks["overhead"] <= TARGETS["tracks_overhead"]},
        "runs": {name: {k: (round(r[k], 2) if k == "wall_s" else r[k])
                        for k in ("wall_s", "cpu_s", "cpu_utilization", "phases", "encode_tasks")}
                 for name, r in (("tracks_base", tracks["base"]), ("tracks", tracks["tracks"]))},
        "cores": bench.cores,
        "source": source + f"; tracks run: audio {' + '.join(TRACKS_AUDIO)}, en.vtt + fr.srt, thumbnails every 10 s",
        "revision": revision(args.repo, ["jobs", "schemas", "pom.xml"]),
        "total_s": round(time.monotonic() - started, 1),
    }
    log(f"done: one audio track {tracks['base']['wall_s']:.1f} s, every track {tracks['tracks']['wall_s']:.1f} s "
        f"(tracks_overhead {tracks['overhead']:.3f})")
    return report


def protect_report(bench, args, started, source, local2, cbcs):
    """BENCH_PROTECT_ONLY=1: the clear and the cbcs run of the same title, nothing else."""
    overhead = cbcs["wall_s"] / local2["wall_s"]
    runs = {name: {k: (round(r[k], 2) if k == "wall_s" else r[k])
                   for k in ("wall_s", "cpu_s", "cpu_utilization", "phases", "encode_tasks")}
            for name, r in (("local2", local2), ("cbcs", cbcs))}
    report = {
        "protect_overhead": round(overhead, 3),
        "protect_cpu_overhead": round(cbcs["cpu_s"] / local2["cpu_s"], 3),
        "local2_s": round(local2["wall_s"], 2),
        "cbcs_s": round(cbcs["wall_s"], 2),
        "targets": {"protect_overhead": TARGETS["protect_overhead"]},
        "meets_targets": {"protect_overhead": overhead <= TARGETS["protect_overhead"]},
        "runs": runs,
        "cores": bench.cores,
        "source": source,
        "revision": revision(args.repo, ["jobs", "schemas", "pom.xml"]),
        "total_s": round(time.monotonic() - started, 1),
    }
    log(f"done: clear {local2['wall_s']:.1f} s, cbcs {cbcs['wall_s']:.1f} s (protect_overhead {overhead:.3f})")
    return report


if __name__ == "__main__":
    sys.exit(main())
