"""Every file and folder exokg writes goes through here, so that no write destroys what exokg did not write.

:func:`write_output` is used by ``query -o``, ``ask -o``, ``diff -o``, ``viz -o``, ``export -o`` and
the compiled graph of ``exokg build``:

- ``None`` or ``-``: standard output;
- a FIFO or a character device (``>(wc -c)``, ``/dev/stdout``, ``/dev/null``): written in place,
  streamed — never replaced by a regular file;
- a symbolic link is followed: the file it points to is written, the link stays; a link to nothing is
  refused;
- a regular file (or a new one): written to a temporary file beside it, then renamed over it, so a
  reader never sees half a file and a failed write leaves the old one;
- anything else (a directory, a block device, a socket) is refused.

:func:`write_release_dir` writes ``exokg release --out DIR``: into a new or empty folder, or into one
that holds a previous exokg release — proven by the manifest :data:`MANIFEST` that exokg writes into
every release, listing each file with its SHA-256 digest. A folder with any other file, or a file whose
digest differs (someone edited it), is refused with exit 1 and left as it was. The new release is
built beside the folder and swapped in with one rename, and the old one is removed only after every
file in it has been checked against its manifest.

Every failure is one line (:class:`~exokg.core.errors.UsageError` for a path that cannot be written,
:class:`~exokg.core.errors.DataError` for a write that failed, such as a full disk).
"""

from __future__ import annotations

import os
import stat
import sys

from exokg.core.errors import DataError, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

__all__ = ["MANIFEST", "write_output", "write_release_dir"]

MANIFEST = "exokg-release.json"


def write_output(data: str | bytes, target: Path | str | None, *, where: str = "") -> None:
    """Write ``data`` (text is written as UTF-8) to ``target`` without destroying anything else."""
    if target is None or str(target) == "-":
        _stream_stdout(data)
        return
    raw = data.encode("utf-8") if isinstance(data, str) else data
    shown = where or str(target)
    path = os.fspath(target)
    try:
        info = os.stat(path)  # follows symbolic links, and /dev/fd/N to the pipe
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise UsageError(f"cannot write here ({error.strerror})", where=shown) from None
    if info is None:
        if os.path.islink(path):
            raise UsageError(
                "this is a symbolic link to nothing",
                where=shown,
                fix="remove the link or point it to a file",
            )
        _replace(path, raw, shown, mode=None)
    elif stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode):
        _stream(path, raw, shown)
    elif stat.S_ISREG(info.st_mode):
        _replace(os.path.realpath(path), raw, shown, mode=stat.S_IMODE(info.st_mode))
    else:
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise UsageError(f"this is {kind}", where=shown, fix="name a file to write")


def _stream_stdout(data: str | bytes) -> None:
    if isinstance(data, str):
        sys.stdout.write(data)
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _stream(path: str, raw: bytes, shown: str) -> None:
    try:
        with open(path, "wb") as stream:
            stream.write(raw)
    except OSError as error:
        raise _failed(error, shown) from None


def _replace(path: str, raw: bytes, shown: str, mode: int | None) -> None:
    import tempfile

    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise UsageError(
            "the folder to write into does not exist",
            where=shown,
            fix=f"create {folder} first, or choose another path",
        )
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder
        )
    except OSError as error:
        raise _failed(error, shown) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(raw)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temporary, mode)  # mkstemp makes it private
        os.replace(temporary, path)
    except OSError as error:
        os.unlink(temporary)
        raise _failed(error, shown) from None
    except BaseException:
        os.unlink(temporary)
        raise


def _failed(error: OSError, shown: str) -> DataError:
    return DataError(
        f"cannot write the file ({error.strerror or error})",
        where=shown,
        fix="check the path, the permissions and the free space",
    )


# --- release folders ----------------------------------------------------------------------------


def _digest(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _manifest(files: Mapping[str, bytes]) -> bytes:
    import json

    from exokg import __version__

    listing = {name: _digest(data) for name, data in sorted(files.items())}
    document = {"written_by": f"exokg {__version__}", "files": listing}
    return (json.dumps(document, indent=1, sort_keys=True) + "\n").encode("utf-8")


def check_release_dir(out_dir: Path) -> list[str]:
    """The files of the previous exokg release in ``out_dir`` (empty for a new or empty folder).

    Raises :class:`DataError` unless every file and folder in ``out_dir`` is one exokg wrote, with
    the digest its manifest records.
    """
    import json

    where = str(out_dir)
    if not out_dir.exists():
        if out_dir.is_symlink():
            raise UsageError("--out is a symbolic link to nothing", where=where)
        return []
    if not out_dir.is_dir():
        raise UsageError("--out names a file, not a folder", where=where)
    found = sorted(
        str(p.relative_to(out_dir)) for p in out_dir.rglob("*") if not p.is_dir() or p.is_symlink()
    )
    if not found and not any(out_dir.iterdir()):
        return []
    refuse = DataError(
        "--out is a folder that holds files exokg did not write (no exokg release manifest proves"
        " them, or they changed since)",
        where=where,
        fix="choose a new or empty folder, or a folder that holds only an earlier exokg release",
    )
    try:
        listing = json.loads((out_dir / MANIFEST).read_bytes())["files"]
        if not isinstance(listing, dict):
            raise refuse
    except (OSError, ValueError, KeyError, TypeError):
        raise refuse from None
    for name in found:
        if name == MANIFEST:
            continue
        path = out_dir / name
        if name not in listing or path.is_symlink() or not path.is_file():
            raise refuse
        if _digest(path.read_bytes()) != listing[name]:
            raise refuse
    return found


def write_release_dir(out_dir: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` (path inside the release → bytes) and their manifest into ``out_dir`` at once."""
    import shutil
    import tempfile
    from pathlib import Path

    out_dir = Path(os.path.realpath(out_dir))  # --out . or a link: the folder itself
    check_release_dir(out_dir)
    if MANIFEST in files:
        raise ValueError(f"{MANIFEST} is written by exokg.core.outputs")
    parent = out_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=parent))
    except OSError as error:
        raise _failed(error, str(out_dir)) from None
    try:
        for name, data in sorted(files.items()):
            target = tmp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (tmp / MANIFEST).write_bytes(_manifest(files))
        os.chmod(tmp, 0o755)
        if out_dir.is_dir() and any(out_dir.iterdir()):
            check_release_dir(
                out_dir
            )  # again, just before: nothing of anyone else's is swapped out
            _exchange(tmp, out_dir)  # tmp now holds the old release, every file of it exokg's
        else:
            if out_dir.is_dir():
                out_dir.rmdir()  # empty: nothing is lost
            tmp.rename(out_dir)
    except OSError as error:
        raise _failed(error, str(out_dir)) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _exchange(a: Path, b: Path) -> None:
    """Swap two directories atomically (Linux ``renameat2(RENAME_EXCHANGE)``); elsewhere, two renames."""
    import ctypes
    import uuid

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    at_fdcwd, rename_exchange = -100, 2
    if renameat2 is not None and renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:  # fmt: skip
        return
    old = b.with_name(f".{b.name}.old-{uuid.uuid4().hex[:8]}")
    b.rename(old)
    a.rename(b)
    old.rename(a)
