// The steps of Calibrate (calibration.h) that work partner by partner: the data each
// partner brings (its active periods, dormancy and hours), the pooled estimates (the
// shrinkage of lift and growth, churn), and each partner's final estimates, flags and
// place in the calibrated portfolio. Internal to the calibration.
//
// Pure functions; thread-safe.
#ifndef ATTAIN_SIMULATOR_CALIBRATION_STEPS_H_
#define ATTAIN_SIMULATOR_CALIBRATION_STEPS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "simulator/calibration.h"
#include "simulator/churn_fit.h"
#include "simulator/common_shocks.h"
#include "simulator/partner_fit.h"
#include "simulator/shrinkage.h"

namespace attain {

struct PartnerData {
  std::vector<double> log_revenue;  // [t - 1]; 0 where not used
  std::vector<double> hours;
  std::vector<char> use;            // active, with revenue
  int segment = -1;                 // index, or -1
  int active = 0;                   // periods used
  int dormant_since = 0;            // 1-based first period of the trailing zeros; 0: active
  bool possibly_dormant = false;    // a single trailing zero
  bool hours_vary = false;          // over the periods used
};

// The base portfolio's partner `id`, or null (also without a base).
const Partner* BasePartner(const Portfolio* base, const std::string& id);

// Each partner's data, in history order; `segments` numbers the segments (the base
// portfolio's segment of a partner wins over the history's).
std::vector<PartnerData> PrepareData(const History& history, const Portfolio* base,
                                     std::map<std::string, int>& segments);

// log revenue net of the period's and the segment's shocks.
std::vector<double> WithoutShocks(const PartnerData& data, const CommonShocks& shocks);

// f(h_t) = h_t / (h_t + h50).
std::vector<double> Saturation(const PartnerData& data, double h50);

// The value of `field` (half_effort_hours, retention_hours) that every partner of the
// base portfolio shares; the model's default without a base, or where they differ.
double SharedBaseValue(const Portfolio* base, double Partner::*field);

struct PooledEstimates {
  bool lift_identified = false;
  Shrunk lift;                   // over the partners whose hours vary
  std::vector<int> lift_slot;    // per partner: its index in `lift`, or -1
  Shrunk growth;                 // log(1 + g), over the fitted partners
  std::vector<int> growth_slot;
  ChurnFit churn;
};

// Shrinks lift and growth toward their pooled means and fits churn; fills the pooled
// figures of `diagnostics`.
PooledEstimates Pool(const std::vector<PartnerData>& data,
                     const std::vector<std::optional<PartnerFit>>& fits, const Portfolio* base,
                     CalibrationDiagnostics& diagnostics);

// Every partner's estimates and flags, and the calibrated portfolio, into `calibration`.
void FinishPartners(const History& history, const Portfolio* base,
                    const std::vector<PartnerData>& data, const CommonShocks& shocks,
                    const std::vector<std::optional<PartnerFit>>& fits,
                    const PooledEstimates& pooled, double h50, Calibration& calibration);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_CALIBRATION_STEPS_H_
