"""Reading a team: an attain.v1.Team JSON file (like examples/team.json), or a folder with
one file per manager, each an attain.v1.Portfolio JSON file or a partners CSV (csv_input)
with its portfolio-level settings, optionally, in NAME.meta.json beside NAME.csv (an
attain.v1.Portfolio without partners, like examples/portfolio-meta.json: what the CLI's
--portfolio-json gives).

JSON is protobuf JSON as the CLI reads it: enum values may be written without their
prefix and in any case ("MONTH", "invest"). Errors are BadInput naming the file and the
line and column, or the field.
"""
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional, Tuple

from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor

from attain_plan.csv_input import CsvMap, enum_choices, find_enum_value, parse_partners
from attain_plan.errors import BadInput, bounded

_SETTINGS_SUFFIX = ".meta.json"


@dataclass
class InputFile:
    """A file read, as team.json records it: which input the results came from."""
    path: str
    sha256: str


@dataclass
class MemberSource:
    """The files one member of a folder came from."""
    path: Path
    settings: Optional[Path] = None  # NAME.meta.json of a CSV portfolio
    csv: Optional[CsvMap] = None


@dataclass
class TeamInput:
    team: object  # attain.v1.Team
    files: List[InputFile] = field(default_factory=list)
    members: List[MemberSource] = field(default_factory=list)  # a folder's, in team order

    def locate(self, violation_field: str) -> str:
        """Where a server's violation field ("team.members[2].partners[5].volatility") is
        in a folder's files: "cm-b.csv:7: column 6 \"volatility\"", "cm-a.json: quota";
        "" when it is not one member's."""
        member = re.fullmatch(r"team\.members\[(\d+)\](?:\.(.*))?", violation_field)
        if member is None or int(member.group(1)) >= len(self.members):
            return ""
        source = self.members[int(member.group(1))]
        rest = member.group(2) or ""
        partner = re.fullmatch(r"partners\[(\d+)\](?:\.(.*))?", rest)
        if source.csv is not None and partner is not None:
            return source.csv.locate(int(partner.group(1)), partner.group(2) or "")
        path = source.settings if source.csv is not None and source.settings else source.path
        return f"{path}: {rest}" if rest else str(path)


