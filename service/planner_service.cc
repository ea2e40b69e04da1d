#include "service/planner_service.h"

#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "service/calibration_convert.h"
#include "service/coaching_convert.h"
#include "service/convert.h"
#include "service/exercise_convert.h"
#include "service/grpc_status.h"
#include "service/log.h"
#include "service/sensitivity_convert.h"
#include "service/team_convert.h"
#include "simulator/calibration.h"
#include "simulator/coaching.h"
#include "simulator/exercise_grading.h"
#include "simulator/recommendation.h"
#include "simulator/block_kernel.h"
#include "simulator/run_cost.h"
#include "simulator/sensitivity.h"
#include "simulator/team.h"

namespace attain {
namespace {

using Clock = std::chrono::steady_clock;

// A request in domain terms.
struct Simulation {
  Portfolio portfolio;
  std::vector<Plan> plans;
  SimulationOptions options;
};

// Bookkeeping of one RPC: its caller authenticated (with tokens) and the started counter
// now; the handled counter, handling time and one log line when it ends. The line names
// the caller's token and has the error message of our own errors, but not of
// INVALID_ARGUMENT, whose violations quote the caller's ids.
class CallLog {
 public:
  // `auth`: null when calls need no token.
  CallLog(Metrics& metrics, std::string method, TokenAuth* auth,
          const grpc::ServerContextBase& context)
      : metrics_(metrics), method_(std::move(method)), start_(Clock::now()) {
    metrics_.RpcStarted(method_);
    if (auth == nullptr) return;
    absl::StatusOr<std::string> client = auth->Authenticate(context);
    if (client.ok()) {
      client_ = *std::move(client);
      metrics_.RpcAuthenticated(method_, client_);
    } else {
      authenticated_ = ToGrpcStatus(client.status());
    }
  }

  // OK, or UNAUTHENTICATED: the call is then refused with it.
  const grpc::Status& authenticated() const { return authenticated_; }

  void Done(const grpc::Status& status, uint64_t paths) const {
    const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    metrics_.RpcHandled(method_, status.error_code(), seconds);
    const LogLevel level = status.ok() ? LogLevel::kInfo : LogLevel::kWarning;
    if (!LogEnabled(level)) return;
    const bool quotes_the_caller = status.error_code() == grpc::StatusCode::INVALID_ARGUMENT;
    Log(level, absl::StrCat("rpc method=", method_, client_.empty() ? "" : " client=", client_,
                            " status=", StatusCodeName(status.error_code()),
                            " duration_ms=", static_cast<int64_t>(seconds * 1e3), " paths=", paths,
                            status.ok() || quotes_the_caller
                                ? ""
                                : absl::StrCat(" error=\"", status.error_message(), "\"")));
  }

 private:
  Metrics& metrics_;
  const std::string method_;
  const Clock::time_point start_;
  std::string client_;  // the token's name
  grpc::Status authenticated_;
};

// Parses `bytes` into `request` once its sizes are within `limits` (wire_limits.h).
template <class Request>
grpc::Status ReadRequest(const grpc::ByteBuffer& bytes, const WireLimits& limits,
                         Request& request) {
  grpc::ByteBuffer shared(bytes);  // shares the slices: a reader needs a mutable buffer
  {
    grpc::ProtoBufferReader reader(&shared);
    const absl::StatusOr<Violations> sizes =
        CheckWireLimits(reader, *Request::descriptor(), limits);
    if (!sizes.ok()) return ToGrpcStatus(sizes.status());
    if (!sizes->empty()) return InvalidArgumentStatus(*sizes);
  }
  grpc::ProtoBufferReader reader(&shared);
  if (!request.ParseFromZeroCopyStream(&reader)) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        absl::StrCat("the request could not be parsed as ",
                                     Request::descriptor()->full_name()));
  }
  return grpc::Status::OK;
}

// Reads `bytes` as a Request (ReadRequest) and converts and validates it with
// `convert(request)`, which returns the violations; the request is freed on return
// (unless `convert` moves it out, as a team's is kept for peers), so only the domain's
// copy outlives it. OK, or the status to refuse the call with.
template <class Request, class Convert>
grpc::Status ReadAndConvert(const grpc::ByteBuffer& bytes, const WireLimits& limits,
                            Convert convert) {
  Request request;
  if (grpc::Status read = ReadRequest(bytes, limits, request); !read.ok()) return read;
  const Violations violations = convert(request);
  return violations.empty() ? grpc::Status::OK : InvalidArgumentStatus(violations);
}

// `message` serialized into `out`.
grpc::Status WriteResponse(const google::protobuf::Message& message, grpc::ByteBuffer& out) {
  bool own_buffer = false;
  return grpc::SerializationTraits<google::protobuf::Message>::Serialize(message, &out,
                                                                         &own_buffer);
}

// Converts and validates a request. Field paths are those of the request message.
grpc::Status Prepare(const Engine& engine, const v1::Portfolio& portfolio,
                     const std::vector<const v1::Plan*>& plans, bool single_plan,
                     const v1::SimulationOptions& options, Simulation& out) {
  auto plan_path = [single_plan](size_t k) {
    return single_plan ? std::string("plan") : absl::StrCat("plans[", k, "]");
  };
  Violations violations;
  Violations conversion;
  out.portfolio = PortfolioFromProto(portfolio, conversion);
  violations.Append("portfolio", conversion);
  for (size_t k = 0; k < plans.size(); ++k) {
    Plan plan;
    if (plans[k] != nullptr) {
      conversion = {};
      plan = PlanFromProto(*plans[k], conversion);
      violations.Append(plan_path(k), conversion);
    }
    if (plan.name.empty()) {
      plan.name = plans[k] == nullptr ? "current tiers" : absl::StrCat("plan ", k + 1);
    }
    out.plans.push_back(std::move(plan));
  }
  out.options = OptionsFromProto(options, violations);
  violations.Append("", engine.Validate(out.portfolio, out.plans, out.options)
                            .Under("portfolio", single_plan ? "plan" : "plans", plan_path,
                                   "options"));
  if (!violations.empty()) return InvalidArgumentStatus(violations);
  return grpc::Status::OK;
}

RunCost CostOf(const Engine& engine, const Simulation& simulation) {
  return engine.CompareCost(simulation.portfolio, simulation.plans.size(), simulation.options);
}

// A prepared run's cost against the service's work limit (INVALID_ARGUMENT naming the
// paths option that sets it) and the engine's memory budget (RESOURCE_EXHAUSTED).
grpc::Status CheckCost(const Engine& engine, const ServiceLimits& limits, Metrics& metrics,
                       const RunCost& cost, const SimulationOptions& options) {
  if (cost.work > limits.max_work) {
    metrics.Rejected("max_work");
    const bool precision = options.target_ci_half_width > 0;
    return InvalidArgumentStatus(
        precision ? "options.max_paths" : "options.paths",
        absl::StrFormat("asks for %.3g partner-period paths (partners x periods x paths, over "
                        "all runs of the request), over the server's limit of %.3g; lower "
                        "it, or the partners or periods",
                        cost.work, limits.max_work));
  }
  if (absl::Status memory = engine.CheckMemory(cost); !memory.ok()) {
    metrics.Rejected("memory_budget");
    return ToGrpcStatus(memory);
  }
  return grpc::Status::OK;
}

