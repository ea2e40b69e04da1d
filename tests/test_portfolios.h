// Portfolios, engine options and a pool job that several domain tests use.
#ifndef ATTAIN_TESTS_TEST_PORTFOLIOS_H_
#define ATTAIN_TESTS_TEST_PORTFOLIOS_H_

#include <atomic>
#include <latch>
#include <random>

#include "simulator/engine.h"
#include "simulator/model.h"
#include "simulator/worker_pool.h"

namespace attain::testing_support {

EngineOptions WithThreads(int threads);

// A small portfolio exercising every feature: segments (and partners without one),
// deals, churn, lift, ramp, growth and seasonality; the quota is its exact expected
// revenue, so P(attain) is near one half.
Portfolio MixedPortfolio();

// `partners` partners with random parameters over modest ranges (a quarter of them
// DEALS), a quota near the current plan's expected revenue and a random capacity.
Portfolio RandomPortfolio(std::mt19937_64& random, int partners);

// A one-unit job whose RunOne signals `started` and blocks until `release` opens: it
// keeps a worker busy while a test queues other work behind it.
class GateJob final : public PoolJob {
 public:
  bool RunOne() override {
    if (ran_.exchange(true)) return false;
    started.count_down();
    release.wait();
    return false;
  }

  std::latch started{1};
  std::latch release{1};

 private:
  std::atomic<bool> ran_{false};
};

}  // namespace attain::testing_support

#endif  // ATTAIN_TESTS_TEST_PORTFOLIOS_H_
