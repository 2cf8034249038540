"""What the benchmark scripts share: their error type, progress logging, the revision stamp and a
published rung as one file."""

import os
import re
import shutil
import subprocess
import sys


# What Spark needs opened on Java 17 when a benchmark starts a job's jar itself.
JAVA_OPENS = [
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
]
# The transcode job's progress lines: seconds since start, then what it is doing.
TRANSCODE_PROGRESS = re.compile(r"^\[transcode\s+([\d.]+)s\] (.*)$")


class BenchError(Exception):
    """A step of a benchmark failed; the message says which and why."""


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def revision(repo, paths):
    """The short commit of repo, marked +uncommitted when the measured paths have changes."""
    try:
        head = subprocess.run(["git", "-C", repo, "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", repo, "status", "--porcelain", "--", *paths],
                               capture_output=True, text=True, check=True).stdout.strip()
        return head + ("+uncommitted" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def rung_as_file(rung_dir, out):
    """A published rung's init.mp4 and segments, in the order of its HLS media playlist, as one file."""
    parts = []
    with open(os.path.join(rung_dir, "playlist.m3u8")) as f:
        for line in f:
            line = line.strip()
            m = re.match(r'#EXT-X-MAP:URI="([^"]+)"', line)
            if m:
                parts.append(m.group(1))
            elif line and not line.startswith("#"):
                parts.append(line)
    with open(out, "wb") as dst:
        for part in parts:
            with open(os.path.join(rung_dir, part), "rb") as src:
                shutil.copyfileobj(src, dst)
    return out