// Memory a call's request takes while the call is served: its bytes, which gRPC holds
// until the call ends, and about twice as much again for the parsed message and its
// domain copy (measured on a 60 MiB CalibratePortfolio request: 2.6 times its bytes
// besides the calibration's own estimate).
size_t RequestBytes(const grpc::ByteBuffer& request) { return 3 * request.Length(); }

// Admits a run within its cost limits, with its request's memory (RequestBytes) counted,
// to a scheduler slot.
grpc::Status Admit(Engine& engine, const ServiceLimits& limits, Scheduler& scheduler,
                   Metrics& metrics, RunCost cost, const grpc::ByteBuffer& request,
                   const SimulationOptions& options, std::function<void()> task) {
  cost.memory_bytes += RequestBytes(request);
  if (grpc::Status within = CheckCost(engine, limits, metrics, cost, options); !within.ok()) {
    return within;
  }
  switch (scheduler.TrySubmit(std::move(task), cost.memory_bytes)) {
    case Scheduler::Admission::kAccepted:
      return grpc::Status::OK;
    case Scheduler::Admission::kQueueFull:
      metrics.Rejected("queue_full");
      return grpc::Status(
          grpc::StatusCode::RESOURCE_EXHAUSTED,
          absl::StrCat("server busy: ", scheduler.options().max_in_flight,
                       " simulations running and ", scheduler.options().max_queue,
                       " waiting, the configured limits; retry with backoff"));
    case Scheduler::Admission::kMemoryFull:
      metrics.Rejected("memory_reserved");
      return grpc::Status(
          grpc::StatusCode::RESOURCE_EXHAUSTED,
          absl::StrCat("server busy: the calls it has admitted hold ",
                       scheduler.reserved_bytes() >> 20, " MiB of its ",
                       scheduler.options().memory_bytes >> 20,
                       " MiB (max in-flight x memory budget), and this one needs ",
                       cost.memory_bytes >> 20, " MiB; retry with backoff"));
    case Scheduler::Admission::kShuttingDown:
      metrics.Rejected("shutting_down");
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "server is shutting down");
  }
  return grpc::Status(grpc::StatusCode::INTERNAL, "unknown admission result");
}

// How much later than the caller the server may see the caller's deadline pass
// (network latency and a loaded machine; see Deadlines::StoppedStatus).
constexpr std::chrono::seconds kDeadlineSlack{1};

// When a call must end: the caller's deadline, and the server's maximum run time from
// the call's arrival.
struct Deadlines {
  std::chrono::system_clock::time_point caller;
  std::chrono::system_clock::time_point server;
  std::chrono::seconds max_run_time;

  Deadlines(const grpc::CallbackServerContext& context, const ServiceLimits& limits)
      : caller(context.deadline()),
        server(std::chrono::system_clock::now() + limits.max_run_time),
        max_run_time(limits.max_run_time) {}

  bool Passed() const {
    const auto now = std::chrono::system_clock::now();
    return now >= caller || now >= server;
  }

  // Why a run that stopped early stopped: a deadline (DEADLINE_EXCEEDED, whichever
  // passed) or the caller leaving (CANCELLED). The server learns the caller's deadline as
  // a timeout, so its copy ends a little after the caller's own, and the caller's cancel
  // at its deadline arrives first: a cancel within kDeadlineSlack of it is the deadline.
  absl::Status StoppedStatus(uint64_t paths) const {
    const auto now = std::chrono::system_clock::now();
    if (now + kDeadlineSlack >= caller) {
      return absl::DeadlineExceededError(
          absl::StrCat("deadline exceeded after ", paths, " paths"));
    }
    if (now >= server) {
      return absl::DeadlineExceededError(absl::StrCat(
          "the server's maximum run time of ", max_run_time.count(), " s passed after ", paths,
          " paths; lower options.paths, or set a precision target"));
    }
    return absl::CancelledError(absl::StrCat("the caller cancelled after ", paths, " paths"));
  }
};

// Runs `run` (on the engine) for a caller that may leave or run out of time, counting
// simulated paths as they are merged.
template <class Result, class Run>
absl::StatusOr<Result> ForCaller(Metrics& metrics, grpc::CallbackServerContext* context,
                                 const Deadlines& deadlines,
                                 const std::function<void(const Progress&)>& on_progress,
                                 uint64_t& paths_done, Run run) {
  RunControl control;
  control.cancelled = [context, &deadlines] {
    return context->IsCancelled() || deadlines.Passed();
  };
  control.on_paths = [&](uint64_t paths) {
    metrics.PathsSimulated(paths);
    paths_done += paths;
  };
  control.on_progress = on_progress;
  if (control.cancelled()) return deadlines.StoppedStatus(paths_done);
  absl::StatusOr<Result> result = run(control);
  if (result.status().code() == absl::StatusCode::kCancelled) {
    return deadlines.StoppedStatus(paths_done);
  }
  return result;
}

// A prepared (validated, admitted) simulation's run on the engine.
auto CompareOn(Engine& engine, std::shared_ptr<const Simulation> simulation,
               std::shared_ptr<PeerOffload> offload) {
  return [&engine, simulation, offload](RunControl control) {
    control.offload = offload.get();
    return engine.CompareChecked(simulation->portfolio, simulation->plans, simulation->options,
                                 control);
  };
}

v1::SimulationProgress ProgressToProto(const Progress& progress, const SimulationOptions& options) {
  v1::SimulationProgress proto;
  proto.set_paths_done(progress.paths_done);
  proto.set_paths_planned(progress.paths_planned);
  proto.set_target_ci_half_width(options.target_ci_half_width);
  proto.set_attainment_probability(progress.attainment_probability);
  *proto.mutable_attainment_interval() = IntervalToProto(progress.attainment_interval);
  return proto;
}

// Runs `run` for a unary RPC once admitted and finishes `reactor` with `fill`'s
// response, serialized into `response`.
template <class Result, class Run, class Fill>
grpc::ServerUnaryReactor* RunUnary(Engine& engine, const ServiceLimits& limits,
                                   Scheduler& scheduler, Metrics& metrics,
                                   grpc::CallbackServerContext* context,
                                   std::shared_ptr<const CallLog> log,
                                   const grpc::ByteBuffer& request, const RunCost& cost,
                                   const SimulationOptions& options, Run run, Fill fill,
                                   grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto deadlines = std::make_shared<const Deadlines>(*context, limits);
  const grpc::Status admitted = Admit(
      engine, limits, scheduler, metrics, cost, request, options,
      [&metrics, context, reactor, log, deadlines, run, fill, response] {
        uint64_t paths = 0;
        const absl::StatusOr<Result> result =
            ForCaller<Result>(metrics, context, *deadlines, nullptr, paths, run);
        grpc::Status status = result.ok() ? grpc::Status::OK : ToGrpcStatus(result.status());
        if (result.ok()) status = WriteResponse(fill(*result), *response);
        log->Done(status, paths);
        reactor->Finish(status);
      });
  if (!admitted.ok()) {
    log->Done(admitted, 0);
    reactor->Finish(admitted);
  }
  return reactor;
}

