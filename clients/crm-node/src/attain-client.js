// One gRPC channel to attaind for the whole process: TLS or mTLS and the bearer token as
// configured, a deadline on every call, and calls cancelled when their caller leaves.
import {readFileSync, statSync} from 'node:fs';

import grpc from '@grpc/grpc-js';

import {ConfigError} from './config.js';
import {ApiError, fromGrpcError} from './errors.js';
import {PLANNER_SERVICE} from './protos.js';

const MIB = 1024 * 1024;
const TOKEN_RECHECK_MS = 1000;

// round_robin over every address the name resolves to (a headless Service's pods), and
// RESOURCE_EXHAUSTED (a full server, before any work) retried with backoff, as the
// top-level README asks of clients.
const SERVICE_CONFIG = {
  loadBalancingConfig: [{round_robin: {}}],
  methodConfig: [{
    name: [{service: PLANNER_SERVICE}],
    retryPolicy: {
      maxAttempts: 3,
      initialBackoff: '0.2s',
      maxBackoff: '2s',
      backoffMultiplier: 2,
      retryableStatusCodes: ['RESOURCE_EXHAUSTED'],
    },
  }],
};

function channelCredentials(config) {
  if (!config.tls) return grpc.credentials.createInsecure();
  const {ca, key, cert} = config.tls;
  return grpc.credentials.createSsl(ca ?? null, key ?? null, cert ?? null);
}

function readToken(path) {
  const token = readFileSync(path, 'utf8').trim();
  if (!token) throw new ConfigError(`ATTAIN_TOKEN_FILE: ${path.slice(0, 256)} holds no token`);
  return token;
}

// The token to send: ATTAIN_TOKEN, or ATTAIN_TOKEN_FILE's content, reread when the file
// changes (checked at most once a second) so a rotated Secret needs no restart. A file
// that cannot be read any more keeps the last token.
function tokenSource(config) {
  if (!config.tokenFile) return () => config.token;
  let token = readToken(config.tokenFile);
  let modified = statSync(config.tokenFile).mtimeMs;
  let checked = Date.now();
  return () => {
    if (Date.now() - checked >= TOKEN_RECHECK_MS) {
      checked = Date.now();
      try {
        const now = statSync(config.tokenFile).mtimeMs;
        if (now !== modified) {
          token = readToken(config.tokenFile);
          modified = now;
        }
      } catch {
        // Mid-rotation: the next check reads the new file.
      }
    }
    return token;
  };
}

function callCancelled() {
  return new ApiError('CANCELLED', 'the HTTP client left before the answer');
}

export function createAttainClient(api, config) {
  const options = {
    'grpc.service_config': JSON.stringify(SERVICE_CONFIG),
    'grpc.max_receive_message_length': 64 * MIB,
    'grpc.max_send_message_length': 64 * MIB,
  };
  if (config.tlsServerName) options['grpc.ssl_target_name_override'] = config.tlsServerName;
  const client = new grpc.Client(config.address, channelCredentials(config), options);
  const token = tokenSource(config);

  // gRPC's call credentials refuse plaintext channels; a token over plaintext is the
  // deployment's choice (a sidecar's TLS, a local attaind), so it goes in the metadata.
  function metadata() {
    const result = new grpc.Metadata();
    const bearer = token();
    if (bearer) result.set('authorization', `Bearer ${bearer}`);
    return result;
  }

  // The response of a unary method (protos.js's method) as proto-loader decodes it;
  // rejects with an ApiError. `signal` aborts the call.
  function unary(method, request, {deadline, signal}) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(callCancelled());
        return;
      }
      const {path, requestSerialize, responseDeserialize} = method.grpc;
      const call = client.makeUnaryRequest(path, requestSerialize, responseDeserialize, request,
          metadata(), {deadline}, (error, response) => {
            signal?.removeEventListener('abort', cancel);
            if (error) reject(fromGrpcError(error));
            else resolve(response);
          });
      function cancel() {
        call.cancel();
      }
      signal?.addEventListener('abort', cancel);
    });
  }

  // A server-streaming call: grpc-js's ClientReadableStream ('data', 'error', 'end';
  // cancel()).
  function stream(method, request, {deadline}) {
    const {path, requestSerialize, responseDeserialize} = method.grpc;
    return client.makeServerStreamRequest(path, requestSerialize, responseDeserialize, request,
        metadata(), {deadline});
  }

  // attaind's readiness ("SERVING", "NOT_SERVING", ...): it needs no token.
  function readiness({deadline}) {
    const {path, requestSerialize, responseDeserialize} = api.health.Check;
    return new Promise((resolve, reject) => {
      client.makeUnaryRequest(path, requestSerialize, responseDeserialize, {service: 'readiness'},
          new grpc.Metadata(), {deadline}, (error, response) => {
            if (error) reject(fromGrpcError(error));
            else resolve(response.status);
          });
    });
  }

  return {unary, stream, readiness, close: () => client.close()};
}
