"""A thin typed Python client of attaind (attain.v1.PlannerService) over the stubs that
clients/python/generate_stubs.sh generates at build time."""
from attain_client.client import BadSettings, Connection, PlannerClient, TeamProgress
from attain_client.errors import (EXIT_BAD_INPUT, EXIT_DEADLINE_EXCEEDED, EXIT_FAILURE,
                                  EXIT_OK, EXIT_UNAUTHENTICATED, EXIT_UNAVAILABLE,
                                  AttainError, FieldViolation, decode_error)
from attain_client.stubs import StubsMissing

__all__ = [
    "AttainError", "BadSettings", "Connection", "EXIT_BAD_INPUT", "EXIT_DEADLINE_EXCEEDED",
    "EXIT_FAILURE", "EXIT_OK", "EXIT_UNAUTHENTICATED", "EXIT_UNAVAILABLE", "FieldViolation",
    "PlannerClient", "StubsMissing", "TeamProgress", "decode_error",
]
