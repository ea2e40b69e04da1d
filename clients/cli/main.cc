// attain: the command-line client of attaind (attain.v1.PlannerService). Usage: attain --help.
// Reads the inputs first, so bad files fail before any connection; then connects, calls
// the service and prints the readable report (or the response as JSON with --json).
#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "attain/v1/planner_service.grpc.pb.h"
#include "clients/cli/calibration_report.h"
#include "clients/cli/coaching_report.h"
#include "clients/cli/command_line.h"
#include "clients/cli/exercise_report.h"
#include "clients/cli/history_input.h"
#include "clients/cli/html_report.h"
#include "clients/cli/init_template.h"
#include "clients/cli/output_files.h"
#include "clients/cli/portfolio_input.h"
#include "clients/cli/report.h"
#include "clients/cli/report_parts.h"
#include "clients/cli/rpc_errors.h"
#include "clients/cli/sensitivity_report.h"
#include "clients/cli/team_report.h"
#include "clients/report/report_assets.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "proto/support/json_io.h"

namespace attain::cli {
namespace {

using Clock = std::chrono::system_clock;

// Long enough for a server across a slow network to accept, short enough that a wrong
// address fails in seconds rather than at the (default one- or five-minute) deadline.
constexpr std::chrono::seconds kConnectWait{5};

void PrintError(absl::string_view message) {
  std::fprintf(stderr, "attain: %.*s\n", static_cast<int>(message.size()), message.data());
}

int FailLocal(const absl::Status& status) {
  PrintError(status.message());
  return IsBadInput(status) ? kExitBadInput : kExitFailure;
}

int FailRpc(const grpc::Status& status, const CommandLine& line,
            const FieldLocator& locate = nullptr) {
  PrintError(DescribeRpcError(status, line.server, line.deadline_seconds, locate));
  return ExitCodeForRpc(status.error_code());
}

// Waits until the channel is connected. Without this, a refused connection would surface
// as a failed call anyway, but an address that never answers would hold the command
// until the call's deadline and then be reported as a slow simulation.
grpc::Status AwaitConnection(grpc::Channel& channel, Clock::time_point call_deadline) {
  const Clock::time_point wait_until = std::min(Clock::now() + kConnectWait, call_deadline);
  grpc_connectivity_state state = channel.GetState(/*try_to_connect=*/true);
  while (state != GRPC_CHANNEL_READY) {
    if (state == GRPC_CHANNEL_TRANSIENT_FAILURE || state == GRPC_CHANNEL_SHUTDOWN) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "cannot connect");
    }
    if (!channel.WaitForStateChange(state, wait_until)) {
      if (wait_until >= call_deadline) {
        return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "still connecting");
      }
      return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          absl::StrCat("no connection within ", kConnectWait.count(), " s"));
    }
    state = channel.GetState(/*try_to_connect=*/true);
  }
  return grpc::Status::OK;
}

// The deadline covers connecting and the call, as the user sees one command.
Clock::time_point CommandDeadline(const CommandLine& line) {
  return Clock::now() + std::chrono::duration_cast<Clock::duration>(
                            std::chrono::duration<double>(line.deadline_seconds));
}

// A stub on a channel to line.server once it is connected (AwaitConnection), or the
// status of the failed connection.
grpc::Status Connect(const CommandLine& line, Clock::time_point deadline,
                     std::unique_ptr<v1::PlannerService::Stub>& stub) {
  // Read again here (Run checked them): the files are small.
  absl::StatusOr<ChannelSecurity> security = LoadChannelSecurity(line.security);
  if (!security.ok()) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, std::string(security.status().message()));
  }
  const std::shared_ptr<grpc::Channel> channel = OpenChannel(line.server, *security);
  if (grpc::Status connected = AwaitConnection(*channel, deadline); !connected.ok()) {
    return connected;
  }
  stub = v1::PlannerService::NewStub(channel);
  return grpc::Status::OK;
}

