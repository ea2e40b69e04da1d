// The card, the gateway, the events and the OpenAPI document against a real attaind.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {CARD_SCHEMAS} from '../src/card.js';
import {isServed} from '../src/protos.js';
import {api, examplePortfolio, parseEvents, startAttaind, startGateway} from './support.js';

// Small samples keep the suite fast; the card's searches need at least 200 paths.
const PATHS = 2000;

let attaind;
let gateway;

before(async () => {
  attaind = await startAttaind();
  gateway = await startGateway({ATTAIN_ADDRESS: attaind.address, ATTAIN_MAX_BODY_BYTES: '65536',
    ATTAIN_CARD_SEARCH_PATHS: String(PATHS)});
});

after(async () => {
  await gateway?.close();
  await attaind?.stop();
});

async function json(response, status) {
  const body = await response.json();
  assert.equal(response.status, status, JSON.stringify(body));
  return body;
}

function assertInterval(value, interval) {
  assert.ok(interval.low <= value && value <= interval.high,
      `${value} in ${JSON.stringify(interval)}`);
}

// That `value` has exactly the properties `schema` declares, recursively.
function assertShape(value, schema, path = 'card') {
  if (schema.$ref) return;
  if (schema.type === 'array') {
    value.forEach((item, i) => assertShape(item, schema.items, `${path}[${i}]`));
  } else if (schema.type === 'object') {
    assert.deepEqual(Object.keys(value).sort(), Object.keys(schema.properties).sort(), path);
    for (const [key, property] of Object.entries(schema.properties)) {
      assertShape(value[key], property, `${path}.${key}`);
    }
  } else {
    const type = schema.type === 'integer' ? 'number' : schema.type;
    assert.equal(typeof value, type, path);
  }
}

test('the card of the example portfolio is consistent and reproducible', async () => {
  const body = {portfolio: examplePortfolio(), paths: PATHS, seed: '7'};
  const card = await json(await gateway.post('/v1/card', body), 200);
  assertShape(card, CARD_SCHEMAS.Card);
  assert.equal(card.seed, '7');
  assert.deepEqual(card.paths, {simulate: PATHS, recommend: PATHS, coach: PATHS});
  assert.equal(card.currency, 'USD');
  const {attainment, revenue, recommendation, coaching} = card;
  for (const p of [attainment.probability, attainment.unassistedProbability,
    recommendation.attainmentProbability]) {
    assert.ok(p >= 0 && p <= 1, String(p));
  }
  assertInterval(attainment.probability, attainment.interval);
  assert.ok(revenue.expected > revenue.unassisted, 'the manager\'s hours add revenue');
  assert.equal(revenue.fromEffort, revenue.expected - revenue.unassisted);
  assert.ok(recommendation.changes.length >= 1 && recommendation.changes.length <= 3);
  for (const change of recommendation.changes) {
    assert.notEqual(change.fromTier, change.toTier);
    assert.ok(change.reason.length > 0);
    assert.match(change.reasonCode, /^REASON_CODE_/);
    assertInterval(change.attainmentProbabilityEffect, change.attainmentProbabilityEffectInterval);
    assert.ok(change.partnerName.length > 0);
  }
  assert.ok(coaching.score >= 0 && coaching.score <= 100);
  assertInterval(coaching.score, coaching.scoreInterval);

  assert.deepEqual(await json(await gateway.post('/v1/card', body), 200), card);
  // The card's P(attain) is Simulate's on the same paths and seed.
  const simulated = await json(await gateway.post('/v1/Simulate',
      {portfolio: body.portfolio, options: {paths: PATHS, seed: 7}}), 200);
  assert.equal(simulated.outcome.attainmentProbability, attainment.probability);
});

test('a card without a seed draws one that reproduces it; a bare portfolio is a body', async () => {
  const portfolio = examplePortfolio();
  const drawn = await json(await gateway.post('/v1/card', {portfolio, paths: PATHS}), 200);
  assert.match(drawn.seed, /^\d+$/);
  const again = await json(await gateway.post('/v1/card',
      {portfolio, paths: String(PATHS), seed: drawn.seed}), 200);
  assert.deepEqual(again, drawn);

  const bare = await json(await gateway.post('/v1/card', portfolio), 200);
  assert.equal(bare.paths.recommend, PATHS);
  assert.equal(bare.channelManagerId, 'cm-example');
});

test('the card names bad input by its field', async () => {
  const portfolio = examplePortfolio();
  portfolio.quota = -5;
  const error = (await json(await gateway.post('/v1/card', {portfolio, paths: PATHS}), 400)).error;
  assert.equal(error.code, 'INVALID_ARGUMENT');
  assert.equal(error.fieldViolations[0].field, 'portfolio.quota');
  const unknown = (await json(await gateway.post('/v1/card',
      {portfolio, pathz: 5}), 400)).error;
  assert.deepEqual(unknown.fieldViolations.map((violation) => violation.field), ['pathz']);
});

