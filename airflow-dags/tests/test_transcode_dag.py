"""``airflow dags test caudal_transcode`` on local Spark over a generated sample, a file that
is not video, an upload with a bad sidecar and one still arriving."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import dag_test


def make_sample(caudal_home: Path, out: Path) -> None:
    jar = caudal_home / "jobs/transcode/target/caudal-transcode.jar"
    subprocess.run(["java", "-cp", str(jar), "io.caudal.transcode.sample.SampleMaker", str(out), "--seconds", "2",
                    "--size", "320x240", "--rate", "25"], check=True, capture_output=True, timeout=300)


def test_uploads_are_transcoded_or_filed_as_failed_with_the_reason(caudal_home, tmp_path):
    root = tmp_path / "root"
    incoming = root / "incoming"
    incoming.mkdir(parents=True)
    make_sample(caudal_home, incoming / "sample.mp4")
    (incoming / "sample.mp4.json").write_text(json.dumps({"name": "Sample", "category": "demo"}))
    (incoming / "junk.mp4").write_bytes(b"this is not a video\n" * 100)
    (incoming / "junk.mp4.json").write_text(json.dumps({"name": "Junk", "category": "demo"}))
    (incoming / "nameless.mp4").write_bytes(b"whatever")
    (incoming / "nameless.mp4.json").write_text(json.dumps({"category": "demo"}))
    (incoming / "arriving.mp4").write_bytes(b"half an upload")

    states = dag_test("caudal_transcode", "2026-03-01", root)

    assert states["__run__"] == "success"
    assert states["find_uploads"] == "success"
    transcodes = {k: v for k, v in states.items() if k.startswith("transcode_upload.transcode[")}
    assert sorted(transcodes.values()) == ["failed", "success"]
    assert [v for k, v in states.items() if k.startswith("transcode_upload.file_away[")] == ["success", "success"]

    titles = [p for p in (root / "vod").iterdir() if not p.name.startswith(".")]
    assert len(titles) == 1
    assert (titles[0] / "master.m3u8").read_text().startswith("#EXTM3U")
    assert (titles[0] / "manifest.mpd").exists()
    assert list((root / "tables/catalog").glob("*.parquet"))

    done = next((root / "done").iterdir())
    assert sorted(p.name for p in done.iterdir()) == ["sample.mp4", "sample.mp4.json"]
    failed = next((root / "failed").iterdir())
    assert sorted(p.name for p in failed.iterdir()) == [
        "junk.mp4", "junk.mp4.json", "junk.mp4.reason.txt",
        "nameless.mp4", "nameless.mp4.json", "nameless.mp4.reason.txt"]
    junk_reason = (failed / "junk.mp4.reason.txt").read_text()
    assert junk_reason.startswith("transcode failed after 2 tries\n")
    assert "caudal-transcode:" in junk_reason and "junk.mp4" in junk_reason
    assert (failed / "nameless.mp4.reason.txt").read_text() == "the sidecar's 'name' must be a non-empty string\n"
    assert sorted(p.name for p in incoming.iterdir()) == ["arriving.mp4"]
