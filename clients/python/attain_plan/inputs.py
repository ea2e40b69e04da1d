"""Reading a team: a Team JSON file (attain.v1.Team, like examples/team.json), one
Portfolio JSON file, or a folder of managers' portfolios, each a Portfolio JSON file or a
partners CSV (as the attain CLI reads it: a header of partner fields by proto or JSON
name, nested with dots, enums by value name with or without their prefix; # lines are
notes; an empty cell leaves the field unset) with its portfolio-level settings in
NAME.meta.json beside NAME.csv.

Errors are BadInput naming the file and the line and column or the field.
"""
import csv
import io
import json
from pathlib import Path
from typing import Dict, Optional

from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor

from attain_plan import stubs


class BadInput(Exception):
    pass


def _parse_json(text: str, message, source: str):
    """Parses protobuf JSON as the attain CLI does: enum values may be written without
    their prefix and in any case ("MONTH", "invest")."""
    try:
        document = json.loads(text)
    except ValueError as error:
        raise BadInput(f"{source}: not JSON: {_bounded(str(error))}") from None
    try:
        json_format.ParseDict(_with_enum_names(document, message.DESCRIPTOR), message)
    except json_format.ParseError as error:
        raise BadInput(f"{source}: {_bounded(str(error))}") from None
    return message


def _with_enum_names(value, descriptor):
    """`value` (a JSON object of `descriptor`'s message) with every enum value written by
    its full name where it names one."""
    if not isinstance(value, dict):
        return value
    fixed = {}
    for key, item in value.items():
        field = _field(descriptor, key)
        if field is None:
            fixed[key] = item  # ParseDict names the unknown field
        elif field.message_type is not None and field.message_type.GetOptions().map_entry:
            value_field = field.message_type.fields_by_name["value"]
            fixed[key] = ({k: _one(value_field, v) for k, v in item.items()}
                          if isinstance(item, dict) else item)
        elif field.label == FieldDescriptor.LABEL_REPEATED and isinstance(item, list):
            fixed[key] = [_one(field, element) for element in item]
        else:
            fixed[key] = _one(field, item)
    return fixed


def _one(field, item):
    if field.message_type is not None:
        return _with_enum_names(item, field.message_type)
    if field.type == FieldDescriptor.TYPE_ENUM and isinstance(item, str):
        number = _enum_value(field, item)
        if number is not None:
            return field.enum_type.values_by_number[number].name
    return item


