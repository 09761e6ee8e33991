"""Sending run documents to the `lesion` binary: ``lesion.ingest(docs, db=...)``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from typing import IO, Any, Iterable, List, Mapping, Optional, Union

from .document import RunDocument, dumps

__all__ = ["ingest", "find_binary", "IngestSummary", "LesionError", "LesionNotFoundError",
           "IngestRefusedError", "LesionCommandError"]


class LesionError(Exception):
    """Something went wrong running the `lesion` binary."""


class LesionNotFoundError(LesionError, FileNotFoundError):
    """No `lesion` binary: none given, none in ``$LESION_BIN``, none on ``PATH``."""


class LesionCommandError(LesionError):
    """`lesion` exited non-zero for a reason other than refused documents.

    Attributes
    ----------
    returncode : int
    stderr : str
    """

    def __init__(self, message: str, returncode: int, stderr: str):
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr


@dataclass
class IngestSummary:
    """The summary line of `lesion ingest`, parsed.

    Documents are counted as stored (a new model or step), merged (items added to a
    stored checkpoint; lesion versions that merge), unchanged and refused.
    """

    stored: int = 0
    merged: int = 0
    unchanged: int = 0
    refused: int = 0
    models: int = 0
    checkpoints: int = 0
    unit_values: int = 0
    curve_points: int = 0
    seconds: float = 0.0
    line: str = ""
    messages: List[str] = field(default_factory=list)
    """What `lesion` said on standard error (warnings, refusals)."""


class IngestRefusedError(LesionError):
    """`lesion` refused one or more documents (the others were stored).

    Attributes
    ----------
    summary : IngestSummary
    errors : list of str
        lesion's messages, each naming the line and JSON path.
    """

    def __init__(self, summary: IngestSummary):
        errors = [m for m in summary.messages if m.startswith("error:")] or summary.messages
        shown = "\n  ".join(errors[:5]) + ("\n  …" if len(errors) > 5 else "")
        super().__init__(f"lesion refused {summary.refused} document(s):\n  {shown}")
        self.summary = summary
        self.errors = errors


def find_binary(binary: Optional[Union[str, os.PathLike]] = None) -> str:
    """The `lesion` executable: ``binary`` if given, else ``$LESION_BIN``, else ``lesion`` on PATH.

    Raises
    ------
    LesionNotFoundError
        With a hint where to get one.
    """
    candidate = os.fspath(binary) if binary is not None else os.environ.get("LESION_BIN")
    if candidate:
        found = shutil.which(candidate)
        if found is None:
            source = "binary=" if binary is not None else "$LESION_BIN ="
            raise LesionNotFoundError(f"no lesion executable at {candidate} ({source} {candidate}); "
                                      "build it with `swift build --product lesion` and pass .build/debug/lesion")
        return found
    found = shutil.which("lesion")
    if found is None:
        raise LesionNotFoundError("lesion is not on PATH: build it with `swift build --product lesion` "
                                  "in the repository, then pass binary=..., set $LESION_BIN, or add it to PATH")
    return found


_COUNTS = re.compile(r"\b(stored|would store|merged|unchanged|refused) (\d+)")
_TOTALS = re.compile(r"(\d+) (models|checkpoints|unit values|curve points)\b")
_SECONDS = re.compile(r" in ([0-9.]+) s\b")


def _parse(line: str, messages: List[str]) -> IngestSummary:
    summary = IngestSummary(line=line, messages=messages)
    for word, n in _COUNTS.findall(line):
        setattr(summary, "stored" if word == "would store" else word, int(n))
    for n, word in _TOTALS.findall(line):
        setattr(summary, word.replace(" ", "_"), int(n))
    m = _SECONDS.search(line)
    if m:
        summary.seconds = float(m.group(1))
    return summary


def ingest(documents: Union[RunDocument, Mapping[str, Any], Iterable[Union[RunDocument, Mapping[str, Any]]]],
           db: Optional[str] = None, binary: Optional[Union[str, os.PathLike]] = None,
           replace: bool = False, dry_run: bool = False) -> IngestSummary:
    """Stream documents to ``lesion ingest -`` and return its summary.

    Parameters
    ----------
    documents : RunDocument, dict, or an iterable of them
        Dicts are written as given (lesion checks them); RunDocuments were checked
        as they were built. Each goes out as one JSON line, as it is produced.
    db : str, optional
        ``--db``: a SQLite path or a PostgreSQL URL (else lesion uses ``$LESION_DB``,
        else ``./lesion.db``).
    binary : path, optional
        The `lesion` executable (else ``$LESION_BIN``, else ``lesion`` on PATH).
    replace, dry_run : bool
        ``--replace`` and ``--dry-run``.

    Returns
    -------
    IngestSummary

    Raises
    ------
    LesionNotFoundError
        No binary.
    IngestRefusedError
        Some documents were refused (their errors name line and path); the rest are stored.
    LesionCommandError
        Any other non-zero exit (no database, permission denied, …).
    """
    exe = find_binary(binary)
    args = [exe, "ingest", "-"]
    if db is not None:
        args += ["--db", os.fspath(db)]
    if replace:
        args.append("--replace")
    if dry_run:
        args.append("--dry-run")
    if isinstance(documents, (RunDocument, Mapping)):
        documents = [documents]
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out: List[bytes] = []
    err: List[bytes] = []
    readers = [threading.Thread(target=_drain, args=(proc.stdout, out), daemon=True),
               threading.Thread(target=_drain, args=(proc.stderr, err), daemon=True)]
    for r in readers:
        r.start()
    assert proc.stdin is not None
    try:
        for doc in documents:
            proc.stdin.write((dumps(doc) + "\n").encode("utf-8"))
    except BrokenPipeError:
        pass  # lesion stopped reading; its exit status and stderr say why
    finally:
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass
        code = proc.wait()
        for r in readers:
            r.join()
    stdout = b"".join(out).decode("utf-8", "replace")
    stderr = b"".join(err).decode("utf-8", "replace")
    messages = [line for line in stderr.splitlines() if line.strip()]
    line = next((ln for ln in reversed(stdout.splitlines()) if " documents;" in ln), "")
    if line:
        summary = _parse(line, messages)
        if summary.refused > 0:
            raise IngestRefusedError(summary)
        if code == 0:
            return summary
    detail = stderr.strip() or stdout.strip() or "no message"
    raise LesionCommandError(f"lesion ingest exited with status {code}: {detail}", code, stderr)


def _drain(stream: Optional[IO[bytes]], into: List[bytes]) -> None:
    if stream is not None:
        into.append(stream.read())
