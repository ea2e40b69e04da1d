// attain-crm: the CRM plugin's HTTP service (README.md). Settings come from the
// environment; the bound port is printed as "attain-crm listening port=N".
import {readFileSync} from 'node:fs';

import {createServer} from './src/app.js';
import {createAttainClient} from './src/attain-client.js';
import {readConfig} from './src/config.js';
import {loadApi} from './src/protos.js';

// In-flight requests get this long after SIGTERM or SIGINT.
const SHUTDOWN_GRACE_MS = 10000;

const log = (line) => process.stdout.write(`${line}\n`);

let config;
let api;
let attain;
try {
  config = readConfig();
  api = loadApi(config.protoDir);
  attain = createAttainClient(api, config);
} catch (error) {
  process.stderr.write(`attain-crm: ${error.message}\n`);
  process.exit(2);
}

const {version} = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const server = createServer({api, attain, config, log, version});
server.on('error', (error) => {
  process.stderr.write(`attain-crm: cannot listen on port ${config.port}: ${error.message}\n`);
  process.exit(2);
});
server.listen(config.port, config.host, () => {
  log(`attain-crm listening port=${server.address().port} attaind=${config.address} ` +
    `tls=${config.tls ? (config.tls.cert ? 'mutual' : 'on') : 'off'} ` +
    `token=${config.token || config.tokenFile ? 'on' : 'off'} ` +
    `http_token=${config.httpToken ? 'required' : 'off'} ` +
    `cors=${config.corsOrigins.length > 0 ? config.corsOrigins.join(',') : 'off'}`);
});

function shutDown() {
  server.close(() => {
    attain.close();
    process.exit(0);
  });
  server.closeIdleConnections?.();
  setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
}
process.once('SIGTERM', shutDown);
process.once('SIGINT', shutDown);
