// The service as deployed (`node server.js`), and what its callers get when attaind is
// down or slow.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {createServer} from 'node:net';
import {after, before, test} from 'node:test';
import {fileURLToPath} from 'node:url';

import {examplePortfolio, startAttaind, startGateway} from './support.js';

const serverJs = fileURLToPath(new URL('../server.js', import.meta.url));

let attaind;

before(async () => {
  attaind = await startAttaind();
});

after(() => attaind?.stop());

// A port nothing listens on: bound, then closed.
async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// `node server.js` with `env`; resolves when it exits or prints its port.
function runServer(env) {
  const child = spawn(process.execPath, [serverJs], {env: {...process.env, ...env},
    stdio: ['ignore', 'pipe', 'pipe']});
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
  });
  // 'close': exited, and its output read to the end.
  const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  const listening = new Promise((resolve, reject) => {
    child.stdout.on('data', () => {
      const port = /^attain-crm listening port=(\d+) /m.exec(stdout);
      if (port) resolve(Number(port[1]));
    });
    exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  listening.catch(() => {});  // awaited only by the tests of a server that starts
  return {child, exited, listening, output: () => ({stdout, stderr})};
}

test('node server.js prints its port, serves, and exits 0 on SIGTERM', async () => {
  const server = runServer({ATTAIN_ADDRESS: attaind.address, PORT: '0', HOST: '127.0.0.1'});
  const port = await server.listening;
  const card = await fetch(`http://127.0.0.1:${port}/v1/card`, {method: 'POST',
    headers: {'content-type': 'application/json'},
    body: JSON.stringify({portfolio: examplePortfolio(), paths: 1000, seed: 1})});
  assert.equal(card.status, 200);
  assert.equal((await card.json()).seed, '1');
  server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0);
  assert.match(server.output().stdout, /request method=POST path=\/v1\/card status=200/);
});

test('a bad setting stops it at once, naming the variable', async () => {
  const badPort = runServer({PORT: 'eighty'});
  assert.equal(await badPort.exited, 2);
  assert.equal(badPort.output().stderr,
      'attain-crm: PORT: "eighty" is not an integer from 0 to 65535\n');
  const halfTls = runServer({PORT: '0', ATTAIN_TLS_CERT: serverJs});
  assert.equal(await halfTls.exited, 2);
  assert.match(halfTls.output().stderr, /ATTAIN_TLS_CERT and ATTAIN_TLS_KEY: give both/);
  const noFile = runServer({PORT: '0', ATTAIN_TOKEN_FILE: '/nonexistent/token'});
  assert.equal(await noFile.exited, 2);
  assert.match(noFile.output().stderr,
      /ATTAIN_TOKEN_FILE: cannot read \/nonexistent\/token: ENOENT/);
});

test('attaind down: 503 at once, well within the deadline; /readyz says so', async () => {
  const gateway = await startGateway({ATTAIN_ADDRESS: `127.0.0.1:${await closedPort()}`,
    ATTAIN_DEADLINE_MS: '5000'});
  try {
    for (const path of ['/v1/card', '/v1/Simulate']) {
      const started = Date.now();
      const response = await gateway.post(path, {portfolio: examplePortfolio()});
      const {error} = await response.json();
      assert.equal(response.status, 503, JSON.stringify(error));
      assert.equal(error.code, 'UNAVAILABLE');
      assert.ok(Date.now() - started < 2500, `${path} took ${Date.now() - started} ms`);
    }
    const ready = await fetch(`${gateway.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.match((await ready.json()).error.message, /^attaind is unreachable: /);
    assert.equal((await fetch(`${gateway.url}/healthz`)).status, 200);
  } finally {
    await gateway.close();
  }
});

test('a call past its deadline is a 504', async () => {
  const gateway = await startGateway({ATTAIN_ADDRESS: attaind.address, ATTAIN_DEADLINE_MS: '100'});
  try {
    const response = await gateway.post('/v1/Simulate', {portfolio: examplePortfolio(),
      options: {paths: 4000000}});
    const {error} = await response.json();
    assert.equal(response.status, 504, JSON.stringify(error));
    assert.equal(error.code, 'DEADLINE_EXCEEDED');
  } finally {
    await gateway.close();
  }
});

test('/readyz is 503 while attaind drains', async () => {
  const draining = await startAttaind(['--drain-delay=5']);
  const gateway = await startGateway({ATTAIN_ADDRESS: draining.address});
  try {
    assert.equal((await fetch(`${gateway.url}/readyz`)).status, 200);
    draining.signal('SIGTERM');
    const started = Date.now();
    let ready;
    do {
      assert.ok(Date.now() - started < 3000, 'still ready');
      ready = await fetch(`${gateway.url}/readyz`);
    } while (ready.status === 200);
    assert.deepEqual(await ready.json(), {error: {code: 'UNAVAILABLE', httpStatus: 503,
      message: 'attaind\'s readiness is NOT_SERVING'}});
  } finally {
    await gateway.close();
    await draining.stop();  // a second signal ends the drain
  }
});
