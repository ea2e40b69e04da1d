#include "simulator/partner_percentiles.h"

#include <algorithm>
#include <span>

#include "simulator/statistics.h"

namespace attain {

PartnerPercentiles::PartnerPercentiles(size_t plans, size_t partners, size_t sample_paths)
    : partners_(partners), sample_paths_(sample_paths), samples_(plans) {
  for (auto& sample : samples_) {
    sample = std::make_unique_for_overwrite<float[]>(partners_ * sample_paths_);
  }
}

PartnerPercentiles::~PartnerPercentiles() {
  if (batch_) batch_->Wait();
}

size_t PartnerPercentiles::SamplePaths(size_t sample_bytes, size_t partners, size_t plans,
                                       uint64_t paths) {
  const size_t by_memory = sample_bytes / (sizeof(float) * partners * plans);
  return static_cast<size_t>(std::max<uint64_t>(
      1, std::min({paths, kMaxPartnerPercentilePaths, static_cast<uint64_t>(by_memory)})));
}

void PartnerPercentiles::Start(WorkerPool& pool, size_t paths, uint64_t blocks_left) {
  paths_used_ = paths;
  found_.resize(samples_.size() * partners_);
  batch_ = pool.Start(found_.size(), [this](size_t index) {
    const size_t plan = index / partners_;
    const size_t partner = index % partners_;
    const std::span<const float> sample(samples_[plan].get() + partner * sample_paths_,
                                        paths_used_);
    constexpr double kTenNinety[] = {0.10, 0.90};
    double found[2];
    Quantiles(sample, std::span<const double>(kTenNinety), std::span<double>(found));
    found_[index] = {found[0], found[1]};
  }, blocks_left);
}

}  // namespace attain
