#include "service/peers.h"

#include <algorithm>
#include <fstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/support/channel_arguments.h"
#include "service/convert.h"

namespace attain {
namespace {

std::unique_ptr<v1::PeerService::Stub> StubFor(
    const std::string& target, const std::shared_ptr<grpc::ChannelCredentials>& credentials) {
  grpc::ChannelArguments arguments;
  arguments.SetLoadBalancingPolicyName("round_robin");
  arguments.SetMaxReceiveMessageSize(-1);  // blocks of large teams exceed 4 MiB
  arguments.SetMaxSendMessageSize(-1);
  return v1::PeerService::NewStub(grpc::CreateCustomChannel(
      target, credentials != nullptr ? credentials : grpc::InsecureChannelCredentials(),
      arguments));
}

// A token file's token: its contents without surrounding whitespace.
constexpr size_t kMaxPeerTokenBytes = 1024;

}  // namespace

absl::StatusOr<std::unique_ptr<Peers>> Peers::Create(const PeerOptions& options) {
  std::vector<std::unique_ptr<v1::PeerService::Stub>> stubs;
  int ranges = options.ranges_per_run;
  if (options.target.find(":///") != std::string::npos) {
    stubs.push_back(StubFor(options.target, options.credentials));
  } else {
    for (const absl::string_view peer : absl::StrSplit(options.target, ',')) {
      if (peer.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("--peers: expected dns:///name:port or host:port,host:port, got \"",
                         options.target.substr(0, 200), "\""));
      }
      stubs.push_back(StubFor(std::string(peer), options.credentials));
    }
    ranges = static_cast<int>(stubs.size());
  }
  auto peers = std::unique_ptr<Peers>(new Peers(std::move(stubs), options, ranges));
  grpc::ClientContext probe;
  if (absl::Status token = peers->Authorize(probe); !token.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--peer-token-file: ", token.message()));
  }
  return peers;
}

Peers::Peers(std::vector<std::unique_ptr<v1::PeerService::Stub>> stubs,
             const PeerOptions& options, int ranges_per_run)
    : stubs_(std::move(stubs)),
      ranges_per_run_(ranges_per_run),
      range_timeout_(options.range_timeout),
      token_file_(options.token_file) {}

v1::PeerService::Stub& Peers::Next() { return *stubs_[next_++ % stubs_.size()]; }

absl::Status Peers::Authorize(grpc::ClientContext& context) const {
  if (token_file_.empty()) return absl::OkStatus();
  std::ifstream file(token_file_);
  std::string token;
  if (file) std::getline(file, token);
  token = std::string(absl::StripAsciiWhitespace(token));
  if (token.empty() || token.size() > kMaxPeerTokenBytes) {
    return absl::UnauthenticatedError(
        absl::StrCat("the peer token file cannot be read or does not hold a token of 1 to ",
                     kMaxPeerTokenBytes, " bytes"));
  }
  context.AddMetadata("authorization", "Bearer " + token);
  return absl::OkStatus();
}

PeerOffload::PeerOffload(Peers& peers, Metrics& metrics, v1::SimulateBlocksRequest request,
                         std::chrono::system_clock::time_point deadline)
    : peers_(peers), metrics_(metrics), request_(std::move(request)), deadline_(deadline) {}

PeerOffload::~PeerOffload() {
  // Under the lock: a call's thread may still be inside Launch, adding the thread of the
  // next call, after that next call has already ended and the run returned (a data race
  // ThreadSanitizer found in the same pattern of block_offload_test's fake).
  std::vector<CallThread> threads;
  {
    std::lock_guard lock(mu_);
    threads.swap(threads_);
  }
  for (CallThread& call : threads) call.thread.join();
}

void PeerOffload::SetRecommendedPlans(const std::vector<Plan>& plans) {
  std::lock_guard lock(mu_);
  request_.clear_recommended_plans();
  for (const Plan& plan : plans) *request_.add_recommended_plans() = PlanToProto(plan);
}

