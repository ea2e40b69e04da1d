#include "simulator/sensitivity_assumptions.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "absl/strings/str_cat.h"

namespace attain {
namespace {

// Where an assumption's parameter lives, its standard error, and its default range.
struct Parameter {
  double Partner::*field;
  double ParameterErrors::*error;  // nullptr: calibration gives it no standard error
  SensitivityRange AssumptionRanges::*range;
  bool additive;  // the default range is a shift, not a factor
};

Parameter ParameterOf(Assumption assumption) {
  switch (assumption) {
    case Assumption::kLift:
      return {&Partner::max_lift, &ParameterErrors::max_lift, &AssumptionRanges::max_lift_factor,
              false};
    case Assumption::kHalfEffortHours:
      return {&Partner::half_effort_hours, nullptr, &AssumptionRanges::half_effort_hours_factor,
              false};
    case Assumption::kChurnRate:
      return {&Partner::churn_rate, &ParameterErrors::churn_rate,
              &AssumptionRanges::churn_rate_factor, false};
    case Assumption::kVolatility:
      return {&Partner::volatility, nullptr, &AssumptionRanges::volatility_factor, false};
    case Assumption::kGrowthRate:
      return {&Partner::growth_rate, &ParameterErrors::growth_rate,
              &AssumptionRanges::growth_rate_shift, true};
    case Assumption::kMarketCorrelation:
      return {&Partner::market_correlation, nullptr, &AssumptionRanges::market_correlation_factor,
              false};
    case Assumption::kBaselineRevenue:
      break;
  }
  return {&Partner::baseline_revenue, &ParameterErrors::baseline_revenue,
          &AssumptionRanges::baseline_revenue_factor, false};
}

// The valid range of the parameter for partner `p` (validation.h), with open upper
// bounds kOpenBoundMargin inside.
struct Bounds {
  double low = 0;
  double high = 0;
};

Bounds BoundsOf(Assumption assumption, const Portfolio& portfolio, const Partner& p) {
  switch (assumption) {
    case Assumption::kLift:
      return {0, kMaxLift};
    case Assumption::kHalfEffortHours:  // > 0: factors are > 0 (ValidateRanges)
      return {0, kMaxHours};
    case Assumption::kChurnRate:
      return {0, 1 - kOpenBoundMargin};
    case Assumption::kVolatility:
      return {0, kMaxVolatility};
    case Assumption::kGrowthRate:
      return {-1 + kOpenBoundMargin, kMaxGrowthRate};
    case Assumption::kMarketCorrelation: {
      const double segment = p.segment.empty() ? 0.0 : portfolio.segment_correlation;
      return {0, 1 - segment - kOpenBoundMargin};
    }
    case Assumption::kBaselineRevenue:
      break;
  }
  return {kMinBaselineShare * p.baseline_revenue, kMaxBaselineRevenue};
}

// `value` within `bounds`, which never exclude the (valid) base value: a base already
// inside an open bound's margin stays where it is.
double Clip(double value, const Bounds& bounds, double base) {
  return std::clamp(value, std::min(bounds.low, base), std::max(bounds.high, base));
}

// Halvings of a move that breaks a coupled bound: 2^-40 of the move, far below any
// figure a tornado reports.
constexpr int kBisectionSteps = 40;

bool PortfolioHasErrors(const Portfolio& portfolio, const Parameter& parameter) {
  if (parameter.error == nullptr) return false;
  return std::any_of(portfolio.partners.begin(), portfolio.partners.end(),
                     [&](const Partner& p) { return p.errors.*parameter.error > 0; });
}

// Checks one range; `positive` requires low > 0, `additive` a shift around 0.
void CheckRange(const char* field, const SensitivityRange& range, bool positive, bool additive,
                Violations& out) {
  const double base = additive ? 0 : 1;
  const double low_limit = additive ? -kMaxGrowthShift : 0;
  const double high_limit = additive ? kMaxGrowthShift : kMaxRangeFactor;
  if (!std::isfinite(range.low) || range.low < low_limit || range.low > base ||
      (positive && range.low <= 0)) {
    out.Add(absl::StrCat(field, ".low"),
            absl::StrCat("must be in ", positive ? "(" : "[", low_limit, ", ", base, "], got ",
                         range.low));
  }
  if (!std::isfinite(range.high) || range.high < base || range.high > high_limit) {
    out.Add(absl::StrCat(field, ".high"),
            absl::StrCat("must be in [", base, ", ", high_limit, "], got ", range.high));
  }
}

}  // namespace

const char* AssumptionName(Assumption assumption) {
  switch (assumption) {
    case Assumption::kLift:
      return "max_lift";
    case Assumption::kHalfEffortHours:
      return "half_effort_hours";
    case Assumption::kChurnRate:
      return "churn_rate";
    case Assumption::kVolatility:
      return "volatility";
    case Assumption::kGrowthRate:
      return "growth_rate";
    case Assumption::kMarketCorrelation:
      return "market_correlation";
    case Assumption::kBaselineRevenue:
      return "baseline_revenue";
  }
  return "unknown";
}

Violations ValidateRanges(const AssumptionRanges& ranges) {
  Violations v;
  CheckRange("max_lift_factor", ranges.max_lift_factor, false, false, v);
  CheckRange("half_effort_hours_factor", ranges.half_effort_hours_factor, true, false, v);
  CheckRange("churn_rate_factor", ranges.churn_rate_factor, false, false, v);
  CheckRange("volatility_factor", ranges.volatility_factor, false, false, v);
  CheckRange("growth_rate_shift", ranges.growth_rate_shift, false, true, v);
  CheckRange("market_correlation_factor", ranges.market_correlation_factor, false, false, v);
  CheckRange("baseline_revenue_factor", ranges.baseline_revenue_factor, true, false, v);
  if (ranges.top_partners > kMaxTopPartners) {
    v.Add("top_partners", absl::StrCat("must be at most ", kMaxTopPartners, ", got ",
                                       ranges.top_partners));
  }
  return v;
}

std::vector<AssumptionSpec> ListAssumptions(const Portfolio& portfolio, const ResolvedPlan& plan,
                                            const AssumptionRanges& ranges) {
  std::vector<AssumptionSpec> specs;
  for (const Assumption assumption :
       {Assumption::kLift, Assumption::kHalfEffortHours, Assumption::kChurnRate,
        Assumption::kVolatility, Assumption::kGrowthRate, Assumption::kMarketCorrelation}) {
    const bool errors =
        ranges.use_standard_errors && PortfolioHasErrors(portfolio, ParameterOf(assumption));
    specs.push_back({assumption, 0, errors ? RangeSource::kStandardError : RangeSource::kDefaultRange});
  }
  const size_t n = portfolio.partners.size();
  std::vector<double> expected(n);
  for (size_t i = 0; i < n; ++i) {
    expected[i] = ExpectedPartnerRevenue(portfolio, portfolio.partners[i], plan.hours[i]);
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return expected[a] > expected[b]; });
  order.resize(std::min(n, ranges.top_partners));
  for (const size_t i : order) {
    const bool errors =
        ranges.use_standard_errors && portfolio.partners[i].errors.baseline_revenue > 0;
    specs.push_back({Assumption::kBaselineRevenue, i,
                     errors ? RangeSource::kStandardError : RangeSource::kDefaultRange});
  }
  return specs;
}

