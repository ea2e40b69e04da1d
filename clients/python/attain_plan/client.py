"""A thin typed client of attain.v1.PlannerService: one channel (TLS, mTLS and a bearer
token as the attain CLI takes them; gRPC round_robin over the addresses a dns:/// name
resolves to), deadlines on every call, and errors decoded into AttainError.
"""
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, List, Optional

import grpc

from attain_plan import stubs

# Exit codes, as the attain CLI's (clients/cli/rpc_errors.h).
EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2
EXIT_UNAVAILABLE = 3
EXIT_DEADLINE_EXCEEDED = 4
EXIT_UNAUTHENTICATED = 5

_EXIT_CODES = {
    grpc.StatusCode.INVALID_ARGUMENT: EXIT_BAD_INPUT,
    # Well formed but unsatisfiable (no plan fits the hours): the user changes the input.
    grpc.StatusCode.FAILED_PRECONDITION: EXIT_BAD_INPUT,
    grpc.StatusCode.UNAVAILABLE: EXIT_UNAVAILABLE,
    grpc.StatusCode.DEADLINE_EXCEEDED: EXIT_DEADLINE_EXCEEDED,
    grpc.StatusCode.UNAUTHENTICATED: EXIT_UNAUTHENTICATED,
    grpc.StatusCode.PERMISSION_DENIED: EXIT_UNAUTHENTICATED,
}

# Field violations shown in an error's text; the rest are counted.
_SHOWN_VIOLATIONS = 5


@dataclass(frozen=True)
class FieldViolation:
    field: str
    description: str


@dataclass
class AttainError(Exception):
    """A failed call: the gRPC code's name, the server's message and, for bad input,
    google.rpc.BadRequest's field violations."""
    code: str
    message: str
    field_violations: List[FieldViolation] = field(default_factory=list)
    exit_code: int = EXIT_FAILURE

    def __str__(self):
        if not self.field_violations:
            return f"{self.code}: {self.message}"
        shown = [f"{v.field}: {v.description}" for v in self.field_violations[:_SHOWN_VIOLATIONS]]
        more = len(self.field_violations) - len(shown)
        return f"{self.code}: " + "; ".join(shown) + (f" (and {more} more)" if more else "")


def decode_error(error: grpc.RpcError) -> AttainError:
    """The status of a failed call, with the BadRequest details of its
    grpc-status-details-bin trailer when it has them."""
    modules = stubs.load()
    code = error.code()
    violations = []
    for key, value in error.trailing_metadata() or ():
        if key != "grpc-status-details-bin":
            continue
        status = modules.status.Status()
        status.ParseFromString(value)
        for detail in status.details:
            bad_request = modules.details.BadRequest()
            if detail.Is(bad_request.DESCRIPTOR) and detail.Unpack(bad_request):
                violations += [FieldViolation(v.field, v.description)
                               for v in bad_request.field_violations]
    return AttainError(code.name, error.details() or "", violations,
                       _EXIT_CODES.get(code, EXIT_FAILURE))


@dataclass
class Connection:
    """Where attaind is and how to reach it."""
    address: str = "localhost:50051"
    tls_ca: Optional[Path] = None      # PEM CAs: TLS (the server's certificate checked)
    tls_cert: Optional[Path] = None    # PEM client certificate and key: mTLS
    tls_key: Optional[Path] = None
    token: Optional[str] = None        # bearer token (attaind --auth-token-file)


def _read(path: Optional[Path]) -> Optional[bytes]:
    if path is None:
        return None
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise AttainError("INVALID_ARGUMENT", f"cannot read {path}: {error.strerror}",
                          exit_code=EXIT_BAD_INPUT) from error


class _Token(grpc.AuthMetadataPlugin):
    def __init__(self, token: str):
        self._metadata = (("authorization", "Bearer " + token),)

    def __call__(self, context, callback):
        callback(self._metadata, None)


def open_channel(connection: Connection) -> grpc.Channel:
    """A channel that balances calls over every address the target resolves to
    (round_robin: a dns:/// name of a headless Service reaches every replica)."""
    options = [
        ("grpc.service_config", json.dumps({"loadBalancingConfig": [{"round_robin": {}}]})),
        # Requests of large teams: as attaind's default --max-message-mib.
        ("grpc.max_send_message_length", 64 << 20),
        ("grpc.max_receive_message_length", 64 << 20),
    ]
    if connection.tls_ca is None and connection.tls_cert is None:
        if connection.token is None:
            return grpc.insecure_channel(connection.address, options=options)
        # Over plaintext (a sidecar or a cluster network), as the attain CLI does.
        credentials = grpc.composite_channel_credentials(
            grpc.local_channel_credentials(grpc.LocalConnectionType.LOCAL_TCP),
            grpc.metadata_call_credentials(_Token(connection.token)))
        return grpc.secure_channel(connection.address, credentials, options=options)
    credentials = grpc.ssl_channel_credentials(
        root_certificates=_read(connection.tls_ca),
        private_key=_read(connection.tls_key),
        certificate_chain=_read(connection.tls_cert))
    if connection.token is not None:
        credentials = grpc.composite_channel_credentials(
            credentials, grpc.metadata_call_credentials(_Token(connection.token)))
    return grpc.secure_channel(connection.address, credentials, options=options)


class PlannerClient:
    """The calls attain-plan makes, each with a deadline; failures raise AttainError.
    Thread-safe: calls may run on several threads over the one channel."""

    def __init__(self, channel: grpc.Channel, deadline_seconds: float):
        self._modules = stubs.load()
        self._stub = self._modules.service_grpc.PlannerServiceStub(channel)
        self._deadline = deadline_seconds

    @property
    def messages(self):
        return self._modules

    def simulate_team(self, request, on_progress: Callable[[float], None] = lambda _: None):
        """SimulateTeamStream: calls on_progress(fraction done) as the server reports it,
        and returns the SimulateTeamResponse."""
        stream_request = self._modules.service.SimulateTeamStreamRequest(
            team=request.team, options=request.options,
            skip_coaching_gains=request.skip_coaching_gains)
        if request.HasField("coaching_paths"):
            stream_request.coaching_paths = request.coaching_paths
        try:
            for event in self._stream(stream_request):
                if event.HasField("result"):
                    return event.result
                on_progress(_fraction(event.progress))
        except grpc.RpcError as error:
            raise decode_error(error) from None
        raise AttainError("INTERNAL", "the team stream ended without a result")

    def recommend_tiers(self, request):
        try:
            return self._stub.RecommendTiers(request, timeout=self._deadline)
        except grpc.RpcError as error:
            raise decode_error(error) from None

    def _stream(self, request) -> Iterator:
        return self._stub.SimulateTeamStream(request, timeout=self._deadline)


def _fraction(progress) -> float:
    simulation = progress.simulation
    if simulation.paths_planned:
        return min(1.0, simulation.paths_done / simulation.paths_planned)
    return 0.0
