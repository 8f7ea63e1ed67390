"""Getting bytes from a source: files from a drop directory, or a conditional GET of a URL.

No database here: the caller says which files it already knows and keeps the
ETag / Last-Modified between polls.
"""

from __future__ import annotations

import hashlib
import os
import stat
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from broadsheet.core.text import normalise_line

IGNORED_SUFFIXES = (".tmp", ".part", ".partial", ".lock")


@dataclass(frozen=True, slots=True)
class Arrival:
    """One file's worth of bytes. `data` is None when the file was over the size limit."""

    name: str
    size: int
    sha256: str
    data: bytes | None
    mtime_ns: int | None = None
    kept_at: str = ""  # where an oversized original was copied


@dataclass(frozen=True, slots=True)
class HttpResult:
    arrival: Arrival | None  # None: 304 Not Modified
    etag: str
    last_modified: str


def keep_oversized(path: Path, quarantine: Path) -> tuple[str, str]:
    """Copy an oversized file to the quarantine folder, hashing as it streams. Returns (sha256, kept path)."""
    quarantine.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    tmp = quarantine / f".incoming-{path.name}"
    with path.open("rb") as src, tmp.open("wb") as dst:
        while block := src.read(1024 * 1024):
            digest.update(block)
            dst.write(block)
    target = quarantine / digest.hexdigest()
    tmp.replace(target)
    return digest.hexdigest(), str(target)


def display_name(path: Path) -> str:
    """A file's name as the desk stores and shows it: a name that is not UTF-8, or holds control
    characters, is still one name (U+FFFD where a byte was not text)."""
    return normalise_line(os.fsencode(path.name).decode("utf-8", "replace"))


def directory_files(
    folder: Path,
    *,
    max_file_bytes: int,
    quarantine: Path,
    known: Callable[[str, int, int], bool],
    unreadable: Callable[[str, OSError], None] | None = None,
) -> Iterator[Arrival]:
    """Files in the drop folder, oldest first; hidden and partly written (`.tmp`, `.part`) files wait.

    A file that cannot be read (permissions, gone meanwhile) is reported to `unreadable` and skipped:
    the files after it are read all the same.
    """
    if not folder.is_dir():
        raise FileNotFoundError(f"wire drop folder {folder} does not exist")
    entries = []
    for path in folder.iterdir():
        if path.name.startswith(".") or path.name.endswith(IGNORED_SUFFIXES):
            continue
        try:
            st = path.stat()
        except OSError:  # a dangling link, or gone meanwhile: not a file to read
            continue
        if stat.S_ISREG(st.st_mode):
            entries.append((st.st_mtime_ns, display_name(path), path, st.st_size))
    for mtime_ns, name, path, size in sorted(entries):
        if known(name, size, mtime_ns):
            continue
        try:
            if size > max_file_bytes:
                sha, kept = keep_oversized(path, quarantine)
                yield Arrival(name=name, size=size, sha256=sha, data=None, mtime_ns=mtime_ns, kept_at=kept)
                continue
            data = path.read_bytes()
        except OSError as exc:
            if unreadable:
                unreadable(name, exc)
            continue
        yield Arrival(name=name, size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data, mtime_ns=mtime_ns)


def http_get(
    url: str, *, etag: str, last_modified: str, max_file_bytes: int, timeout: float, quarantine: Path
) -> HttpResult:
    """A conditional GET. Reads at most max_file_bytes + 1 bytes; a longer answer is kept in the
    quarantine folder (its first max_file_bytes + 1 bytes) and comes back with data None."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"{url!r} is not an http(s) URL")
    headers = {"User-Agent": "Broadsheet wire desk", "Accept-Encoding": "identity"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - scheme checked above
    if etag:
        request.add_header("If-None-Match", etag)
    if last_modified:
        request.add_header("If-Modified-Since", last_modified)
    try:
        response = urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 - scheme checked above
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return HttpResult(None, etag, last_modified)
        raise
    with response:
        data = response.read(max_file_bytes + 1)
        new_etag = response.headers.get("ETag", "") or ""
        new_modified = response.headers.get("Last-Modified", "") or ""
    sha = hashlib.sha256(data).hexdigest()
    if len(data) <= max_file_bytes:
        return HttpResult(Arrival(name=url, size=len(data), sha256=sha, data=data), new_etag, new_modified)
    quarantine.mkdir(parents=True, exist_ok=True)
    kept = quarantine / sha
    kept.write_bytes(data)
    return HttpResult(
        Arrival(name=url, size=len(data), sha256=sha, data=None, kept_at=str(kept)), new_etag, new_modified
    )
