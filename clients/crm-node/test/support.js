// What the tests share: a real attaind, and this service in-process against it.
import {spawn} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

import {createServer} from '../src/app.js';
import {createAttainClient} from '../src/attain-client.js';
import {readConfig} from '../src/config.js';
import {loadApi} from '../src/protos.js';

export const repository = fileURLToPath(new URL('../../../', import.meta.url));
export const api = loadApi();

export function examplePortfolio() {
  return JSON.parse(readFileSync(`${repository}examples/portfolio.json`, 'utf8'));
}

// ATTAIND_PATH, else the build's (scripts/setup.sh). A test without attaind fails: it is
// what the plugin is tested against.
export function attaindPath() {
  const path = process.env.ATTAIND_PATH || `${repository}build/service/attaind`;
  if (!existsSync(path)) {
    throw new Error(`attaind not found (${path}): build it or set ATTAIND_PATH`);
  }
  return path;
}

// attaind on a free port of 127.0.0.1, with `flags` beside the test defaults.
export function startAttaind(flags = []) {
  const child = spawn(attaindPath(), ['--listen=127.0.0.1:0', '--metrics-listen=',
    '--drain-delay=0', ...flags], {stdio: ['ignore', 'ignore', 'pipe']});
  let log = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    log += chunk;
  });
  return new Promise((resolve, reject) => {
    const giveUp = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`attaind did not report its port:\n${log}`));
    }, 10000);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`attaind exited (${code}):\n${log}`)));
    child.stderr.on('data', () => {
      const port = /attaind listening grpc_port=(\d+)/.exec(log);
      if (!port) return;
      clearTimeout(giveUp);
      resolve({
        address: `127.0.0.1:${port[1]}`,
        log: () => log,
        signal: (name) => child.kill(name),
        stop: () => new Promise((done) => {
          if (child.exitCode !== null) {
            done();
            return;
          }
          child.once('exit', done);
          child.kill('SIGTERM');
        }),
      });
    });
  });
}

// This service in-process on a free port, configured by `env` as server.js would be;
// `lines` collects what it logs.
export async function startGateway(env) {
  const config = readConfig({PORT: '0', ...env});
  const attain = createAttainClient(api, config);
  const lines = [];
  const server = createServer({api, attain, config, log: (line) => lines.push(line),
    version: 'test'});
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    lines,
    post: (path, body, headers = {}) => fetch(url + path, {method: 'POST',
      headers: {'content-type': 'application/json', ...headers},
      body: typeof body === 'string' ? body : JSON.stringify(body)}),
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => {
        attain.close();
        resolve();
      });
    }),
  };
}

// The events of a text/event-stream body: [{event, data}], data parsed.
export function parseEvents(text) {
  return text.split('\n\n').filter((block) => block.trim() !== '').map((block) => {
    const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
    const data = block.split('\n').filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6)).join('\n');
    return {event, data: JSON.parse(data)};
  });
}
