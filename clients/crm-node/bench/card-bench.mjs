// Latency of POST /v1/card on a 20-partner portfolio at the card's default paths, against
// the same three calls made straight to attaind over grpc-js (no HTTP, no JSON): the
// HTTP layer's overhead is the ratio. Then each RPC alone, to show where the time goes.
//
//   node bench/card-bench.mjs [requests]      (default 30, after 5 warm-up requests)
//
// attaind: ATTAIND_PATH, else ../../build/service/attaind; the
// service runs as `node server.js`, as deployed, with this process's environment (so
// ATTAIN_CARD_SEARCH_PATHS and the like apply).
import {spawn} from 'node:child_process';
import {randomInt} from 'node:crypto';
import {cpus} from 'node:os';
import {fileURLToPath} from 'node:url';

import {createAttainClient} from '../src/attain-client.js';
import {CARD_MAX_CHANGES} from '../src/card.js';
import {readConfig} from '../src/config.js';
import {fromJson} from '../src/json.js';
import {api, examplePortfolio, startAttaind} from '../test/support.js';

const REQUESTS = Number(process.argv[2] ?? 30);
const WARM_UP = 5;
const PARTNERS = 20;

// The example's 8 partners cloned to 20 with new ids; quota and capacity scaled alike.
function portfolioOf(partners) {
  const example = examplePortfolio();
  const scale = partners / example.partners.length;
  return {
    ...example,
    quota: Math.round(example.quota * scale),
    capacityHours: Math.round(example.capacityHours * scale),
    partners: Array.from({length: partners}, (_, i) => {
      const partner = example.partners[i % example.partners.length];
      const copy = Math.floor(i / example.partners.length);
      return copy === 0 ? partner :
        {...partner, id: `${partner.id}-${copy + 1}`, name: `${partner.name} ${copy + 1}`};
    }),
  };
}

function startService(address) {
  const child = spawn(process.execPath, [fileURLToPath(new URL('../server.js', import.meta.url))],
      {env: {...process.env, ATTAIN_ADDRESS: address, PORT: '0', HOST: '127.0.0.1'},
        stdio: ['ignore', 'pipe', 'inherit']});
  let output = '';
  child.stdout.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`server.js exited (${code}): ${output}`)));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const port = /attain-crm listening port=(\d+)/.exec(output);
      if (port) {
        // Keep reading: a full pipe would stop the service.
        output = '';
        resolve({url: `http://127.0.0.1:${port[1]}`, stop: () => child.kill('SIGTERM')});
      }
    });
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function summary(name, samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const p50 = percentile(sorted, 0.5);
  console.log(`${name.padEnd(34)} p50 ${p50.toFixed(1).padStart(7)} ms   ` +
    `p90 ${percentile(sorted, 0.9).toFixed(1).padStart(7)} ms   ` +
    `max ${sorted[sorted.length - 1].toFixed(1).padStart(7)} ms`);
  return p50;
}

async function timed(run) {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const attaind = await startAttaind();
const service = await startService(attaind.address);
const config = readConfig({...process.env, ATTAIN_ADDRESS: attaind.address});
const attain = createAttainClient(api, config);
try {
  const portfolioJson = portfolioOf(PARTNERS);
  const body = JSON.stringify(portfolioJson);
  const portfolio = fromJson(api.root.lookupType('attain.v1.Portfolio'), portfolioJson);
  const searchPaths = config.cardSearchPaths;

  const card = async () => {
    const response = await fetch(`${service.url}/v1/card`, {method: 'POST', body,
      headers: {'content-type': 'application/json'}});
    if (response.status !== 200) throw new Error(`card: ${await response.text()}`);
    return response.json();
  };
  // The card's three calls, as card.js makes them, straight to attaind.
  const requests = () => {
    const seed = String(randomInt(2 ** 48 - 1));
    return {
      Simulate: {portfolio, options: {seed}},
      RecommendTiers: {portfolio, max_changes: CARD_MAX_CHANGES,
        options: {paths: searchPaths, seed}},
      CoachPlan: {portfolio, options: {paths: searchPaths, seed}},
    };
  };
  const call = (name, request) => attain.unary(api.method(name), request,
      {deadline: Date.now() + 60000});
  const direct = () => Promise.all(Object.entries(requests())
      .map(([name, request]) => call(name, request)));

  const example = await card();
  for (let i = 0; i < WARM_UP; i++) {
    await card();
    await direct();
  }
  const cardTimes = [];
  const directTimes = [];
  for (let i = 0; i < REQUESTS; i++) {
    cardTimes.push(await timed(card));
    directTimes.push(await timed(direct));
  }

  console.log(`${PARTNERS} partners, ${example.periods} periods; paths: simulate ` +
    `${example.paths.simulate}, recommend ${example.paths.recommend} (x2 samples), coach ` +
    `${example.paths.coach} (x2 samples); ${REQUESTS} requests after ${WARM_UP} warm-up; ` +
    `${cpus().length} CPUs; node ${process.version}`);
  const viaHttp = summary('POST /v1/card (HTTP service)', cardTimes);
  const viaGrpc = summary('the 3 calls direct over grpc-js', directTimes);
  console.log(`HTTP layer: x${(viaHttp / viaGrpc).toFixed(3)} at p50 ` +
    `(+${(viaHttp - viaGrpc).toFixed(1)} ms)`);

  console.log('each RPC alone, direct (where the time goes):');
  for (const name of ['Simulate', 'RecommendTiers', 'CoachPlan']) {
    const samples = [];
    for (let i = 0; i < REQUESTS; i++) {
      samples.push(await timed(() => call(name, requests()[name])));
    }
    summary(`  ${name}`, samples);
  }
} finally {
  attain.close();
  service.stop();
  await attaind.stop();
}
