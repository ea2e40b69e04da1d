// Portfolios, engine options and a pool job that several domain tests use.
#ifndef ATTAIN_TESTS_TEST_PORTFOLIOS_H_
#define ATTAIN_TESTS_TEST_PORTFOLIOS_H_

#include <atomic>
#include <latch>
#include <random>

#include "simulator/engine.h"
#include "simulator/history.h"
#include "simulator/model.h"
#include "simulator/worker_pool.h"

namespace attain::testing_support {

EngineOptions WithThreads(int threads);

// `paths` paths from `seed`, the other options at their defaults.
SimulationOptions Seeded(uint64_t paths, uint64_t seed);

// The standard error of a proportion p estimated from n independent trials.
double BinomialSe(double p, uint64_t n);

// A small portfolio exercising every feature: segments (and partners without one),
// deals, churn, lift, ramp, growth and seasonality; the quota is its exact expected
// revenue, so P(attain) is near one half.
Portfolio MixedPortfolio();

// `partners` partners with random parameters over modest ranges (a quarter of them
// DEALS), a quota near the current plan's expected revenue and a random capacity.
Portfolio RandomPortfolio(std::mt19937_64& random, int partners);

// Every figure of two outcomes, compared exactly (gtest expectations): for runs that
// must be bit-identical.
void ExpectIdenticalOutcomes(const PlanOutcome& a, const PlanOutcome& b);

// Every field of two partners, and of two portfolios with their partners, compared
// exactly (gtest expectations).
void ExpectSamePartner(const Partner& a, const Partner& b);
void ExpectSamePortfolio(const Portfolio& a, const Portfolio& b);

// A synthetic calibration case: a true portfolio, the hours of its history, and the
// history drawn from it (SimulateHistory).
struct CalibrationCase {
  Portfolio truth;                       // periods = the history's length; ramp 0, no boost
  std::vector<std::vector<double>> hours;  // [partner][t - 1]
  History history;
};

// What MakeCalibrationCase draws. Truth: baselines around 50,000, growth -1%..3%,
// volatility 0.1..0.3, market correlation 0.1..0.4, four segments (rho_s 0.15), lift
// lift_scale x U(0.2, 1.0) at a shared h50 of 8 hours, churn `churn_rate` at 4 retention
// hours, no seasonality (calibration does not estimate it: docs/model.md). The hours of
// `varying_share` of the partners switch between levels of 0 to 32 hours every 2 to 6
// periods; the others keep one level throughout.
struct CalibrationCaseOptions {
  int partners = 200;
  int periods = 24;
  double varying_share = 0.75;
  double churn_rate = 0.03;
  double lift_scale = 1;  // 0: hours have no effect (the null case)
};
CalibrationCase MakeCalibrationCase(uint64_t seed, const CalibrationCaseOptions& options);

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
  uint64_t RemainingUnits() const override { return ran_.load() ? 0 : 1; }

  std::latch started{1};
  std::latch release{1};

 private:
  std::atomic<bool> ran_{false};
};

}  // namespace attain::testing_support

#endif  // ATTAIN_TESTS_TEST_PORTFOLIOS_H_
