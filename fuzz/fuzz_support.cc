#include "fuzz/fuzz_support.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "service/server.h"
#include "service/server_config.h"

namespace attain::fuzz {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

struct InProcess {
  std::unique_ptr<AttainServer> server;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::PlannerService::Stub> stub;
};

InProcess& Server() {
  static InProcess* const in_process = [] {
    ServerConfig config;
    config.listen_address = "127.0.0.1:0";
    config.metrics_address = "";
    config.log_level = LogLevel::kError;
    config.worker_threads = 1;
    config.max_paths = kMaxPaths;
    config.max_partners = kMaxPartners;
    config.max_periods = kMaxPeriods;
    config.max_plans = 4;
    config.max_work = kMaxWork;
    config.memory_budget_mib = 64;
    config.max_message_mib = 1;
    config.max_run_time = std::chrono::seconds(20);
    auto started = AttainServer::Start(config);
    if (!started.ok()) Fail(absl::StrCat("the in-process attaind did not start: ",
                                         started.status().ToString()));
    auto* result = new InProcess;
    result->server = std::move(*started);
    result->channel = grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", result->server->grpc_port()),
        grpc::InsecureChannelCredentials());
    result->stub = v1::PlannerService::NewStub(result->channel);
    return result;
  }();
  return *in_process;
}

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(60);
}

grpc::Status UnaryRaw(absl::string_view method, const std::string& bytes,
                      std::string& response) {
  grpc::GenericStub stub(Server().channel);
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer answer;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, absl::StrCat("/attain.v1.PlannerService/", method),
                 grpc::StubOptions(), &request, &answer,
                 [&done](grpc::Status status) { done.set_value(std::move(status)); });
  grpc::Status status = done.get_future().get();
  if (status.ok()) {
    std::vector<grpc::Slice> slices;
    if (!answer.Dump(&slices).ok()) Fail("the answer's bytes could not be read");
    for (const grpc::Slice& s : slices) {
      response.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  return status;
}

// The stream's messages; `last` gets the final one (the result).
template <class Request, class Event>
grpc::Status ReadStream(
    std::unique_ptr<grpc::ClientReader<Event>> (v1::PlannerService::Stub::*call)(
        grpc::ClientContext*, const Request&),
    const Request& request, Event& last) {
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  auto reader = (Planner().*call)(&context, request);
  Event event;
  while (reader->Read(&event)) {
    CheckFigures(event);
    last = event;
  }
  return reader->Finish();
}

template <class Request, class Event>
void StreamAndCheck(std::unique_ptr<grpc::ClientReader<Event>> (
                        v1::PlannerService::Stub::*call)(grpc::ClientContext*, const Request&),
                    const std::string& bytes) {
  Request request;
  // Bytes that do not parse are the unary methods' case (the same reader checks them).
  if (!request.ParseFromString(bytes)) return;
  Event last;
  const grpc::Status status = ReadStream(call, request, last);
  CheckAnswer(status, &last);
}

bool IsProbabilityField(const FieldDescriptor& field) {
  return absl::StrContains(field.name(), "probability") &&
         !absl::StrContains(field.name(), "difference") &&
         !absl::StrContains(field.name(), "effect") && !absl::StrContains(field.name(), "gain");
}

void CheckDouble(const Message& message, const FieldDescriptor& field, double value) {
  const std::string where = absl::StrCat(message.GetDescriptor()->full_name(), ".",
                                         field.name(), " = ", value);
  if (!std::isfinite(value)) Fail(absl::StrCat("not finite: ", where));
  if (IsProbabilityField(field) && !(value >= 0 && value <= 1)) {
    Fail(absl::StrCat("a probability outside [0, 1]: ", where));
  }
}

// `estimate` within `interval` (an attain.v1.Interval), with room for rounding.
void CheckContains(const Message& interval, double estimate, const std::string& where) {
  const Reflection& r = *interval.GetReflection();
  const double low = r.GetDouble(interval, interval.GetDescriptor()->FindFieldByName("low"));
  const double high = r.GetDouble(interval, interval.GetDescriptor()->FindFieldByName("high"));
  const double slack = 1e-9 * std::max(1.0, std::abs(estimate));
  if (!(low <= estimate + slack && estimate <= high + slack)) {
    Fail(absl::StrCat("the interval [", low, ", ", high, "] of ", where,
                      " does not contain its estimate ", estimate));
  }
}

}  // namespace

void Fail(absl::string_view what) {
  std::fprintf(stderr, "attain fuzz invariant broken: %.*s\n",
               static_cast<int>(std::min<size_t>(what.size(), 2048)), what.data());
  std::abort();
}

v1::PlannerService::Stub& Planner() { return *Server().stub; }

const google::protobuf::ServiceDescriptor& PlannerDescriptor() {
  static const google::protobuf::ServiceDescriptor* const service =
      v1::SimulateRequest::descriptor()->file()->pool()->FindServiceByName(
          "attain.v1.PlannerService");
  return *service;
}

