"""Partners CSV, read as the attain CLI reads it (clients/cli/csv.cc, portfolio_input.cc),
so that one file means the same to both.

The first record that is not a `#` note is a header naming partner fields by proto name
(`baseline_revenue`) or JSON name (`baselineRevenue`), nested fields with dots
(`response.max_lift`), enums by value name with or without their prefix, in any case
(`TIER_INVEST`, `invest`). An empty cell leaves the field unset (the service's default).
Cells may be quoted ("Acme, Inc."; "" inside quotes is one quote) and may then span
lines. Errors are BadInput, "FILE:LINE: column N \"HEADER\": what is wrong".
"""
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from google.protobuf.descriptor import FieldDescriptor

from attain_plan.errors import BadInput, bounded


@dataclass
class Record:
    line: int  # 1-based line it starts on
    cells: List[str]


def split_csv(text: str, source: str) -> List[Record]:
    """RFC 4180 records with their lines. Unquoted cells are trimmed; quoted ones kept
    verbatim. Rows without a value and `#` note lines are skipped (every line keeps its
    number); a leading byte order mark is ignored."""
    text = text.removeprefix("\ufeff")
    records: List[Record] = []
    record = Record(1, [])
    cell: List[str] = []
    quoted = False
    has_content = False
    line = 1
    i = 0

    def end_cell():
        nonlocal quoted, has_content
        value = "".join(cell)
        record.cells.append(value if quoted else value.strip())
        has_content = has_content or quoted or bool(value)
        cell.clear()
        quoted = False

    def end_record():
        nonlocal record, has_content
        end_cell()
        if has_content:
            records.append(record)
        record = Record(line, [])
        has_content = False

    while i < len(text):
        c = text[i]
        if c == "#" and not record.cells and not cell and not quoted:
            while i < len(text) and text[i] not in "\r\n":
                i += 1
            continue
        if c == '"' and not "".join(cell).strip() and not quoted:
            start_line = line
            cell.clear()
            quoted = True
            i += 1
            closed = False
            while i < len(text):
                if text[i] == '"':
                    if text[i + 1:i + 2] == '"':
                        cell.append('"')
                        i += 2
                        continue
                    closed = True
                    i += 1
                    break
                if text[i] == "\n":
                    line += 1
                cell.append(text[i])
                i += 1
            if not closed:
                raise BadInput(f"{source}:{start_line}: a quoted cell (column "
                               f"{len(record.cells) + 1}) has no closing quote")
            while i < len(text) and text[i] in " \t":
                i += 1
            if i < len(text) and text[i] not in ",\r\n":
                raise BadInput(f"{source}:{line}: unexpected text after the closing quote of "
                               f"column {len(record.cells) + 1} (write a quote inside a "
                               f"quoted cell as \"\")")
            continue
        if c == ",":
            end_cell()
        elif c in "\r\n":
            if c == "\r" and text[i + 1:i + 2] == "\n":
                i += 1
            line += 1
            end_record()
        else:
            cell.append(c)
        i += 1
    end_record()
    return records


@dataclass
class CsvMap:
    """Where a CSV portfolio's partners and columns are in its file, to point at the cell
    behind a server's field violation."""
    path: str
    partner_lines: List[int] = field(default_factory=list)
    columns: Dict[str, Tuple[int, str]] = field(default_factory=dict)  # field: (1-based, header)

    def locate(self, partner: int, rest: str) -> str:
        """Where partners[partner] (and its field `rest`, e.g. "volatility") is."""
        if not 0 <= partner < len(self.partner_lines):
            return ""
        where = f"{self.path}:{self.partner_lines[partner]}"
        if not rest:
            return where
        if rest in self.columns:
            number, header = self.columns[rest]
            return f"{where}: column {number} \"{header}\""
        return f"{where}: {rest}"


def _field(message, name: str) -> Optional[FieldDescriptor]:
    for candidate in message.fields:
        if name in (candidate.name, candidate.json_name):
            return candidate
    return None


def _column_names(message, prefix: str = "") -> List[str]:
    names = []
    for candidate in message.fields:
        if candidate.label == FieldDescriptor.LABEL_REPEATED:
            continue
        name = prefix + candidate.name
        if candidate.message_type is not None:
            names += _column_names(candidate.message_type, name + ".")
        else:
            names.append(name)
    return names


def _edit_distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        diagonal, row[0] = row[0], i
        for j in range(1, len(b) + 1):
            above = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1]))
            diagonal = above
    return row[len(b)]


def _suggest(header: str, partner) -> str:
    """The columns a header that names no field may have meant: those it names the last
    part of ("max_lift" -> "response.max_lift"), else those within two edits of it
    (ignoring case, "_" and "-")."""
    def plain(text):
        return re.sub("[_-]", "", text).lower()
    names = _column_names(partner)
    found = [n for n in names if "." in n and plain(n.rsplit(".", 1)[1]) == plain(header)]
    if not found:
        distances = {n: _edit_distance(plain(header), plain(n)) for n in names}
        best = min(distances.values())
        if best <= 2:
            found = [n for n in names if distances[n] == best]
    return "; did you mean \"" + "\" or \"".join(found) + "\"?" if found else ""