double EndSetting(const AssumptionSpec& spec, RangeEnd end, const AssumptionRanges& ranges) {
  if (spec.source == RangeSource::kStandardError) {
    return end == RangeEnd::kLow ? -kStandardErrorZ : kStandardErrorZ;
  }
  const SensitivityRange& range = ranges.*ParameterOf(spec.assumption).range;
  return end == RangeEnd::kLow ? range.low : range.high;
}

Portfolio PortfolioAtEnd(const Portfolio& portfolio, const AssumptionSpec& spec, RangeEnd end,
                         const AssumptionRanges& ranges, const Limits& limits) {
  const Parameter parameter = ParameterOf(spec.assumption);
  const double setting = EndSetting(spec, end, ranges);
  Portfolio out = portfolio;
  std::vector<Partner> partners = std::move(out.partners);
  // While partners move, `out` holds one of them at a time: a partner's own checks.
  auto valid = [&](const Partner& p) {
    out.partners.assign(1, p);
    return ValidatePortfolio(out, limits).empty();
  };
  auto shift = [&](Partner& p) {
    const double base = p.*parameter.field;
    double moved = 0;
    if (spec.source == RangeSource::kStandardError) {
      moved = base + setting * p.errors.*parameter.error;
    } else {
      moved = parameter.additive ? base + setting : base * setting;
    }
    moved = Clip(moved, BoundsOf(spec.assumption, portfolio, p), base);
    p.*parameter.field = moved;
    if (moved == base || valid(p)) return;
    double inside = 0;   // share of the move known to stay valid (the base is)
    double outside = 1;  // and known not to
    for (int step = 0; step < kBisectionSteps; ++step) {
      const double share = 0.5 * (inside + outside);
      p.*parameter.field = base + share * (moved - base);
      (valid(p) ? inside : outside) = share;
    }
    p.*parameter.field = base + inside * (moved - base);
  };
  if (spec.assumption == Assumption::kBaselineRevenue) {
    shift(partners[spec.partner]);
  } else {
    for (Partner& p : partners) shift(p);
  }
  out.partners = std::move(partners);
  return out;
}

double AssumptionValue(const Portfolio& portfolio, const AssumptionSpec& spec) {
  const Parameter parameter = ParameterOf(spec.assumption);
  if (spec.assumption == Assumption::kBaselineRevenue) {
    return portfolio.partners[spec.partner].*parameter.field;
  }
  double sum = 0;
  for (const Partner& p : portfolio.partners) sum += p.*parameter.field;
  return portfolio.partners.empty() ? 0.0 : sum / static_cast<double>(portfolio.partners.size());
}

}  // namespace attain
