#include "simulator/block_codec.h"

#include <cstring>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "simulator/block_kernel.h"

namespace attain {
namespace {

constexpr uint32_t kMagic = 0x4b425441;  // "ATBK"
constexpr uint32_t kVersion = 1;

class Writer {
 public:
  template <class T>
  void Put(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  template <class T>
  void PutAll(const std::vector<T>& values) {  // fixed length: the shape's
    static_assert(std::is_trivially_copyable_v<T>);
    if (values.empty()) return;  // data() may be null
    out_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  }
  void PutPaths(const std::vector<double>& values) {  // a block's paths: length first
    Put<uint64_t>(values.size());
    PutAll(values);
  }
  void PutSums(const std::vector<UnitSums>& sums) {
    for (const UnitSums& s : sums) Put(s.state());
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool at_end() const { return in_.empty(); }

  template <class T>
  T Get() {
    T value{};
    if (in_.size() < sizeof(T)) {
      ok_ = false;
      return value;
    }
    std::memcpy(&value, in_.data(), sizeof(T));
    in_.remove_prefix(sizeof(T));
    return value;
  }
  template <class T>
  void GetAll(std::vector<T>& values) {  // as many as `values` holds
    const size_t bytes = values.size() * sizeof(T);
    if (bytes == 0) return;  // data() may be null
    if (in_.size() < bytes) {
      ok_ = false;
      return;
    }
    std::memcpy(values.data(), in_.data(), bytes);
    in_.remove_prefix(bytes);
  }
  void GetPaths(uint64_t paths, std::vector<double>& values) {
    if (Get<uint64_t>() != paths) ok_ = false;
    if (!ok_) return;
    values.resize(paths);
    GetAll(values);
  }
  void GetSums(std::vector<UnitSums>& sums) {
    for (UnitSums& s : sums) s = UnitSums::FromState(Get<UnitSums::State>());
  }

 private:
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace

std::string EncodeBlock(const RunSums& block) {
  Writer w;
  w.Put(kMagic);
  w.Put(kVersion);
  w.Put<uint64_t>(block.plans.size());
  w.Put<uint64_t>(block.unassisted_partner_revenue.size());
  w.Put<uint64_t>(block.plans.empty() ? 0 : block.plans[0].period_revenue.size());
  w.Put<uint64_t>(block.members.revenue.size());
  w.Put<uint64_t>(block.members.swap_attainment_gain.size());
  w.Put<uint64_t>(block.paths);
  for (const PlanSums& plan : block.plans) {
    w.PutPaths(plan.revenue);
    w.PutPaths(plan.attainment);
    w.PutPaths(plan.attainment_control);
    w.PutAll(plan.period_revenue);
    w.PutAll(plan.on_track);
    w.PutAll(plan.partner_revenue);
    w.PutSums(plan.partner_uplift);
    w.PutAll(plan.partner_dormant);
  }
  w.PutAll(block.unassisted_partner_revenue);
  w.PutPaths(block.unassisted_revenue);
  w.PutPaths(block.unassisted_attainment);
  w.PutPaths(block.unassisted_attainment_control);
  const MemberSums& m = block.members;
  w.PutSums(m.revenue);
  w.PutSums(m.attained);
  w.PutSums(m.shortfall);
  w.PutAll(m.paths_at_quota);
  w.Put(m.members_at_quota.state());
  w.PutSums(m.swap_attainment_gain);
  w.PutSums(m.swap_revenue_gain);
  return w.Take();
}

absl::StatusOr<std::unique_ptr<RunSums>> DecodeBlock(std::string_view bytes,
                                                     const BlockShape& shape) {
  Reader r(bytes);
  const size_t members = shape.split != nullptr ? shape.split->members() : 0;
  const size_t swaps = shape.split != nullptr && shape.split->swaps ? members : 0;
  if (r.Get<uint32_t>() != kMagic || r.Get<uint32_t>() != kVersion) {
    return absl::InvalidArgumentError("not a block of this version");
  }
  if (r.Get<uint64_t>() != shape.plans || r.Get<uint64_t>() != shape.partners ||
      r.Get<uint64_t>() != shape.periods || r.Get<uint64_t>() != members ||
      r.Get<uint64_t>() != swaps || !r.ok()) {
    return absl::InvalidArgumentError("a block of another run's shape");
  }
  const uint64_t paths = r.Get<uint64_t>();
  if (!r.ok() || paths > kPathsPerBlock) {
    return absl::InvalidArgumentError(absl::StrCat("a block of ", paths, " paths"));
  }
  auto block = std::make_unique<RunSums>(shape.plans, shape.partners, shape.periods);
  block->paths = paths;
  for (PlanSums& plan : block->plans) {
    r.GetPaths(paths, plan.revenue);
    r.GetPaths(paths, plan.attainment);
    r.GetPaths(paths, plan.attainment_control);
    r.GetAll(plan.period_revenue);
    r.GetAll(plan.on_track);
    r.GetAll(plan.partner_revenue);
    r.GetSums(plan.partner_uplift);
    r.GetAll(plan.partner_dormant);
  }
  r.GetAll(block->unassisted_partner_revenue);
  r.GetPaths(paths, block->unassisted_revenue);
  r.GetPaths(paths, block->unassisted_attainment);
  r.GetPaths(paths, block->unassisted_attainment_control);
  if (shape.split != nullptr) block->members = MemberSums(*shape.split);
  MemberSums& m = block->members;
  r.GetSums(m.revenue);
  r.GetSums(m.attained);
  r.GetSums(m.shortfall);
  r.GetAll(m.paths_at_quota);
  m.members_at_quota = UnitSums::FromState(r.Get<UnitSums::State>());
  r.GetSums(m.swap_attainment_gain);
  r.GetSums(m.swap_revenue_gain);
  if (!r.ok() || !r.at_end()) {
    return absl::InvalidArgumentError("a block's bytes are truncated or run past its shape");
  }
  return block;
}

}  // namespace attain