// Finishes a call refused before admission.
grpc::ServerUnaryReactor* Refuse(grpc::CallbackServerContext* context, const CallLog& log,
                                 const grpc::Status& status) {
  log.Done(status, 0);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

// Converts and validates a recommendation request. Field paths are the request's.
grpc::Status PrepareRecommendation(const Engine& engine, const v1::RecommendTiersRequest& request,
                                   Portfolio& portfolio, RecommendOptions& options) {
  Violations violations;
  Violations conversion;
  portfolio = PortfolioFromProto(request.portfolio(), conversion);
  violations.Append("portfolio", conversion);
  options = RecommendOptionsFromProto(request, violations);
  violations.Append("",
                    ValidateRecommendation(engine, portfolio, options).Under("portfolio", "options"));
  if (!violations.empty()) return InvalidArgumentStatus(violations);
  return grpc::Status::OK;
}

v1::RecommendationProgress RecommendProgressToProto(const RecommendProgress& progress) {
  v1::RecommendationProgress proto;
  switch (progress.phase) {
    case RecommendProgress::Phase::kSampling:
      proto.set_phase(v1::RECOMMENDATION_PHASE_SAMPLING);
      break;
    case RecommendProgress::Phase::kSearching:
      proto.set_phase(v1::RECOMMENDATION_PHASE_SEARCHING);
      break;
    case RecommendProgress::Phase::kValidating:
      proto.set_phase(v1::RECOMMENDATION_PHASE_VALIDATING);
      break;
  }
  proto.set_paths_done(progress.paths_done);
  proto.set_paths_planned(progress.paths_planned);
  proto.set_candidate_plans_evaluated(progress.plans_evaluated);
  proto.set_best_objective(progress.best_objective);
  return proto;
}

// The stream's request as the unary one: the same fields, moved.
v1::RecommendTiersRequest AsUnaryRequest(v1::RecommendTiersStreamRequest& stream) {
  v1::RecommendTiersRequest request;
  request.mutable_portfolio()->Swap(stream.mutable_portfolio());
  request.set_objective(stream.objective());
  request.mutable_locked_partner_ids()->Swap(stream.mutable_locked_partner_ids());
  if (stream.has_max_changes()) request.set_max_changes(stream.max_changes());
  request.mutable_options()->Swap(stream.mutable_options());
  return request;
}

// A validated team request, laid out for its run.
struct TeamRun {
  PreparedTeam prepared;
  TeamOptions options;
};

// Reads, converts and validates a team request (unary or streaming) into `run`, and
// moves the request into `kept` (for peers).
template <class Request>
grpc::Status PrepareTeamRun(const Engine& engine, const grpc::ByteBuffer& bytes,
                            const WireLimits& limits, TeamRun& run, Request* kept) {
  TeamInput input;
  const grpc::Status read = ReadAndConvert<Request>(bytes, limits, [&](Request& request) {
    Violations violations = TeamInputFromProto(request, input);
    violations.Append("", ValidateTeam(engine, input.team, input.options));
    *kept = std::move(request);
    return violations;
  });
  if (!read.ok()) return read;
  run.options = std::move(input.options);
  run.prepared = PrepareTeam(std::move(input.team), run.options);
  return grpc::Status::OK;
}

v1::TeamProgress TeamProgressToProto(const TeamProgress& progress,
                                     const SimulationOptions& options) {
  v1::TeamProgress proto;
  proto.set_phase(progress.phase == TeamProgress::Phase::kSearching ? v1::TEAM_PHASE_SEARCHING
                                                                    : v1::TEAM_PHASE_SIMULATING);
  proto.set_members_searched(static_cast<uint32_t>(progress.members_searched));
  proto.set_members(static_cast<uint32_t>(progress.members));
  if (progress.phase == TeamProgress::Phase::kSimulating) {
    *proto.mutable_simulation() = ProgressToProto(progress.run, options);
  }
  return proto;
}

}  // namespace

// The server side of a streaming call: progress events, then one final event with the
// result (or a status). Progress comes from the executor thread; at most one write is in
// flight, and an event that would overlap it, or come within kProgressInterval of the
// last, is dropped (the next one carries newer figures). The final event waits for an
// in-flight write. The reactor deletes itself when gRPC is done with the call.
template <class Response>
class ProgressStream : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  ProgressStream(Metrics& metrics, std::string method, TokenAuth* auth,
                 const grpc::ServerContextBase& context)
      : log_(metrics, std::move(method), auth, context) {}

  void OnWriteDone(bool /*ok*/) override {
    std::unique_lock lock(mu_);
    write_in_flight_ = false;
    if (final_ready_) SendFinal(lock);
  }

  void OnDone() override { delete this; }

 protected:
  // Sends the event `fill` writes, unless throttled.
  template <class Fill>
  void SendProgress(const Fill& fill) {
    std::lock_guard lock(mu_);
    const Clock::time_point now = Clock::now();
    if (write_in_flight_ || now - last_progress_ < kProgressInterval) return;
    last_progress_ = now;
    Response event;
    fill(event);
    progress_.Clear();  // its last write is done
    if (!WriteResponse(event, progress_).ok()) return;
    write_in_flight_ = true;
    StartWrite(&progress_);
  }

  // Records the outcome and ends the call: with final_ (which the caller has filled) when
  // `status` is OK, else with `status`. Nothing may touch `this` after.
  void Complete(grpc::Status status, uint64_t paths) {
    if (status.ok()) status = WriteResponse(final_, final_bytes_);
    log_.Done(status, paths);
    std::unique_lock lock(mu_);
    final_status_ = status;
    final_ready_ = true;
    if (!write_in_flight_) SendFinal(lock);
  }

  // Derived reactors refuse an unauthenticated call before anything else.
  const grpc::Status& authenticated() const { return log_.authenticated(); }

  Response final_;

 private:
  // `this` may be deleted as soon as the lock is released.
  void SendFinal(std::unique_lock<std::mutex>& lock) {
    final_ready_ = false;
    const grpc::Status status = final_status_;
    lock.unlock();
    if (status.ok()) {
      StartWriteAndFinish(&final_bytes_, grpc::WriteOptions(), status);
    } else {
      Finish(status);
    }
  }

  const CallLog log_;
  // Start of the first progress event: a run shorter than the interval sends none.
  Clock::time_point last_progress_ = Clock::now();
  std::mutex mu_;
  bool write_in_flight_ = false;
  bool final_ready_ = false;
  grpc::Status final_status_;
  grpc::ByteBuffer progress_;
  grpc::ByteBuffer final_bytes_;
};