void CheckFigures(const Message& message) {
  const Reflection& r = *message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r.ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE) {
      if (field->is_repeated()) {
        for (int i = 0; i < r.FieldSize(message, field); ++i) {
          CheckDouble(message, *field, r.GetRepeatedDouble(message, field, i));
        }
      } else {
        CheckDouble(message, *field, r.GetDouble(message, field));
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < r.FieldSize(message, field); ++i) {
          CheckFigures(r.GetRepeatedMessage(message, field, i));
        }
      } else {
        CheckFigures(r.GetMessage(message, field));
      }
    }
  }
  // An interval beside its estimate: "attainment_interval" with "attainment_probability",
  // "x_interval" with "x".
  for (const FieldDescriptor* field : fields) {
    if (field->is_repeated() || field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE ||
        !absl::EndsWith(field->name(), "_interval")) {
      continue;
    }
    std::string estimate_name(field->name().substr(0, field->name().size() - 9));
    if (estimate_name == "attainment") estimate_name = "attainment_probability";
    const FieldDescriptor* estimate = message.GetDescriptor()->FindFieldByName(estimate_name);
    if (estimate == nullptr || estimate->cpp_type() != FieldDescriptor::CPPTYPE_DOUBLE ||
        estimate->is_repeated()) {
      continue;
    }
    CheckContains(r.GetMessage(message, field), r.GetDouble(message, estimate),
                  absl::StrCat(message.GetDescriptor()->full_name(), ".", estimate_name));
  }
}

void CheckAnswer(const grpc::Status& status, const Message* response) {
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      if (response != nullptr) CheckFigures(*response);
      return;
    case grpc::StatusCode::INVALID_ARGUMENT: {
      // Bytes that are no request of the method: there is no field to name. The size
      // checks read the wire format first, then the parser.
      if (absl::StartsWith(status.error_message(), "the request is not a serialized ") ||
          absl::StartsWith(status.error_message(), "the request could not be parsed as ")) {
        return;
      }
      google::rpc::Status details;
      if (!details.ParseFromString(status.error_details())) {
        Fail(absl::StrCat("INVALID_ARGUMENT without details: ", status.error_message()));
      }
      for (const google::protobuf::Any& detail : details.details()) {
        google::rpc::BadRequest bad_request;
        if (!detail.UnpackTo(&bad_request)) continue;
        if (bad_request.field_violations().empty()) break;
        for (const auto& violation : bad_request.field_violations()) {
          if (violation.field().empty() || violation.description().empty()) {
            Fail(absl::StrCat("a field violation without its field or description: ",
                              status.error_message()));
          }
        }
        return;
      }
      Fail(absl::StrCat("INVALID_ARGUMENT naming no field: ", status.error_message()));
    }
    // No plan fits the hours; a full server or memory budget; a run over its time.
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      if (status.error_message().empty()) Fail("a refusal without a message");
      return;
    default:
      Fail(absl::StrCat("unexpected status ", status.error_code(), ": ",
                        status.error_message()));
  }
}

void CallAndCheck(absl::string_view method, const std::string& bytes) {
  if (method == "SimulateStream") {
    StreamAndCheck(&v1::PlannerService::Stub::SimulateStream, bytes);
  } else if (method == "RecommendTiersStream") {
    StreamAndCheck(&v1::PlannerService::Stub::RecommendTiersStream, bytes);
  } else if (method == "SimulateTeamStream") {
    StreamAndCheck(&v1::PlannerService::Stub::SimulateTeamStream, bytes);
  } else {
    std::string answer;
    const grpc::Status status = UnaryRaw(method, bytes, answer);
    if (!status.ok()) return CheckAnswer(status, nullptr);
    // The answer's type: the method's output.
    const auto* descriptor = PlannerDescriptor().FindMethodByName(std::string(method));
    if (descriptor == nullptr) Fail(absl::StrCat("no method ", method));
    std::unique_ptr<Message> response(
        google::protobuf::MessageFactory::generated_factory()
            ->GetPrototype(descriptor->output_type())
            ->New());
    if (!response->ParseFromString(answer)) Fail(absl::StrCat(method, ": the answer does not parse"));
    CheckAnswer(status, response.get());
  }
}

void CheckRefusal(const absl::Status& status) {
  if (status.message().empty()) Fail("a refusal without a message");
  if (status.message().size() > 4096) {
    Fail(absl::StrCat("a refusal of ", status.message().size(), " bytes: ",
                      status.message().substr(0, 200)));
  }
}

const v1::Portfolio& ExamplePortfolio() {
  static const v1::Portfolio* const portfolio = [] {
    auto* p = new v1::Portfolio;
    p->set_channel_manager_id("cm-fuzz");
    p->set_currency("USD");
    p->set_quota(1'000'000);
    p->set_periods(4);
    p->set_capacity_hours(40);
    const struct {
      const char* id;
      v1::Tier tier;
      double baseline;
    } partners[] = {{"acme", v1::TIER_MAINTAIN, 120'000},
                    {"brightline", v1::TIER_INVEST, 60'000},
                    {"cobalt", v1::TIER_OPPORTUNISTIC, 40'000}};
    for (const auto& partner : partners) {
      v1::Partner& added = *p->add_partners();
      added.set_id(partner.id);
      added.set_tier(partner.tier);
      added.set_baseline_revenue(partner.baseline);
      added.set_volatility(0.3);
    }
    return p;
  }();
  return *portfolio;
}

}  // namespace attain::fuzz
