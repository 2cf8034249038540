"""Uploads waiting under ``<root>/incoming/``: a mezzanine file plus its metadata sidecar.

An upload is ``movie.mp4`` and ``movie.mp4.json`` holding ``{"name": ..., "category": ...}``;
the uploader writes the sidecar last, so a file without one is still arriving and is left
alone. After the transcode, both go to ``<root>/done/<run>/`` or ``<root>/failed/<run>/``
(with ``movie.mp4.reason.txt``).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from caudal_dags import storage

INCOMING = "incoming"
DONE = "done"
FAILED = "failed"
SIDECAR_SUFFIX = ".json"
REASON_SUFFIX = ".reason.txt"
#: Longest catalog name and category accepted from a sidecar.
MAX_TEXT = 200


@dataclass(frozen=True)
class Upload:
    file: str
    name: str
    category: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Rejected:
    file: str
    reason: str


def read_sidecar(text: str) -> tuple[str, str]:
    """The (name, category) of a sidecar; raises ValueError naming what is wrong."""
    try:
        meta = json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"the sidecar is not JSON: {e.msg} at line {e.lineno} column {e.colno}") from None
    if not isinstance(meta, dict):
        raise ValueError("the sidecar must be a JSON object with name and category")
    values = []
    for key in ("name", "category"):
        value = meta.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"the sidecar's '{key}' must be a non-empty string")
        if len(value) > MAX_TEXT:
            raise ValueError(f"the sidecar's '{key}' is longer than {MAX_TEXT} characters")
        values.append(value.strip())
    return values[0], values[1]


def scan(names: list[str], read) -> tuple[list[Upload], list[Rejected]]:
    """Pairs files with their sidecars. ``read(name)`` returns a sidecar's text."""
    present = set(names)
    uploads, rejected = [], []
    for name in sorted(names):
        if name.startswith(".") or name.endswith(SIDECAR_SUFFIX):
            continue
        sidecar = name + SIDECAR_SUFFIX
        if sidecar not in present:
            continue  # still uploading
        try:
            title, category = read_sidecar(read(sidecar))
        except ValueError as e:
            rejected.append(Rejected(name, str(e)))
            continue
        uploads.append(Upload(name, title, category))
    return uploads, rejected


def find(root: str) -> tuple[list[Upload], list[Rejected]]:
    folder = storage.join(root, INCOMING)

    def read(name: str) -> str:
        from fsspec.core import url_to_fs

        fs, path = url_to_fs(storage.join(folder, name))
        with fs.open(path, "r", encoding="utf-8") as f:
            return f.read()

    return scan(storage.list_files(folder), read)


def source_uri(root: str, file: str) -> str:
    return storage.join(root, INCOMING, file)


def file_away(root: str, file: str, run: str, reason: str | None) -> str:
    """Moves an upload to ``done/<run>/`` (reason None) or ``failed/<run>/`` with the reason.

    Safe to repeat: what was already moved stays where it is. Returns the destination folder.
    """
    target = storage.join(root, FAILED if reason is not None else DONE, run)
    if reason is not None:
        storage.write_text(storage.join(target, file + REASON_SUFFIX), reason.rstrip() + "\n")
    # The mezzanine file moves last: once it has left incoming/ the upload is never picked again.
    for name in (file + SIDECAR_SUFFIX, file):
        source = storage.join(root, INCOMING, name)
        if storage.exists(source):
            storage.move(source, storage.join(target, name))
    return target
