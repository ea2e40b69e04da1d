// Loads an Attain report in headless Chromium and says what is wrong with it: a console
// error or an uncaught exception, a request that left the file (the report must work
// offline), a chart that did not draw, or a blank page. Optionally keeps a screenshot.
//
//   node check-report.mjs REPORT.html [--screenshot OUT.png]
//
// Exits 0 when the report is sound, 1 with one line per problem otherwise.
// CHROMIUM names the browser (default /usr/bin/chromium, Debian's package).
import {writeFile} from 'node:fs/promises';
import {pathToFileURL} from 'node:url';
import {chromium} from 'playwright-core';

// Marks a chart drawn: ECharts' SVG renderer gives each chart one <svg> with its axes,
// bars and lines as <path> elements; an empty or failed chart has none or a handful.
const MIN_SHAPES_PER_CHART = 10;
// Share of the screenshot's pixels that must differ from its top-left corner.
const MIN_INKED_SHARE = 0.02;

// Returns {problems: string[], charts: [{name, shapes}], screenshot: Buffer}.
export async function checkReport(htmlPath, {timeoutMs = 8000} = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({viewport: {width: 1100, height: 900}});
    const problems = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push('console error: ' + message.text());
    });
    page.on('pageerror', (error) => problems.push('uncaught exception: ' + error.message));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) problems.push('left the file: ' + request.url());
    });

    // A script that throws never marks the page drawn: stop waiting at its first error.
    const thrown = new Promise((resolve) => page.once('pageerror', () => resolve(false)));
    await page.goto(pathToFileURL(htmlPath).href, {waitUntil: 'load', timeout: timeoutMs});
    const drawn = page.waitForFunction(() => document.body.dataset.rendered === 'true', null,
        {timeout: timeoutMs}).then(() => true, () => false);
    if (!await Promise.race([drawn, thrown])) {
      problems.push('the report script did not finish (body[data-rendered])');
    }

    const charts = await page.$$eval('[data-chart]', (nodes) => nodes.map((node) => ({
      name: node.dataset.chart,
      shapes: node.querySelectorAll('svg path, svg rect, svg text').length,
    })));
    if (charts.length === 0) problems.push('no charts on the page');
    for (const {name, shapes} of charts) {
      if (shapes < MIN_SHAPES_PER_CHART) {
        problems.push(`chart "${name}" did not draw (${shapes} SVG shapes)`);
      }
    }

    const screenshot = await page.screenshot({fullPage: true});
    const inked = await inkedShare(browser, screenshot);
    if (inked < MIN_INKED_SHARE) {
      problems.push(`the page looks blank (${(100 * inked).toFixed(2)}% of pixels inked)`);
    }
    return {problems, charts, screenshot};
  } finally {
    await browser.close();
  }
}

// Decodes the PNG in a blank page and counts pixels unlike the top-left one.
async function inkedShare(browser, png) {
  const page = await browser.newPage();
  return page.evaluate(async (base64) => {
    const image = new Image();
    image.src = 'data:image/png;base64,' + base64;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, image.width, image.height).data;
    let inked = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i] !== pixels[0] || pixels[i + 1] !== pixels[1] ||
          pixels[i + 2] !== pixels[2]) {
        ++inked;
      }
    }
    return inked / (pixels.length / 4);
  }, png.toString('base64'));
}

async function main(args) {
  const screenshotAt = args.indexOf('--screenshot');
  const screenshotPath = screenshotAt >= 0 ? args[screenshotAt + 1] : undefined;
  const htmlPath = args.find((arg, i) => !arg.startsWith('--') && i !== screenshotAt + 1);
  if (!htmlPath || (screenshotAt >= 0 && !screenshotPath)) {
    console.error('usage: node check-report.mjs REPORT.html [--screenshot OUT.png]');
    return 2;
  }
  const {problems, charts, screenshot} = await checkReport(htmlPath);
  if (screenshotPath) await writeFile(screenshotPath, screenshot);
  for (const problem of problems) console.error(`${htmlPath}: ${problem}`);
  if (problems.length === 0) {
    console.log(`${htmlPath}: ${charts.length} charts drawn (` +
        charts.map(({name, shapes}) => `${name} ${shapes}`).join(', ') + ')');
  }
  return problems.length === 0 ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
