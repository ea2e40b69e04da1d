#include "service/peers.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/support/channel_arguments.h"
#include "service/convert.h"

namespace attain {
namespace {

std::unique_ptr<v1::PeerService::Stub> StubFor(const std::string& target) {
  grpc::ChannelArguments arguments;
  arguments.SetLoadBalancingPolicyName("round_robin");
  arguments.SetMaxReceiveMessageSize(-1);  // blocks of large teams exceed 4 MiB
  arguments.SetMaxSendMessageSize(-1);
  return v1::PeerService::NewStub(
      grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), arguments));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Peers>> Peers::Create(const PeerOptions& options) {
  std::vector<std::unique_ptr<v1::PeerService::Stub>> stubs;
  int ranges = options.ranges_per_run;
  if (options.target.find(":///") != std::string::npos) {
    stubs.push_back(StubFor(options.target));
  } else {
    for (const absl::string_view peer : absl::StrSplit(options.target, ',')) {
      if (peer.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("--peers: expected dns:///name:port or host:port,host:port, got \"",
                         options.target.substr(0, 200), "\""));
      }
      stubs.push_back(StubFor(std::string(peer)));
    }
    ranges = static_cast<int>(stubs.size());
  }
  return std::unique_ptr<Peers>(new Peers(std::move(stubs), ranges, options.range_timeout));
}

Peers::Peers(std::vector<std::unique_ptr<v1::PeerService::Stub>> stubs, int ranges_per_run,
             std::chrono::seconds range_timeout)
    : stubs_(std::move(stubs)), ranges_per_run_(ranges_per_run), range_timeout_(range_timeout) {}

v1::PeerService::Stub& Peers::Next() { return *stubs_[next_++ % stubs_.size()]; }

PeerOffload::PeerOffload(Peers& peers, Metrics& metrics, v1::SimulateBlocksRequest request,
                         std::chrono::system_clock::time_point deadline)
    : peers_(peers), metrics_(metrics), request_(std::move(request)), deadline_(deadline) {}

PeerOffload::~PeerOffload() {
  for (RangeThread& range : threads_) range.thread.join();
}

void PeerOffload::SetRecommendedPlans(const std::vector<Plan>& plans) {
  std::lock_guard lock(mu_);
  request_.clear_recommended_plans();
  for (const Plan& plan : plans) *request_.add_recommended_plans() = PlanToProto(plan);
}

void PeerOffload::Start(uint64_t first, uint64_t end,
                        std::function<void(uint64_t block, std::string bytes)> deliver,
                        std::function<void()> done) {
  std::lock_guard lock(mu_);
  std::erase_if(threads_, [](RangeThread& range) {
    if (!range.ended->load()) return false;
    range.thread.join();
    return true;
  });
  auto ended = std::make_shared<std::atomic<bool>>(false);
  std::thread thread([this, first, end, ended, deliver = std::move(deliver),
                      done = std::move(done)] {
    grpc::ClientContext context;
    context.set_deadline(
        std::min(deadline_, std::chrono::system_clock::now() + peers_.range_timeout()));
    v1::SimulateBlocksRequest request;
    {
      std::lock_guard call_lock(mu_);
      if (cancelled_) {
        done();
        *ended = true;
        return;
      }
      request = request_;
      calls_.push_back(&context);
    }
    request.set_first_block(first);
    request.set_end_block(end);
    const std::unique_ptr<grpc::ClientReader<v1::SimulateBlocksResponse>> reader =
        peers_.Next().SimulateBlocks(&context, request);
    v1::SimulateBlocksResponse response;
    uint64_t received = 0;
    while (reader->Read(&response)) {
      metrics_.PeerBlockReceived(response.output().size());
      ++received;
      deliver(response.block(), std::move(*response.mutable_output()));
    }
    const grpc::Status status = reader->Finish();
    bool cancelled;
    {
      std::lock_guard call_lock(mu_);
      calls_.erase(std::find(calls_.begin(), calls_.end(), &context));
      cancelled = cancelled_;
    }
    // A run that ended (or stopped at its precision target) cancels what it no longer needs.
    if (!cancelled) metrics_.PeerRangeDone(!status.ok() || received < end - first);
    done();
    *ended = true;
  });
  threads_.push_back({std::move(thread), std::move(ended)});
}

void PeerOffload::CancelAll() {
  std::lock_guard lock(mu_);
  cancelled_ = true;
  for (grpc::ClientContext* call : calls_) call->TryCancel();
}

}  // namespace attain