class SimulateStreamReactor final : public ProgressStream<v1::SimulateStreamResponse> {
 public:
  SimulateStreamReactor(PlannerServiceImpl& service, grpc::CallbackServerContext* context,
                        const grpc::ByteBuffer& bytes)
      : ProgressStream(service.metrics_, "SimulateStream", service.auth_, *context),
        deadlines_(*context, service.limits_) {
    if (!authenticated().ok()) {
      Complete(authenticated(), 0);
      return;
    }
    v1::SimulateStreamRequest request;
    grpc::Status prepared = ReadRequest(bytes, service.wire_limits_, request);
    if (prepared.ok()) {
      prepared = Prepare(service.engine_, request.portfolio(),
                         {request.has_plan() ? &request.plan() : nullptr},
                         /*single_plan=*/true, request.options(), *simulation_);
    }
    if (!prepared.ok()) {
      Complete(prepared, 0);
      return;
    }
    RunCost cost = CostOf(service.engine_, *simulation_);
    v1::SimulateBlocksRequest peer_request;
    v1::SimulateRequest* unary = peer_request.mutable_simulate();
    unary->mutable_portfolio()->Swap(request.mutable_portfolio());
    if (request.has_plan()) unary->mutable_plan()->Swap(request.mutable_plan());
    unary->mutable_options()->Swap(request.mutable_options());
    offload_ = service.OffloadFor(
        context, cost,
        ComparisonBlockBytes(simulation_->portfolio, simulation_->plans.size()),
        simulation_->options, std::move(peer_request));
    const grpc::Status admitted =
        Admit(service.engine_, service.limits_, service.scheduler_, service.metrics_, cost,
              bytes, simulation_->options, [this, &service, context] { Run(service, context); });
    if (!admitted.ok()) Complete(admitted, 0);
  }

 private:
  void Run(PlannerServiceImpl& service, grpc::CallbackServerContext* context) {
    uint64_t paths = 0;
    const absl::StatusOr<Comparison> result = ForCaller<Comparison>(
        service.metrics_, context, deadlines_,
        [this](const Progress& progress) {
          SendProgress([&](v1::SimulateStreamResponse& event) {
            *event.mutable_progress() = ProgressToProto(progress, simulation_->options);
          });
        },
        paths, CompareOn(service.engine_, simulation_, offload_));
    if (result.ok()) {
      v1::SimulateResponse* out = final_.mutable_result();
      *out->mutable_outcome() = PlanOutcomeToProto(result->outcomes[0], simulation_->portfolio);
      AddWarnings(simulation_->portfolio, simulation_->plans, *out->mutable_warnings());
    }
    Complete(result.ok() ? grpc::Status::OK : ToGrpcStatus(result.status()), paths);
  }

  const Deadlines deadlines_;
  const std::shared_ptr<Simulation> simulation_ = std::make_shared<Simulation>();
  std::shared_ptr<PeerOffload> offload_;
};

class RecommendStreamReactor final : public ProgressStream<v1::RecommendTiersStreamResponse> {
 public:
  RecommendStreamReactor(PlannerServiceImpl& service, grpc::CallbackServerContext* context,
                         const grpc::ByteBuffer& bytes)
      : ProgressStream(service.metrics_, "RecommendTiersStream", service.auth_, *context),
        deadlines_(*context, service.limits_) {
    if (!authenticated().ok()) {
      Complete(authenticated(), 0);
      return;
    }
    v1::RecommendTiersStreamRequest request;
    grpc::Status prepared = ReadRequest(bytes, service.wire_limits_, request);
    if (prepared.ok()) {
      prepared =
          PrepareRecommendation(service.engine_, AsUnaryRequest(request), portfolio_, options_);
    }
    if (!prepared.ok()) {
      Complete(prepared, 0);
      return;
    }
    const grpc::Status admitted =
        Admit(service.engine_, service.limits_, service.scheduler_, service.metrics_,
              RecommendationCost(service.engine_, portfolio_, options_), bytes,
              options_.simulation, [this, &service, context] { Run(service, context); });
    if (!admitted.ok()) Complete(admitted, 0);
  }

 private:
  void Run(PlannerServiceImpl& service, grpc::CallbackServerContext* context) {
    uint64_t paths = 0;
    const absl::StatusOr<Recommendation> result = ForCaller<Recommendation>(
        service.metrics_, context, deadlines_, nullptr, paths, [&](const RunControl& control) {
          return RecommendTiersChecked(service.engine_, portfolio_, options_, control,
                                [this](const RecommendProgress& progress) {
                                  SendProgress([&](v1::RecommendTiersStreamResponse& event) {
                                    *event.mutable_progress() = RecommendProgressToProto(progress);
                                  });
                                });
        });
    if (result.ok()) *final_.mutable_result() = RecommendationToProto(*result, portfolio_);
    Complete(result.ok() ? grpc::Status::OK : ToGrpcStatus(result.status()), paths);
  }

  const Deadlines deadlines_;
  Portfolio portfolio_;
  RecommendOptions options_;
};

class TeamStreamReactor final : public ProgressStream<v1::SimulateTeamStreamResponse> {
 public:
  TeamStreamReactor(PlannerServiceImpl& service, grpc::CallbackServerContext* context,
                    const grpc::ByteBuffer& bytes)
      : ProgressStream(service.metrics_, "SimulateTeamStream", service.auth_, *context),
        deadlines_(*context, service.limits_) {
    if (!authenticated().ok()) {
      Complete(authenticated(), 0);
      return;
    }
    v1::SimulateTeamStreamRequest request;
    const grpc::Status prepared = PrepareTeamRun<v1::SimulateTeamStreamRequest>(
        service.engine_, bytes, service.team_wire_limits_, run_, &request);
    if (!prepared.ok()) {
      Complete(prepared, 0);
      return;
    }
    RunCost cost = TeamCost(service.engine_, run_.prepared, run_.options);
    v1::SimulateBlocksRequest peer_request;
    v1::SimulateTeamRequest* unary = peer_request.mutable_team();
    unary->mutable_team()->Swap(request.mutable_team());
    unary->mutable_options()->Swap(request.mutable_options());
    unary->set_skip_coaching_gains(request.skip_coaching_gains());
    if (request.has_coaching_paths()) unary->set_coaching_paths(request.coaching_paths());
    offload_ = service.OffloadFor(
        context, cost,
        ComparisonBlockBytes(run_.prepared.combined, run_.options.coaching_gains ? 2 : 1),
        run_.options.simulation, std::move(peer_request));
    const grpc::Status admitted =
        Admit(service.engine_, service.limits_, service.scheduler_, service.metrics_, cost,
              bytes, run_.options.simulation, [this, &service, context] { Run(service, context); });
    if (!admitted.ok()) Complete(admitted, 0);
  }

