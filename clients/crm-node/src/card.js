// The card a CRM sidebar shows for one account owner's portfolio: P(attain) with its
// interval, revenue with and without the manager's hours, the top recommended tier
// changes with their effects and reasons, and the coaching score of the current plan.
// Three calls to attaind (Simulate, RecommendTiers, CoachPlan) run at once, under one
// deadline, on one seed: the same body and seed give the same card.
import {randomInt} from 'node:crypto';

import {invalidArgument} from './errors.js';
import {fromJson, toJson} from './json.js';

export const CARD_MAX_CHANGES = 3;

// Seeds the card draws when the body gives none: below 2^48, so a browser's number holds
// them too.
const SEED_LIMIT = 2 ** 48 - 1;

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// {"portfolio": {...}, "paths": N, "seed": S}, or a bare attain.v1.Portfolio: told apart
// by the key "portfolio", which a Portfolio does not have.
function readCardBody(api, body) {
  const optionsType = api.root.lookupType('attain.v1.SimulationOptions');
  const portfolioType = api.root.lookupType('attain.v1.Portfolio');
  if (!isObject(body) || !Object.hasOwn(body, 'portfolio')) {
    return {portfolio: fromJson(portfolioType, body, 'portfolio'), options: {}};
  }
  const {portfolio, paths, seed, ...rest} = body;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw invalidArgument(unknown.map((field) => ({field,
      description: 'unknown field of the card request: use portfolio, paths and seed'})));
  }
  // paths and seed are read as SimulationOptions reads them: the same checks and messages.
  const options = fromJson(optionsType, {paths: paths ?? null, seed: seed ?? null});
  return {portfolio: fromJson(portfolioType, portfolio, 'portfolio'), options};
}

function interval(json) {
  return {low: json?.low ?? 0, high: json?.high ?? 0};
}

// The card of `body` (parsed JSON). `searchPaths`: paths of RecommendTiers' and
// CoachPlan's samples when the body gives none.
export async function computeCard({api, attain, body, deadline, signal, searchPaths}) {
  const {portfolio, options} = readCardBody(api, body);
  const seed = options.seed ?? String(randomInt(SEED_LIMIT));
  const simulateOptions = {...options, seed};
  const searchOptions = {paths: options.paths ?? searchPaths, seed};

  // One abort for the three: the first failure, or the caller leaving, ends the others.
  const abort = new AbortController();
  const cancelAll = () => abort.abort();
  signal?.addEventListener('abort', cancelAll);
  const call = async (name, request) => {
    const method = api.method(name);
    const response = await attain.unary(method, request, {deadline, signal: abort.signal});
    return toJson(method.responseType, response);
  };
  try {
    const [simulated, recommended, coached] = await Promise.all([
      call('Simulate', {portfolio, options: simulateOptions}),
      call('RecommendTiers', {portfolio, max_changes: CARD_MAX_CHANGES, options: searchOptions}),
      call('CoachPlan', {portfolio, options: searchOptions}),
    ]);
    return buildCard(portfolio, seed, simulated, recommended, coached);
  } catch (error) {
    abort.abort();
    throw error;
  } finally {
    signal?.removeEventListener('abort', cancelAll);
  }
}

function buildCard(portfolio, seed, simulated, recommended, coached) {
  const outcome = simulated.outcome;
  const names = new Map((portfolio.partners ?? []).map((partner) => [partner.id, partner.name]));
  return {
    channelManagerId: portfolio.channel_manager_id ?? '',
    currency: outcome.currency,
    quota: outcome.quota,
    periods: outcome.periods.length,
    periodLength: outcome.periodLength,
    seed,
    paths: {
      simulate: Number(outcome.paths),
      recommend: Number(recommended.currentOutcome.paths),
      coach: Number(coached.planOutcome.paths),
    },
    attainment: {
      probability: outcome.attainmentProbability,
      interval: interval(outcome.attainmentInterval),
      unassistedProbability: outcome.unassistedAttainmentProbability,
      estimator: outcome.attainmentEstimator,
    },
    revenue: {
      expected: outcome.expectedRevenue,
      unassisted: outcome.unassistedExpectedRevenue,
      fromEffort: outcome.expectedRevenue - outcome.unassistedExpectedRevenue,
      expectedShortfall: outcome.expectedShortfall,
    },
    hours: {
      used: outcome.hoursUsed,
      capacity: outcome.capacityHours,
      overCapacity: outcome.overCapacity,
    },
    recommendation: {
      currentAttainmentProbability: recommended.currentOutcome.attainmentProbability,
      attainmentProbability: recommended.recommendedOutcome.attainmentProbability,
      attainmentProbabilityDifference: recommended.difference.attainmentProbabilityDifference,
      attainmentProbabilityDifferenceInterval:
        interval(recommended.difference.attainmentProbabilityDifferenceInterval),
      expectedRevenueDifference: recommended.difference.expectedRevenueDifference,
      expectedRevenueDifferenceInterval:
        interval(recommended.difference.expectedRevenueDifferenceInterval),
      changesTotal: recommended.changes.length,
      changes: recommended.changes.slice(0, CARD_MAX_CHANGES).map((change) => ({
        partnerId: change.partnerId,
        partnerName: names.get(change.partnerId) ?? '',
        fromTier: change.fromTier,
        toTier: change.toTier,
        hoursChange: change.hoursChange,
        attainmentProbabilityEffect: change.attainmentProbabilityEffect,
        attainmentProbabilityEffectInterval: interval(change.attainmentProbabilityEffectInterval),
        expectedRevenueEffect: change.expectedRevenueEffect,
        expectedRevenueEffectInterval: interval(change.expectedRevenueEffectInterval),
        reasonCode: change.reasonCode,
        reason: change.reason,
      })),
    },
    coaching: {
      score: coached.score,
      scoreInterval: interval(coached.scoreInterval),
      scoreBasis: coached.scoreBasis,
      scoreMessage: coached.scoreMessage,
    },
    warnings: simulated.warnings.map(({code, field, message}) => ({code, field, message})),
  };
}

