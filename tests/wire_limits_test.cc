// The wire-format size check: counts of repeated fields (per parent, packed or not),
// string lengths with their field paths, unknown fields, malformed bytes, and a limit for
// every repeated field of every request of the service.
#include "service/wire_limits.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "attain/v1/planner_service.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"
#include "gtest/gtest.h"

namespace attain {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

Limits SmallLimits() {
  Limits limits;
  limits.max_partners = 10;
  limits.max_periods = 6;
  limits.max_plans = 3;
  return limits;
}

// The violations of `message` serialized, against SmallLimits().
absl::StatusOr<Violations> Check(const google::protobuf::Message& message) {
  const std::string bytes = message.SerializeAsString();
  google::protobuf::io::ArrayInputStream input(bytes.data(), static_cast<int>(bytes.size()));
  return CheckWireLimits(input, *message.GetDescriptor(), ServiceWireLimits(SmallLimits()));
}

absl::StatusOr<Violations> CheckBytes(const std::string& bytes, const Descriptor& type) {
  google::protobuf::io::ArrayInputStream input(bytes.data(), static_cast<int>(bytes.size()));
  return CheckWireLimits(input, type, ServiceWireLimits(SmallLimits()));
}

v1::Portfolio PortfolioWith(int partners) {
  v1::Portfolio portfolio;
  portfolio.set_channel_manager_id("cm-1");
  for (int i = 0; i < partners; ++i) {
    v1::Partner* p = portfolio.add_partners();
    p->set_id(absl::StrCat("P", i));
    p->set_segment("north");
    p->set_baseline_revenue(1000);
  }
  return portfolio;
}

// Asserts one violation on `field` whose description is `description`.
void ExpectViolation(const absl::StatusOr<Violations>& checked, const std::string& field,
                     const std::string& description) {
  ASSERT_TRUE(checked.ok()) << checked.status();
  ASSERT_EQ(checked->size(), 1u);
  EXPECT_EQ((*checked)[0].field, field);
  EXPECT_EQ((*checked)[0].description, description);
}

TEST(WireLimitsTest, ARequestWithinTheLimitsPasses) {
  v1::ComparePlansRequest request;
  *request.mutable_portfolio() = PortfolioWith(10);
  for (int t = 0; t < 6; ++t) request.mutable_portfolio()->add_seasonality(1.0);
  for (int k = 0; k < 3; ++k) {
    v1::Plan* plan = request.add_plans();
    for (int i = 0; i < 10; ++i) (*plan->mutable_tiers())[absl::StrCat("P", i)] = v1::TIER_INVEST;
  }
  const absl::StatusOr<Violations> checked = Check(request);
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_TRUE(checked->empty());
}

TEST(WireLimitsTest, PartnersOverTheLimitAreCountedToTheEnd) {
  v1::SimulateRequest request;
  *request.mutable_portfolio() = PortfolioWith(25);
  ExpectViolation(Check(request), "portfolio.partners", "has 25 entries, the limit is 10");
}

TEST(WireLimitsTest, MapEntriesAreCountedPerPlan) {
  v1::ComparePlansRequest request;
  *request.mutable_portfolio() = PortfolioWith(2);
  request.add_plans();
  v1::Plan* second = request.add_plans();
  for (int i = 0; i < 11; ++i) (*second->mutable_hours())[absl::StrCat("P", i)] = 1;
  ExpectViolation(Check(request), "plans[1].hours", "has 11 entries, the limit is 10");
}

TEST(WireLimitsTest, PlansOverTheLimit) {
  v1::ComparePlansRequest request;
  for (int k = 0; k < 4; ++k) request.add_plans();
  ExpectViolation(Check(request), "plans", "has 4 entries, the limit is 3");
}

TEST(WireLimitsTest, PackedSeasonalityIsCountedByElement) {
  v1::SimulateRequest request;
  for (int t = 0; t < 7; ++t) request.mutable_portfolio()->add_seasonality(1.0);
  ExpectViolation(Check(request), "portfolio.seasonality", "has 7 entries, the limit is 6");
}

TEST(WireLimitsTest, UnpackedRepeatedScalarsAreCountedToo) {
  // The same field written one element per tag (valid wire format for a repeated double).
  std::string portfolio;
  google::protobuf::io::StringOutputStream out(&portfolio);
  {
    google::protobuf::io::CodedOutputStream coded(&out);
    const int field = v1::Portfolio::descriptor()->FindFieldByName("seasonality")->number();
    for (int t = 0; t < 8; ++t) {
      coded.WriteTag(google::protobuf::internal::WireFormatLite::MakeTag(
          field, google::protobuf::internal::WireFormatLite::WIRETYPE_FIXED64));
      coded.WriteLittleEndian64(0);
    }
  }
  v1::Portfolio parsed;
  ASSERT_TRUE(parsed.ParseFromString(portfolio));
  ASSERT_EQ(parsed.seasonality_size(), 8);
  ExpectViolation(CheckBytes(portfolio, *v1::Portfolio::descriptor()), "seasonality",
                  "has 8 entries, the limit is 6");
}

TEST(WireLimitsTest, LongStringsAreRefusedWithTheirPath) {
  v1::RecommendTiersRequest request;
  *request.mutable_portfolio() = PortfolioWith(3);
  request.mutable_portfolio()->mutable_partners(2)->set_segment(std::string(300, 's'));
  ExpectViolation(Check(request), "portfolio.partners[2].segment",
                  "is 300 bytes long, the limit is 256");

  v1::RecommendTiersRequest locked;
  locked.add_locked_partner_ids("P1");
  locked.add_locked_partner_ids(std::string(257, 'x'));
  ExpectViolation(Check(locked), "locked_partner_ids[1]", "is 257 bytes long, the limit is 256");

  v1::ComparePlansRequest plans;
  plans.add_plans();
  (*plans.add_plans()->mutable_tiers())[std::string(1000, 'k')] = v1::TIER_INVEST;
  ExpectViolation(Check(plans), "plans[1].tiers[0].key", "is 1000 bytes long, the limit is 256");
}

TEST(WireLimitsTest, UnknownFieldsAreSkipped) {
  v1::SimulateRequest request;
  *request.mutable_portfolio() = PortfolioWith(2);
  std::string bytes = request.SerializeAsString();
  bytes += std::string("\xf8\x07\x2a", 3);  // field 127, varint 42
  bytes += std::string("\xfa\x07\x03" "abc", 6);  // field 127, 3 bytes
  const absl::StatusOr<Violations> checked = CheckBytes(bytes, *v1::SimulateRequest::descriptor());
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_TRUE(checked->empty());
}

TEST(WireLimitsTest, MalformedBytesAreInvalidArgument) {
  const Descriptor& type = *v1::SimulateRequest::descriptor();
  for (const std::string& bytes : {std::string("\xff\xff\xff", 3),  // truncated varint tag
                                   std::string("\x0a\x10\x12", 3),  // length past the end
                                   std::string("\x00", 1)}) {        // tag 0
    const absl::StatusOr<Violations> checked = CheckBytes(bytes, type);
    EXPECT_EQ(checked.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(checked.status().message().find("not a serialized attain.v1.SimulateRequest"),
              std::string::npos);
  }
}

TEST(WireLimitsTest, AMillionEmptyPartnersAreCountedWithoutParsing) {
  // Two bytes a partner: the portfolio's partners field, length 0.
  const int field = v1::Portfolio::descriptor()->FindFieldByName("partners")->number();
  std::string portfolio;
  for (int i = 0; i < 1'000'000; ++i) portfolio += {static_cast<char>(field << 3 | 2), '\0'};
  ExpectViolation(CheckBytes(portfolio, *v1::Portfolio::descriptor()), "partners",
                  "has 1000000 entries, the limit is 10");
}

// Every repeated field reachable from a request of the service.
void CollectRepeated(const Descriptor& type, std::set<std::string>& seen,
                     std::set<std::string>& repeated) {
  if (!seen.insert(type.full_name()).second) return;
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    if (field.is_repeated()) repeated.insert(field.full_name());
    if (field.type() == FieldDescriptor::TYPE_MESSAGE && !field.is_map()) {
      CollectRepeated(*field.message_type(), seen, repeated);
    }
  }
}

TEST(WireLimitsTest, ATeamsPartnersAreCountedOverAllItsMembers) {
  TeamLimits team;
  team.max_members = 4;
  team.max_partners = 25;
  const WireLimits limits = TeamWireLimits(SmallLimits(), team);
  auto check = [&limits](const v1::SimulateTeamRequest& request) {
    const std::string bytes = request.SerializeAsString();
    google::protobuf::io::ArrayInputStream input(bytes.data(), static_cast<int>(bytes.size()));
    return CheckWireLimits(input, *v1::SimulateTeamRequest::descriptor(), limits);
  };
  v1::SimulateTeamRequest request;
  for (int j = 0; j < 3; ++j) *request.mutable_team()->add_members() = PortfolioWith(8);
  EXPECT_TRUE(check(request)->empty());  // 24 partners
  *request.mutable_team()->add_members() = PortfolioWith(2);
  ExpectViolation(check(request), "team.members[3].partners",
                  "brings the request's partners to 26, the limit over the whole request is 25");
  v1::SimulateTeamRequest many;
  for (int j = 0; j < 5; ++j) *many.mutable_team()->add_members() = PortfolioWith(1);
  ExpectViolation(check(many), "team.members", "has 5 entries, the limit is 4");
  // Each member is still held to a portfolio's own limit.
  v1::SimulateTeamRequest large;
  *large.mutable_team()->add_members() = PortfolioWith(11);
  ExpectViolation(check(large), "team.members[0].partners", "has 11 entries, the limit is 10");
}

TEST(WireLimitsTest, EveryRepeatedFieldOfEveryRequestHasItsOwnLimit) {
  const google::protobuf::ServiceDescriptor& service =
      *v1::SimulateRequest::descriptor()->file()->FindServiceByName("PlannerService");
  std::set<std::string> seen;
  std::set<std::string> repeated;
  for (int m = 0; m < service.method_count(); ++m) {
    CollectRepeated(*service.method(m)->input_type(), seen, repeated);
  }
  const WireLimits limits = ServiceWireLimits(Limits());
  EXPECT_GE(repeated.size(), 6u);
  for (const std::string& field : repeated) {
    EXPECT_TRUE(limits.max_count.contains(field)) << field << " has no limit of its own";
  }
}

}  // namespace
}  // namespace attain
