#include "simulator/scenario_sample.h"

namespace attain {

ScenarioSample::ScenarioSample(const ScenarioSet& set, size_t paths, uint64_t seed)
    : scenarios_(set.hours.size()),
      seed_(seed),
      reference_(set.reference),
      reference_totals_(paths, 0.0),
      deltas_((scenarios_ - 1) * reference_.size() * paths, 0.0f),
      zeros_(paths, 0.0f) {}

size_t ScenarioSample::Bytes(size_t scenarios, size_t partners, size_t paths) {
  return sizeof(ScenarioSample) + partners + paths * sizeof(double) +
         ((scenarios - 1) * partners + 1) * paths * sizeof(float);
}

size_t ScenarioSample::RowOffset(size_t scenario, size_t partner) const {
  const size_t slot = scenario < reference_[partner] ? scenario : scenario - 1;
  return (partner * (scenarios_ - 1) + slot) * paths();
}

const float* ScenarioSample::Delta(size_t scenario, size_t partner) const {
  if (scenario == reference_[partner]) return zeros_.data();
  return deltas_.data() + RowOffset(scenario, partner);
}

void ScenarioSample::AddChange(size_t partner, size_t from, size_t to,
                               std::span<double> totals) const {
  const float* before = Delta(from, partner);
  const float* after = Delta(to, partner);
  for (size_t p = 0; p < totals.size(); ++p) {
    totals[p] += static_cast<double>(after[p]) - static_cast<double>(before[p]);
  }
}

std::vector<double> ScenarioSample::Totals(const std::vector<uint8_t>& scenario) const {
  std::vector<double> totals = reference_totals_;
  for (size_t i = 0; i < scenario.size(); ++i) {
    if (scenario[i] != reference_[i]) AddChange(i, reference_[i], scenario[i], totals);
  }
  return totals;
}

void ScenarioSample::Record(size_t path, std::span<const std::vector<double>* const> revenue) {
  double total = 0;  // in partner order, as the kernel sums a plan's revenue
  for (size_t i = 0; i < partners(); ++i) {
    const size_t reference = reference_[i];
    const double base = (*revenue[reference])[i];
    total += base;
    for (size_t s = 0; s < scenarios_; ++s) {
      if (s != reference)
        deltas_[RowOffset(s, i) + path] = static_cast<float>((*revenue[s])[i] - base);
    }
  }
  reference_totals_[path] = total;
}

void RecordingSink::Add(uint64_t first_path, std::span<const std::vector<PathRevenue>> unit) {
  const std::vector<PathRevenue>& revenue = unit[0];
  for (size_t s = 0; s < rows_.size(); ++s) rows_[s] = &revenue[s].partner_revenue;
  sample_.Record(first_path, rows_);
  ++paths;
  if (next_ != nullptr) next_->Add(first_path, unit);
}

std::unique_ptr<BlockOutput> SampleJob::Simulate(uint64_t block, const std::atomic<bool>& abort) {
  RecordingSink sink(sample_);
  if (!kernel_.Run(sample_.seed(), block, sample_.paths(), abort, sink)) return nullptr;
  auto output = std::make_unique<BlockOutput>();
  output->paths = sink.paths;
  return output;
}

Progress SampleJob::CurrentProgress() const {
  Progress progress;
  progress.paths_done = paths_merged_;
  progress.paths_planned = sample_.paths();
  return progress;
}

}  // namespace attain
