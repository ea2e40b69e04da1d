// The HTTP side: the card, the JSON gateway (POST /v1/<Method> for every unary method,
// server-sent events for the streaming ones), the OpenAPI document and the probes.
// Requests are logged as one line each, without their bodies: portfolios are real
// companies' revenue.
import {createHash, timingSafeEqual} from 'node:crypto';
import http from 'node:http';

import {computeCard} from './card.js';
import {ApiError, bound, fromGrpcError} from './errors.js';
import {fromJson, toJson} from './json.js';
import {buildOpenApi} from './openapi.js';
import {isServed} from './protos.js';

// A probe answers quickly or not at all.
const READINESS_DEADLINE_MS = 2000;

function sendJson(res, status, value, headers = {}) {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

function sendError(res, error, headers = {}) {
  res.errorCode = error.code;
  sendJson(res, error.httpStatus, error, headers);
}

function digest(text) {
  return createHash('sha256').update(text).digest();
}

// For the log: printable, short.
function loggable(text) {
  return bound(text.replace(/[^\x21-\x7e]/g, '?'), 128);
}

function isJsonContentType(header) {
  if (header === undefined) return true;
  const type = header.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

// The body as parsed JSON ({} when empty), at most `limit` bytes.
function readJson(req, limit) {
  if (!isJsonContentType(req.headers['content-type'])) {
    return Promise.reject(new ApiError('INVALID_ARGUMENT',
        `content-type ${req.headers['content-type'].slice(0, 64)} is not JSON: send ` +
        'application/json', {httpStatus: 415}));
  }
  const tooLarge = new ApiError('RESOURCE_EXHAUSTED',
      `the request body is over ${limit} bytes (ATTAIN_MAX_BODY_BYTES)`, {httpStatus: 413});
  if (Number(req.headers['content-length']) > limit) return Promise.reject(tooLarge);
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(tooLarge);
      } else {
        chunks.push(chunk);
      }
    });
    req.on('error', reject);
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') {
        resolve({});
        return;
      }
      try {
        resolve(JSON.parse(text));
      } catch (error) {
        reject(new ApiError('INVALID_ARGUMENT', `the request body is not JSON: ${error.message}`));
      }
    });
  });
}