test('Simulate takes snake_case names and prefix-less enums alike', async () => {
  const camel = {portfolio: examplePortfolio(), plan: {name: 'invest in cobalt',
    tiers: {cobalt: 'TIER_INVEST'}}, options: {paths: '4000', seed: '11'}};
  const snake = {portfolio: {...examplePortfolio(), channel_manager_id: 'cm-example',
    capacity_hours: 60, period_length: 'month'}, plan: {name: 'invest in cobalt',
    tiers: {cobalt: 'invest'}}, options: {paths: 4000, seed: 11}};
  delete snake.portfolio.channelManagerId;
  delete snake.portfolio.capacityHours;
  delete snake.portfolio.periodLength;
  const fromCamel = await json(await gateway.post('/v1/Simulate', camel), 200);
  const fromSnake = await json(await gateway.post('/v1/Simulate', snake), 200);
  assert.deepEqual(fromSnake, fromCamel);
  const {outcome} = fromCamel;
  assert.equal(outcome.planName, 'invest in cobalt');
  assert.equal(outcome.partners.find((partner) => partner.partnerId === 'cobalt').tier,
      'TIER_INVEST');
  assert.equal(outcome.seed, '11');
  assert.equal(outcome.paths, '4000');
  assert.equal(outcome.periodLength, 'PERIOD_LENGTH_MONTH');
});

test('RecommendTiers through the gateway honours max_changes and gives reasons', async () => {
  const result = await json(await gateway.post('/v1/RecommendTiers', {portfolio:
    examplePortfolio(), maxChanges: 1, lockedPartnerIds: ['cobalt'], objective: 'expected_revenue',
  options: {paths: PATHS, seed: 3}}), 200);
  assert.equal(result.changes.length, 1);
  assert.notEqual(result.changes[0].partnerId, 'cobalt');
  assert.ok(result.changes[0].reason.length > 0);
  assert.equal(result.unchanged.find((advice) => advice.partnerId === 'cobalt').reasonCode,
      'REASON_CODE_LOCKED');
  assert.equal(Object.keys(result.recommendedPlan.tiers).length, 8);
  assert.equal(result.search.optimizationSeed, '3');
});

test('CreateExercise and SubmitExercise through the gateway', async () => {
  const {exercise} = await json(await gateway.post('/v1/CreateExercise',
      {difficulty: 2, seed: 5}), 200);
  assert.equal(exercise.difficulty, 2);
  assert.ok(exercise.portfolio.partners.length > 0);
  const submitted = await json(await gateway.post('/v1/SubmitExercise',
      {exerciseId: exercise.id, plan: {}}), 200);
  assert.equal(submitted.exerciseId, exercise.id);
  const altered = exercise.id.slice(0, -1) + (exercise.id.endsWith('A') ? 'B' : 'A');
  const error = (await json(await gateway.post('/v1/SubmitExercise',
      {exerciseId: altered}), 400)).error;
  assert.equal(error.fieldViolations[0].field, 'exercise_id');
});

test('attaind\'s field violations come back with the field named', async () => {
  const portfolio = examplePortfolio();
  portfolio.partners[3].volatility = -1;
  portfolio.quota = -1;
  const error = (await json(await gateway.post('/v1/Simulate', {portfolio}), 400)).error;
  assert.equal(error.code, 'INVALID_ARGUMENT');
  assert.equal(error.httpStatus, 400);
  assert.deepEqual(error.fieldViolations.map((violation) => violation.field).sort(),
      ['portfolio.partners[3].volatility', 'portfolio.quota']);
  assert.ok(error.fieldViolations.every((violation) => violation.description.length > 0));
});

test('the gateway refuses an unknown field, naming it, before calling attaind', async () => {
  const portfolio = examplePortfolio();
  portfolio.partners[0].lift = 2;
  const error = (await json(await gateway.post('/v1/Simulate', {portfolio}), 400)).error;
  assert.deepEqual(error.fieldViolations, [{field: 'portfolio.partners[0].lift',
    description: 'unknown field of attain.v1.Partner'}]);
  assert.equal(error.message, 'portfolio.partners[0].lift: unknown field of attain.v1.Partner');
});

test('malformed, oversized, mistyped and misrouted requests get JSON errors', async () => {
  const malformed = (await json(await gateway.post('/v1/Simulate', '{"portfolio": {'), 400)).error;
  assert.equal(malformed.code, 'INVALID_ARGUMENT');
  assert.match(malformed.message, /^the request body is not JSON: /);

  const large = (await json(await gateway.post('/v1/Simulate',
      {portfolio: {name: 'x'.repeat(70000)}}), 413)).error;
  assert.equal(large.message, 'the request body is over 65536 bytes (ATTAIN_MAX_BODY_BYTES)');

  const form = await gateway.post('/v1/Simulate', 'a=b',
      {'content-type': 'application/x-www-form-urlencoded'});
  assert.equal((await json(form, 415)).error.code, 'INVALID_ARGUMENT');

  const missing = (await json(await gateway.post('/v1/Simulat', {}), 404)).error;
  assert.equal(missing.code, 'NOT_FOUND');

  const wrongMethod = await fetch(`${gateway.url}/v1/Simulate`);
  assert.equal(wrongMethod.headers.get('allow'), 'POST, OPTIONS');
  assert.equal((await json(wrongMethod, 405)).error.message, '/v1/Simulate takes POST, not GET');
});