 private:
  void Run(PlannerServiceImpl& service, grpc::CallbackServerContext* context) {
    uint64_t paths = 0;
    const absl::StatusOr<TeamOutcome> result = ForCaller<TeamOutcome>(
        service.metrics_, context, deadlines_, nullptr, paths, [&](RunControl control) {
          control.offload = offload_.get();
          return SimulateTeamChecked(
              service.engine_, run_.prepared, run_.options, control,
              [this](const TeamProgress& progress) {
                if (offload_ != nullptr && progress.recommended_plans != nullptr) {
                  offload_->SetRecommendedPlans(*progress.recommended_plans);
                }
                SendProgress([&](v1::SimulateTeamStreamResponse& event) {
                  *event.mutable_progress() =
                      TeamProgressToProto(progress, run_.options.simulation);
                });
              },
              offload_.get());
        });
    if (result.ok()) *final_.mutable_result() = TeamOutcomeToProto(*result, run_.prepared);
    Complete(result.ok() ? grpc::Status::OK : ToGrpcStatus(result.status()), paths);
  }

  const Deadlines deadlines_;
  TeamRun run_;
  std::shared_ptr<PeerOffload> offload_;
};

PlannerServiceImpl::PlannerServiceImpl(Engine& engine, Scheduler& scheduler, Metrics& metrics,
                                       ServiceLimits limits, ScaleOut scale_out, TokenAuth* auth)
    : engine_(engine),
      scheduler_(scheduler),
      metrics_(metrics),
      limits_(limits),
      wire_limits_(ServiceWireLimits(engine.options().limits)),
      team_wire_limits_(TeamWireLimits(engine.options().limits)),
      scale_out_(scale_out),
      auth_(auth) {}

std::shared_ptr<PeerOffload> PlannerServiceImpl::OffloadFor(grpc::CallbackServerContext* context,
                                                            RunCost& cost, size_t block_bytes,
                                                            SimulationOptions& options,
                                                            v1::SimulateBlocksRequest request) {
  if (scale_out_.peers == nullptr || cost.work < scale_out_.min_work) return nullptr;
  // The window the ranges add (block_runner.h), each block also as bytes while decoded.
  cost.memory_bytes += 2 * 2 * kBlocksPerOffloadedRange *
                       static_cast<size_t>(scale_out_.peers->ranges_per_run()) * block_bytes;
  if (!options.seed) options.seed = DrawSeed();
  request.set_seed(*options.seed);
  // Peers stop with the caller, or at the server's maximum run time if that is sooner.
  const auto deadline =
      std::min(context->deadline(), std::chrono::system_clock::now() + limits_.max_run_time);
  return std::make_shared<PeerOffload>(*scale_out_.peers, metrics_, std::move(request), deadline);
}

