// Portfolios and engine options that several domain tests use.
#ifndef ATTAIN_TESTS_TEST_PORTFOLIOS_H_
#define ATTAIN_TESTS_TEST_PORTFOLIOS_H_

#include <random>

#include "simulator/engine.h"
#include "simulator/model.h"

namespace attain::testing_support {

EngineOptions WithThreads(int threads);

// A small portfolio exercising every feature: segments (and partners without one),
// deals, churn, lift, ramp, growth and seasonality; the quota is its exact expected
// revenue, so P(attain) is near one half.
Portfolio MixedPortfolio();

// `partners` partners with random parameters over modest ranges (a quarter of them
// DEALS), a quota near the current plan's expected revenue and a random capacity.
Portfolio RandomPortfolio(std::mt19937_64& random, int partners);

}  // namespace attain::testing_support

#endif  // ATTAIN_TESTS_TEST_PORTFOLIOS_H_