// Options of createServer:
//   api: protos.js's loadApi(); attain: attain-client.js's client; config: config.js's;
//   log: (line) => void; version: this package's.
export function createServer({api, attain, config, log, version}) {
  const openapi = JSON.stringify(buildOpenApi({api, httpTokenRequired: Boolean(config.httpToken),
    version}));
  const httpToken = config.httpToken && digest(config.httpToken);

  function authorized(req) {
    if (!httpToken) return true;
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    // Digests are compared, in constant time whatever the token's length.
    return Boolean(match) && timingSafeEqual(digest(match[1]), httpToken);
  }

  function corsHeaders(req) {
    const {corsOrigins} = config;
    if (corsOrigins.includes('*')) return {'access-control-allow-origin': '*'};
    const origin = req.headers.origin;
    if (origin && corsOrigins.includes(origin)) {
      return {'access-control-allow-origin': origin, 'vary': 'Origin'};
    }
    return {};
  }

  async function card(req, res, signal) {
    const body = await readJson(req, config.maxBodyBytes);
    const result = await computeCard({api, attain, body, signal,
      deadline: Date.now() + config.deadlineMs, searchPaths: config.cardSearchPaths});
    sendJson(res, 200, result);
  }

  async function unary(method, req, res, signal) {
    const request = fromJson(method.requestType, await readJson(req, config.maxBodyBytes));
    const response = await attain.unary(method, request,
        {deadline: Date.now() + config.deadlineMs, signal});
    sendJson(res, 200, toJson(method.responseType, response));
  }

  // Server-sent events, begun with the first message: an error before it (bad input,
  // attaind unreachable) is an ordinary JSON error response.
  async function stream(method, req, res, signal) {
    const request = fromJson(method.requestType, await readJson(req, config.maxBodyBytes));
    const call = attain.stream(method, request,
        {deadline: Date.now() + config.streamDeadlineMs});
    if (signal.aborted) call.cancel();
    signal.addEventListener('abort', () => call.cancel());
    await new Promise((resolve) => {
      const event = (name, value) => {
        const text = `${name ? `event: ${name}\n` : ''}data: ${JSON.stringify(value)}\n\n`;
        if (!res.headersSent) {
          res.writeHead(200, {'content-type': 'text/event-stream; charset=utf-8',
            'cache-control': 'no-store', 'x-accel-buffering': 'no'});
        }
        if (!res.write(text)) {
          call.pause();
          res.once('drain', () => call.resume());
        }
      };
      // grpc-js ends the stream on an error status too: the first of the two decides.
      let finished = false;
      const finish = (write) => {
        if (finished) return;
        finished = true;
        write();
        resolve();
      };
      call.on('data', (message) => event(undefined, toJson(method.responseType, message)));
      call.on('end', () => finish(() => {
        event('end', {});
        res.end();
      }));
      call.on('error', (grpcError) => finish(() => {
        if (signal.aborted) return;
        const error = fromGrpcError(grpcError);
        if (!res.headersSent) {
          sendError(res, error);
          return;
        }
        res.errorCode = error.code;
        event('error', error);
        res.end();
      }));
    });
  }

  async function readyz(req, res) {
    let status;
    try {
      status = await attain.readiness(
          {deadline: Date.now() + Math.min(config.deadlineMs, READINESS_DEADLINE_MS)});
    } catch (error) {
      throw new ApiError('UNAVAILABLE', `attaind is unreachable: ${error.message}`,
          {httpStatus: 503});
    }
    if (status !== 'SERVING') {
      throw new ApiError('UNAVAILABLE', `attaind's readiness is ${status}`, {httpStatus: 503});
    }
    sendJson(res, 200, {status});
  }

  // Path -> {method, handler, open (no token needed)}.
  const routes = new Map([
    ['/healthz', {method: 'GET', open: true, handler: (req, res) =>
      sendJson(res, 200, {status: 'SERVING'})}],
    ['/readyz', {method: 'GET', open: true, handler: readyz}],
    ['/openapi.json', {method: 'GET', handler: (req, res) => {
      res.writeHead(200, {'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(openapi)});
      res.end(openapi);
    }}],
    ['/v1/card', {method: 'POST', handler: card}],
  ]);
  for (const method of api.methods.filter(isServed)) {
    const serve = method.responseStream ? stream : unary;
    routes.set(`/v1/${method.name}`,
        {method: 'POST', handler: (req, res, signal) => serve(method, req, res, signal)});
  }

  async function handle(req, res, signal) {
    const path = new URL(req.url, 'http://localhost').pathname;
    const route = routes.get(path);
    const cors = corsHeaders(req);
    for (const [name, value] of Object.entries(cors)) res.setHeader(name, value);
    if (!route) {
      throw new ApiError('NOT_FOUND', `no such path: ${path.slice(0, 128)} (GET /openapi.json ` +
        'lists them)');
    }
    const allow = route.method === 'GET' ? 'GET, HEAD, OPTIONS' : 'POST, OPTIONS';
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        allow,
        ...(cors['access-control-allow-origin'] ? {
          'access-control-allow-methods': allow,
          'access-control-allow-headers': 'authorization, content-type',
          'access-control-max-age': '600',
        } : {}),
      });
      res.end();
      return;
    }
    if (req.method !== route.method && !(route.method === 'GET' && req.method === 'HEAD')) {
      throw new ApiError('UNIMPLEMENTED', `${path} takes ${route.method}, not ` +
        `${req.method.slice(0, 16)}`, {httpStatus: 405, headers: {allow}});
    }
    if (!route.open && !authorized(req)) {
      throw new ApiError('UNAUTHENTICATED', 'missing or invalid bearer token',
          {headers: {'www-authenticate': 'Bearer'}});
    }
    await route.handler(req, res, signal);
  }

  return http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const left = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) left.abort();
      const ms = Number((process.hrtime.bigint() - started) / 1000000n);
      log(`attain-crm request method=${loggable(req.method)} path=${loggable(req.url)} ` +
        `status=${left.signal.aborted ? 'client_left' : res.statusCode}` +
        `${res.errorCode ? ` code=${res.errorCode}` : ''} duration_ms=${ms}`);
    });
    handle(req, res, left.signal).catch((error) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const apiError = error instanceof ApiError ? error :
        new ApiError('INTERNAL', 'internal error');
      if (!(error instanceof ApiError)) {
        log(`attain-crm internal error: ${bound(error.stack, 2000)}`);
      }
      // A body left unread (413) is not worth reading: the connection closes.
      const close = req.complete ? {} : {connection: 'close'};
      sendError(res, apiError, {...apiError.headers, ...close});
    });
  });
}
