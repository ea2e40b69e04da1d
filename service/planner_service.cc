#include "service/planner_service.h"

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "service/convert.h"
#include "service/grpc_status.h"
#include "service/log.h"

namespace attain {
namespace {

using Clock = std::chrono::steady_clock;

// A request in domain terms.
struct Simulation {
  Portfolio portfolio;
  std::vector<Plan> plans;
  SimulationOptions options;
};

// Bookkeeping of one RPC: the started counter now; the handled counter, handling time and
// one log line when it ends.
class CallLog {
 public:
  CallLog(Metrics& metrics, std::string method)
      : metrics_(metrics), method_(std::move(method)), start_(Clock::now()) {
    metrics_.RpcStarted(method_);
  }

  void Done(const grpc::Status& status, uint64_t paths) const {
    const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    metrics_.RpcHandled(method_, status.error_code(), seconds);
    const LogLevel level = status.ok() ? LogLevel::kInfo : LogLevel::kWarning;
    if (!LogEnabled(level)) return;
    Log(level, absl::StrCat("rpc method=", method_, " status=", StatusCodeName(status.error_code()),
                            " duration_ms=", static_cast<int64_t>(seconds * 1e3),
                            " paths=", paths,
                            status.ok() ? "" : absl::StrCat(" error=\"", status.error_message(), "\"")));
  }

