// Authentication both ways: the bearer token this service asks of its HTTP callers and
// CORS for browser sidebars; TLS, mTLS and a bearer token towards attaind.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';

import {startAttaind, startGateway} from './support.js';

const HTTP_TOKEN = 'http-token-0123456789abcdef';
const TOKEN = 'crm-token-0123456789abcdef';
const NEXT_TOKEN = 'crm-token-next-0123456789abcdef';
const SIDEBAR = 'https://acme.lightning.force.com';

const dir = mkdtempSync(join(tmpdir(), 'attain-crm-'));
const file = (name) => join(dir, name);

// A CA, a certificate for 127.0.0.1 signed by it for attaind, and one for this service.
function makeCertificates() {
  const ec = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';
  const script = [
    `openssl req -x509 ${ec} -keyout ca.key -out ca.pem -days 2 -subj /CN=attain-test-ca`,
    `openssl req ${ec} -keyout server.key -out server.csr -subj /CN=attaind`,
    'printf "subjectAltName=IP:127.0.0.1,DNS:localhost\\n" > server.ext',
    'openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial ' +
      '-out server.pem -days 2 -extfile server.ext',
    `openssl req ${ec} -keyout client.key -out client.csr -subj /CN=crm-plugin`,
    'openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial ' +
      '-out client.pem -days 2',
  ].join(' && ');
  const result = spawnSync('bash', ['-c', script], {cwd: dir, encoding: 'utf8'});
  assert.equal(result.status, 0, `openssl failed:\n${result.stderr}`);
}

let attaind;
const gateways = [];

// By name, as the certificate names it: TLS forbids an IP address as the server's name.
async function gateway(env) {
  const started = await startGateway({ATTAIN_ADDRESS: attaind.address.replace('127.0.0.1',
    'localhost'), ...env});
  gateways.push(started);
  return started;
}

const mtls = () => ({ATTAIN_TLS_CA: file('ca.pem'), ATTAIN_TLS_CERT: file('client.pem'),
  ATTAIN_TLS_KEY: file('client.key')});

before(async () => {
  makeCertificates();
  writeFileSync(file('tokens'), `crm-plugin ${TOKEN}\ncrm-plugin-next ${NEXT_TOKEN}\n`);
  writeFileSync(file('token'), `${TOKEN}\n`);
  attaind = await startAttaind([`--tls-cert-file=${file('server.pem')}`,
    `--tls-key-file=${file('server.key')}`, `--tls-client-ca-file=${file('ca.pem')}`,
    `--auth-token-file=${file('tokens')}`]);
});

after(async () => {
  await Promise.all(gateways.map((started) => started.close()));
  await attaind?.stop();
});

async function error(response, status) {
  const body = await response.json();
  assert.equal(response.status, status, JSON.stringify(body));
  return body.error;
}

test('with ATTAIN_HTTP_TOKEN every path but the probes needs the bearer token', async () => {
  const service = await gateway({...mtls(), ATTAIN_TOKEN: TOKEN, ATTAIN_HTTP_TOKEN: HTTP_TOKEN});
  const missing = await service.post('/v1/CreateExercise', {});
  assert.equal(missing.headers.get('www-authenticate'), 'Bearer');
  assert.deepEqual(await error(missing, 401), {code: 'UNAUTHENTICATED', httpStatus: 401,
    message: 'missing or invalid bearer token'});
  const wrong = await service.post('/v1/CreateExercise', {},
      {authorization: `Bearer ${HTTP_TOKEN}x`});
  assert.equal((await error(wrong, 401)).code, 'UNAUTHENTICATED');
  assert.equal((await fetch(`${service.url}/openapi.json`)).status, 401);

  const authorization = `Bearer ${HTTP_TOKEN}`;
  const created = await service.post('/v1/CreateExercise', {seed: 1}, {authorization});
  assert.equal(created.status, 200);
  const openapi = await (await fetch(`${service.url}/openapi.json`, {headers: {authorization}}))
      .json();
  assert.deepEqual(openapi.security, [{bearer: []}]);
  assert.deepEqual(openapi.paths['/healthz'].get.security, []);
  assert.equal((await fetch(`${service.url}/healthz`)).status, 200);
  assert.equal((await fetch(`${service.url}/readyz`)).status, 200);
});

test('CORS answers the configured origin only', async () => {
  const service = await gateway({ATTAIN_CORS_ORIGIN: `${SIDEBAR}, https://other.example`});
  const preflight = await fetch(`${service.url}/v1/card`, {method: 'OPTIONS',
    headers: {'origin': SIDEBAR, 'access-control-request-method': 'POST'}});
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), SIDEBAR);
  assert.equal(preflight.headers.get('access-control-allow-headers'),
      'authorization, content-type');
  assert.equal(preflight.headers.get('access-control-allow-methods'), 'POST, OPTIONS');
  const stranger = await fetch(`${service.url}/v1/card`, {method: 'OPTIONS',
    headers: {'origin': 'https://evil.example', 'access-control-request-method': 'POST'}});
  assert.equal(stranger.headers.get('access-control-allow-origin'), null);
  // Errors carry it too, so that the sidebar can read them.
  const bad = await service.post('/v1/card', '{', {origin: SIDEBAR});
  assert.equal(bad.headers.get('access-control-allow-origin'), SIDEBAR);
  assert.equal((await error(bad, 400)).code, 'INVALID_ARGUMENT');
});

test('mTLS and a token file reach attaind, which names the token; a new token is picked up',
    async () => {
      const tokenFile = file('token');
      const service = await gateway({...mtls(), ATTAIN_TOKEN_FILE: tokenFile});
      assert.equal((await service.post('/v1/CreateExercise', {seed: 2})).status, 200);
      assert.match(attaind.log(), /rpc method=CreateExercise client=crm-plugin status=OK/);

      writeFileSync(tokenFile, NEXT_TOKEN);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      assert.equal((await service.post('/v1/CreateExercise', {seed: 3})).status, 200);
      assert.match(attaind.log(), /rpc method=CreateExercise client=crm-plugin-next status=OK/);
    });

test('attaind refusing the credentials is an error the caller can act on', async () => {
  const noToken = await gateway(mtls());
  assert.deepEqual(await error(await noToken.post('/v1/CreateExercise', {}), 401),
      {code: 'UNAUTHENTICATED', httpStatus: 401, message: 'missing or invalid bearer token'});

  const noCertificate = await gateway({ATTAIN_TLS_CA: file('ca.pem'), ATTAIN_TOKEN: TOKEN});
  assert.equal((await error(await noCertificate.post('/v1/CreateExercise', {}), 503)).code,
      'UNAVAILABLE');

  const plaintext = await gateway({ATTAIN_TOKEN: TOKEN});
  assert.equal((await error(await plaintext.post('/v1/CreateExercise', {}), 503)).code,
      'UNAVAILABLE');
  assert.equal((await error(await fetch(`${plaintext.url}/readyz`), 503)).code, 'UNAVAILABLE');
});