// Connects, then makes one unary call of `method` under the command's deadline: for the
// commands whose input is read before they connect.
template <class Request, class Response>
grpc::Status ConnectAndCall(const CommandLine& line,
                            grpc::Status (v1::PlannerService::Stub::*method)(
                                grpc::ClientContext*, const Request&, Response*),
                            const Request& request, Response& response) {
  const Clock::time_point deadline = CommandDeadline(line);
  std::unique_ptr<v1::PlannerService::Stub> stub;
  if (grpc::Status connected = Connect(line, deadline, stub); !connected.ok()) return connected;
  grpc::ClientContext context;
  context.set_deadline(deadline);
  return ((*stub).*method)(&context, request, &response);
}

int PrintJson(const google::protobuf::Message& response) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = false;
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(response, &json, options);
  if (!status.ok()) {
    PrintError(absl::StrCat("cannot print the response as JSON: ", status.message().as_string()));
    return kExitFailure;
  }
  std::fputs(json.c_str(), stdout);
  if (json.empty() || json.back() != '\n') std::fputc('\n', stdout);
  return kExitOk;
}

// A one-line progress display on stderr, redrawn in place and erased when done.
class ProgressBar {
 public:
  ProgressBar() {
    winsize size{};
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 20) width_ = size.ws_col - 1;
  }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  ~ProgressBar() { Erase(); }

  // The columns a line may take.
  int width() const { return width_; }

  void Draw(const std::string& line) {
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
    std::fflush(stderr);
    drawn_ = true;
  }

  // Clears the line so the report (or an error) starts on a clean one.
  void Erase() {
    if (!drawn_) return;
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
  }

 private:
  int width_ = 79;
  bool drawn_ = false;
};

// Reads a progress stream to its end, drawing each progress event with `line_of(progress,
// width)` and keeping the final event's result in `response`; the display is erased before
// this returns, so the report (or an error) starts on a clean line.
template <class Event, class Response, class LineOf>
grpc::Status ReadWithProgress(grpc::ClientReader<Event>& reader, const LineOf& line_of,
                              Response& response) {
  ProgressBar bar;
  Event event;
  bool have_result = false;
  while (reader.Read(&event)) {
    if (event.has_progress()) bar.Draw(line_of(event.progress(), bar.width()));
    if (event.has_result()) {
      response = std::move(*event.mutable_result());
      have_result = true;
    }
  }
  bar.Erase();
  grpc::Status status = reader.Finish();
  if (status.ok() && !have_result) {
    status = grpc::Status(grpc::StatusCode::INTERNAL, "the stream ended without a result");
  }
  return status;
}

// SimulateStream with a progress bar; the result is the same as Simulate's.
grpc::Status SimulateWithProgress(v1::PlannerService::Stub& stub, Clock::time_point deadline,
                                  const v1::SimulateRequest& request,
                                  v1::SimulateResponse& response) {
  v1::SimulateStreamRequest stream_request;
  *stream_request.mutable_portfolio() = request.portfolio();
  if (request.has_plan()) *stream_request.mutable_plan() = request.plan();
  *stream_request.mutable_options() = request.options();

  grpc::ClientContext context;
  context.set_deadline(deadline);
  const std::unique_ptr<grpc::ClientReader<v1::SimulateStreamResponse>> reader =
      stub.SimulateStream(&context, stream_request);
  return ReadWithProgress(
      *reader,
      [](const v1::SimulationProgress& progress, int width) {
        return ProgressLine(progress, width);
      },
      response);
}

