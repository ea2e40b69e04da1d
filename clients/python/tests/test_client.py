"""The client's error decoding, without a server."""
import grpc

from attain_plan import client, stubs


class FakeRpcError(grpc.RpcError):
    def __init__(self, code, details, trailing):
        self._code, self._details, self._trailing = code, details, trailing

    def code(self):
        return self._code

    def details(self):
        return self._details

    def trailing_metadata(self):
        return self._trailing


def bad_request(*violations):
    modules = stubs.load()
    request = modules.details.BadRequest()
    for field, description in violations:
        request.field_violations.add(field=field, description=description)
    status = modules.status.Status(code=3, message="bad")
    status.details.add().Pack(request)
    return status.SerializeToString()


def test_bad_request_becomes_field_violations():
    error = client.decode_error(FakeRpcError(
        grpc.StatusCode.INVALID_ARGUMENT, "2 problems",
        (("grpc-status-details-bin", bad_request(("team.members[1].quota", "must be > 0"),
                                                 ("team.quota", "must be > 0"))),)))
    assert error.code == "INVALID_ARGUMENT"
    assert error.exit_code == client.EXIT_BAD_INPUT
    assert error.field_violations == [
        client.FieldViolation("team.members[1].quota", "must be > 0"),
        client.FieldViolation("team.quota", "must be > 0")]
    assert str(error) == "INVALID_ARGUMENT: team.members[1].quota: must be > 0; team.quota: " \
                         "must be > 0"


def test_many_violations_are_counted_not_listed():
    violations = [(f"partners[{i}].volatility", "must be >= 0") for i in range(8)]
    error = client.decode_error(FakeRpcError(
        grpc.StatusCode.INVALID_ARGUMENT, "", (("grpc-status-details-bin",
                                                bad_request(*violations)),)))
    assert len(error.field_violations) == 8
    assert str(error).endswith("(and 3 more)")


def test_without_details_the_message_stands():
    error = client.decode_error(FakeRpcError(grpc.StatusCode.UNAVAILABLE, "connect failed", ()))
    assert str(error) == "UNAVAILABLE: connect failed"
    assert error.field_violations == []
    assert error.exit_code == client.EXIT_UNAVAILABLE
    assert client.decode_error(FakeRpcError(grpc.StatusCode.PERMISSION_DENIED, "", ())) \
        .exit_code == client.EXIT_UNAUTHENTICATED
