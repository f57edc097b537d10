"""Readers for the file formats deployers upload their log samples in.

Every format is one module in this package that registers a reader with
:func:`register`. A reader turns a text stream into :class:`RawRecord` objects:
a JSON-like ``dict`` per record, or field errors for a record that could not be
parsed at all, each with the 1-based physical line where the record starts.
Readers never raise for one bad record, so a broken line cannot stop a
multi-gigabyte import; they raise :class:`InputError` only when the rest of the
file cannot be read (a bad CSV header, a syntax error inside a JSON array).

Everything is a generator over the stream, so memory stays flat whatever the
file size. Validation of the records is not done here but in
:mod:`ingest.validation`.
"""

from __future__ import annotations

import codecs
import gzip
import importlib
import io
import json
import os
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any, TextIO

from core.records import FieldErrors

GZIP_MAGIC = b"\x1f\x8b"

# A line longer than this is reported as an error and skipped, not read into memory:
# a file without newlines (binary data, a pretty-printed dump) must not exhaust memory.
# It is far above any record validation accepts, even with every character escaped.
MAX_LINE_CHARS = 8 * 1024 * 1024

_EXTENSION_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record as read from a file, before validation.

    Exactly one of ``obj`` and ``error`` is set. ``raw`` is what the rejected-records
    file shows for this record when it is rejected: the line text for a line that
    did not parse, or the original object when a reader reshaped it (``openai-chat``);
    when it is ``None`` the rejected file shows ``obj``.
    """

    line: int
    obj: dict[str, Any] | None
    error: FieldErrors | None = None
    raw: object = None


Reader = Callable[[TextIO, str], Iterator[RawRecord]]
# Parses one physical line (``None`` for an over-long one, see iter_lines) into
# a record, or ``None`` for a line that holds none (a blank line).
LineParser = Callable[[int, str | None], RawRecord | None]


class InputError(Exception):
    """The file (from ``line`` on, when given) cannot be read as the format says."""

    def __init__(self, source: str, reason: str, line: int | None = None) -> None:
        self.source = source
        self.reason = reason
        self.line = line
        where = f"{source}, line {line:,}" if line is not None else source
        super().__init__(f"{where}: {reason}")


_READERS: dict[str, Reader] = {}
_LINE_PARSERS: dict[str, LineParser] = {}
_builtins_loaded = False


def register(name: str, *, line_parser: LineParser | None = None) -> Callable[[Reader], Reader]:
    """Register the decorated function as the reader for format ``name``.

    A format with one record per physical line also passes ``line_parser``; the
    reader must then yield exactly what ``line_parser`` makes of each line of
    :func:`iter_lines`. Importers that parse in other processes send such
    files there as raw lines, which cost next to nothing to pass between
    processes, rather than as decoded records.
    """

    def decorate(reader: Reader) -> Reader:
        if name in _READERS and _READERS[name] is not reader:
            raise ValueError(f"format {name!r} is already registered")
        _READERS[name] = reader
        if line_parser is not None:
            _LINE_PARSERS[name] = line_parser
        return reader

    return decorate


def _load_builtin_formats() -> None:
    # Importing every module of this package is what registers its readers, so a
    # new format is one new module and nothing else to edit.
    global _builtins_loaded
    if _builtins_loaded:
        return
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    _builtins_loaded = True


def available_formats() -> list[str]:
    """Names accepted by :func:`get_reader`, sorted (``auto`` is not one of them)."""
    _load_builtin_formats()
    return sorted(_READERS)


def get_reader(name: str) -> Reader:
    """The reader registered for ``name``; ``ValueError`` listing the formats if none."""
    _load_builtin_formats()
    try:
        return _READERS[name]
    except KeyError:
        known = ", ".join(available_formats())
        raise ValueError(f"unknown format {name!r}; known formats: {known}") from None


def get_line_parser(name: str) -> LineParser | None:
    """The line parser registered with format ``name``, or ``None`` if it has none."""
    get_reader(name)  # loads the formats; an unknown name fails as in get_reader
    return _LINE_PARSERS.get(name)


class InputText(io.TextIOWrapper):
    """A UTF-8 text stream over a plain or gzip-compressed file.

    Closing it closes the file. :meth:`bytes_consumed` and :attr:`size` are in bytes
    *on disk* (compressed bytes for a gzip file), which is what progress and ETA
    are computed from.
    """

    # Set right after construction by open_text; declared for the type checker.
    _disk_file: IO[bytes]
    binary: io.BufferedIOBase  # the decompressed bytes
    size: int
    compressed: bool

    def bytes_consumed(self) -> int:
        """How far into the file on disk reading has got (read-ahead included)."""
        try:
            return self._disk_file.tell()
        except (OSError, ValueError):
            return 0

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._disk_file.close()


def open_text(path: str | os.PathLike[str]) -> InputText:
    """Open ``path`` for streaming text reading, decompressing gzip transparently.

    Compression is recognised by its magic bytes, so a compressed file without a
    ``.gz`` name works too; a ``.gz`` file that is not compressed is an error rather
    than silently read as text, because it usually means a broken upload.
    The text is decoded as UTF-8 (a leading byte-order mark is dropped) with
    universal line splitting but no newline translation, which ``csv`` requires.
    """
    source = os.fspath(path)
    disk_file = open(source, "rb")  # noqa: SIM115 -- owned and closed by the InputText
    try:
        magic = disk_file.read(2)
        disk_file.seek(0)
        compressed = magic == GZIP_MAGIC
        if not compressed and source.lower().endswith(".gz"):
            raise InputError(source, "has a .gz name but is not gzip-compressed")
        if compressed:
            unpacked = gzip.GzipFile(fileobj=disk_file, mode="rb")
            text = InputText(unpacked, encoding="utf-8-sig", errors="strict", newline="")
            text.binary = unpacked
        else:
            text = InputText(disk_file, encoding="utf-8-sig", errors="strict", newline="")
            text.binary = disk_file
        text._disk_file = disk_file
        text.size = os.fstat(disk_file.fileno()).st_size
        text.compressed = compressed
        return text
    except BaseException:
        disk_file.close()
        raise


def iter_lines(stream: TextIO, max_chars: int = MAX_LINE_CHARS) -> Iterator[tuple[int, str | None]]:
    """Yield ``(line_number, text)`` for each physical line, 1-based.

    ``text`` is ``None`` for a line longer than ``max_chars``: the rest of such a line
    is skipped in bounded chunks instead of being held in memory.
    """
    line_number = 0
    while True:
        text = stream.readline(max_chars)
        if not text:
            return
        line_number += 1
        if len(text) >= max_chars and not text.endswith(("\n", "\r")):
            while True:
                rest = stream.readline(max_chars)
                if not rest or rest.endswith(("\n", "\r")):
                    break
            yield line_number, None
        else:
            yield line_number, text


def _reject_constant(name: str) -> Any:
    # NaN and Infinity are not JSON and no database JSON column stores them.
    raise ValueError(f"{name} is not valid JSON")


# json.loads accepts NaN/Infinity by default; every reader decodes with this instead.
json_decoder = json.JSONDecoder(parse_constant=_reject_constant)


# What decoding untrusted JSON may raise: syntax errors, NaN, and nesting deep
# enough to exhaust the decoder's recursion.
JSON_ERRORS = (ValueError, RecursionError)


def describe_json_error(exc: Exception) -> str:
    """``invalid JSON: <reason>``, with the column for syntax errors."""
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON: {exc.msg} at column {exc.colno}"
    if isinstance(exc, RecursionError):
        return "invalid JSON: nested too deeply"
    return f"invalid JSON: {exc}"


def detect_format(path: str | os.PathLike[str]) -> str:
    """Choose the reader for ``path`` when the user asked for ``auto``.

    The extension decides first (``.jsonl``, ``.ndjson``, ``.json``, ``.csv``, each
    optionally followed by ``.gz``); the first bytes decide otherwise and also
    between the JSON flavours: a file starting with ``[`` is a JSON array, and a
    JSON-lines file whose first record has ``messages`` but no ``response`` is in
    OpenAI chat format. Raises :class:`InputError` when neither tells.
    """
    source = os.fspath(path)
    name = source.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    extension = os.path.splitext(name)[1]
    if _EXTENSION_FORMATS.get(extension) == "csv":
        return "csv"
    head = _read_head(source)
    first = head.lstrip()
    if first.startswith("["):
        return "json-array"
    if first.startswith("{"):
        return "openai-chat" if _looks_like_openai_chat(first) else "jsonl"
    if extension in (".jsonl", ".ndjson", ".json"):
        return "jsonl"  # an empty or broken file: the reader reports what is wrong
    first_line = first.split("\n", 1)[0]
    if "," in first_line and "external_id" in first_line:
        return "csv"
    raise InputError(
        source,
        "cannot tell the format from the name or the content; choose one of "
        + ", ".join(available_formats()),
    )


_SNIFF_CHARS = 64 * 1024


def _read_head(source: str) -> str:
    with open_text(source) as stream:
        return stream.read(_SNIFF_CHARS)


def _looks_like_openai_chat(head: str) -> bool:
    first_line = head.split("\n", 1)[0]
    try:
        value = json_decoder.decode(first_line)
    except JSON_ERRORS:
        return False
    return isinstance(value, dict) and "messages" in value and "response" not in value


def find_undecodable_line(path: str | os.PathLike[str]) -> tuple[int, str] | None:
    """Find the first line of ``path`` that is not UTF-8: ``(line, description)``.

    The text stream decodes ahead in chunks, so when decoding fails the reader
    does not know the line. This second pass, run only on that failure, does.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open_text(path) as stream:
        binary = stream.binary
        line_number = 1
        while True:
            data = binary.readline(MAX_LINE_CHARS)
            try:
                decoder.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                return line_number, f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x})"
            if not data:
                return None
            if data.endswith(b"\n"):
                line_number += 1