// RecommendTiersStream with a progress line (sampling, searching, validating); the result
// is the same as RecommendTiers'.
grpc::Status RecommendWithProgress(v1::PlannerService::Stub& stub, Clock::time_point deadline,
                                   const v1::RecommendTiersRequest& request,
                                   v1::RecommendTiersResponse& response) {
  v1::RecommendTiersStreamRequest stream_request;
  *stream_request.mutable_portfolio() = request.portfolio();
  stream_request.set_objective(request.objective());
  *stream_request.mutable_locked_partner_ids() = request.locked_partner_ids();
  if (request.has_max_changes()) stream_request.set_max_changes(request.max_changes());
  *stream_request.mutable_options() = request.options();

  grpc::ClientContext context;
  context.set_deadline(deadline);
  const std::unique_ptr<grpc::ClientReader<v1::RecommendTiersStreamResponse>> reader =
      stub.RecommendTiersStream(&context, stream_request);
  const v1::Objective objective = request.objective();
  const std::string& currency = request.portfolio().currency();
  return ReadWithProgress(
      *reader,
      [objective, &currency](const v1::RecommendationProgress& progress, int width) {
        return RecommendationProgressLine(progress, objective, currency, width);
      },
      response);
}

// SimulateTeamStream with a progress line (the managers' searches, then the team run); the
// result is the same as SimulateTeam's.
grpc::Status TeamWithProgress(v1::PlannerService::Stub& stub, Clock::time_point deadline,
                              const v1::SimulateTeamRequest& request,
                              v1::SimulateTeamResponse& response) {
  v1::SimulateTeamStreamRequest stream_request;
  *stream_request.mutable_team() = request.team();
  *stream_request.mutable_options() = request.options();
  stream_request.set_skip_coaching_gains(request.skip_coaching_gains());
  if (request.has_coaching_paths()) stream_request.set_coaching_paths(request.coaching_paths());

  grpc::ClientContext context;
  context.set_deadline(deadline);
  const std::unique_ptr<grpc::ClientReader<v1::SimulateTeamStreamResponse>> reader =
      stub.SimulateTeamStream(&context, stream_request);
  return ReadWithProgress(*reader, TeamProgressLine, response);
}

// --csv: the outcomes' results for spreadsheets, once the server has answered.
absl::Status WriteCsv(const CommandLine& line, const std::vector<const v1::PlanOutcome*>& outcomes,
                      const v1::Portfolio& portfolio) {
  if (line.csv_path.empty()) return absl::OkStatus();
  return WriteResultsCsv(line.csv_path, outcomes, portfolio);
}

// A progress display is for a person watching; a pipe or a --json consumer gets the plain
// (unary) call.
bool WantProgress(const CommandLine& line) { return !line.json && isatty(STDERR_FILENO); }

int Simulate(const CommandLine& line, v1::Portfolio portfolio,
             std::vector<v1::Plan> plans, v1::PlannerService::Stub& stub,
             Clock::time_point deadline, const FieldLocator& locate) {
  v1::SimulateRequest request;
  *request.mutable_portfolio() = std::move(portfolio);
  if (!plans.empty()) *request.mutable_plan() = std::move(plans.front());
  *request.mutable_options() = line.options;

  v1::SimulateResponse response;
  grpc::Status status;
  if (WantProgress(line)) {
    status = SimulateWithProgress(stub, deadline, request, response);
  } else {
    grpc::ClientContext context;
    context.set_deadline(deadline);
    status = stub.Simulate(&context, request, &response);
  }
  if (!status.ok()) return FailRpc(status, line, locate);
  if (absl::Status written = WriteCsv(line, {&response.outcome()}, request.portfolio());
      !written.ok()) {
    return FailLocal(written);
  }
  if (line.json) return PrintJson(response);
  std::fputs(SimulationReport(response, NamesOf(request.portfolio())).c_str(), stdout);
  return kExitOk;
}

int Compare(const CommandLine& line, v1::Portfolio portfolio, std::vector<v1::Plan> plans,
            v1::PlannerService::Stub& stub, Clock::time_point deadline,
            const FieldLocator& locate) {
  v1::ComparePlansRequest request;
  *request.mutable_portfolio() = std::move(portfolio);
  // The current tiers come first: every difference is then "this plan versus now".
  request.add_plans()->set_name("current tiers");
  for (v1::Plan& plan : plans) *request.add_plans() = std::move(plan);
  *request.mutable_options() = line.options;

  grpc::ClientContext context;
  context.set_deadline(deadline);
  v1::ComparePlansResponse response;
  const grpc::Status status = stub.ComparePlans(&context, request, &response);
  if (!status.ok()) return FailRpc(status, line, locate);
  std::vector<const v1::PlanOutcome*> outcomes;
  for (const v1::PlanOutcome& outcome : response.outcomes()) outcomes.push_back(&outcome);
  if (absl::Status written = WriteCsv(line, outcomes, request.portfolio()); !written.ok()) {
    return FailLocal(written);
  }
  if (line.json) return PrintJson(response);
  std::fputs(ComparisonReport(response).c_str(), stdout);
  return kExitOk;
}

