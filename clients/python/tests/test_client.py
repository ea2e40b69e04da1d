"""attain_client without a server: error decoding and connection settings."""
import grpc
import pytest

from attain_client import (EXIT_BAD_INPUT, EXIT_DEADLINE_EXCEEDED, EXIT_FAILURE,
                           EXIT_UNAUTHENTICATED, EXIT_UNAVAILABLE, BadSettings, Connection,
                           FieldViolation, decode_error, stubs)


class FakeRpcError(grpc.RpcError):
    def __init__(self, code, details, trailing=()):
        self._code, self._details, self._trailing = code, details, trailing

    def code(self):
        return self._code

    def details(self):
        return self._details

    def trailing_metadata(self):
        return self._trailing


def status_details(violations, total=None) -> bytes:
    """google.rpc.Status as attaind sends it: a BadRequest and, with `total`, the
    ErrorInfo counting every violation found."""
    api = stubs.load()
    bad_request = api.error_details.BadRequest()
    for field, description in violations:
        bad_request.field_violations.add(field=field, description=description)
    status = api.status.Status(code=3, message="bad request")
    status.details.add().Pack(bad_request)
    if total is not None:
        info = api.error_details.ErrorInfo(reason="FIELD_VIOLATIONS", domain="attain.v1")
        info.metadata["violations_total"] = str(total)
        status.details.add().Pack(info)
    return status.SerializeToString()


def test_bad_request_becomes_field_violations():
    error = decode_error(FakeRpcError(
        grpc.StatusCode.INVALID_ARGUMENT, "1 problem",
        (("grpc-status-details-bin", status_details([("members[2].quota",
                                                      "must be positive")])),)))
    assert error.code == "INVALID_ARGUMENT"
    assert error.field_violations == [FieldViolation("members[2].quota", "must be positive")]
    assert str(error) == "INVALID_ARGUMENT: members[2].quota: must be positive"
    assert error.exit_code == EXIT_BAD_INPUT


def test_violations_the_server_did_not_list_are_counted():
    error = decode_error(FakeRpcError(
        grpc.StatusCode.INVALID_ARGUMENT, "",
        (("some-other-key", b"x"),
         ("grpc-status-details-bin", status_details([("team.quota", "must be > 0"),
                                                     ("team.name", "too long")], total=9)))))
    assert error.violations_total == 9
    assert str(error) == "INVALID_ARGUMENT: team.quota: must be > 0; team.name: too long " \
                         "(and 7 more)"


def test_a_locator_says_where_a_field_is():
    error = decode_error(FakeRpcError(
        grpc.StatusCode.INVALID_ARGUMENT, "",
        (("grpc-status-details-bin", status_details([("team.members[0].quota", "< 0"),
                                                     ("team.quota", "< 0")])),)))
    located = error.describe(lambda field: "cm-a.json: quota" if "members" in field else "")
    assert located == "INVALID_ARGUMENT: team.members[0].quota (cm-a.json: quota): < 0; " \
                      "team.quota: < 0"


def test_without_readable_details_the_code_and_message_stand():
    error = decode_error(FakeRpcError(grpc.StatusCode.UNAVAILABLE, "connect failed",
                                      (("grpc-status-details-bin", b"\xff\xff not a status"),)))
    assert str(error) == "UNAVAILABLE: connect failed"
    assert error.field_violations == []


@pytest.mark.parametrize("code, exit_code", [
    (grpc.StatusCode.INVALID_ARGUMENT, EXIT_BAD_INPUT),
    (grpc.StatusCode.FAILED_PRECONDITION, EXIT_BAD_INPUT),
    (grpc.StatusCode.UNAVAILABLE, EXIT_UNAVAILABLE),
    (grpc.StatusCode.DEADLINE_EXCEEDED, EXIT_DEADLINE_EXCEEDED),
    (grpc.StatusCode.UNAUTHENTICATED, EXIT_UNAUTHENTICATED),
    (grpc.StatusCode.PERMISSION_DENIED, EXIT_UNAUTHENTICATED),
    (grpc.StatusCode.RESOURCE_EXHAUSTED, EXIT_FAILURE),
])
def test_exit_codes_are_the_cli_s(code, exit_code):
    assert decode_error(FakeRpcError(code, "")).exit_code == exit_code


def test_long_server_text_is_cut():
    error = decode_error(FakeRpcError(grpc.StatusCode.INTERNAL, "x" * 5000))
    assert len(str(error)) < 400


def test_token_from_file_or_environment(tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("  file-token-0123456789\n")
    from_file = Connection.from_flags("h:1", token_file=token_file,
                                      environ={"ATTAIN_TOKEN": "env-token-0123456789"})
    assert from_file.token == "file-token-0123456789"
    assert "file-token" not in repr(from_file)
    assert Connection.from_flags("h:1", environ={"ATTAIN_TOKEN": "env-token-0123456789"}) \
        .token == "env-token-0123456789"
    assert Connection.from_flags("h:1", environ={}).token is None


def test_unusable_settings_name_the_flag(tmp_path):
    empty = tmp_path / "empty"
    empty.write_text("\n")
    not_pem = tmp_path / "ca.txt"
    not_pem.write_text("hello")
    with pytest.raises(BadSettings, match="--token-file: .* holds no token"):
        Connection.from_flags("h:1", token_file=empty, environ={})
    with pytest.raises(BadSettings, match="--tls-ca: .* holds no PEM block"):
        Connection.from_flags("h:1", tls_ca=not_pem, environ={})
    with pytest.raises(BadSettings, match="--tls-cert and --tls-key: give both"):
        Connection.from_flags("h:1", tls_cert=not_pem, environ={})
    with pytest.raises(BadSettings, match="--tls-ca: cannot read"):
        Connection.from_flags("h:1", tls_ca=tmp_path / "missing.pem", environ={})