// attaind sends progress about every 250 ms: the run must last longer.
test('SimulateStream is served as events: progress, then the result, then end', async () => {
  const response = await gateway.post('/v1/SimulateStream', {portfolio: examplePortfolio(),
    options: {paths: 1000000, seed: 5}});
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^text\/event-stream/);
  const events = parseEvents(await response.text());
  const progress = events.filter((event) => event.data.progress);
  assert.ok(progress.length >= 1, JSON.stringify(events.map((event) => Object.keys(event.data))));
  assert.equal(progress[0].data.progress.pathsPlanned, '1000000');
  const [result, end] = events.slice(-2);
  assert.equal(result.data.result.outcome.paths, '1000000');
  assert.deepEqual(end, {event: 'end', data: {}});
});

test('a stream with bad input is a JSON error, not events', async () => {
  const portfolio = examplePortfolio();
  portfolio.periods = 0;
  const error = (await json(await gateway.post('/v1/SimulateStream', {portfolio}), 400)).error;
  assert.ok(error.fieldViolations.some((violation) => violation.field === 'portfolio.periods'));
});

test('a stream whose HTTP client leaves is cancelled at attaind', async () => {
  const controller = new AbortController();
  const response = await fetch(`${gateway.url}/v1/SimulateStream`, {method: 'POST',
    headers: {'content-type': 'application/json'}, signal: controller.signal,
    body: JSON.stringify({portfolio: examplePortfolio(), options: {paths: 5000000}})});
  assert.equal(response.status, 200);
  const {value} = await response.body.getReader().read();
  assert.match(Buffer.from(value).toString(), /^data: \{"progress"/);
  controller.abort();
  const started = Date.now();
  while (!/rpc method=SimulateStream status=CANCELLED/.test(attaind.log())) {
    assert.ok(Date.now() - started < 5000, `not cancelled:\n${attaind.log()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.ok(gateway.lines.some((line) =>
    /path=\/v1\/SimulateStream status=client_left/.test(line)));
});

test('GET /openapi.json describes every RPC of the service, from the protos', async () => {
  const document = await json(await fetch(`${gateway.url}/openapi.json`), 200);
  assert.equal(document.openapi, '3.0.3');
  const rpcs = api.root.lookupService('attain.v1.PlannerService').methodsArray;
  const expected = rpcs.filter(isServed).map((method) => `/v1/${method.name}`);
  assert.equal(expected.length, rpcs.length);
  assert.deepEqual(Object.keys(document.paths).sort(),
      [...expected, '/healthz', '/readyz', '/v1/card'].sort());
  for (const method of rpcs) {
    const operation = document.paths[`/v1/${method.name}`].post;
    const content = operation.responses[200].content;
    assert.deepEqual(Object.keys(content),
        [method.responseStream ? 'text/event-stream' : 'application/json'], method.name);
    assert.equal(operation.description, method.comment);
  }
  const {schemas} = document.components;
  const partner = schemas['attain.v1.Partner'];
  assert.deepEqual(partner.properties.baselineRevenue,
      {type: 'number', format: 'double', description: 'Expected revenue in period 1 with ' +
        'zero engagement (currency per period). Required, > 0.'});
  assert.deepEqual(partner.properties.tier.allOf, [{$ref: '#/components/schemas/attain.v1.Tier'}]);
  assert.deepEqual(schemas['attain.v1.Tier'].enum,
      ['TIER_UNSPECIFIED', 'TIER_INVEST', 'TIER_MAINTAIN', 'TIER_OPPORTUNISTIC']);
  assert.equal(schemas['attain.v1.Portfolio'].properties.partners.type, 'array');
  assert.deepEqual(schemas['attain.v1.Plan'].properties.tiers.additionalProperties,
      {$ref: '#/components/schemas/attain.v1.Tier'});
  assert.equal(schemas['attain.v1.SimulationOptions'].properties.seed.type, 'string');
  // Every reference resolves.
  const references = JSON.stringify(document).match(/#\/components\/schemas\/[^"]+/g);
  for (const reference of new Set(references)) {
    assert.ok(schemas[reference.slice('#/components/schemas/'.length)], reference);
  }
});

test('the probes: /healthz alive, /readyz asks attaind', async () => {
  assert.deepEqual(await json(await fetch(`${gateway.url}/healthz`), 200), {status: 'SERVING'});
  assert.deepEqual(await json(await fetch(`${gateway.url}/readyz`), 200), {status: 'SERVING'});
});

test('the log has a line per request and no portfolio contents', () => {
  const log = gateway.lines.join('\n');
  assert.match(log, /attain-crm request method=POST path=\/v1\/card status=200 duration_ms=\d+/);
  assert.match(log, /path=\/v1\/Simulate status=400 code=INVALID_ARGUMENT/);
  for (const secret of ['acme', 'Acme', 'cm-example', 'cobalt', '310000']) {
    assert.ok(!log.includes(secret), secret);
  }
});