// The recommendation recommend and report ask for: the line's objective, locks, change
// limit and options, with a progress bar on a terminal.
grpc::Status CallRecommendTiers(const CommandLine& line, v1::PlannerService::Stub& stub,
                                Clock::time_point deadline,
                                const v1::RecommendTiersRequest& request,
                                v1::RecommendTiersResponse& response) {
  if (WantProgress(line)) return RecommendWithProgress(stub, deadline, request, response);
  grpc::ClientContext context;
  context.set_deadline(deadline);
  return stub.RecommendTiers(&context, request, &response);
}

v1::RecommendTiersRequest RecommendRequest(const CommandLine& line, v1::Portfolio portfolio) {
  v1::RecommendTiersRequest request;
  *request.mutable_portfolio() = std::move(portfolio);
  request.set_objective(line.objective);
  for (const std::string& id : line.locked_partner_ids) request.add_locked_partner_ids(id);
  if (line.max_changes) request.set_max_changes(*line.max_changes);
  *request.mutable_options() = line.options;
  return request;
}

int Recommend(const CommandLine& line, v1::Portfolio portfolio, v1::PlannerService::Stub& stub,
              Clock::time_point deadline, const FieldLocator& locate) {
  const v1::RecommendTiersRequest request = RecommendRequest(line, std::move(portfolio));
  v1::RecommendTiersResponse response;
  const grpc::Status status = CallRecommendTiers(line, stub, deadline, request, response);
  if (!status.ok()) return FailRpc(status, line, locate);
  if (absl::Status written = WriteCsv(
          line, {&response.current_outcome(), &response.recommended_outcome()},
          request.portfolio());
      !written.ok()) {
    return FailLocal(written);
  }
  // Written only once the server has answered: on any error nothing is.
  if (!line.out_path.empty()) {
    if (const absl::Status written = WritePlanJson(response.recommended_plan(), line.out_path);
        !written.ok()) {
      return FailLocal(written);
    }
  }
  if (line.json) return PrintJson(response);
  std::fputs(RecommendationReport(request, response).c_str(), stdout);
  if (!line.out_path.empty()) {
    std::printf("\nWrote the recommended plan to %s (attain coach and attain exercise submit "
                "read it)\n",
                line.out_path.c_str());
  }
  return kExitOk;
}

