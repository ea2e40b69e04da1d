"""A thin typed client of attain.v1.PlannerService for the calls attain-plan makes.

One channel per client: TLS and mTLS from PEM files and a bearer token, as the attain CLI
takes them (--tls-ca, --tls-cert, --tls-key, --token-file or ATTAIN_TOKEN); gRPC
round_robin over every address the target resolves to; a deadline on every call; and
failures raised as AttainError.
"""
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Optional

import grpc

from attain_client import stubs
from attain_client.errors import AttainError, decode_error

_MAX_FILE_BYTES = 1 << 20

# round_robin: a dns:/// name of a headless Service resolves to every replica, and each
# call goes to the next one. RESOURCE_EXHAUSTED (a full server) is retried with backoff,
# as attaind's README asks of its clients.
_SERVICE_CONFIG = json.dumps({
    "loadBalancingConfig": [{"round_robin": {}}],
    "methodConfig": [{
        "name": [{"service": "attain.v1.PlannerService"}],
        "retryPolicy": {
            "maxAttempts": 4, "initialBackoff": "0.5s", "maxBackoff": "5s",
            "backoffMultiplier": 2, "retryableStatusCodes": ["RESOURCE_EXHAUSTED"],
        },
    }],
})


class BadSettings(ValueError):
    """A connection setting that cannot be used; the message names the flag."""


@dataclass(frozen=True)
class Connection:
    """Where attaind is and how to reach it."""
    address: str = "localhost:50051"
    tls_ca: Optional[bytes] = None     # PEM CAs the server's certificate is checked against
    tls_cert: Optional[bytes] = None   # PEM client certificate and key: mTLS
    tls_key: Optional[bytes] = field(default=None, repr=False)
    token: Optional[str] = field(default=None, repr=False)

    @property
    def tls(self) -> bool:
        return self.tls_ca is not None or self.tls_cert is not None

    @classmethod
    def from_flags(cls, address: str, tls_ca: Optional[Path] = None,
                   tls_cert: Optional[Path] = None, tls_key: Optional[Path] = None,
                   token_file: Optional[Path] = None,
                   environ: Mapping[str, str] = os.environ) -> "Connection":
        """The connection the attain CLI's flags describe: --token-file, else the token in
        ATTAIN_TOKEN."""
        if (tls_cert is None) != (tls_key is None):
            raise BadSettings("--tls-cert and --tls-key: give both, or neither")
        token = environ.get("ATTAIN_TOKEN", "").strip() or None
        if token_file is not None:
            token = _read_file("token-file", token_file).decode("utf-8", "replace").strip()
            if not token:
                raise BadSettings(f"--token-file: {token_file} holds no token")
        return cls(address=address,
                   tls_ca=_read_pem("tls-ca", tls_ca) if tls_ca else None,
                   tls_cert=_read_pem("tls-cert", tls_cert) if tls_cert else None,
                   tls_key=_read_pem("tls-key", tls_key) if tls_key else None,
                   token=token)


def _read_file(flag: str, path: Path) -> bytes:
    try:
        with open(path, "rb") as file:
            data = file.read(_MAX_FILE_BYTES + 1)
    except OSError as error:
        raise BadSettings(f"--{flag}: cannot read {path}: {error.strerror}") from None
    if len(data) > _MAX_FILE_BYTES:
        raise BadSettings(f"--{flag}: {path} is over {_MAX_FILE_BYTES} bytes")
    return data


def _read_pem(flag: str, path: Path) -> bytes:
    pem = _read_file(flag, path)
    if b"-----BEGIN " not in pem:
        raise BadSettings(f"--{flag}: {path} holds no PEM block")
    return pem


def open_channel(connection: Connection) -> grpc.Channel:
    options = [
        ("grpc.service_config", _SERVICE_CONFIG),
        # Large teams: requests up to attaind's default --max-message-mib, any answer.
        ("grpc.max_send_message_length", 64 << 20),
        ("grpc.max_receive_message_length", -1),
    ]
    if not connection.tls:
        return grpc.insecure_channel(connection.address, options=options)
    credentials = grpc.ssl_channel_credentials(root_certificates=connection.tls_ca,
                                               private_key=connection.tls_key,
                                               certificate_chain=connection.tls_cert)
    return grpc.secure_channel(connection.address, credentials, options=options)


@dataclass(frozen=True)
class TeamProgress:
    """How far a team run has come: "searching" members' tiers (done of total members),
    then "simulating" the team (done of total paths)."""
    phase: str
    done: int
    total: int


class PlannerClient:
    """The PlannerService calls attain-plan makes. Safe to call from several threads at
    once: they share the channel. Every call has the client's deadline."""

    def __init__(self, connection: Connection, deadline_seconds: float):
        self.api = stubs.load()
        self._channel = open_channel(connection)
        self._stub = self.api.planner_service_grpc.PlannerServiceStub(self._channel)
        self._deadline = deadline_seconds
        # Sent on every call as metadata rather than as call credentials, which gRPC
        # refuses on plaintext channels: over plaintext is the deployment's choice.
        self._metadata = (("authorization", "Bearer " + connection.token),) \
            if connection.token else ()

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> "PlannerClient":
        return self

    def __exit__(self, *_) -> None:
        self.close()

    def simulate_team(self, request,
                      on_progress: Callable[[TeamProgress], None] = lambda _: None):
        """SimulateTeamStream with `request` (a SimulateTeamStreamRequest): reports each
        progress event to on_progress and returns the SimulateTeamResponse."""
        try:
            for event in self._stub.SimulateTeamStream(request, timeout=self._deadline,
                                                       metadata=self._metadata):
                if event.HasField("result"):
                    return event.result
                on_progress(self._team_progress(event.progress))
        except grpc.RpcError as error:
            raise decode_error(error) from None
        raise AttainError("INTERNAL", "the team stream ended without a result")

    def compare_plans(self, request):
        """ComparePlans: a ComparePlansRequest's plans on common random numbers."""
        try:
            return self._stub.ComparePlans(request, timeout=self._deadline,
                                           metadata=self._metadata)
        except grpc.RpcError as error:
            raise decode_error(error) from None

    def _team_progress(self, progress) -> TeamProgress:
        if progress.phase == self.api.planner_service.TEAM_PHASE_SEARCHING:
            return TeamProgress("searching", progress.members_searched, progress.members)
        return TeamProgress("simulating", progress.simulation.paths_done,
                            progress.simulation.paths_planned)
