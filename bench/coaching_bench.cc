// Coaching and training exercises over gRPC on an in-process attaind (loopback), the
// latency a CRM plugin or a trainee feels:
//   - CoachPlan on the 20- and 50-partner reference workloads, side by side with
//     RecommendTiers on the same portfolio and paths (its peer: one search and one
//     validation), calls alternating so that both see the same machine;
//   - CreateExercise, then SubmitExercise of the current tiers, at each difficulty;
//   - how hard each difficulty is: the score of a trainee who calibrates the history and
//     submits the recommendation on the calibrated portfolio (mean and lowest).
// Each time is the median (and the slowest) of --repeats calls, in milliseconds.
//
//   coaching_bench [--paths=N] [--repeats=N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "attain/v1/planner_service.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "proto/support/json_io.h"
#include "service/server.h"

namespace attain {
namespace {

using Clock = std::chrono::steady_clock;

struct Timings {
  std::vector<double> ms;
  double Median() const {
    std::vector<double> sorted = ms;
    std::sort(sorted.begin(), sorted.end());
    return sorted[sorted.size() / 2];
  }
  double Max() const { return *std::max_element(ms.begin(), ms.end()); }
};

// Times one call; exits on an error, as a benchmark of failures measures nothing.
template <class Call>
void Time(Timings& timings, const char* what, Call call) {
  const Clock::time_point start = Clock::now();
  const grpc::Status status = call();
  timings.ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  if (!status.ok()) {
    std::fprintf(stderr, "%s failed: %s\n", what, status.error_message().c_str());
    std::exit(1);
  }
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(5));
  return context;
}

int Main(int argc, char** argv) {
  uint64_t paths = 10'000;
  int repeats = 9;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--paths=", 8) == 0) paths = std::stoull(argv[i] + 8);
    else if (std::strncmp(argv[i], "--repeats=", 10) == 0) repeats = std::stoi(argv[i] + 10);
  }
  ServerConfig config;
  config.listen_address = "127.0.0.1:0";
  config.metrics_address = "";
  config.log_level = LogLevel::kError;
  absl::StatusOr<std::unique_ptr<AttainServer>> server = AttainServer::Start(config);
  if (!server.ok()) {
    std::fprintf(stderr, "%s\n", std::string(server.status().message()).c_str());
    return 1;
  }
  const auto stub = v1::PlannerService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", (*server)->grpc_port()), grpc::InsecureChannelCredentials()));

  std::printf("CoachPlan vs RecommendTiers, %llu paths, median (max) of %d calls, ms\n",
              static_cast<unsigned long long>(paths), repeats);
  std::printf("%-10s %20s %20s %8s %7s\n", "workload", "RecommendTiers", "CoachPlan", "ratio",
              "score");
  for (const char* name : {"w3-20x4", "w2-50x4"}) {
    const absl::StatusOr<v1::Portfolio> portfolio =
        ReadPortfolioJson(absl::StrCat(ATTAIN_WORKLOADS_DIR, "/", name, ".json"));
    if (!portfolio.ok()) return 1;
    v1::RecommendTiersRequest recommend;
    *recommend.mutable_portfolio() = *portfolio;
    recommend.mutable_options()->set_paths(paths);
    v1::CoachPlanRequest coach;
    *coach.mutable_portfolio() = *portfolio;  // the current tiers as the manager's plan
    coach.mutable_options()->set_paths(paths);
    Timings recommending;
    Timings coaching;
    double score = 0;
    for (int r = 0; r < repeats; ++r) {
      recommend.mutable_options()->set_seed(r + 1);
      coach.mutable_options()->set_seed(r + 1);
      v1::RecommendTiersResponse recommended;
      Time(recommending, "RecommendTiers",
           [&] { return stub->RecommendTiers(Context().get(), recommend, &recommended); });
      v1::CoachPlanResponse coached;
      Time(coaching, "CoachPlan", [&] { return stub->CoachPlan(Context().get(), coach, &coached); });
      score = coached.score();
    }
    std::printf("%-10s %10.1f (%7.1f) %10.1f (%7.1f) %8.2f %7.1f\n", name, recommending.Median(),
                recommending.Max(), coaching.Median(), coaching.Max(),
                coaching.Median() / recommending.Median(), score);
  }

