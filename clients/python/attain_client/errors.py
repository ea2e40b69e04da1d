"""Failed calls as AttainError: the status code's name, the server's message and the
google.rpc.BadRequest field violations from the grpc-status-details-bin trailer; and the
exit codes the attain CLI uses for them (clients/cli/rpc_errors.h)."""
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

import grpc
from google.protobuf.message import DecodeError

from attain_client import stubs

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2
EXIT_UNAVAILABLE = 3
EXIT_DEADLINE_EXCEEDED = 4
EXIT_UNAUTHENTICATED = 5

_EXIT_CODES = {
    "INVALID_ARGUMENT": EXIT_BAD_INPUT,
    # Well formed but unsatisfiable (no plan fits the hours): the user changes the input.
    "FAILED_PRECONDITION": EXIT_BAD_INPUT,
    "UNAVAILABLE": EXIT_UNAVAILABLE,
    "DEADLINE_EXCEEDED": EXIT_DEADLINE_EXCEEDED,
    "UNAUTHENTICATED": EXIT_UNAUTHENTICATED,
    "PERMISSION_DENIED": EXIT_UNAUTHENTICATED,
}

# google.rpc.ErrorInfo beside the BadRequest: how many violations the server found,
# listed or not (proto/support/rpc_status.h).
_VIOLATIONS_REASON = "FIELD_VIOLATIONS"
_VIOLATIONS_TOTAL_KEY = "violations_total"

_SHOWN_VIOLATIONS = 5
_MAX_TEXT = 300  # characters of any one server text shown


def _bounded(text: str) -> str:
    return text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT] + "..."


@dataclass(frozen=True)
class FieldViolation:
    field: str
    description: str


class AttainError(Exception):
    """A failed call. str(): "INVALID_ARGUMENT: team.members[2].quota: must be positive"."""

    def __init__(self, code: str, message: str,
                 field_violations: Sequence[FieldViolation] = (),
                 violations_total: int = 0):
        super().__init__(code, message)
        self.code = code
        self.message = message
        self.field_violations = list(field_violations)
        # At least the violations listed: the server lists the first of many.
        self.violations_total = max(violations_total, len(self.field_violations))

    @property
    def exit_code(self) -> int:
        return _EXIT_CODES.get(self.code, EXIT_FAILURE)

    def describe(self, locate: Optional[Callable[[str], str]] = None) -> str:
        """The error in one line; `locate` may add where a violation's field is in the
        user's files."""
        if not self.field_violations:
            return f"{self.code}: {_bounded(self.message)}"
        shown = []
        for violation in self.field_violations[:_SHOWN_VIOLATIONS]:
            field = _bounded(violation.field)
            where = locate(violation.field) if locate else ""
            shown.append(f"{field}{f' ({where})' if where else ''}: "
                         f"{_bounded(violation.description)}")
        more = self.violations_total - len(shown)
        return f"{self.code}: " + "; ".join(shown) + (f" (and {more} more)" if more else "")

    def __str__(self) -> str:
        return self.describe()


def decode_error(error: grpc.RpcError) -> AttainError:
    """The AttainError of a failed call, with its BadRequest and ErrorInfo details."""
    api = stubs.load()
    violations, total = [], 0
    for key, value in error.trailing_metadata() or ():
        if key != "grpc-status-details-bin":
            continue
        status = api.status.Status()
        try:
            status.ParseFromString(value)
        except DecodeError:
            continue  # details we cannot read: the code and message still stand
        for detail in status.details:
            bad_request = api.error_details.BadRequest()
            info = api.error_details.ErrorInfo()
            if detail.Unpack(bad_request):
                violations += [FieldViolation(v.field, v.description)
                               for v in bad_request.field_violations]
            elif detail.Unpack(info) and info.reason == _VIOLATIONS_REASON:
                count = info.metadata.get(_VIOLATIONS_TOTAL_KEY, "")
                total = int(count) if count.isdigit() else 0
    return AttainError(error.code().name, error.details() or "", violations, total)