 private:
  Metrics& metrics_;
  const std::string method_;
  const Clock::time_point start_;
};

// Converts and validates a request. Field paths are those of the request message.
grpc::Status Prepare(const Engine& engine, const v1::Portfolio& portfolio,
                     const std::vector<const v1::Plan*>& plans, bool single_plan,
                     const v1::SimulationOptions& options, Simulation& out) {
  std::vector<FieldViolation> violations;
  std::vector<FieldViolation> conversion;
  out.portfolio = PortfolioFromProto(portfolio, conversion);
  AppendViolations("portfolio.", std::move(conversion), violations);
  for (size_t k = 0; k < plans.size(); ++k) {
    Plan plan;
    if (plans[k] != nullptr) {
      conversion.clear();
      plan = PlanFromProto(*plans[k], conversion);
      AppendViolations(single_plan ? "plan." : absl::StrCat("plans[", k, "]."),
                       std::move(conversion), violations);
    }
    if (plan.name.empty()) {
      plan.name = plans[k] == nullptr ? "current tiers" : absl::StrCat("plan ", k + 1);
    }
    out.plans.push_back(std::move(plan));
  }
  out.options = OptionsFromProto(options);
  AppendViolations("", engine.Validate(out.portfolio, out.plans, out.options, single_plan),
                   violations);
  if (!violations.empty()) return InvalidArgumentStatus(violations);
  return grpc::Status::OK;
}

size_t EstimateBytes(const Engine& engine, const Simulation& simulation) {
  return engine.EstimateMemoryBytes(simulation.portfolio, simulation.plans.size(),
                                    simulation.options);
}

// Admits a prepared run: within the memory budget and a scheduler slot.
grpc::Status Admit(Engine& engine, Scheduler& scheduler, Metrics& metrics, size_t estimate,
                   std::function<void()> task) {
  if (estimate > engine.options().memory_budget_bytes) {
    metrics.Rejected("memory_budget");
    return grpc::Status(
        grpc::StatusCode::RESOURCE_EXHAUSTED,
        absl::StrCat("the run needs an estimated ", estimate >> 20,
                     " MiB, over the per-run memory budget of ",
                     engine.options().memory_budget_bytes >> 20,
                     " MiB; lower options.paths (or options.max_paths), plans or partners"));
  }
  switch (scheduler.TrySubmit(std::move(task))) {
    case Scheduler::Admission::kAccepted:
      return grpc::Status::OK;
    case Scheduler::Admission::kQueueFull:
      metrics.Rejected("queue_full");
      return grpc::Status(
          grpc::StatusCode::RESOURCE_EXHAUSTED,
          absl::StrCat("server busy: ", scheduler.options().max_in_flight,
                       " simulations running and ", scheduler.options().max_queue,
                       " waiting, the configured limits; retry with backoff"));
    case Scheduler::Admission::kShuttingDown:
      metrics.Rejected("shutting_down");
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "server is shutting down");
  }
  return grpc::Status(grpc::StatusCode::INTERNAL, "unknown admission result");
}

// Runs `run` (on the engine) for a caller that may leave or run out of time, counting
// simulated paths as they are merged.
template <class Result, class Run>
absl::StatusOr<Result> ForCaller(Metrics& metrics, grpc::CallbackServerContext* context,
                                 const std::function<void(const Progress&)>& on_progress,
                                 uint64_t& paths_done, Run run) {
  const auto deadline = context->deadline();
  RunControl control;
  control.cancelled = [context, deadline] {
    return context->IsCancelled() || std::chrono::system_clock::now() >= deadline;
  };
  control.on_progress = [&](const Progress& progress) {
    metrics.PathsSimulated(progress.paths_done - paths_done);
    paths_done = progress.paths_done;
    if (on_progress) on_progress(progress);
  };
  if (control.cancelled()) return absl::CancelledError("the caller left before the run started");
  absl::StatusOr<Result> result = run(control);
  if (result.status().code() == absl::StatusCode::kCancelled &&
      std::chrono::system_clock::now() >= deadline) {
    return absl::DeadlineExceededError(
        absl::StrCat("deadline exceeded after ", paths_done, " paths"));
  }
  return result;
}

// A prepared simulation's run on the engine.
auto CompareOn(Engine& engine, std::shared_ptr<const Simulation> simulation) {
  return [&engine, simulation](const RunControl& control) {
    return engine.Compare(simulation->portfolio, simulation->plans, simulation->options, control);
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
// response.
template <class Result, class Run, class Fill>
grpc::ServerUnaryReactor* RunUnary(Engine& engine, Scheduler& scheduler, Metrics& metrics,
                                   grpc::CallbackServerContext* context,
                                   std::shared_ptr<const CallLog> log, size_t estimate, Run run,
                                   Fill fill) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const grpc::Status admitted =
      Admit(engine, scheduler, metrics, estimate, [&metrics, context, reactor, log, run, fill] {
        uint64_t paths = 0;
        const absl::StatusOr<Result> result =
            ForCaller<Result>(metrics, context, nullptr, paths, run);
        const grpc::Status status = result.ok() ? grpc::Status::OK : ToGrpcStatus(result.status());
        if (result.ok()) fill(*result);
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
  std::vector<FieldViolation> violations;
  std::vector<FieldViolation> conversion;
  portfolio = PortfolioFromProto(request.portfolio(), conversion);
  AppendViolations("portfolio.", std::move(conversion), violations);
  options = RecommendOptionsFromProto(request, violations);
  AppendViolations("", ValidateRecommendation(engine, portfolio, options), violations);
  if (!violations.empty()) return InvalidArgumentStatus(violations);
  return grpc::Status::OK;
}

// The larger of the tier sample (3 tiers x partners x paths) and the validation run.
size_t EstimateRecommendationBytes(const Engine& engine, const Portfolio& portfolio,
                                   const RecommendOptions& options) {
  return std::max(3 * portfolio.partners.size() * static_cast<size_t>(options.simulation.paths) *
                      sizeof(double),
                  engine.EstimateMemoryBytes(portfolio, 2, options.simulation));
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

// The stream's request as the unary one: the same fields.
v1::RecommendTiersRequest AsUnaryRequest(const v1::RecommendTiersStreamRequest& stream) {
  v1::RecommendTiersRequest request;
  *request.mutable_portfolio() = stream.portfolio();
  request.set_objective(stream.objective());
  *request.mutable_locked_partner_ids() = stream.locked_partner_ids();
  if (stream.has_max_changes()) request.set_max_changes(stream.max_changes());
  *request.mutable_options() = stream.options();
  return request;
}

}  // namespace

// The server side of a streaming call: progress events, then one final event with the
// result (or a status). Progress comes from the executor thread; at most one write is in
// flight, and an event that would overlap it, or come within kProgressInterval of the
// last, is dropped (the next one carries newer figures). The final event waits for an
// in-flight write. The reactor deletes itself when gRPC is done with the call.
template <class Response>
class ProgressStream : public grpc::ServerWriteReactor<Response> {
 public:
  ProgressStream(Metrics& metrics, std::string method) : log_(metrics, std::move(method)) {}

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
    fill(progress_);
    write_in_flight_ = true;
    this->StartWrite(&progress_);
  }

  // Records the outcome and ends the call: with final_ (which the caller has filled) when
  // `status` is OK, else with `status`. Nothing may touch `this` after.
  void Complete(const grpc::Status& status, uint64_t paths) {
    log_.Done(status, paths);
    std::unique_lock lock(mu_);
    final_status_ = status;
    final_ready_ = true;
    if (!write_in_flight_) SendFinal(lock);
  }

  Response final_;

 private:
  // `this` may be deleted as soon as the lock is released.
  void SendFinal(std::unique_lock<std::mutex>& lock) {
    final_ready_ = false;
    const grpc::Status status = final_status_;
    lock.unlock();
    if (status.ok()) {
      this->StartWriteAndFinish(&final_, grpc::WriteOptions(), status);
    } else {
      this->Finish(status);
    }
  }

  const CallLog log_;
  // Start of the first progress event: a run shorter than the interval sends none.
  Clock::time_point last_progress_ = Clock::now();
  std::mutex mu_;
  bool write_in_flight_ = false;
  bool final_ready_ = false;
  grpc::Status final_status_;
  Response progress_;
};

class SimulateStreamReactor final : public ProgressStream<v1::SimulateStreamResponse> {
 public:
  SimulateStreamReactor(PlannerServiceImpl& service, grpc::CallbackServerContext* context,
                        const v1::SimulateStreamRequest& request)
      : ProgressStream(service.metrics_, "SimulateStream") {
    const grpc::Status prepared =
        Prepare(service.engine_, request.portfolio(),
                {request.has_plan() ? &request.plan() : nullptr}, /*single_plan=*/true,
                request.options(), *simulation_);
    if (!prepared.ok()) {
      Complete(prepared, 0);
      return;
    }
    const grpc::Status admitted =
        Admit(service.engine_, service.scheduler_, service.metrics_,
              EstimateBytes(service.engine_, *simulation_),
              [this, &service, context] { Run(service, context); });
    if (!admitted.ok()) Complete(admitted, 0);
  }

 private:
  void Run(PlannerServiceImpl& service, grpc::CallbackServerContext* context) {
    uint64_t paths = 0;
    const absl::StatusOr<Comparison> result = ForCaller<Comparison>(
        service.metrics_, context,
        [this](const Progress& progress) {
          SendProgress([&](v1::SimulateStreamResponse& event) {
            *event.mutable_progress() = ProgressToProto(progress, simulation_->options);
          });
        },
        paths, CompareOn(service.engine_, simulation_));
    if (result.ok()) {
      *final_.mutable_result()->mutable_outcome() =
          PlanOutcomeToProto(result->outcomes[0], simulation_->portfolio);
    }
    Complete(result.ok() ? grpc::Status::OK : ToGrpcStatus(result.status()), paths);
  }

  const std::shared_ptr<Simulation> simulation_ = std::make_shared<Simulation>();
};

class RecommendStreamReactor final : public ProgressStream<v1::RecommendTiersStreamResponse> {
 public:
  RecommendStreamReactor(PlannerServiceImpl& service, grpc::CallbackServerContext* context,
                         const v1::RecommendTiersRequest& request)
      : ProgressStream(service.metrics_, "RecommendTiersStream") {
    const grpc::Status prepared =
        PrepareRecommendation(service.engine_, request, portfolio_, options_);
    if (!prepared.ok()) {
      Complete(prepared, 0);
      return;
    }
    const grpc::Status admitted =
        Admit(service.engine_, service.scheduler_, service.metrics_,
              EstimateRecommendationBytes(service.engine_, portfolio_, options_),
              [this, &service, context] { Run(service, context); });
    if (!admitted.ok()) Complete(admitted, 0);
  }

 private:
  void Run(PlannerServiceImpl& service, grpc::CallbackServerContext* context) {
    uint64_t paths = 0;
    const absl::StatusOr<Recommendation> result = ForCaller<Recommendation>(
        service.metrics_, context, nullptr, paths, [&](const RunControl& control) {
          return RecommendTiers(service.engine_, portfolio_, options_, control,
                                [this](const RecommendProgress& progress) {
                                  SendProgress([&](v1::RecommendTiersStreamResponse& event) {
                                    *event.mutable_progress() = RecommendProgressToProto(progress);
                                  });
                                });
        });
    if (result.ok()) *final_.mutable_result() = RecommendationToProto(*result, portfolio_);
    Complete(result.ok() ? grpc::Status::OK : ToGrpcStatus(result.status()), paths);
  }

  Portfolio portfolio_;
  RecommendOptions options_;
};

PlannerServiceImpl::PlannerServiceImpl(Engine& engine, Scheduler& scheduler, Metrics& metrics)
    : engine_(engine), scheduler_(scheduler), metrics_(metrics) {}

grpc::ServerUnaryReactor* PlannerServiceImpl::Simulate(grpc::CallbackServerContext* context,
                                                       const v1::SimulateRequest* request,
                                                       v1::SimulateResponse* response) {
  auto log = std::make_shared<const CallLog>(metrics_, "Simulate");
  auto simulation = std::make_shared<Simulation>();
  const grpc::Status prepared =
      Prepare(engine_, request->portfolio(), {request->has_plan() ? &request->plan() : nullptr},
              /*single_plan=*/true, request->options(), *simulation);
  if (!prepared.ok()) return Refuse(context, *log, prepared);
  return RunUnary<Comparison>(
      engine_, scheduler_, metrics_, context, log, EstimateBytes(engine_, *simulation),
      CompareOn(engine_, simulation), [response, simulation](const Comparison& comparison) {
        *response->mutable_outcome() =
            PlanOutcomeToProto(comparison.outcomes[0], simulation->portfolio);
      });
}

grpc::ServerWriteReactor<v1::SimulateStreamResponse>* PlannerServiceImpl::SimulateStream(
    grpc::CallbackServerContext* context, const v1::SimulateStreamRequest* request) {
  return new SimulateStreamReactor(*this, context, *request);
}

grpc::ServerUnaryReactor* PlannerServiceImpl::ComparePlans(grpc::CallbackServerContext* context,
                                                           const v1::ComparePlansRequest* request,
                                                           v1::ComparePlansResponse* response) {
  auto log = std::make_shared<const CallLog>(metrics_, "ComparePlans");
  auto simulation = std::make_shared<Simulation>();
  std::vector<const v1::Plan*> plans;
  for (const v1::Plan& plan : request->plans()) plans.push_back(&plan);
  const grpc::Status prepared =
      plans.size() < 2
          ? InvalidArgumentStatus({{"plans", absl::StrCat("must list 2 to ",
                                                          engine_.options().limits.max_plans,
                                                          " plans to compare, got ",
                                                          plans.size())}})
          : Prepare(engine_, request->portfolio(), plans, /*single_plan=*/false,
                    request->options(), *simulation);
  if (!prepared.ok()) return Refuse(context, *log, prepared);
  return RunUnary<Comparison>(
      engine_, scheduler_, metrics_, context, log, EstimateBytes(engine_, *simulation),
      CompareOn(engine_, simulation), [response, simulation](const Comparison& comparison) {
        *response = ComparisonToProto(comparison, simulation->portfolio);
      });
}

grpc::ServerUnaryReactor* PlannerServiceImpl::RecommendTiers(
    grpc::CallbackServerContext* context, const v1::RecommendTiersRequest* request,
    v1::RecommendTiersResponse* response) {
  auto log = std::make_shared<const CallLog>(metrics_, "RecommendTiers");
  auto portfolio = std::make_shared<Portfolio>();
  auto options = std::make_shared<RecommendOptions>();
  const grpc::Status prepared = PrepareRecommendation(engine_, *request, *portfolio, *options);
  if (!prepared.ok()) return Refuse(context, *log, prepared);
  return RunUnary<Recommendation>(
      engine_, scheduler_, metrics_, context, log,
      EstimateRecommendationBytes(engine_, *portfolio, *options),
      [this, portfolio, options](const RunControl& control) {
        return attain::RecommendTiers(engine_, *portfolio, *options, control);
      },
      [response, portfolio](const Recommendation& recommendation) {
        *response = RecommendationToProto(recommendation, *portfolio);
      });
}

grpc::ServerWriteReactor<v1::RecommendTiersStreamResponse>*
PlannerServiceImpl::RecommendTiersStream(grpc::CallbackServerContext* context,
                                         const v1::RecommendTiersStreamRequest* request) {
  return new RecommendStreamReactor(*this, context, AsUnaryRequest(*request));
}

}  // namespace attain