  std::printf("\nExercises: CreateExercise, then SubmitExercise of the current tiers, "
              "median (max) of %d, ms\n", repeats);
  std::printf("%-10s %8s %20s %20s %20s %7s\n", "difficulty", "partners", "CreateExercise",
              "SubmitExercise", "both", "score");
  for (int difficulty = 1; difficulty <= 5; ++difficulty) {
    Timings creating;
    Timings submitting;
    Timings both;
    int partners = 0;
    double score = 0;
    for (int r = 0; r < repeats; ++r) {
      v1::CreateExerciseRequest create;
      create.set_difficulty(difficulty);
      create.set_seed(r + 1);
      v1::CreateExerciseResponse created;
      Time(creating, "CreateExercise",
           [&] { return stub->CreateExercise(Context().get(), create, &created); });
      v1::SubmitExerciseRequest submit;
      submit.set_exercise_id(created.exercise().id());
      v1::SubmitExerciseResponse graded;
      Time(submitting, "SubmitExercise",
           [&] { return stub->SubmitExercise(Context().get(), submit, &graded); });
      both.ms.push_back(creating.ms.back() + submitting.ms.back());
      partners = created.exercise().portfolio().partners_size();
      score = graded.coaching().score();
    }
    std::printf("%-10d %8d %10.1f (%7.1f) %10.1f (%7.1f) %10.1f (%7.1f) %7.1f\n", difficulty,
                partners, creating.Median(), creating.Max(), submitting.Median(),
                submitting.Max(), both.Median(), both.Max(), score);
  }

  std::printf("\nThe trainee's path (calibrate, recommend on the calibrated portfolio, submit), "
              "exercises with seeds 1..%d\n", repeats);
  std::printf("%-10s %10s %10s %10s\n", "difficulty", "mean", "lowest", "highest");
  for (int difficulty = 1; difficulty <= 5; ++difficulty) {
    std::vector<double> scores;
    for (int r = 0; r < repeats; ++r) {
      v1::CreateExerciseRequest create;
      create.set_difficulty(difficulty);
      create.set_seed(r + 1);
      v1::CreateExerciseResponse created;
      Timings unused;
      Time(unused, "CreateExercise",
           [&] { return stub->CreateExercise(Context().get(), create, &created); });
      v1::CalibratePortfolioRequest calibrate;
      *calibrate.mutable_rows() = created.exercise().history();
      *calibrate.mutable_portfolio() = created.exercise().portfolio();
      v1::CalibratePortfolioResponse calibrated;
      Time(unused, "CalibratePortfolio",
           [&] { return stub->CalibratePortfolio(Context().get(), calibrate, &calibrated); });
      v1::RecommendTiersRequest recommend;
      *recommend.mutable_portfolio() = calibrated.portfolio();
      recommend.mutable_options()->set_seed(r + 1);
      v1::RecommendTiersResponse recommended;
      Time(unused, "RecommendTiers",
           [&] { return stub->RecommendTiers(Context().get(), recommend, &recommended); });
      v1::SubmitExerciseRequest submit;
      submit.set_exercise_id(created.exercise().id());
      *submit.mutable_plan() = recommended.recommended_plan();
      v1::SubmitExerciseResponse graded;
      Time(unused, "SubmitExercise",
           [&] { return stub->SubmitExercise(Context().get(), submit, &graded); });
      scores.push_back(graded.coaching().score());
    }
    double sum = 0;
    for (const double score : scores) sum += score;
    std::printf("%-10d %10.1f %10.1f %10.1f\n", difficulty, sum / static_cast<double>(scores.size()),
                *std::min_element(scores.begin(), scores.end()),
                *std::max_element(scores.begin(), scores.end()));
  }
  (*server)->Shutdown(std::chrono::milliseconds(0));
  return 0;
}

}  // namespace
}  // namespace attain

int main(int argc, char** argv) { return attain::Main(argc, argv); }