def _resolve(header: str, number: int, source: str, line: int, partner):
    def error(why):
        return BadInput(f"{source}:{line}: column {number} \"{bounded(header, 64)}\": {why}")
    if not header:
        raise error("empty column name")
    path = []
    message = partner
    parts = header.split(".")
    for depth, part in enumerate(parts):
        found = _field(message, part)
        if found is None:
            names = ", ".join(f.name for f in message.fields)
            raise error(f"no field \"{bounded(part, 64)}\" in {message.full_name}"
                        f"{_suggest(header, partner)} (fields: {names})")
        if found.label == FieldDescriptor.LABEL_REPEATED:
            raise error("repeated and map fields cannot be CSV columns")
        path.append(found)
        last = depth + 1 == len(parts)
        if found.message_type is not None:
            if last:
                raise error(f"\"{part}\" is a message; name one of its fields, e.g. "
                            f"{part}.{found.message_type.fields[0].name}")
            message = found.message_type
        elif not last:
            raise error(f"\"{part}\" has no fields")
    return path


def enum_prefix(enum) -> str:
    """"TIER_" for attain.v1.Tier: its zero value's name without "UNSPECIFIED"."""
    zero = enum.values_by_number.get(0)
    return zero.name[:-len("UNSPECIFIED")] if zero and zero.name.endswith("UNSPECIFIED") else ""


def find_enum_value(enum, text: str):
    """The value `text` names, with or without the enum's prefix, in any case; None when
    none does or it names the zero value ("not set")."""
    upper = text.upper()
    value = enum.values_by_name.get(upper)
    if value is None and not upper.startswith(enum_prefix(enum)):
        value = enum.values_by_name.get(enum_prefix(enum) + upper)
    return value if value is not None and value.number != 0 else None


def enum_choices(enum) -> str:
    """"INVEST, MAINTAIN or OPPORTUNISTIC (any case, with or without TIER_)"."""
    prefix = enum_prefix(enum)
    names = [v.name.removeprefix(prefix) for v in enum.values if v.number != 0]
    choices = names[-1] if len(names) < 2 else ", ".join(names[:-1]) + " or " + names[-1]
    return f"{choices} (any case, with or without {prefix})"


_INTEGER_RANGES = {
    FieldDescriptor.CPPTYPE_INT32: (-2 ** 31, 2 ** 31 - 1, "a whole number"),
    FieldDescriptor.CPPTYPE_INT64: (-2 ** 63, 2 ** 63 - 1, "a whole number"),
    FieldDescriptor.CPPTYPE_UINT32: (0, 2 ** 32 - 1, "a whole number >= 0"),
    FieldDescriptor.CPPTYPE_UINT64: (0, 2 ** 64 - 1, "a whole number >= 0"),
}
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}


def _value(target: FieldDescriptor, text: str):
    """The cell as the field's type; ValueError saying what was expected."""
    def expected(what):
        return ValueError(f"expected {what}, got \"{bounded(text, 64)}\"")
    kind = target.cpp_type
    if kind == FieldDescriptor.CPPTYPE_STRING:
        return text
    if kind in (FieldDescriptor.CPPTYPE_DOUBLE, FieldDescriptor.CPPTYPE_FLOAT):
        try:
            if "_" in text:  # Python reads 1_000; the CLI does not
                raise ValueError
            return float(text)
        except ValueError:
            raise expected("a number") from None
    if kind in _INTEGER_RANGES:
        low, high, what = _INTEGER_RANGES[kind]
        if not re.fullmatch(r"[+-]?[0-9]+", text) or not low <= int(text) <= high:
            raise expected(what)
        return int(text)
    if kind == FieldDescriptor.CPPTYPE_BOOL:
        if text.lower() not in _TRUE | _FALSE:
            raise expected("true or false")
        return text.lower() in _TRUE
    value = find_enum_value(target.enum_type, text)
    if value is None:
        raise expected(enum_choices(target.enum_type))
    return value.number


def parse_partners(text: str, source: str, partner_class) -> Tuple[list, CsvMap]:
    """The partners of CSV `text` as `partner_class` (attain.v1.Partner) messages, and
    where each is in the file; `source` names the file in errors."""
    records = split_csv(text, source)
    if not records:
        raise BadInput(f"{source}: empty; expected a header line naming partner fields")
    header = records[0]
    descriptor = partner_class.DESCRIPTOR
    columns = []
    for number, name in enumerate(header.cells, start=1):
        path = _resolve(name, number, source, header.line, descriptor)
        for earlier_name, earlier_path in columns:
            if earlier_path == path:
                raise BadInput(f"{source}:{header.line}: columns \"{bounded(earlier_name, 64)}\""
                               f" and \"{bounded(name, 64)}\" set the same field")
        columns.append((name, path))

    csv_map = CsvMap(source)
    partners = []
    for record in records[1:]:
        if len(record.cells) != len(columns):
            raise BadInput(f"{source}:{record.line}: {len(record.cells)} cells, but the header "
                           f"has {len(columns)} columns")
        partner = partner_class()
        for (name, path), cell in zip(columns, record.cells):
            if not cell:
                continue  # unset: the service applies the default
            target = partner
            for step in path[:-1]:
                target = getattr(target, step.name)
            try:
                setattr(target, path[-1].name, _value(path[-1], cell))
            except ValueError as error:
                raise BadInput(f"{source}:{record.line}: column \"{bounded(name, 64)}\": "
                               f"{error}") from None
        partners.append(partner)
        csv_map.partner_lines.append(record.line)
    for number, (name, path) in enumerate(columns, start=1):
        csv_map.columns[".".join(step.name for step in path)] = (number, name)
    return partners, csv_map
