"""File operations on the Caudal root through fsspec, so the same task works on a local
folder and on HDFS (fsspec's ``hdfs://`` needs pyarrow with libhdfs on the worker)."""
from __future__ import annotations

import json
import posixpath
from typing import Any

from fsspec.core import url_to_fs


def join(base: str, *parts: str) -> str:
    return posixpath.join(base.rstrip("/"), *parts)


def read_json(uri: str) -> Any | None:
    """The JSON document at ``uri``, or None when there is no such file."""
    fs, path = url_to_fs(uri)
    if not fs.exists(path):
        return None
    with fs.open(path, "r", encoding="utf-8") as f:
        return json.load(f)


def write_text(uri: str, text: str) -> None:
    """Writes through a hidden temporary name and a rename, so a reader sees all or nothing."""
    fs, path = url_to_fs(uri)
    fs.makedirs(posixpath.dirname(path), exist_ok=True)
    temp = posixpath.join(posixpath.dirname(path), "." + posixpath.basename(path) + ".tmp")
    with fs.open(temp, "w", encoding="utf-8") as f:
        f.write(text)
    fs.mv(temp, path)


def exists(uri: str) -> bool:
    fs, path = url_to_fs(uri)
    return fs.exists(path)


def move(source: str, target: str) -> None:
    fs, src = url_to_fs(source)
    _, dst = url_to_fs(target)
    fs.makedirs(posixpath.dirname(dst), exist_ok=True)
    fs.mv(src, dst)


def list_files(folder: str) -> list[str]:
    """Names of the plain files directly in ``folder`` (empty when it does not exist)."""
    fs, path = url_to_fs(folder)
    if not fs.exists(path):
        return []
    return sorted(posixpath.basename(e["name"]) for e in fs.ls(path, detail=True) if e["type"] == "file")
