"""What the benchmark scripts share: their error type, progress logging and the revision stamp."""

import subprocess
import sys


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
