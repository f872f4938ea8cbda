"""Reading an uploaded member file (CSV or XLSX) into a header and rows of text, refusing
hostile files with a clear message before they cost memory or time: too large, not text,
over-long fields, too many columns, a zip bomb dressed as a spreadsheet."""
import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import gettext as _

from ..errors import ValidationError

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 100
MAX_FIELD = 100_000  # characters; a longer field is not member data
# An XLSX is a zip: refuse one that would unpack to more than this, or that is packed more
# tightly than any real spreadsheet is (a zip bomb), before calamine unpacks anything.
MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 100
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


class ImportRefused(ValidationError):
    """The file cannot be imported at all; nothing was written."""


@dataclass
class Table:
    header: list
    rows: list = field(default_factory=list)


def read(filename, data):
    """A Table from the file's bytes; ImportRefused with the reason if it cannot be read."""
    if not data:
        raise ImportRefused(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ImportRefused(_("The file is larger than %(mb)d MB. Split it into smaller files.",
                              mb=MAX_BYTES // (1024 * 1024)))
    is_zip = data[:4] == b"PK\x03\x04"
    if is_zip or (filename or "").lower().endswith(SPREADSHEET_SUFFIXES):
        rows = _spreadsheet_rows(data)
    else:
        rows = _csv_rows(_decode(data))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise ImportRefused(_("The file has no rows."))
    if len(rows) - 1 > MAX_ROWS:
        raise ImportRefused(_("The file has more than %(n)d rows. Split it into smaller files.",
                              n=MAX_ROWS))
    header = [cell.strip() for cell in rows[0]]
    return Table(header=header, rows=rows[1:])


def _decode(data):
    """Text from UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252/Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    elif data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    if "\x00" in text:
        raise ImportRefused(_("This is not a text file (it contains NUL characters). "
                              "Save it as CSV or XLSX and try again."))
    return text


def _dialect(text):
    sample = text[:20_000]
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        first = sample.split("\n", 1)[0]
        best = max((";", ",", "\t"), key=first.count)
        return type("Guessed", (csv.excel,), {"delimiter": best})


def _csv_rows(text):
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    rows = []
    try:
        for row in reader:
            _check_row(row, reader.line_num)
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error:
        raise ImportRefused(_("Line %(line)d cannot be read: a field is longer than %(n)d "
                              "characters or a quote is not closed.",
                              line=reader.line_num, n=MAX_FIELD)) from None
    return rows


def _check_row(row, line):
    if len(row) > MAX_COLUMNS:
        raise ImportRefused(_("Line %(line)d has more than %(n)d columns.", line=line,
                              n=MAX_COLUMNS))
    if any(len(cell) > MAX_FIELD for cell in row):
        raise ImportRefused(_("Line %(line)d cannot be read: a field is longer than %(n)d "
                              "characters or a quote is not closed.", line=line, n=MAX_FIELD))


def _check_zip(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportRefused(_("This is not a spreadsheet that can be read "
                              "(XLSX or ODS).")) from None
    unpacked = sum(info.file_size for info in infos)
    packed = max(1, sum(info.compress_size for info in infos))
    if unpacked > MAX_UNPACKED or unpacked / packed > MAX_RATIO or len(infos) > 1000:
        raise ImportRefused(_("The spreadsheet unpacks to far more than its size (a zip "
                              "bomb?). It was not opened."))


def _spreadsheet_rows(data):
    if data[:4] == b"PK\x03\x04":
        _check_zip(data)
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        values = book.get_sheet_by_index(0).to_python(skip_empty_area=True)
    except Exception:  # calamine raises its own errors for any damaged file
        raise ImportRefused(_("This is not a spreadsheet that can be read "
                              "(XLSX or ODS).")) from None
    rows = []
    for number, raw in enumerate(values, start=1):
        row = [_cell_text(value) for value in raw]
        _check_row(row, number)
        rows.append(row)
    return rows


def _cell_text(value):
    """A spreadsheet cell as text: whole numbers without ".0" (phone numbers), dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
