// The JSON mapping on its own: what requests may say and how bad input is named.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {ApiError} from '../src/errors.js';
import {fromJson, toJson} from '../src/json.js';
import {api, examplePortfolio} from './support.js';

const SimulateRequest = api.root.lookupType('attain.v1.SimulateRequest');
const Portfolio = api.root.lookupType('attain.v1.Portfolio');

function violations(type, value) {
  try {
    fromJson(type, value);
  } catch (error) {
    assert.ok(error instanceof ApiError);
    assert.equal(error.httpStatus, 400);
    return error.fieldViolations;
  }
  assert.fail('accepted');
}

test('the example portfolio reads, with its prefix-less period length', () => {
  const portfolio = fromJson(Portfolio, examplePortfolio());
  assert.equal(portfolio.period_length, 1);
  assert.equal(portfolio.partners[0].baseline_revenue, 310000);
  assert.equal(portfolio.partners[0].tier, 2);
});

test('enum values are read with or without their prefix, in any case, or by number', () => {
  const plan = fromJson(SimulateRequest, {plan: {tiers: {a: 'INVEST', b: 'tier_maintain',
    c: 'Opportunistic', d: 'TIER_INVEST', e: 2}}}).plan;
  assert.deepEqual({...plan.tiers}, {a: 1, b: 2, c: 3, d: 1, e: 2});
});

test('an enum value that names nothing lists the choices', () => {
  assert.deepEqual(violations(SimulateRequest, {plan: {tiers: {acme: 'GOLD'}}}), [{
    field: 'plan.tiers["acme"]',
    description: '"GOLD" is not a value of Tier: use INVEST, MAINTAIN or OPPORTUNISTIC ' +
      '(any case, with or without TIER_)',
  }]);
  // The zero value means "unset": only its full name names it.
  assert.equal(violations(SimulateRequest, {plan: {tiers: {a: 'UNSPECIFIED'}}}).length, 1);
  assert.equal(fromJson(SimulateRequest, {plan: {tiers: {a: 'TIER_UNSPECIFIED'}}}).plan.tiers.a, 0);
});

test('snake_case and camelCase names are both read', () => {
  const request = fromJson(SimulateRequest, {portfolio: {capacity_hours: 10, tierPolicy:
    {invest_hours: 20}}, options: {target_ci_half_width: 0.01, maxPaths: '5000'}});
  assert.equal(request.portfolio.capacity_hours, 10);
  assert.equal(request.portfolio.tier_policy.invest_hours, 20);
  assert.equal(request.options.target_ci_half_width, 0.01);
  assert.equal(request.options.max_paths, '5000');
  assert.equal(violations(Portfolio, {capacityHours: 1, capacity_hours: 2})[0].field,
      'capacity_hours');
});

test('an unknown field is named by its path, with the field it may mean', () => {
  const portfolio = examplePortfolio();
  portfolio.partners[2].baselineRevenu = 5;
  assert.deepEqual(violations(SimulateRequest, {portfolio}), [{
    field: 'portfolio.partners[2].baselineRevenu',
    description: 'unknown field of attain.v1.Partner; did you mean baselineRevenue?',
  }]);
  assert.deepEqual(violations(SimulateRequest, {colour: 'red'}),
      [{field: 'colour', description: 'unknown field of attain.v1.SimulateRequest'}]);
});

test('64-bit integers are read from strings or safe numbers, exactly', () => {
  const options = (value) => fromJson(SimulateRequest, {options: {seed: value}}).options;
  assert.equal(options('18446744073709551615').seed, '18446744073709551615');
  assert.equal(options(7).seed, '7');
  assert.match(violations(SimulateRequest, {options: {seed: 2 ** 60}})[0].description,
      /write it as a string/);
  assert.deepEqual(violations(SimulateRequest, {options: {seed: '18446744073709551616'}}),
      [{field: 'options.seed', description: 'must be from 0 to 18446744073709551615'}]);
  assert.deepEqual(violations(SimulateRequest, {options: {paths: -1}}),
      [{field: 'options.paths', description: 'must be from 0 to 18446744073709551615'}]);
  assert.deepEqual(violations(Portfolio, {periods: 1.5}),
      [{field: 'periods', description: 'must be an integer, not 1.5'}]);
});

test('wrong JSON types are named, every one of them', () => {
  assert.deepEqual(violations(Portfolio, {quota: 'lots', partners: {}, currency: 5,
    seasonality: [1, 'x']}), [
    {field: 'quota', description: 'must be a number, not "lots"'},
    {field: 'partners', description: 'must be a JSON array, not an object'},
    {field: 'currency', description: 'must be a string, not 5'},
    {field: 'seasonality[1]', description: 'must be a number, not "x"'},
  ]);
  assert.deepEqual(violations(Portfolio, [1]),
      [{field: '(body)',
        description: 'must be a JSON object (attain.v1.Portfolio), not an array'}]);
});

test('numbers may be NaN or infinite by name, and null means unset', () => {
  const portfolio = fromJson(Portfolio, {quota: 'Infinity', capacityHours: null});
  assert.equal(portfolio.quota, Infinity);
  assert.ok(!('capacity_hours' in portfolio));
});

test('a oneof takes one member', () => {
  const Response = api.root.lookupType('attain.v1.SimulateStreamResponse');
  assert.deepEqual(violations(Response, {progress: {}, result: {}}), [{field: 'result',
    description: 'only one of progress, result may be set; progress is'}]);
});

test('responses are written in camelCase with defaults, enums by name and longs as strings',
    () => {
      const simulate = api.method('Simulate');
      const bytes = simulate.responseType.encode(simulate.responseType.fromObject({outcome: {
        attainment_probability: 0.5, seed: '7', period_length: 2,
        partners: [{partner_id: 'a'}]}})).finish();
      const {outcome} = toJson(simulate.responseType, simulate.grpc.responseDeserialize(bytes));
      assert.equal(outcome.attainmentProbability, 0.5);
      assert.equal(outcome.seed, '7');
      assert.equal(outcome.periodLength, 'PERIOD_LENGTH_QUARTER');
      assert.equal(outcome.partners[0].partnerId, 'a');
      assert.equal(outcome.partners[0].tier, 'TIER_UNSPECIFIED');
      assert.equal(outcome.overCapacity, false);
      assert.deepEqual(outcome.periods, []);
      assert.ok(!('attainmentInterval' in outcome));
    });
