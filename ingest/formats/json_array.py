"""A JSON array of record objects: ``[{...}, {...}]``, read incrementally.

The file is decoded one element at a time from a bounded window, so a
multi-gigabyte array never sits in memory. An element that is not an object is
reported and skipped; a syntax error is raised as :class:`InputError`, because
unlike JSON lines there is no reliable place to resume after it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TextIO

from ingest.formats import (
    JSON_ERRORS,
    MAX_LINE_CHARS,
    InputError,
    RawRecord,
    describe_json_error,
    json_decoder,
    register,
)
from ingest.validation import json_type_name

CHUNK_CHARS = 64 * 1024
# One element may be this large at most; a longer one is an error, not a memory spike.
MAX_ELEMENT_CHARS = MAX_LINE_CHARS

_WHITESPACE = " \t\n\r"


class _Window:
    """A sliding window over the stream that knows the line number of any position."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.text = ""
        self.pos = 0
        self.eof = False
        self._line = 1  # line number at self._counted
        self._counted = 0

    def fill(self, at_least: int = CHUNK_CHARS) -> bool:
        """Read at least ``at_least`` more characters; False at end of stream."""
        if self.eof:
            return False
        if self.pos > CHUNK_CHARS:
            self.line_at(self.pos)
            self.text = self.text[self.pos :]
            self._counted -= self.pos
            self.pos = 0
        chunk = self._stream.read(max(at_least, CHUNK_CHARS))
        if not chunk:
            self.eof = True
            return False
        self.text += chunk
        return True

    def skip_whitespace(self) -> str:
        """Move to the next non-whitespace character and return it ("" at the end)."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.fill():
                return ""

    def line_at(self, pos: int) -> int:
        if pos < self._counted:
            return self._line - self.text.count("\n", pos, self._counted)
        self._line += self.text.count("\n", self._counted, pos)
        self._counted = pos
        return self._line


@register("json-array")
def read_json_array(stream: TextIO, source: str) -> Iterator[RawRecord]:
    """Yield each element of the top-level array in ``stream``."""
    window = _Window(stream)
    if window.skip_whitespace() != "[":
        raise InputError(
            source, "a JSON array file must start with '['", window.line_at(window.pos)
        )
    window.pos += 1
    expect_element = True  # after '[' or ','
    first = True
    while True:
        char = window.skip_whitespace()
        line = window.line_at(window.pos)
        if char == "":
            raise InputError(source, "invalid JSON: the array is not closed with ']'", line)
        if char == "]" and (first or not expect_element):
            window.pos += 1
            break
        if not expect_element:
            if char != ",":
                raise InputError(source, f"invalid JSON: expected ',' or ']', got {char!r}", line)
            window.pos += 1
            expect_element = True
            continue
        value = _decode_element(window, source, line)
        first = False
        expect_element = False
        if isinstance(value, dict):
            yield RawRecord(line, value)
        else:
            error = {"line": f"must be a JSON object, got {json_type_name(value)}"}
            yield RawRecord(line, None, error, raw=value)
    if window.skip_whitespace() != "":
        raise InputError(
            source,
            "invalid JSON: unexpected data after the closing ']'",
            window.line_at(window.pos),
        )


def _decode_element(window: _Window, source: str, line: int) -> object:
    while True:
        try:
            value, end = json_decoder.raw_decode(window.text, window.pos)
        except json.JSONDecodeError as exc:
            # The element may just be cut off by the end of the window: read more and
            # retry, doubling the read so a large element is not re-parsed too often.
            size = len(window.text) - window.pos
            if size > MAX_ELEMENT_CHARS:
                raise InputError(
                    source, f"an element is longer than {MAX_ELEMENT_CHARS:,} characters", line
                ) from None
            if window.fill(at_least=size):
                continue
            raise InputError(
                source, f"invalid JSON: {exc.msg}", window.line_at(min(exc.pos, len(window.text)))
            ) from None
        except JSON_ERRORS as exc:  # NaN, Infinity, or nested too deeply
            raise InputError(source, describe_json_error(exc), line) from None
        # A number at the very end of the window may continue in the next chunk.
        at_window_end = end == len(window.text) and not window.eof
        if at_window_end and not isinstance(value, dict | list | str) and window.fill():
            continue
        window.pos = end
        return value