grpc::ServerUnaryReactor* PlannerServiceImpl::Simulate(grpc::CallbackServerContext* context,
                                                       const grpc::ByteBuffer* bytes,
                                                       grpc::ByteBuffer* response) {
  auto log = std::make_shared<const CallLog>(metrics_, "Simulate", auth_, *context);
  if (!log->authenticated().ok()) return Refuse(context, *log, log->authenticated());
  v1::SimulateRequest request;
  auto simulation = std::make_shared<Simulation>();
  grpc::Status prepared = ReadRequest(*bytes, wire_limits_, request);
  if (prepared.ok()) {
    prepared = Prepare(engine_, request.portfolio(),
                       {request.has_plan() ? &request.plan() : nullptr}, /*single_plan=*/true,
                       request.options(), *simulation);
  }
  if (!prepared.ok()) return Refuse(context, *log, prepared);
  RunCost cost = CostOf(engine_, *simulation);
  v1::SimulateBlocksRequest peer_request;
  peer_request.mutable_simulate()->Swap(&request);
  std::shared_ptr<PeerOffload> offload = OffloadFor(
      context, cost, ComparisonBlockBytes(simulation->portfolio, simulation->plans.size()),
      simulation->options, std::move(peer_request));
  return RunUnary<Comparison>(
      engine_, limits_, scheduler_, metrics_, context, log, *bytes, cost, simulation->options,
      CompareOn(engine_, simulation, offload),
      [simulation](const Comparison& comparison) {
        v1::SimulateResponse out;
        *out.mutable_outcome() = PlanOutcomeToProto(comparison.outcomes[0], simulation->portfolio);
        AddWarnings(simulation->portfolio, simulation->plans, *out.mutable_warnings());
        return out;
      },
      response);
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* PlannerServiceImpl::SimulateStream(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* bytes) {
  return new SimulateStreamReactor(*this, context, *bytes);
}

grpc::ServerUnaryReactor* PlannerServiceImpl::ComparePlans(grpc::CallbackServerContext* context,
                                                           const grpc::ByteBuffer* bytes,
                                                           grpc::ByteBuffer* response) {
  auto log = std::make_shared<const CallLog>(metrics_, "ComparePlans", auth_, *context);
  if (!log->authenticated().ok()) return Refuse(context, *log, log->authenticated());
  v1::ComparePlansRequest request;
  auto simulation = std::make_shared<Simulation>();
  grpc::Status prepared = ReadRequest(*bytes, wire_limits_, request);
  if (prepared.ok() && request.plans_size() < 2) {
    prepared = InvalidArgumentStatus(
        "plans", absl::StrCat("must list 2 to ", engine_.options().limits.max_plans,
                              " plans to compare, got ", request.plans_size()));
  }
  if (prepared.ok()) {
    std::vector<const v1::Plan*> plans;
    for (const v1::Plan& plan : request.plans()) plans.push_back(&plan);
    prepared = Prepare(engine_, request.portfolio(), plans, /*single_plan=*/false,
                       request.options(), *simulation);
  }
  if (!prepared.ok()) return Refuse(context, *log, prepared);
  RunCost cost = CostOf(engine_, *simulation);
  v1::SimulateBlocksRequest peer_request;
  peer_request.mutable_compare()->Swap(&request);
  std::shared_ptr<PeerOffload> offload = OffloadFor(
      context, cost, ComparisonBlockBytes(simulation->portfolio, simulation->plans.size()),
      simulation->options, std::move(peer_request));
  return RunUnary<Comparison>(
      engine_, limits_, scheduler_, metrics_, context, log, *bytes, cost, simulation->options,
      CompareOn(engine_, simulation, offload),
      [simulation](const Comparison& comparison) {
        v1::ComparePlansResponse out = ComparisonToProto(comparison, simulation->portfolio);
        AddWarnings(simulation->portfolio, simulation->plans, *out.mutable_warnings());
        return out;
      },
      response);
}

grpc::ServerUnaryReactor* PlannerServiceImpl::RecommendTiers(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* bytes,
    grpc::ByteBuffer* response) {
  auto log = std::make_shared<const CallLog>(metrics_, "RecommendTiers", auth_, *context);
  if (!log->authenticated().ok()) return Refuse(context, *log, log->authenticated());
  v1::RecommendTiersRequest request;
  auto portfolio = std::make_shared<Portfolio>();
  auto options = std::make_shared<RecommendOptions>();
  grpc::Status prepared = ReadRequest(*bytes, wire_limits_, request);
  if (prepared.ok()) prepared = PrepareRecommendation(engine_, request, *portfolio, *options);
  if (!prepared.ok()) return Refuse(context, *log, prepared);
  return RunUnary<Recommendation>(
      engine_, limits_, scheduler_, metrics_, context, log, *bytes,
      RecommendationCost(engine_, *portfolio, *options), options->simulation,
      [this, portfolio, options](const RunControl& control) {
        return RecommendTiersChecked(engine_, *portfolio, *options, control);
      },
      [portfolio](const Recommendation& recommendation) {
        return RecommendationToProto(recommendation, *portfolio);
      },
      response);
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* PlannerServiceImpl::RecommendTiersStream(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* bytes) {
  return new RecommendStreamReactor(*this, context, *bytes);
}

namespace {

// Memory Calibrate holds per partner-period (the history, each partner's series and its
// fit's working copies, about 60 bytes) and per partner (its estimates and model partner
// with their strings), with room: the memory budget then sees the largest histories.
constexpr size_t kCalibrationBytesPerPartnerPeriod = 128;
constexpr size_t kCalibrationBytesPerPartner = 2048;

RunCost CalibrationCost(const History& history) {
  const size_t partners = history.partners.size();
  RunCost cost;
  cost.memory_bytes = partners * kCalibrationBytesPerPartner +
                      partners * static_cast<size_t>(history.periods) *
                          kCalibrationBytesPerPartnerPeriod;
  return cost;  // no paths: no work against max_work
}

}  // namespace

grpc::ServerUnaryReactor* PlannerServiceImpl::CalibratePortfolio(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* bytes,
    grpc::ByteBuffer* response) {
  auto log = std::make_shared<const CallLog>(metrics_, "CalibratePortfolio", auth_, *context);
  if (!log->authenticated().ok()) return Refuse(context, *log, log->authenticated());
  auto input = std::make_shared<CalibrationInput>();
  // The request (and its rows) is freed once the history is built.
  const grpc::Status prepared = ReadAndConvert<v1::CalibratePortfolioRequest>(
      *bytes, wire_limits_, [&](v1::CalibratePortfolioRequest& request) {
        return CalibrationInputFromProto(request, engine_.options().limits, *input);
      });
  if (!prepared.ok()) return Refuse(context, *log, prepared);
  return RunUnary<Calibration>(
      engine_, limits_, scheduler_, metrics_, context, log, *bytes, CalibrationCost(input->history),
      SimulationOptions(),
      [input](const RunControl&) -> absl::StatusOr<Calibration> {
        return Calibrate(input->history, input->base_or_null());
      },
      [input](const Calibration& calibration) { return CalibrationToProto(calibration, *input); },
      response);
}

grpc::ServerUnaryReactor* PlannerServiceImpl::AnalyzeSensitivity(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* bytes,
    grpc::ByteBuffer* response) {
  auto log = std::make_shared<const CallLog>(metrics_, "AnalyzeSensitivity", auth_, *context);
  if (!log->authenticated().ok()) return Refuse(context, *log, log->authenticated());
  auto input = std::make_shared<SensitivityInput>();
  const grpc::Status prepared = ReadAndConvert<v1::AnalyzeSensitivityRequest>(
      *bytes, wire_limits_, [&](const v1::AnalyzeSensitivityRequest& request) {
        Violations violations = SensitivityInputFromProto(request, *input);
        violations.Append("", ValidateSensitivity(engine_, input->portfolio, input->plan,
                                                  input->options, input->sensitivity)
                                  .Under("portfolio", "plan", "options", "sensitivity"));
        return violations;
      });
  if (!prepared.ok()) return Refuse(context, *log, prepared);
  return RunUnary<Sensitivity>(
      engine_, limits_, scheduler_, metrics_, context, log, *bytes,
      SensitivityCost(engine_, input->portfolio, input->options, input->sensitivity),
      input->options,
      [this, input](const RunControl& control) {
        return AnalyzeSensitivityChecked(engine_, input->portfolio, input->plan, input->options,
                                         input->sensitivity, control);
      },
      [input](const Sensitivity& sensitivity) {
        return SensitivityToProto(sensitivity, input->portfolio);
      },
      response);
}

grpc::ServerUnaryReactor* PlannerServiceImpl::CoachPlan(grpc::CallbackServerContext* context,
                                                        const grpc::ByteBuffer* bytes,
                                                        grpc::ByteBuffer* response) {
  auto log = std::make_shared<const CallLog>(metrics_, "CoachPlan", auth_, *context);
  if (!log->authenticated().ok()) return Refuse(context, *log, log->authenticated());
  auto input = std::make_shared<CoachingInput>();
  const grpc::Status prepared = ReadAndConvert<v1::CoachPlanRequest>(
      *bytes, wire_limits_, [&](const v1::CoachPlanRequest& request) {
        Violations violations = CoachingInputFromProto(request, *input);
        violations.Append(
            "", ValidateCoaching(engine_, input->portfolio, input->plan, input->options)
                    .Under("portfolio", "plan", "options"));
        return violations;
      });
  if (!prepared.ok()) return Refuse(context, *log, prepared);
  return RunUnary<Coaching>(
      engine_, limits_, scheduler_, metrics_, context, log, *bytes,
      CoachingCost(engine_, input->portfolio, input->options), input->options.simulation,
      [this, input](const RunControl& control) {
        return CoachPlanChecked(engine_, input->portfolio, input->plan, input->options, control);
      },
      [input](const Coaching& coaching) {
        v1::CoachPlanResponse out = CoachingToProto(coaching, input->portfolio);
        AddWarnings(input->portfolio, {&input->plan, 1}, *out.mutable_warnings());
        return out;
      },
      response);
}

namespace {

// What an exercise holds: its partners and their history rows, with their strings. The
// largest (difficulty 5) is 32 partners over 9 months.
constexpr size_t kExerciseBytes = size_t{1} << 20;

}  // namespace

grpc::ServerUnaryReactor* PlannerServiceImpl::CreateExercise(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* bytes,
    grpc::ByteBuffer* response) {
  auto log = std::make_shared<const CallLog>(metrics_, "CreateExercise", auth_, *context);
  if (!log->authenticated().ok()) return Refuse(context, *log, log->authenticated());
  ExerciseKey key;
  const grpc::Status prepared = ReadAndConvert<v1::CreateExerciseRequest>(
      *bytes, wire_limits_,
      [&](const v1::CreateExerciseRequest& request) { return ExerciseKeyFromProto(request, key); });
  if (!prepared.ok()) return Refuse(context, *log, prepared);
  return RunUnary<Exercise>(
      engine_, limits_, scheduler_, metrics_, context, log, *bytes, RunCost{kExerciseBytes, 0},
      SimulationOptions(),
      [key](const RunControl&) -> absl::StatusOr<Exercise> { return GenerateExercise(key); },
      [](const Exercise& exercise) { return ExerciseToProto(exercise); }, response);
}

grpc::ServerUnaryReactor* PlannerServiceImpl::SubmitExercise(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* bytes,
    grpc::ByteBuffer* response) {
  auto log = std::make_shared<const CallLog>(metrics_, "SubmitExercise", auth_, *context);
  if (!log->authenticated().ok()) return Refuse(context, *log, log->authenticated());
  auto input = std::make_shared<SubmissionInput>();
  const grpc::Status prepared = ReadAndConvert<v1::SubmitExerciseRequest>(
      *bytes, wire_limits_, [&](const v1::SubmitExerciseRequest& request) {
        return SubmissionInputFromProto(request, engine_, *input);
      });
  if (!prepared.ok()) return Refuse(context, *log, prepared);
  return RunUnary<ExerciseGrade>(
      engine_, limits_, scheduler_, metrics_, context, log, *bytes,
      ExerciseGradingCost(engine_, input->exercise),
      ExerciseGradingOptions(input->exercise.key).simulation,
      [this, input](const RunControl& control) {
        return GradeExercise(engine_, input->exercise, input->plan, control);
      },
      [input](const ExerciseGrade& grade) { return GradeToProto(grade, input->exercise); },
      response);
}

grpc::ServerUnaryReactor* PlannerServiceImpl::SimulateTeam(grpc::CallbackServerContext* context,
                                                           const grpc::ByteBuffer* bytes,
                                                           grpc::ByteBuffer* response) {
  auto log = std::make_shared<const CallLog>(metrics_, "SimulateTeam", auth_, *context);
  if (!log->authenticated().ok()) return Refuse(context, *log, log->authenticated());
  auto run = std::make_shared<TeamRun>();
  v1::SimulateBlocksRequest peer_request;
  const grpc::Status prepared = PrepareTeamRun<v1::SimulateTeamRequest>(
      engine_, *bytes, team_wire_limits_, *run, peer_request.mutable_team());
  if (!prepared.ok()) return Refuse(context, *log, prepared);
  RunCost cost = TeamCost(engine_, run->prepared, run->options);
  std::shared_ptr<PeerOffload> offload = OffloadFor(
      context, cost,
      ComparisonBlockBytes(run->prepared.combined, run->options.coaching_gains ? 2 : 1),
      run->options.simulation, std::move(peer_request));
  return RunUnary<TeamOutcome>(
      engine_, limits_, scheduler_, metrics_, context, log, *bytes, cost, run->options.simulation,
      [this, run, offload](RunControl control) {
        control.offload = offload.get();
        return SimulateTeamChecked(
            engine_, run->prepared, run->options, control,
            [&offload](const TeamProgress& progress) {
              if (offload != nullptr && progress.recommended_plans != nullptr) {
                offload->SetRecommendedPlans(*progress.recommended_plans);
              }
            },
            offload.get());
      },
      [run](const TeamOutcome& outcome) { return TeamOutcomeToProto(outcome, run->prepared); },
      response);
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* PlannerServiceImpl::SimulateTeamStream(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* bytes) {
  return new TeamStreamReactor(*this, context, *bytes);
}

namespace {

// Blocks a peer simulates in one call at most: a range is kBlocksPerOffloadedRange.
constexpr uint64_t kMaxBlocksPerPeerCall = 64;

// A range of another replica's run, in domain terms.
struct BlockRange {
  Simulation simulation;             // Simulate and ComparePlans
  std::optional<PreparedTeam> team;  // SimulateTeam
  std::vector<ResolvedPlan> plans;
  SimulationOptions options;
  uint64_t seed = 0;
  uint64_t first = 0;
  uint64_t end = 0;

  const Portfolio& portfolio() const { return team ? team->combined : simulation.portfolio; }
};

// Converts and checks a peer's request as the run's own RPC would.
grpc::Status PrepareBlockRange(const Engine& engine, const v1::SimulateBlocksRequest& request,
                               BlockRange& out) {
  if (request.has_simulate() || request.has_compare()) {
    const bool single = request.has_simulate();
    const v1::Portfolio& portfolio =
        single ? request.simulate().portfolio() : request.compare().portfolio();
    std::vector<const v1::Plan*> plans;
    if (single) {
      plans.push_back(request.simulate().has_plan() ? &request.simulate().plan() : nullptr);
    } else {
      for (const v1::Plan& plan : request.compare().plans()) plans.push_back(&plan);
    }
    const v1::SimulationOptions& options =
        single ? request.simulate().options() : request.compare().options();
    if (grpc::Status prepared = Prepare(engine, portfolio, plans, single, options, out.simulation);
        !prepared.ok()) {
      return prepared;
    }
    for (const Plan& plan : out.simulation.plans) {
      out.plans.push_back(ResolvePlan(out.simulation.portfolio, plan));
    }
    out.options = out.simulation.options;
  } else if (request.has_team()) {
    TeamInput input;
    Violations violations = TeamInputFromProto(request.team(), input);
    violations.Append("", ValidateTeam(engine, input.team, input.options));
    std::vector<Plan> recommended;
    if (violations.empty() && input.options.coaching_gains) {
      if (static_cast<size_t>(request.recommended_plans_size()) != input.team.members.size()) {
        violations.Add("recommended_plans", "must have one plan per member");
      }
      for (int j = 0; j < request.recommended_plans_size() && violations.empty(); ++j) {
        Violations plan;
        recommended.push_back(PlanFromProto(request.recommended_plans(j), plan));
        plan.Append("", ValidatePlan(input.team.members[static_cast<size_t>(j)],
                                     recommended.back()));
        violations.Append(absl::StrCat("recommended_plans[", j, "]"), plan);
      }
    }
    if (!violations.empty()) return InvalidArgumentStatus(violations);
    out.team = PrepareTeam(std::move(input.team), input.options);
    out.plans = TeamRunPlans(*out.team, recommended);
    out.options = input.options.simulation;
  } else {
    return InvalidArgumentStatus("run", "must be a simulate, compare or team request");
  }
  out.seed = request.seed();
  out.options.seed = out.seed;
  out.first = request.first_block();
  out.end = request.end_block();
  const uint64_t blocks = BlockCount(PathCap(out.options));
  if (out.first >= out.end || out.end > blocks || out.end - out.first > kMaxBlocksPerPeerCall) {
    return InvalidArgumentStatus(
        "end_block", absl::StrCat("blocks [", out.first, ", ", out.end,
                                  ") must be a range of 1 to ", kMaxBlocksPerPeerCall,
                                  " of the run's ", blocks, " blocks"));
  }
  return grpc::Status::OK;
}

// One member's tier search of another replica's team run, in domain terms.
struct MemberSearch {
  Portfolio member;
  RecommendOptions options;
};

// Converts and checks a peer's search as SimulateTeam would check the member.
grpc::Status PrepareMemberSearch(const Engine& engine, const v1::SearchTiersRequest& request,
                                 MemberSearch& out) {
  if (request.team().team().members_size() != 1) {
    return InvalidArgumentStatus("team.team.members", "must hold the one member searched");
  }
  TeamInput input;
  Violations violations;
  violations.Append("team", TeamInputFromProto(request.team(), input));
  violations.Append("team", ValidateTeam(engine, input.team, input.options));
  if (!input.options.coaching_gains) {
    violations.Add("team.skip_coaching_gains", "must be false: a search is for coaching gains");
  }
  if (!violations.empty()) return InvalidArgumentStatus(violations);
  out.member = std::move(input.team.members[0]);
  out.options = MemberSearchOptions(input.options, request.seed(), request.member());
  return grpc::Status::OK;
}

}  // namespace

// A peer's call: the range's blocks streamed back as they merge, each written once the
// last is done (at most a range of them wait), then the status.
class BlocksStreamReactor final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  BlocksStreamReactor(PeerServiceImpl& service, grpc::CallbackServerContext* context,
                      const grpc::ByteBuffer& bytes)
      : log_(service.metrics_, "SimulateBlocks", service.auth_, *context),
        deadlines_(*context, service.limits_) {
    grpc::Status prepared = log_.authenticated();
    if (prepared.ok()) {
      v1::SimulateBlocksRequest request;
      prepared = ReadRequest(bytes, service.wire_limits_, request);
      if (prepared.ok()) prepared = PrepareBlockRange(service.engine_, request, range_);
    }
    if (!prepared.ok()) {
      Complete(prepared, 0);
      return;
    }
    const Portfolio& portfolio = range_.portfolio();
    RunCost cost = service.engine_.CompareCost(portfolio, range_.plans.size(), range_.options);
    cost.work = static_cast<double>(portfolio.partners.size()) *
                static_cast<double>(portfolio.periods) *
                static_cast<double>((range_.end - range_.first) * kPathsPerBlock);
    const grpc::Status admitted =
        Admit(service.engine_, service.limits_, service.scheduler_, service.metrics_, cost,
              bytes, range_.options, [this, &service, context] { Run(service, context); });
    if (!admitted.ok()) Complete(admitted, 0);
  }

  void OnWriteDone(bool /*ok*/) override {
    std::unique_lock lock(mu_);
    pending_.pop_front();
    if (!pending_.empty()) {
      StartWrite(&pending_.front());
    } else if (final_ready_) {
      FinishLocked(lock);
    }
  }

  void OnDone() override { delete this; }

 private:
  void Run(PeerServiceImpl& service, grpc::CallbackServerContext* context) {
    uint64_t paths = 0;
    const absl::StatusOr<bool> result = ForCaller<bool>(
        service.metrics_, context, deadlines_, nullptr, paths,
        [&](const RunControl& control) -> absl::StatusOr<bool> {
          const absl::Status status = service.engine_.SimulateBlocks(
              range_.portfolio(), range_.plans, range_.options, range_.seed,
              range_.team ? &range_.team->split : nullptr, range_.first, range_.end, control,
              [this](uint64_t block, std::string output) { Send(block, std::move(output)); });
          if (!status.ok()) return status;
          return true;
        });
    Complete(result.ok() ? grpc::Status::OK : ToGrpcStatus(result.status()), paths);
  }

  void Send(uint64_t block, std::string output) {
    v1::SimulateBlocksResponse response;
    response.set_block(block);
    response.set_output(std::move(output));
    std::lock_guard lock(mu_);
    pending_.emplace_back();
    if (!WriteResponse(response, pending_.back()).ok()) {
      pending_.pop_back();
      return;  // the asking replica simulates the block itself
    }
    if (pending_.size() == 1) StartWrite(&pending_.front());
  }

  // Ends the call once every block is written. Nothing may touch `this` after.
  void Complete(const grpc::Status& status, uint64_t paths) {
    log_.Done(status, paths);
    std::unique_lock lock(mu_);
    final_status_ = status;
    final_ready_ = true;
    if (pending_.empty()) FinishLocked(lock);
  }

  // `this` may be deleted as soon as the lock is released.
  void FinishLocked(std::unique_lock<std::mutex>& lock) {
    const grpc::Status status = final_status_;
    lock.unlock();
    Finish(status);
  }

  const CallLog log_;
  const Deadlines deadlines_;
  BlockRange range_;
  std::mutex mu_;
  std::deque<grpc::ByteBuffer> pending_;  // the front is being written
  bool final_ready_ = false;
  grpc::Status final_status_;
};

PeerServiceImpl::PeerServiceImpl(Engine& engine, Scheduler& scheduler, Metrics& metrics,
                                 ServiceLimits limits, TokenAuth* auth)
    : engine_(engine),
      scheduler_(scheduler),
      metrics_(metrics),
      limits_(limits),
      wire_limits_(ServiceWireLimits(engine.options().limits)),
      auth_(auth) {}

grpc::ServerWriteReactor<grpc::ByteBuffer>* PeerServiceImpl::SimulateBlocks(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* bytes) {
  return new BlocksStreamReactor(*this, context, *bytes);
}

grpc::ServerUnaryReactor* PeerServiceImpl::SearchTiers(grpc::CallbackServerContext* context,
                                                       const grpc::ByteBuffer* bytes,
                                                       grpc::ByteBuffer* response) {
  auto log = std::make_shared<const CallLog>(metrics_, "SearchTiers", auth_, *context);
  if (!log->authenticated().ok()) return Refuse(context, *log, log->authenticated());
  auto search = std::make_shared<MemberSearch>();
  grpc::Status prepared;
  {
    v1::SearchTiersRequest request;
    prepared = ReadRequest(*bytes, wire_limits_, request);
    if (prepared.ok()) prepared = PrepareMemberSearch(engine_, request, *search);
  }
  if (!prepared.ok()) return Refuse(context, *log, prepared);
  return RunUnary<std::vector<Tier>>(
      engine_, limits_, scheduler_, metrics_, context, log, *bytes,
      TierSearchCost(engine_, search->member, search->options), search->options.simulation,
      [this, search](const RunControl& control) {
        return SearchTiersChecked(engine_, search->member, search->options, control);
      },
      [](const std::vector<Tier>& tiers) {
        v1::SearchTiersResponse out;
        for (const Tier tier : tiers) out.add_tiers(TierToProto(tier));
        return out;
      },
      response);
}

}  // namespace attain
