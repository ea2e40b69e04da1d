// Calibration: time on one core for 200 partners x 24 periods and 2,000 x 36, and the
// recovery and coverage of the estimates over replicates of synthetic histories drawn
// from the model (tests/test_portfolios.h, MakeCalibrationCase). Calibrate is
// single-threaded; the process is pinned to nothing, so run it with `taskset -c 0` for
// a one-core figure.
//
//   calibration_bench [--replicates N] [--repetitions N]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "simulator/calibration.h"
#include "tests/test_portfolios.h"

namespace attain {
namespace {

using testing_support::CalibrationCase;
using testing_support::CalibrationCaseOptions;
using testing_support::MakeCalibrationCase;

constexpr double kZ90 = 1.6449;

double Quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(q * static_cast<double>(values.size() - 1) + 0.5)];
}

bool Has(const PartnerCalibration& pc, CalibrationFlag flag) {
  return std::find(pc.flags.begin(), pc.flags.end(), flag) != pc.flags.end();
}

void Time(const char* label, const CalibrationCaseOptions& options, int repetitions) {
  const CalibrationCase c = MakeCalibrationCase(1, options);
  std::vector<double> ms;
  for (int r = 0; r < repetitions; ++r) {
    const auto start = std::chrono::steady_clock::now();
    const Calibration calibration = Calibrate(c.history, nullptr);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    if (calibration.partners.empty()) std::abort();
  }
  std::printf("%-10s %6d partners x %2d periods: median %8.1f ms, min %8.1f, max %8.1f (%d runs)\n",
              label, options.partners, options.periods, Quantile(ms, 0.5), Quantile(ms, 0),
              Quantile(ms, 1), repetitions);
}

struct Coverage {
  int cases = 0;
  int covered = 0;
  void Add(double estimate, double se, double truth) {
    ++cases;
    covered += std::fabs(estimate - truth) <= kZ90 * se;
  }
  double share() const { return cases > 0 ? static_cast<double>(covered) / cases : 0; }
};

void Recovery(int replicates) {
  Coverage lift, growth, baseline;
  std::printf("\nRecovery, 200 x 24, hours varying for 3/4 of the partners, seeds 100..%d:\n",
              100 + replicates - 1);
  std::printf("%5s %9s %9s %9s %9s %14s %9s\n", "seed", "L medrel", "g medabs", "b medrel",
              "h50", "h50 se", "churn");
  std::vector<double> h50_z;
  int h50_within = 0;
  for (int r = 0; r < replicates; ++r) {
    const uint64_t seed = 100 + static_cast<uint64_t>(r);
    const CalibrationCase c = MakeCalibrationCase(seed, {});
    // The drawn history lists the partners in the truth's order.
    const Calibration cal = Calibrate(c.history, nullptr);
    std::vector<double> l_err, g_err, b_err;
    for (size_t k = 0; k < c.truth.partners.size(); ++k) {
      const Partner& truth = c.truth.partners[k];
      const PartnerCalibration& pc = cal.partners[k];
      if (pc.dormant_since != 0) continue;
      if (!Has(pc, CalibrationFlag::kNoHoursVariation)) {
        l_err.push_back(std::fabs(pc.max_lift.value - truth.max_lift) / truth.max_lift);
        lift.Add(pc.max_lift.value, pc.max_lift.std_error, truth.max_lift);
      }
      g_err.push_back(std::fabs(pc.growth_rate.value - truth.growth_rate));
      growth.Add(pc.growth_rate.value, pc.growth_rate.std_error, truth.growth_rate);
      const double next = truth.baseline_revenue * std::pow(1 + truth.growth_rate, 24);
      b_err.push_back(std::fabs(pc.baseline_revenue.value - next) / next);
      baseline.Add(pc.baseline_revenue.value, pc.baseline_revenue.std_error, next);
    }
    const Estimate& h50 = cal.diagnostics.half_effort_hours;
    h50_within += std::fabs(h50.value - 8) <= 0.2 * 8;
    if (h50.std_error > 0) h50_z.push_back((h50.value - 8) / h50.std_error);
    std::printf("%5d %9.3f %9.4f %9.3f %9.2f %14.2f %9.4f\n", static_cast<int>(seed),
                Quantile(l_err, 0.5), Quantile(g_err, 0.5), Quantile(b_err, 0.5), h50.value,
                h50.std_error, cal.diagnostics.churn_rate.value);
  }
  double z2 = 0;
  for (const double z : h50_z) z2 += z * z;
  std::printf("h50 within 20%% of 8 h: %d of %d; rms of (h50 - 8) / se: %.2f (1 if the se were right)\n",
              h50_within, replicates, std::sqrt(z2 / static_cast<double>(std::max<size_t>(1, h50_z.size()))));
  const int cases = lift.cases + growth.cases + baseline.cases;
  const int covered = lift.covered + growth.covered + baseline.covered;
  std::printf("90%% interval coverage: lift %.3f (%d), growth %.3f (%d), baseline %.3f (%d); pooled %.3f (%d)\n",
              lift.share(), lift.cases, growth.share(), growth.cases, baseline.share(),
              baseline.cases, static_cast<double>(covered) / cases, cases);
}

}  // namespace
}  // namespace attain

int main(int argc, char** argv) {
  int replicates = 12;
  int repetitions = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--replicates") == 0) replicates = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--repetitions") == 0) repetitions = std::atoi(argv[i + 1]);
  }
  attain::Time("small", {.partners = 200, .periods = 24}, repetitions);
  attain::Time("large", {.partners = 2000, .periods = 36}, std::max(1, repetitions / 2));
  attain::Recovery(replicates);
}
