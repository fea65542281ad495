"""Reading the text files a planner saves: scenario YAML, CSV series, weather and profile files.

One rule for every text file gridopt reads (:func:`read_text`):

- UTF-8, with or without a byte-order mark (Excel's "CSV UTF-8", most editors);
- UTF-16 with a byte-order mark (Excel's "Unicode text");
- GBK/GB18030 when that is the file's encoding (Excel and Notepad on a Chinese Windows save
  CSV and text files in it): the text must decode and read as Chinese, i.e. its non-ASCII
  characters are nearly all in the common GB2312 set;
- anything else (Latin-1, binary, an Excel workbook renamed .csv) is an
  :class:`~gridopt.errors.InputError` naming the file, the first byte that is not text and its
  line, and the fix: save the file as UTF-8.
"""

from __future__ import annotations

from pathlib import Path

from gridopt.errors import InputError, Problem

SAVE_AS_UTF8 = "save it as UTF-8 (Excel: Save As > 'CSV UTF-8'; Notepad: Save As > Encoding UTF-8)"
GB2312_SHARE_MIN = 0.9
"""Share of a GB18030 file's non-ASCII characters that must be common (GB2312) Chinese
characters or symbols for the file to be read as GB18030 rather than refused."""


def read_text(path: str | Path, label: str | None = None) -> str:
    """The text of the file at ``path`` by the rule of this module; ``label`` names the file in
    messages (default: the path). Raises :class:`InputError` if it cannot be read as text."""
    path = Path(path)
    label = label or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(Problem(label, "file not found", fix="check the path")) from None
    except IsADirectoryError:
        raise InputError(Problem(label, "is a folder, not a file", fix="name a file")) from None
    except OSError as exc:
        raise InputError(
            Problem(label, f"cannot be read ({exc.strerror or exc})", fix="check the file")
        ) from None
    return decode_text(raw, label)


def decode_text(raw: bytes, label: str) -> str:
    """Decode the bytes ``raw`` of file ``label`` (see the module docstring)."""
    if raw.startswith(b"PK\x03\x04"):
        raise InputError(
            Problem(
                label,
                "is a zip archive or an Excel workbook, not a text file",
                fix="export it as text: " + SAVE_AS_UTF8,
            )
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass  # reported below as binary
    if b"\x00" in raw[:65536]:
        raise InputError(
            Problem(
                label,
                "is not a text file (it contains binary data)",
                fix="give a text file: " + SAVE_AS_UTF8,
            )
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _reads_as_chinese(text):
        return text
    line = raw[:first_bad].count(b"\n") + 1
    raise InputError(
        Problem(
            label,
            f"is neither UTF-8 nor GBK/GB18030 text (byte 0x{raw[first_bad]:02x} on line {line}; "
            "perhaps Latin-1 or another code page)",
            fix=SAVE_AS_UTF8,
        )
    )


def _reads_as_chinese(text: str) -> bool:
    """True when nearly all non-ASCII characters are GB2312 characters (two bytes, each from
    0xA1), as in Chinese text; Latin-1 bytes that happen to decode as GB18030 give mostly rare
    characters whose second byte is ASCII."""
    wide = [c for c in text if ord(c) > 127]
    if not wide:
        return True
    common = 0
    for c in wide:
        b = c.encode("gb18030")
        common += len(b) == 2 and b[0] >= 0xA1 and b[1] >= 0xA1
    return common >= GB2312_SHARE_MIN * len(wide)
