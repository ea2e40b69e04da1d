// Errors as the HTTP side returns them:
//   {"error": {"code": "INVALID_ARGUMENT", "httpStatus": 400, "message": "...",
//              "fieldViolations": [{"field": "...", "description": "..."}]}}
// `code` is always a google.rpc.Code name, whether attaind or this service raised it.
import grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';

// Bounds on what an error repeats, so that no input can make an error large.
const MAX_MESSAGE_CHARS = 1024;
const MAX_DESCRIPTION_CHARS = 512;
const MAX_FIELD_CHARS = 256;
const MAX_LISTED_VIOLATIONS = 20;

// google.rpc.Code's HTTP mapping (google/rpc/code.proto), but CANCELLED: attaind cancels
// a call only when it shuts down (a caller that left never reads the answer), so 503
// tells the caller to retry elsewhere.
const HTTP_STATUS = {
  CANCELLED: 503,
  UNKNOWN: 500,
  INVALID_ARGUMENT: 400,
  DEADLINE_EXCEEDED: 504,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  PERMISSION_DENIED: 403,
  RESOURCE_EXHAUSTED: 429,
  FAILED_PRECONDITION: 400,
  ABORTED: 409,
  OUT_OF_RANGE: 400,
  UNIMPLEMENTED: 501,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DATA_LOSS: 500,
  UNAUTHENTICATED: 401,
};

export function bound(text, limit = MAX_MESSAGE_CHARS) {
  const value = String(text);
  return value.length <= limit ? value : `${value.slice(0, limit)}...(cut)`;
}

export class ApiError extends Error {
  // `httpStatus` defaults to the code's mapping; `fieldViolations` lists at most
  // MAX_LISTED_VIOLATIONS of `violationsTotal`; `headers` go with the HTTP response.
  constructor(code, message,
      {httpStatus, fieldViolations = [], violationsTotal, headers = {}} = {}) {
    super(bound(message));
    this.code = code;
    this.httpStatus = httpStatus ?? HTTP_STATUS[code] ?? 500;
    this.headers = headers;
    this.fieldViolations = fieldViolations.slice(0, MAX_LISTED_VIOLATIONS).map((violation) => ({
      field: bound(violation.field, MAX_FIELD_CHARS),
      description: bound(violation.description, MAX_DESCRIPTION_CHARS),
    }));
    this.violationsTotal = violationsTotal ?? fieldViolations.length;
  }

  toJSON() {
    const error = {code: this.code, httpStatus: this.httpStatus, message: this.message};
    if (this.fieldViolations.length > 0) {
      error.fieldViolations = this.fieldViolations;
      if (this.violationsTotal > this.fieldViolations.length) {
        error.violationsTotal = this.violationsTotal;
      }
    }
    return {error};
  }
}

// An INVALID_ARGUMENT naming every field in `violations`; the message is the first.
export function invalidArgument(violations) {
  const [first] = violations;
  const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : '';
  return new ApiError('INVALID_ARGUMENT', `${first.field}: ${first.description}${more}`,
      {fieldViolations: violations});
}

// The messages of grpc-status-details-bin that attaind sends, declared here rather than
// loaded from googleapis' protos: field numbers as in google/rpc/status.proto and
// error_details.proto (Detail has google.protobuf.Any's).
const RPC_TYPES = protobuf.parse(`
  syntax = "proto3";
  message Status { int32 code = 1; string message = 2; repeated Detail details = 3; }
  message Detail { string type_url = 1; bytes value = 2; }
  message FieldViolation { string field = 1; string description = 2; }
  message BadRequest { repeated FieldViolation field_violations = 1; }
  message ErrorInfo { string reason = 1; string domain = 2; map<string, string> metadata = 3; }
`, {keepCase: true}).root;
const Status = RPC_TYPES.lookupType('Status');
const BadRequest = RPC_TYPES.lookupType('BadRequest');
const ErrorInfo = RPC_TYPES.lookupType('ErrorInfo');

// The field violations and their total from a status's details; none when it has none
// or they do not parse.
function decodeViolations(metadata) {
  const [bytes] = metadata?.get('grpc-status-details-bin') ?? [];
  if (!Buffer.isBuffer(bytes)) return {fieldViolations: []};
  try {
    let fieldViolations = [];
    let violationsTotal;
    for (const detail of Status.decode(bytes).details) {
      const typeName = detail.type_url.slice(detail.type_url.lastIndexOf('/') + 1);
      if (typeName === 'google.rpc.BadRequest') {
        fieldViolations = BadRequest.decode(detail.value).field_violations;
      } else if (typeName === 'google.rpc.ErrorInfo') {
        const total = Number(ErrorInfo.decode(detail.value).metadata.violations_total);
        if (Number.isSafeInteger(total)) violationsTotal = total;
      }
    }
    return {fieldViolations, violationsTotal};
  } catch {
    return {fieldViolations: []};
  }
}

// The ApiError of a failed gRPC call (a grpc-js ServiceError).
export function fromGrpcError(error) {
  const code = grpc.status[error.code] ?? 'UNKNOWN';
  const {fieldViolations, violationsTotal} = decodeViolations(error.metadata);
  return new ApiError(code, error.details || code, {fieldViolations, violationsTotal});
}