def _bounded(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise BadInput(f"{path}: cannot read: {getattr(error, 'strerror', None) or error}") \
            from None


def _field(descriptor, name: str) -> Optional[FieldDescriptor]:
    for candidate in descriptor.fields:
        if name in (candidate.name, candidate.json_name):
            return candidate
    return None


def _enum_value(field: FieldDescriptor, text: str):
    wanted = text.strip().upper()
    prefix = field.enum_type.values[0].name.rsplit("_", 1)[0] + "_"  # TIER_UNSPECIFIED
    for value in field.enum_type.values:
        if wanted in (value.name, value.name[len(prefix):] if value.name.startswith(prefix) else
                      None):
            return value.number
    return None


def _scalar(field: FieldDescriptor, text: str):
    """The cell as the field's type, or raises ValueError saying what was expected."""
    if field.type == FieldDescriptor.TYPE_ENUM:
        number = _enum_value(field, text)
        if number is None:
            names = ", ".join(v.name for v in field.enum_type.values[1:])
            raise ValueError(f"expected one of {names}")
        return number
    if field.type == FieldDescriptor.TYPE_BOOL:
        if text.lower() not in ("true", "false"):
            raise ValueError("expected true or false")
        return text.lower() == "true"
    if field.type in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        try:
            return float(text)
        except ValueError:
            raise ValueError("expected a number") from None
    if field.cpp_type in (FieldDescriptor.CPPTYPE_INT32, FieldDescriptor.CPPTYPE_INT64,
                          FieldDescriptor.CPPTYPE_UINT32, FieldDescriptor.CPPTYPE_UINT64):
        try:
            return int(text)
        except ValueError:
            raise ValueError("expected a whole number") from None
    if field.type == FieldDescriptor.TYPE_STRING:
        return text
    raise ValueError("this field cannot be given in a CSV column")


def read_partners_csv(path: Path, modules):
    """The partners of a CSV file, as attain.v1.Partner messages."""
    lines = [(number, line) for number, line in
             enumerate(_read_text(path).splitlines(keepends=True), start=1)
             if not line.lstrip().startswith("#")]
    if not lines:
        raise BadInput(f"{path}: no header line")
    rows = csv.reader(io.StringIO("".join(line for _, line in lines)))
    line_numbers = [number for number, _ in lines]
    header = next(rows)
    partner_descriptor = modules.portfolio.Partner.DESCRIPTOR
    columns = []
    for column, name in enumerate(header, start=1):
        message, field = partner_descriptor, None
        path_parts = name.strip().split(".")
        for depth, part in enumerate(path_parts):
            field = _field(message, part)
            if field is None:
                raise BadInput(f"{path}: line {line_numbers[0]}, column {column}: "
                               f"\"{_bounded(name, 64)}\" is not a partner field")
            if depth + 1 < len(path_parts):
                if field.message_type is None:
                    raise BadInput(f"{path}: line {line_numbers[0]}, column {column}: "
                                   f"{part} has no fields")
                message = field.message_type
        columns.append((path_parts, field))

    partners = []
    for row in rows:
        line = line_numbers[min(rows.line_num - 1, len(line_numbers) - 1)]
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise BadInput(f"{path}: line {line}: {len(row)} cells, the header has "
                           f"{len(header)}")
        partner = modules.portfolio.Partner()
        for column, ((parts, field), cell) in enumerate(zip(columns, row), start=1):
            if cell.strip() == "":
                continue
            target = partner
            for part in parts[:-1]:
                target = getattr(target, _field(target.DESCRIPTOR, part).name)
            try:
                setattr(target, field.name, _scalar(field, cell.strip()))
            except ValueError as error:
                raise BadInput(f"{path}: line {line}, column {column} "
                               f"({'.'.join(parts)}): {error}, not "
                               f"\"{_bounded(cell, 64)}\"") from None
        partners.append(partner)
    return partners


def read_portfolio(path: Path, modules):
    """A Portfolio from a .json file or a .csv file (with NAME.meta.json beside it)."""
    portfolio = modules.portfolio.Portfolio()
    if path.suffix.lower() == ".csv":
        meta = path.with_suffix(".meta.json")
        if meta.exists():
            _parse_json(_read_text(meta), portfolio, str(meta))
        portfolio.partners.extend(read_partners_csv(path, modules))
    else:
        _parse_json(_read_text(path), portfolio, str(path))
    if not portfolio.channel_manager_id:
        portfolio.channel_manager_id = path.name.split(".")[0]
    return portfolio


def read_team(source: Path, quota: Optional[float]):
    """The Team of `source` (a folder, a Team JSON or a Portfolio JSON); `quota`, when
    given, is the team's number."""
    modules = stubs.load()
    team = modules.team.Team()
    if source.is_dir():
        files = sorted(p for p in source.iterdir()
                       if p.suffix.lower() in (".json", ".csv")
                       and not p.name.lower().endswith(".meta.json"))
        if not files:
            raise BadInput(f"{source}: no .json or .csv portfolios in the folder")
        team.name = source.resolve().name
        team.members.extend(read_portfolio(path, modules) for path in files)
    else:
        text = _read_text(source)
        try:
            document = json.loads(text)
        except ValueError as error:
            raise BadInput(f"{source}: not JSON: {_bounded(str(error))}") from None
        if isinstance(document, dict) and "members" in document:  # a Team, else a Portfolio
            _parse_json(text, team, str(source))
        else:
            team.members.append(read_portfolio(source, modules))
            team.name = team.members[0].channel_manager_id
    if quota is not None:
        team.quota = quota
    elif team.quota == 0:
        raise BadInput(f"{source}: no team quota: give --quota")
    return team


def apply_plan(portfolio, plan) -> None:
    """Sets the plan's tiers and hours on the portfolio's partners (a plan's hours
    override the tier's), so that a recommendation starts from the plan."""
    partners: Dict[str, object] = {p.id: p for p in portfolio.partners}
    for partner_id, tier in plan.tiers.items():
        if partner_id not in partners:
            raise BadInput(f"plans[\"{portfolio.channel_manager_id}\"].tiers[\"{partner_id}\"]: "
                           "names no partner of the portfolio")
        partners[partner_id].tier = tier
    for partner_id, hours in plan.hours.items():
        if partner_id not in partners:
            raise BadInput(f"plans[\"{portfolio.channel_manager_id}\"].hours[\"{partner_id}\"]: "
                           "names no partner of the portfolio")
        partners[partner_id].hours_override = hours