// report: the plan (default the current tiers) set on the portfolio, a recommendation from
// it, and the page written only once the server has answered.
int Report(const CommandLine& line, v1::Portfolio portfolio, std::vector<v1::Plan> plans,
           v1::PlannerService::Stub& stub, Clock::time_point deadline,
           const FieldLocator& locate) {
  std::string subtitle = "Current tiers";
  if (!plans.empty()) {
    if (const absl::Status applied = ApplyPlan(plans.front(), portfolio); !applied.ok()) {
      return FailLocal(absl::InvalidArgumentError(
          absl::StrCat("--plan ", line.plan_paths.front(), ": ", applied.message())));
    }
    subtitle = absl::StrCat("Plan \"", plans.front().name(), "\"");
  }
  const v1::RecommendTiersRequest request = RecommendRequest(line, std::move(portfolio));
  v1::RecommendTiersResponse response;
  const grpc::Status status = CallRecommendTiers(line, stub, deadline, request, response);
  if (!status.ok()) return FailRpc(status, line, locate);

  const v1::Portfolio& sent = request.portfolio();
  ReportHeading heading;
  heading.title = sent.channel_manager_id().empty() ? "Partner portfolio"
                                                    : sent.channel_manager_id();
  heading.subtitle = absl::StrCat(subtitle, " · ", sent.partners_size(), " partners over ",
                                  PeriodsPhrase(sent.periods(), sent.period_length()));
  heading.generated_by = "attain report";
  heading.generated_at = absl::FormatTime("%Y-%m-%d %H:%M UTC", absl::Now(), absl::UTCTimeZone());
  const absl::StatusOr<std::string> data = PortfolioReportJson(request, response, heading);
  if (!data.ok()) return FailLocal(data.status());
  const absl::StatusOr<std::string> page =
      report::AssembleReport(report::EmbeddedReportAssets(), *data);
  if (!page.ok()) return FailLocal(page.status());
  if (const absl::Status written = WriteTextFile(line.out_path, *page); !written.ok()) {
    return FailLocal(written);
  }
  const v1::PlanOutcome& now = response.current_outcome();
  std::printf("Wrote %s: P(attain) %s, %d recommended changes (seed %llu, %llu paths)\n",
              line.out_path.c_str(), FormatPercent(now.attainment_probability()).c_str(),
              response.changes_size(),
              static_cast<unsigned long long>(response.search().optimization_seed()),
              static_cast<unsigned long long>(now.paths()));
  return kExitOk;
}

// calibrate: reads the history (and base) first, so bad files fail before connecting, and
// writes --out only once the server has calibrated: on any error nothing is written.
int Calibrate(const CommandLine& line) {
  absl::StatusOr<HistoryInput> input =
      ReadHistoryInput(line.history_path, line.base_portfolio_path);
  if (!input.ok()) return FailLocal(input.status());
  v1::CalibratePortfolioResponse response;
  const grpc::Status status = ConnectAndCall(line, &v1::PlannerService::Stub::CalibratePortfolio,
                                             input->request, response);
  if (!status.ok()) {  // a failed connection is described as any RPC error
    PrintError(DescribeCalibrationError(status, *input, line.server, line.deadline_seconds));
    return ExitCodeForRpc(status.error_code());
  }
  if (!line.out_path.empty()) {
    if (const absl::Status written = WritePortfolioJson(response.portfolio(), line.out_path);
        !written.ok()) {
      return FailLocal(written);
    }
  }
  if (line.json) return PrintJson(response);
  std::fputs(CalibrationReport(response).c_str(), stdout);
  if (!line.out_path.empty()) {
    std::printf("\nWrote the calibrated portfolio to %s; simulate it with: attain simulate %s\n",
                line.out_path.c_str(), line.out_path.c_str());
  }
  return kExitOk;
}

// sensitivity: one unary call (its runs report no progress of their own).
int Sensitivity(const CommandLine& line, v1::Portfolio portfolio, std::vector<v1::Plan> plans,
                v1::PlannerService::Stub& stub, Clock::time_point deadline,
                const FieldLocator& locate) {
  v1::AnalyzeSensitivityRequest request;
  *request.mutable_portfolio() = std::move(portfolio);
  if (!plans.empty()) *request.mutable_plan() = std::move(plans.front());
  *request.mutable_options() = line.options;
  if (!line.check_tiers) request.mutable_sensitivity()->set_check_tiers(false);

  grpc::ClientContext context;
  context.set_deadline(deadline);
  v1::AnalyzeSensitivityResponse response;
  const grpc::Status status = stub.AnalyzeSensitivity(&context, request, &response);
  if (!status.ok()) return FailRpc(status, line, locate);
  if (line.json) return PrintJson(response);
  std::fputs(SensitivityReport(response, NamesOf(request.portfolio())).c_str(), stdout);
  return kExitOk;
}