def _read_text(path: Path, files: List[InputFile]) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BadInput(f"{path}: cannot read: {error.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(f"{path}: not UTF-8 text") from None
    files.append(InputFile(str(path), hashlib.sha256(data).hexdigest()))
    return text


def _json_object(text: str, source: Path) -> dict:
    try:
        document = json.loads(text)
    except ValueError as error:
        raise BadInput(f"{source}: not JSON: {bounded(str(error))}") from None
    if not isinstance(document, dict):
        raise BadInput(f"{source}: expected a JSON object")
    return document


def _field_named(descriptor, key: str) -> Optional[FieldDescriptor]:
    for candidate in descriptor.fields:
        if key in (candidate.json_name, candidate.name):
            return candidate
    return None


class _EnumNames:
    """Rewrites a JSON document's enum values to their full names, as the CLI does
    (proto/support/json_io.cc); what names no value is listed in `errors` with its path.
    Anything else is left to the parser."""

    def __init__(self):
        self.errors: List[str] = []

    def message(self, value, descriptor, path: str):
        if not isinstance(value, dict):
            return value
        fixed = {}
        for key, item in value.items():
            target = _field_named(descriptor, key)
            item_path = f"{path}.{key}" if path else key
            if target is None:
                fixed[key] = item
            elif target.message_type is not None and target.message_type.GetOptions().map_entry:
                mapped = target.message_type.fields_by_name["value"]
                fixed[key] = ({k: self.single(mapped, v, f"{item_path}[\"{k}\"]")
                               for k, v in item.items()} if isinstance(item, dict) else item)
            elif target.label == FieldDescriptor.LABEL_REPEATED:
                fixed[key] = ([self.single(target, v, f"{item_path}[{i}]")
                               for i, v in enumerate(item)] if isinstance(item, list) else item)
            else:
                fixed[key] = self.single(target, item, item_path)
        return fixed

    def single(self, target: FieldDescriptor, item, path: str):
        if target.message_type is not None:
            return self.message(item, target.message_type, path)
        if target.enum_type is None or not isinstance(item, str):
            return item
        value = find_enum_value(target.enum_type, item)
        if value is None:
            self.errors.append(f"{path}: \"{bounded(item, 64)}\" is not a value of "
                               f"{target.enum_type.name}: use {enum_choices(target.enum_type)}")
            return item
        return value.name


def parse_json(document: dict, message, source: Path):
    """Fills `message` from a protobuf JSON document read from `source`."""
    what = f"{source}: not an {message.DESCRIPTOR.full_name} in JSON"
    names = _EnumNames()
    document = names.message(document, message.DESCRIPTOR, "")
    if names.errors:
        raise BadInput(f"{what}: " + "; ".join(names.errors[:3]) +
                       (f" (and {len(names.errors) - 3} more)" if len(names.errors) > 3 else ""))
    try:
        json_format.ParseDict(document, message)
    except json_format.ParseError as error:
        raise BadInput(f"{what}: {bounded(str(error))}") from None
    return message


def _read_member(path: Path, settings: Optional[Path], api,
                 files: List[InputFile]) -> Tuple[object, MemberSource]:
    portfolio = api.portfolio.Portfolio()
    source = MemberSource(path, settings)
    if path.suffix.lower() == ".csv":
        if settings is not None:
            parse_json(_json_object(_read_text(settings, files), settings), portfolio, settings)
            if portfolio.partners:
                raise BadInput(f"{settings}: a portfolio settings file lists no partners (they "
                               f"come from {path.name}); remove \"partners\"")
        partners, source.csv = parse_partners(_read_text(path, files), str(path),
                                              api.portfolio.Partner)
        portfolio.partners.extend(partners)
    else:
        document = _json_object(_read_text(path, files), path)
        if "members" in document:
            raise BadInput(f"{path}: a Team, not one manager's portfolio: give a team file "
                           "on its own, not in a folder")
        parse_json(document, portfolio, path)
    if not portfolio.channel_manager_id:
        portfolio.channel_manager_id = path.stem
    return portfolio, source


def _read_folder(folder: Path, api, team_input: TeamInput) -> None:
    files = sorted(p for p in folder.iterdir()
                   if p.is_file() and p.suffix.lower() in (".json", ".csv"))
    settings = {p.name.lower()[:-len(_SETTINGS_SUFFIX)]: p for p in files
                if p.name.lower().endswith(_SETTINGS_SUFFIX)}
    portfolios = [p for p in files if not p.name.lower().endswith(_SETTINGS_SUFFIX)]
    csv_stems = {p.stem.lower() for p in portfolios if p.suffix.lower() == ".csv"}
    for stem, path in settings.items():
        if stem not in csv_stems:
            raise BadInput(f"{path}: settings of {stem}.csv, which is not in the folder")
    if not portfolios:
        raise BadInput(f"{folder}: no portfolios in the folder (.json, or .csv with "
                       f"NAME{_SETTINGS_SUFFIX})")
    team_input.team.name = folder.resolve().name
    for path in portfolios:
        portfolio, source = _read_member(
            path, settings.get(path.stem.lower()) if path.suffix.lower() == ".csv" else None,
            api, team_input.files)
        team_input.team.members.append(portfolio)
        team_input.members.append(source)


def read_team(source: Path, quota: Optional[float], api) -> TeamInput:
    """The team of `source` (a folder of portfolios, or a Team JSON file); `quota`, when
    given, is the team's number."""
    team_input = TeamInput(api.team.Team())
    if source.is_dir():
        _read_folder(source, api, team_input)
    elif source.suffix.lower() != ".json":
        raise BadInput(f"{source}: expected a folder of managers' portfolios or an "
                       "attain.v1.Team .json file")
    else:
        document = _json_object(_read_text(source, team_input.files), source)
        if "members" not in document and "partners" in document:
            raise BadInput(f"{source}: one manager's portfolio, not a Team: put the managers' "
                           "portfolios in a folder, one file each")
        parse_json(document, team_input.team, source)
        if not team_input.team.members:
            raise BadInput(f"{source}: the team has no members")
    if quota is not None:
        team_input.team.quota = quota
    elif team_input.team.quota == 0:
        raise BadInput(f"{source}: no team quota: give --quota")
    return team_input
