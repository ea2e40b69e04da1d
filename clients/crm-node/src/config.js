// Settings from the environment (README.md lists them). Every bad value is refused at
// startup with a message naming its variable.
import {readFileSync} from 'node:fs';

export class ConfigError extends Error {}

const MIB = 1024 * 1024;

// Paths of each of the card's RecommendTiers and CoachPlan samples: at attaind's 10,000
// the two searches take a 20-partner card on 2 cores to about 300 ms at p50; at 4,000
// (attaind's own default for SimulateTeam's per-manager searches) to about 130 ms
// (README.md, "Speed").
const CARD_SEARCH_PATHS = 4000;

function integer(env, name, fallback, {min, max}) {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max) {
    throw new ConfigError(
        `${name}: "${text.slice(0, 64)}" is not an integer from ${min} to ${max}`);
  }
  return Number(text);
}

function readable(env, name) {
  const path = env[name];
  if (!path) return undefined;
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfigError(
        `${name}: cannot read ${path.slice(0, 256)}: ${error.code ?? error.message}`);
  }
}

// "https://a.example, https://b.example" or "*".
function origins(text) {
  if (!text) return [];
  const list = text.split(',').map((origin) => origin.trim()).filter(Boolean);
  for (const origin of list) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError(`ATTAIN_CORS_ORIGIN: "${origin.slice(0, 64)}" is not an origin ` +
        '(scheme://host[:port], no path) or *');
    }
  }
  return list;
}

export function readConfig(env = process.env) {
  const tlsCa = readable(env, 'ATTAIN_TLS_CA');
  const tlsCert = readable(env, 'ATTAIN_TLS_CERT');
  const tlsKey = readable(env, 'ATTAIN_TLS_KEY');
  if (Boolean(tlsCert) !== Boolean(tlsKey)) {
    throw new ConfigError('ATTAIN_TLS_CERT and ATTAIN_TLS_KEY: give both (mTLS) or neither');
  }
  if (env.ATTAIN_TOKEN && env.ATTAIN_TOKEN_FILE) {
    throw new ConfigError('ATTAIN_TOKEN and ATTAIN_TOKEN_FILE: give one, not both');
  }
  if (env.ATTAIN_TOKEN_FILE) readable(env, 'ATTAIN_TOKEN_FILE');
  const httpToken = env.ATTAIN_HTTP_TOKEN || undefined;
  if (httpToken !== undefined && !/^[\x21-\x7e]{16,1024}$/.test(httpToken)) {
    throw new ConfigError('ATTAIN_HTTP_TOKEN: must be 16 to 1024 printable characters, no spaces');
  }
  const deadlineMs = integer(env, 'ATTAIN_DEADLINE_MS', 30000, {min: 1, max: 3600000});
  return {
    address: env.ATTAIN_ADDRESS || 'localhost:50051',
    host: env.HOST || undefined,
    port: integer(env, 'PORT', 8080, {min: 0, max: 65535}),
    deadlineMs,
    streamDeadlineMs: integer(env, 'ATTAIN_STREAM_DEADLINE_MS', 300000, {min: 1, max: 3600000}),
    cardSearchPaths: integer(env, 'ATTAIN_CARD_SEARCH_PATHS', CARD_SEARCH_PATHS,
        {min: 200, max: 10000000}),
    maxBodyBytes: integer(env, 'ATTAIN_MAX_BODY_BYTES', 4 * MIB, {min: 1, max: 64 * MIB}),
    tls: tlsCa || tlsCert ? {ca: tlsCa, cert: tlsCert, key: tlsKey} : undefined,
    tlsServerName: env.ATTAIN_TLS_SERVER_NAME || undefined,
    token: env.ATTAIN_TOKEN || undefined,
    tokenFile: env.ATTAIN_TOKEN_FILE || undefined,
    httpToken,
    corsOrigins: origins(env.ATTAIN_CORS_ORIGIN),
    protoDir: env.ATTAIN_PROTO_DIR || undefined,
  };
}