// The card's request and response in OpenAPI (openapi.js), beside the code that reads and
// builds them; a test checks that a real card has exactly these fields.
const described = (schema, description) => (description ? {...schema, description} : schema);
const number = (description) => described({type: 'number', format: 'double'}, description);
const integer = (description) => described({type: 'integer'}, description);
const text = (description) => described({type: 'string'}, description);
const object = (description, properties) => described({type: 'object', properties}, description);
const INTERVAL = object('A 95% interval.', {low: number(), high: number()});

export const CARD_SCHEMAS = {
  CardRequest: object('A portfolio and how to simulate it. The body may instead be the ' +
    'attain.v1.Portfolio alone.', {
    portfolio: {$ref: '#/components/schemas/attain.v1.Portfolio'},
    paths: {type: 'string', format: 'uint64', description: 'Paths of all three runs ' +
      '(a number or a string). Unset: attaind\'s default (10,000) for Simulate, and ' +
      'ATTAIN_CARD_SEARCH_PATHS (default 4,000) for each sample of RecommendTiers and ' +
      'CoachPlan.'},
    seed: {type: 'string', format: 'uint64', description: 'Seed of all three runs (a number ' +
      'or a string). Unset: one is drawn and returned in the card.'},
  }),
  Card: object('The card of a portfolio under its current tiers. Money in `currency`, ' +
    'probabilities in [0, 1]. Enums by their full names.', {
    channelManagerId: text(),
    currency: text('ISO 4217 code of every amount.'),
    quota: number('Revenue objective over the horizon.'),
    periods: integer('Periods in the horizon.'),
    periodLength: text('PERIOD_LENGTH_MONTH or PERIOD_LENGTH_QUARTER.'),
    seed: text('The seed of all three runs, a decimal string: with the same body it ' +
      'reproduces the card.'),
    paths: object('Paths of each run.', {
      simulate: integer('Simulate.'),
      recommend: integer('Each of RecommendTiers\' samples.'),
      coach: integer('Each of CoachPlan\'s samples.'),
    }),
    attainment: object('P(attain): revenue over the horizon reaches the quota (Simulate).', {
      probability: number(),
      interval: INTERVAL,
      unassistedProbability: number('If the manager gave no partner any hours.'),
      estimator: text('How it was estimated (attain.v1.AttainmentEstimator).'),
    }),
    revenue: object('Expected revenue over the horizon (Simulate).', {
      expected: number('With the current tiers\' hours.'),
      unassisted: number('If the manager gave no partner any hours.'),
      fromEffort: number('expected - unassisted: what the manager\'s hours bring in.'),
      expectedShortfall: number('E[max(0, quota - revenue)].'),
    }),
    hours: object('Hours per period.', {
      used: number('By the current tiers.'),
      capacity: number('The manager\'s.'),
      overCapacity: {type: 'boolean', description: 'used > capacity.'},
    }),
    recommendation: object('RecommendTiers with at most 3 changes, validated on a sample ' +
      'independent of the search\'s.', {
      currentAttainmentProbability: number('The current tiers on the validation sample.'),
      attainmentProbability: number('The recommended tiers on the validation sample.'),
      attainmentProbabilityDifference: number('Recommended minus current, paired.'),
      attainmentProbabilityDifferenceInterval: INTERVAL,
      expectedRevenueDifference: number('Recommended minus current, paired.'),
      expectedRevenueDifferenceInterval: INTERVAL,
      changesTotal: integer('Changes the recommendation makes.'),
      changes: {
        type: 'array',
        description: 'At most 3, in attaind\'s order.',
        items: object('One tier change.', {
          partnerId: text(),
          partnerName: text('From the portfolio; empty when it has none.'),
          fromTier: text(),
          toTier: text(),
          hoursChange: number('Hours per period it uses (> 0) or frees (< 0).'),
          attainmentProbabilityEffect: number('The recommendation minus it with this change ' +
            'undone.'),
          attainmentProbabilityEffectInterval: INTERVAL,
          expectedRevenueEffect: number('Likewise, in currency.'),
          expectedRevenueEffectInterval: INTERVAL,
          reasonCode: text('attain.v1.ReasonCode.'),
          reason: text('The reason in words, with the numbers behind it.'),
        }),
      },
    }),
    coaching: object('CoachPlan of the current tiers.', {
      score: number('0..100: the share of the achievable gain over the floor (every partner ' +
        'OPPORTUNISTIC) that the current tiers capture.'),
      scoreInterval: INTERVAL,
      scoreBasis: text('attain.v1.ScoreBasis.'),
      scoreMessage: text('The score in one sentence.'),
    }),
    warnings: {
      type: 'array',
      description: 'Inputs that probably do not mean what the caller thinks.',
      items: object(undefined, {code: text('attain.v1.WarningCode.'), field: text(),
        message: text()}),
    },
  }),
};