int Coach(const CommandLine& line, v1::Portfolio portfolio, std::vector<v1::Plan> plans,
          v1::PlannerService::Stub& stub, Clock::time_point deadline,
          const FieldLocator& locate) {
  v1::CoachPlanRequest request;
  *request.mutable_portfolio() = std::move(portfolio);
  *request.mutable_plan() = std::move(plans.front());
  request.set_objective(line.objective);
  *request.mutable_options() = line.options;

  grpc::ClientContext context;
  context.set_deadline(deadline);
  v1::CoachPlanResponse response;
  const grpc::Status status = stub.CoachPlan(&context, request, &response);
  if (!status.ok()) return FailRpc(status, line, locate);
  if (line.json) return PrintJson(response);
  std::fputs(CoachingReport(response, NamesOf(request.portfolio())).c_str(), stdout);
  return kExitOk;
}

// exercise new: the files are written once the server has answered, also with --json.
int ExerciseNew(const CommandLine& line) {
  v1::CreateExerciseRequest request;
  if (line.difficulty) request.set_difficulty(*line.difficulty);
  if (line.options.has_seed()) request.set_seed(line.options.seed());

  v1::CreateExerciseResponse response;
  const grpc::Status status =
      ConnectAndCall(line, &v1::PlannerService::Stub::CreateExercise, request, response);
  if (!status.ok()) return FailRpc(status, line);
  if (const absl::Status written = WriteExerciseFiles(response.exercise(), line.out_path);
      !written.ok()) {
    return FailLocal(written);
  }
  if (line.json) return PrintJson(response);
  std::fputs(ExerciseBriefing(response.exercise(), line.out_path).c_str(), stdout);
  return kExitOk;
}

// exercise submit: reads the plan first, so a bad file fails before connecting.
int ExerciseSubmit(const CommandLine& line) {
  absl::StatusOr<v1::Plan> plan = ReadPlan(line.plan_paths.front());
  if (!plan.ok()) return FailLocal(plan.status());
  v1::SubmitExerciseRequest request;
  request.set_exercise_id(line.exercise_id);
  *request.mutable_plan() = *std::move(plan);

  v1::SubmitExerciseResponse response;
  const grpc::Status status =
      ConnectAndCall(line, &v1::PlannerService::Stub::SubmitExercise, request, response);
  if (!status.ok()) return FailRpc(status, line);
  if (line.json) return PrintJson(response);
  std::fputs(ExerciseResultReport(response).c_str(), stdout);
  return kExitOk;
}

// team: reads the team first, so a bad file fails before connecting.
int Team(const CommandLine& line) {
  v1::SimulateTeamRequest request;
  if (const absl::Status read = ReadJsonMessage(line.team_path, *request.mutable_team());
      !read.ok()) {
    return FailLocal(read);
  }
  *request.mutable_options() = line.options;
  request.set_skip_coaching_gains(!line.coaching_gains);
  if (line.coaching_paths) request.set_coaching_paths(*line.coaching_paths);

  const Clock::time_point deadline = CommandDeadline(line);
  std::unique_ptr<v1::PlannerService::Stub> stub;
  if (const grpc::Status connected = Connect(line, deadline, stub); !connected.ok()) {
    return FailRpc(connected, line);
  }
  v1::SimulateTeamResponse response;
  grpc::Status status;
  if (WantProgress(line)) {
    status = TeamWithProgress(*stub, deadline, request, response);
  } else {
    grpc::ClientContext context;
    context.set_deadline(deadline);
    status = stub->SimulateTeam(&context, request, &response);
  }
  if (!status.ok()) return FailRpc(status, line);
  if (line.json) return PrintJson(response);
  std::fputs(TeamReport(request, response).c_str(), stdout);
  return kExitOk;
}

