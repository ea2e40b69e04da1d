#include "simulator/path_generator.h"

#include <cmath>
#include <map>
#include <string>

#include "simulator/fast_exp.h"
#include "simulator/ziggurat.h"

namespace attain {

PathGenerator::PathGenerator(const Portfolio& portfolio, const ParameterUncertainty& uncertainty)
    : periods_(portfolio.periods), parameter_sampler_(portfolio, uncertainty) {
  std::map<std::string, uint32_t> segment_ids;
  for (const Partner& p : portfolio.partners) {
    if (!p.segment.empty()) {
      segment_ids.emplace(p.segment, static_cast<uint32_t>(segment_ids.size()));
    }
  }
  segment_count_ = segment_ids.size();
  for (const Partner& p : portfolio.partners) {
    const double rho_s = p.segment.empty() ? 0.0 : portfolio.segment_correlation;
    market_loading_.push_back(std::sqrt(p.market_correlation));
    segment_loading_.push_back(std::sqrt(rho_s));
    own_loading_.push_back(std::sqrt(1.0 - p.market_correlation - rho_s));
    segment_.push_back(p.segment.empty() ? kNoSegment : segment_ids.at(p.segment));
    mirror_factor_.push_back(std::exp(-p.volatility * p.volatility));
    shock_scale_.insert(shock_scale_.end(), static_cast<size_t>(periods_), p.volatility);
    shock_drift_.insert(shock_drift_.end(), static_cast<size_t>(periods_),
                        -0.5 * p.volatility * p.volatility);
    const bool deals = p.revenue_model == RevenueModel::kDeals;
    deals_index_.push_back(deals ? static_cast<int>(deals_partner_count_++) : -1);
  }
}

void PathGenerator::Prepare(PathDraws& draws) const {
  const size_t periods = static_cast<size_t>(periods_);
  draws.shock.resize(partner_count() * periods);
  draws.dormancy_uniform.resize(partner_count());
  draws.deal_seed.resize(deals_partner_count_ * periods);
  draws.factors.resize((1 + segment_count_) * periods);
  draws.parameter_normal.resize(parameter_sampler_.drawn_count() * kNormalsPerDrawnPartner);
  draws.parameters.resize(parameter_sampler_.drawn_count());
}

// Stream order (part of the reproducibility contract): all factors period by period,
// then each partner's idiosyncratic normals, then dormancy uniforms, then deal seeds.
void PathGenerator::Generate(BlockEngine& engine, PathDraws& draws) const {
  const size_t periods = static_cast<size_t>(periods_);
  const size_t factor_stride = 1 + segment_count_;
  for (double& f : draws.factors) f = StandardNormal(engine);
  const double* market = draws.factors.data();
  for (size_t i = 0; i < partner_count(); ++i) {
    double* z = &draws.shock[i * periods];
    if (segment_[i] == kNoSegment) {  // no segment, no segment factor to read
      for (size_t t = 0; t < periods; ++t) {
        z[t] = market_loading_[i] * market[t * factor_stride] +
               own_loading_[i] * StandardNormal(engine);
      }
      continue;
    }
    const double* segment = draws.factors.data() + 1 + segment_[i];
    for (size_t t = 0; t < periods; ++t) {
      z[t] = market_loading_[i] * market[t * factor_stride] +
             segment_loading_[i] * segment[t * factor_stride] +
             own_loading_[i] * StandardNormal(engine);
    }
  }
  // One flat loop over every (partner, period), so that it vectorizes.
  double* __restrict shock = draws.shock.data();
  const double* __restrict scale = shock_scale_.data();
  const double* __restrict drift = shock_drift_.data();
  const size_t cells = draws.shock.size();
  for (size_t k = 0; k < cells; ++k) shock[k] = FastExp(scale[k] * shock[k] + drift[k]);
  for (double& v : draws.dormancy_uniform) v = OpenUniform(engine);
  for (uint64_t& seed : draws.deal_seed) seed = engine();
}

void PathGenerator::DrawParameters(BlockEngine& parameter_stream, PathDraws& draws) const {
  if (!parameter_sampler_.active()) return;
  parameter_sampler_.DrawNormals(parameter_stream, draws.parameter_normal);
  for (size_t u = 0; u < draws.parameters.size(); ++u) {
    draws.parameters[u] =
        parameter_sampler_.Transform(u, &draws.parameter_normal[u * kNormalsPerDrawnPartner]);
  }
}

void PathGenerator::Mirror(const PathDraws& draws, PathDraws& mirror) const {
  const size_t periods = static_cast<size_t>(periods_);
  // exp(-sigma z - sigma^2/2) = exp(-sigma^2) / exp(sigma z - sigma^2/2): no second exp.
  for (size_t i = 0; i < partner_count(); ++i) {
    for (size_t t = 0; t < periods; ++t) {
      mirror.shock[i * periods + t] = mirror_factor_[i] / draws.shock[i * periods + t];
    }
  }
  for (size_t k = 0; k < draws.factors.size(); ++k) mirror.factors[k] = -draws.factors[k];
  for (size_t i = 0; i < draws.dormancy_uniform.size(); ++i) {
    mirror.dormancy_uniform[i] = 1.0 - draws.dormancy_uniform[i];
  }
  for (size_t k = 0; k < draws.deal_seed.size(); ++k) {
    mirror.deal_seed[k] = Mix64(draws.deal_seed[k] ^ kMirrorDealSalt);
  }
  // The mirror of a parameter draw is the draw at -z: the same law, and the pair's
  // baselines, growths and lifts move in opposite directions, as its shocks do.
  for (size_t k = 0; k < draws.parameter_normal.size(); ++k) {
    mirror.parameter_normal[k] = -draws.parameter_normal[k];
  }
  for (size_t u = 0; u < mirror.parameters.size(); ++u) {
    mirror.parameters[u] =
        parameter_sampler_.Transform(u, &mirror.parameter_normal[u * kNormalsPerDrawnPartner]);
  }
}

}  // namespace attain