void PeerOffload::Launch(std::function<void()> call) {
  std::lock_guard lock(mu_);
  std::erase_if(threads_, [](CallThread& ended) {
    if (!ended.ended->load()) return false;
    ended.thread.join();
    return true;
  });
  auto ended = std::make_shared<std::atomic<bool>>(false);
  std::thread thread([ended, call = std::move(call)] {
    call();
    *ended = true;
  });
  threads_.push_back({std::move(thread), std::move(ended)});
}

bool PeerOffload::Enlist(grpc::ClientContext& context) {
  context.set_deadline(
      std::min(deadline_, std::chrono::system_clock::now() + peers_.range_timeout()));
  // Without its token the call would only be refused: the run does the work itself.
  if (!peers_.Authorize(context).ok()) return false;
  std::lock_guard lock(mu_);
  if (cancelled_) return false;
  calls_.push_back(&context);
  return true;
}

bool PeerOffload::Discharge(grpc::ClientContext& context) {
  std::lock_guard lock(mu_);
  calls_.erase(std::find(calls_.begin(), calls_.end(), &context));
  return cancelled_;
}

void PeerOffload::Start(uint64_t first, uint64_t end,
                        std::function<void(uint64_t block, std::string bytes)> deliver,
                        std::function<void()> done) {
  Launch([this, first, end, deliver = std::move(deliver), done = std::move(done)] {
    grpc::ClientContext context;
    if (!Enlist(context)) {
      done();
      return;
    }
    v1::SimulateBlocksRequest request;
    {
      std::lock_guard lock(mu_);
      request = request_;
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
    // A run that ended (or stopped at its precision target) cancels what it no longer needs.
    if (!Discharge(context)) metrics_.PeerRangeDone(!status.ok() || received < end - first);
    done();
  });
}

void PeerOffload::Start(size_t member, uint64_t seed,
                        std::function<void(absl::StatusOr<std::vector<Tier>>)> done) {
  Launch([this, member, seed, done = std::move(done)] {
    grpc::ClientContext context;
    if (!Enlist(context)) {
      done(absl::CancelledError("not sent: the run is cancelled, or no peer token"));
      return;
    }
    v1::SearchTiersRequest request;
    int partners;
    {
      std::lock_guard lock(mu_);
      const v1::SimulateTeamRequest& run = request_.team();
      v1::SimulateTeamRequest& search = *request.mutable_team();
      search.mutable_team()->set_name(run.team().name());
      search.mutable_team()->set_quota(run.team().quota());
      const v1::Portfolio& portfolio = run.team().members(static_cast<int>(member));
      *search.mutable_team()->add_members() = portfolio;
      partners = portfolio.partners_size();
      *search.mutable_options() = run.options();
      if (run.has_coaching_paths()) search.set_coaching_paths(run.coaching_paths());
    }
    request.set_seed(seed);
    request.set_member(static_cast<uint32_t>(member));
    v1::SearchTiersResponse response;
    const grpc::Status status = peers_.Next().SearchTiers(&context, request, &response);
    absl::StatusOr<std::vector<Tier>> tiers = std::vector<Tier>();
    if (!status.ok()) {
      tiers = absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                           status.error_message());
    } else {
      bool known = response.tiers_size() == partners;
      for (int i = 0; known && i < partners; ++i) {
        known = TierFromProto(static_cast<v1::Tier>(response.tiers(i)), tiers->emplace_back());
      }
      if (!known) tiers = absl::InternalError("the peer's tiers do not match the member's");
    }
    const bool settled =
        tiers.ok() || tiers.status().code() == absl::StatusCode::kFailedPrecondition;
    if (!Discharge(context)) metrics_.PeerSearchDone(!settled);
    done(std::move(tiers));
  });
}

void PeerOffload::CancelAll() {
  std::lock_guard lock(mu_);
  cancelled_ = true;
  for (grpc::ClientContext* call : calls_) call->TryCancel();
}

}  // namespace attain