// health: one Check of the health service; exit 0 when SERVING.
int Health(const CommandLine& line) {
  const Clock::time_point deadline = CommandDeadline(line);
  absl::StatusOr<ChannelSecurity> security = LoadChannelSecurity(line.security);
  if (!security.ok()) return FailLocal(security.status());
  const std::shared_ptr<grpc::Channel> channel = OpenChannel(line.server, *security);
  if (grpc::Status connected = AwaitConnection(*channel, deadline); !connected.ok()) {
    return FailRpc(connected, line);
  }
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(line.health_service);
  grpc::health::v1::HealthCheckResponse response;
  grpc::ClientContext context;
  context.set_deadline(deadline);
  const grpc::Status status =
      grpc::health::v1::Health::NewStub(channel)->Check(&context, request, &response);
  if (!status.ok()) return FailRpc(status, line);
  const std::string name = line.health_service.empty() ? "\"\"" : line.health_service;
  std::printf("%s: %s\n", name.c_str(),
              grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status()).c_str());
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING ? kExitOk
                                                                               : kExitUnavailable;
}

// init: the template's files, written here; no server is needed.
int Init(const CommandLine& line) {
  const int partners = line.init_partners.value_or(kDefaultInitPartners);
  if (const absl::Status written = WriteInitFiles(line.out_path, partners); !written.ok()) {
    return FailLocal(written);
  }
  std::fputs(InitSummary(line.out_path, partners).c_str(), stdout);
  return kExitOk;
}

int Run(int argc, char** argv) {
  const absl::StatusOr<CommandLine> line = ParseCommandLine(
      std::vector<std::string>(argv + 1, argv + argc),
      [](const char* name) { return std::getenv(name); });
  if (!line.ok()) return FailLocal(line.status());
  if (line->command == Command::kHelp) {
    std::fputs(UsageText().c_str(), stdout);
    return kExitOk;
  }
  if (line->command == Command::kInit) return Init(*line);
  // Every other command calls the server: unreadable TLS or token files are bad input.
  if (const absl::StatusOr<ChannelSecurity> security = LoadChannelSecurity(line->security);
      !security.ok()) {
    return FailLocal(security.status());
  }
  if (line->command == Command::kCalibrate) return Calibrate(*line);
  if (line->command == Command::kExerciseNew) return ExerciseNew(*line);
  if (line->command == Command::kExerciseSubmit) return ExerciseSubmit(*line);
  if (line->command == Command::kTeam) return Team(*line);
  if (line->command == Command::kHealth) return Health(*line);

  CsvPortfolioMap csv;
  absl::StatusOr<v1::Portfolio> portfolio = ReadPortfolio(line->portfolio, &csv);
  if (!portfolio.ok()) return FailLocal(portfolio.status());
  // The server's violations of a CSV portfolio's partners point at the CSV's cells.
  FieldLocator locate;
  if (!csv.path.empty()) {
    locate = [&csv](const std::string& field) { return LocateCsvField(field, csv); };
  }
  std::vector<v1::Plan> plans;
  for (const std::string& path : line->plan_paths) {
    absl::StatusOr<v1::Plan> plan = ReadPlan(path);
    if (!plan.ok()) return FailLocal(plan.status());
    plans.push_back(*std::move(plan));
  }

  const Clock::time_point deadline = CommandDeadline(*line);
  std::unique_ptr<v1::PlannerService::Stub> stub;
  if (const grpc::Status connected = Connect(*line, deadline, stub); !connected.ok()) {
    return FailRpc(connected, *line);
  }
  if (line->command == Command::kSimulate) {
    return Simulate(*line, *std::move(portfolio), std::move(plans), *stub, deadline, locate);
  }
  if (line->command == Command::kRecommend) {
    return Recommend(*line, *std::move(portfolio), *stub, deadline, locate);
  }
  if (line->command == Command::kSensitivity) {
    return Sensitivity(*line, *std::move(portfolio), std::move(plans), *stub, deadline, locate);
  }
  if (line->command == Command::kReport) {
    return Report(*line, *std::move(portfolio), std::move(plans), *stub, deadline, locate);
  }
  if (line->command == Command::kCoach) {
    return Coach(*line, *std::move(portfolio), std::move(plans), *stub, deadline, locate);
  }
  return Compare(*line, *std::move(portfolio), std::move(plans), *stub, deadline, locate);
}

}  // namespace
}  // namespace attain::cli

int main(int argc, char** argv) { return attain::cli::Run(argc, argv); }
