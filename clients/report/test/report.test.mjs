// The reports in a real browser: attain report and attain-plan against a real attaind,
// each page loaded in headless Chromium by check-report.mjs.
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {fileURLToPath} from 'node:url';

import {checkReport} from '../check-report.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const build = process.env.ATTAIN_BUILD_DIR || join(root, 'build');
const attaindPath = process.env.ATTAIND_PATH || join(build, 'service/attaind');
const cliPath = process.env.ATTAIN_CLI_PATH || join(build, 'clients/cli/attain');
const pythonStubs = process.env.ATTAIN_PYTHON_STUBS || join(build, 'python');
// Where to keep the screenshots (scripts/report-screenshots.sh: docs/); none when unset.
const screenshots = process.env.ATTAIN_SCREENSHOT_DIR;
const work = mkdtempSync(join(tmpdir(), 'attain-report-'));

let attaind;
let address;

before(async () => {
  attaind = spawn(attaindPath, ['--listen=127.0.0.1:0', '--metrics-listen=',
    '--drain-delay=0'], {stdio: ['ignore', 'ignore', 'pipe']});
  address = await new Promise((resolve, reject) => {
    let log = '';
    const giveUp = setTimeout(() => reject(new Error('attaind did not start: ' + log)), 10000);
    attaind.on('error', reject);
    attaind.stderr.on('data', (chunk) => {
      log += chunk;
      const port = /attaind listening grpc_port=(\d+)/.exec(log);
      if (port) {
        clearTimeout(giveUp);
        resolve('127.0.0.1:' + port[1]);
      }
    });
  });
});

after(() => attaind?.kill('SIGTERM'));

function run(command, args, env = {}) {
  const result = spawnSync(command, args, {encoding: 'utf8', env: {...process.env, ...env},
    timeout: 120000});
  assert.equal(result.status, 0, `${command} ${args.join(' ')}:\n${result.stderr}`);
  return result;
}

async function assertDrawn(page, expectedCharts, screenshotName) {
  const {problems, charts, screenshot} = await checkReport(page);
  assert.deepEqual(problems, []);
  assert.deepEqual(charts.map((chart) => chart.name), expectedCharts);
  if (screenshots) writeFileSync(join(screenshots, screenshotName), screenshot);
}

test('the checked-in ECharts is the npm package\'s, byte for byte', () => {
  const vendored = readFileSync(join(root, 'third_party/echarts/echarts.min.js'));
  const fromNpm = readFileSync(new URL('../node_modules/echarts/dist/echarts.min.js',
      import.meta.url));
  assert.ok(vendored.equals(fromNpm));
});

test('attain report draws every chart of a portfolio', async () => {
  const page = join(work, 'portfolio.html');
  run(cliPath, ['report', join(root, 'examples/portfolio.json'), '--paths', '4000',
    '--seed', '7', '--out', page, '--server', address]);
  await assertDrawn(page, ['distribution', 'partners', 'on-track', 'changes'],
      'report-portfolio.png');
});

test('attain-plan\'s team report draws every chart of a team', async () => {
  const out = join(work, 'team');
  run('/usr/bin/python3', [join(root, 'clients/python/attain-plan'),
    join(root, 'examples/team.json'), '--quota', '14500000', '--paths', '2000', '--seed', '7',
    '--out', out, '--address', address], {ATTAIN_PYTHON_STUBS: pythonStubs});
  await assertDrawn(join(out, 'report.html'), ['managers', 'members-at-quota'],
      'report-team.png');
});

test('a page whose script fails is caught, not passed', async () => {
  const page = join(work, 'portfolio.html');
  const broken = join(work, 'broken.html');
  // Data without the histogram: the renderer throws on the first chart.
  writeFileSync(broken, readFileSync(page, 'utf8').replace('"histogram":', '"histogramX":'));
  const {problems} = await checkReport(broken);
  assert.ok(problems.some((problem) => problem.startsWith('uncaught exception')), problems);
  assert.ok(problems.some((problem) => problem.includes('did not finish')), problems);
});
