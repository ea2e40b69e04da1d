// The API as this service sees it: attain.v1.PlannerService and grpc.health.v1.Health,
// parsed from the repository's proto/ directory at startup, so the gateway, the card and
// the OpenAPI document always follow the protos they are shipped with.
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

import protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';

export const PLANNER_SERVICE = 'attain.v1.PlannerService';
const HEALTH_SERVICE = 'grpc.health.v1.Health';

const PROTO_FILES = ['attain/v1/planner_service.proto', 'grpc/health/v1/health.proto'];

// How responses are read (protobufjs toObject): enums by name, 64-bit integers as strings,
// NaN and infinities as strings, every non-optional scalar with its default: the
// canonical protobuf JSON mapping, but for the field names (json.js renames them).
const RESPONSE_OBJECT_OPTIONS = {
  keepCase: true,
  longs: String,
  enums: String,
  bytes: String,
  defaults: true,
  arrays: true,
  objects: true,
  oneofs: false,
  json: true,
};

// Whether the gateway serves `method`: unary and server-streaming methods (an HTTP request
// has one body).
export function isServed(method) {
  return !method.requestStream;
}

// The repository's proto/, beside clients/.
const REPOSITORY_PROTO_DIR = fileURLToPath(new URL('../../../proto', import.meta.url));

// Parses the protos under `protoDir` (imports resolved against it and its third_party/),
// keeping the comments for the OpenAPI document. Throws when a file is missing.
export function loadApi(protoDir = REPOSITORY_PROTO_DIR) {
  const includeDirs = [protoDir, join(protoDir, 'third_party')];
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => {
    // Not found: protobufjs then names the file in its error, or serves it from its own
    // bundle (google/protobuf/*).
    return includeDirs.map((dir) => join(dir, target)).find((path) => existsSync(path)) ||
      target;
  };
  // Comments are read as protoc reads them (// and /* */, leading or trailing).
  root.loadSync(PROTO_FILES, {keepCase: true, alternateCommentMode: true});
  root.resolveAll();

  // proto-loader builds grpc-js's method definitions (paths, serializers) from the same
  // types, so the gateway and the protos cannot drift apart.
  const packageDefinition = protoLoader.fromJSON(root.toJSON(), RESPONSE_OBJECT_OPTIONS);
  const service = root.lookupService(PLANNER_SERVICE);
  const definition = packageDefinition[PLANNER_SERVICE];
  const methods = service.methodsArray.map((method) => ({
    name: method.name,
    comment: method.comment || '',
    requestType: method.resolvedRequestType,
    responseType: method.resolvedResponseType,
    responseStream: Boolean(method.responseStream),
    requestStream: Boolean(method.requestStream),
    grpc: definition[method.name],
  }));
  return {
    root,
    methods,
    method: (name) => methods.find((method) => method.name === name),
    health: packageDefinition[HEALTH_SERVICE],
  };
}
