import json

import pytest

from caudal_dags import incoming


def test_a_sidecar_gives_name_and_category():
    assert incoming.read_sidecar('{"name": " Big Buck Bunny ", "category": "animation"}') == ("Big Buck Bunny", "animation")


@pytest.mark.parametrize("text, message", [
    ("{name: 1}", "the sidecar is not JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
    ("[1, 2]", "the sidecar must be a JSON object with name and category"),
    ('{"name": "x"}', "the sidecar's 'category' must be a non-empty string"),
    ('{"name": "  ", "category": "drama"}', "the sidecar's 'name' must be a non-empty string"),
    (json.dumps({"name": "x" * 201, "category": "drama"}), "the sidecar's 'name' is longer than 200 characters"),
])
def test_a_bad_sidecar_is_refused_with_the_reason(text, message):
    with pytest.raises(ValueError) as error:
        incoming.read_sidecar(text)
    assert str(error.value) == message


def test_scan_pairs_files_with_sidecars_and_waits_for_the_rest():
    sidecars = {"a.mp4.json": '{"name": "A", "category": "drama"}', "b.mov.json": "not json"}
    uploads, rejected = incoming.scan(["a.mp4", "a.mp4.json", "b.mov", "b.mov.json", "c.mp4", ".partial.mp4",
                                       "orphan.mp4.json"], sidecars.__getitem__)
    assert uploads == [incoming.Upload("a.mp4", "A", "drama")]
    assert [r.file for r in rejected] == ["b.mov"]
    assert rejected[0].reason.startswith("the sidecar is not JSON")


def test_file_away_moves_both_files_and_keeps_the_reason(tmp_path):
    root = tmp_path.as_uri()
    (tmp_path / "incoming").mkdir()
    (tmp_path / "incoming" / "m.mp4").write_bytes(b"video")
    (tmp_path / "incoming" / "m.mp4.json").write_text("{}")

    where = incoming.file_away(root, "m.mp4", "20260301T000000", "transcode failed\ncaudal-transcode: bad file")

    failed = tmp_path / "failed" / "20260301T000000"
    assert where == root + "/failed/20260301T000000"
    assert sorted(p.name for p in failed.iterdir()) == ["m.mp4", "m.mp4.json", "m.mp4.reason.txt"]
    assert (failed / "m.mp4.reason.txt").read_text() == "transcode failed\ncaudal-transcode: bad file\n"
    assert list((tmp_path / "incoming").iterdir()) == []
    # A retry after the move finds nothing left to move and changes nothing.
    incoming.file_away(root, "m.mp4", "20260301T000000", "transcode failed\ncaudal-transcode: bad file")
    assert (failed / "m.mp4").read_bytes() == b"video"


def test_file_away_of_a_success_goes_to_done(tmp_path):
    (tmp_path / "incoming").mkdir()
    (tmp_path / "incoming" / "ok.mp4").write_bytes(b"v")
    (tmp_path / "incoming" / "ok.mp4.json").write_text("{}")
    incoming.file_away(str(tmp_path), "ok.mp4", "run1", None)
    assert sorted(p.name for p in (tmp_path / "done" / "run1").iterdir()) == ["ok.mp4", "ok.mp4.json"]
