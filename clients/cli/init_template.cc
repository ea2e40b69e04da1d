#include "clients/cli/init_template.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "simulator/model.h"

namespace attain::cli {
namespace {

constexpr char kCurrency[] = "USD";
constexpr char kChannelManagerId[] = "your-name";

// A number as a person writes it: no exponent below 10^15, no trailing zeros.
std::string Number(double value) { return absl::StrFormat("%.15g", value); }

// A default as the template states it: three significant digits (0.146, 0.0588, 24).
std::string Rounded(double value) { return absl::StrFormat("%.3g", value); }

// One column of the partners template and its comment line. The comment has no comma and
// no double quote: a spreadsheet then shows it as one cell and saves it back unchanged,
// still starting with '#', so attain keeps skipping it.
struct TemplateColumn {
  const char* name;
  std::string note;
};

std::vector<TemplateColumn> TemplateColumns() {
  const Partner d = DefaultPartner(PeriodLength::kQuarter);
  const TierPolicy tiers = DefaultTierPolicy(PeriodLength::kQuarter);
  const auto empty_is = [](const std::string& value) {
    return absl::StrCat(" Empty = ", value, ".");
  };
  return {
      {"id", "a short unique name for the partner; plans name partners by it. Required."},
      {"name", "the partner's name as reports show it."},
      {"tier",
       absl::StrCat("your current engagement: INVEST / MAINTAIN / OPPORTUNISTIC (",
                    Number(tiers.invest_hours), " / ", Number(tiers.maintain_hours), " / ",
                    Number(tiers.opportunistic_hours),
                    " hours per quarter: tierPolicy in portfolio-meta.json). Required.")},
      {"baseline_revenue",
       absl::StrCat(kCurrency, " per quarter the partner sells if you never call (the coming "
                    "quarter). Required; above 0. ", Number(kInitBaseline),
                    " is a placeholder.")},
      {"growth_rate",
       absl::StrCat("fraction per quarter by which that revenue drifts (0.02 = +2% a quarter;"
                    " -0.01 = shrinking 1% a quarter).", empty_is(Rounded(d.growth_rate)))},
      {"volatility",
       absl::StrCat("how much a quarter's revenue swings (lognormal scale; 0.15 = about +-15%).",
                    empty_is(Rounded(d.volatility)))},
      {"market_correlation",
       absl::StrCat("how much the partner moves with the whole market; 0 to below 1.",
                    empty_is(Rounded(d.market_correlation)))},
      {"segment",
       "partners with the same segment (e.g. enterprise) rise and fall together. Empty = none."},
      {"revenue_model",
       "LOGNORMAL (steady revenue) or DEALS (a few lumpy deals: set deals.mean_deal_size). "
       "Empty = LOGNORMAL."},
      {"response.max_lift",
       absl::StrCat("fraction of extra revenue with your full attention (0.3 = 30% more).",
                    empty_is(Rounded(d.max_lift)))},
      {"response.half_effort_hours",
       absl::StrCat("hours per quarter that give half of max_lift.",
                    empty_is(Rounded(d.half_effort_hours)))},
      {"response.ramp_periods",
       absl::StrCat("quarters until the lift is fully there (a whole number; 0 = at once).",
                    empty_is(absl::StrCat(d.ramp_periods)))},
      {"response.growth_boost",
       absl::StrCat("extra growth per quarter with your full attention (0.02 = +2% a quarter).",
                    empty_is(Rounded(d.growth_boost)))},
      {"retention.churn_rate",
       absl::StrCat("probability per quarter that a fully neglected partner goes quiet for "
                    "good (0 to below 1; 0.06 = about 1 in 5 within a year).",
                    empty_is(absl::StrCat(Rounded(d.churn_rate), " (",
                                          Rounded(Partner().churn_rate), " a month)")))},
      {"retention.retention_hours",
       absl::StrCat("hours per quarter that halve that probability.",
                    empty_is(Rounded(d.retention_hours)))},
      {"deals.mean_deal_size",
       absl::StrCat(kCurrency, " per deal; for DEALS only and required there.")},
      {"deals.deal_size_cv",
       absl::StrCat("how much deal sizes vary (0.5 = by about half either way).",
                    empty_is(Rounded(d.deal_size_cv)))},
  };
}

// `word` as one shell word: as it is when it has nothing the shell would read, else in
// single quotes.
std::string ShellWord(const std::string& word) {
  const bool plain = !word.empty() && word.find_first_not_of(
                                          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789_./-+:@%") == std::string::npos;
  if (plain) return word;
  return absl::StrCat("'", absl::StrReplaceAll(word, {{"'", "'\\''"}}), "'");
}

std::string SimulateCommand(const std::string& directory) {
  const InitFiles files = InitFilesIn(directory);
  return absl::StrCat("attain simulate ", ShellWord(files.partners_csv), " --portfolio-json ",
                      ShellWord(files.portfolio_json));
}

// Creates `path` with `text`; fails rather than replace anything there, even a file
// created after WriteInitFiles looked (O_EXCL).
absl::Status WriteNewFile(const std::string& path, absl::string_view text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST) {
      return absl::InvalidArgumentError(
          absl::StrCat("--out: ", path, " already exists; attain init replaces nothing"));
    }
    return absl::UnknownError(absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
  }
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      ::unlink(path.c_str());  // ours, and incomplete: a half template would mislead
      return absl::UnknownError(absl::StrCat("cannot write ", path, ": ", std::strerror(error)));
    }
    written += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(path.c_str());
    return absl::UnknownError(absl::StrCat("cannot write ", path, ": ", std::strerror(error)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckInitPartners(int64_t partners) {
  if (partners >= kMinInitPartners && partners <= kMaxInitPartners) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("--partners: expected a whole number from ",
                                                 kMinInitPartners, " to ", kMaxInitPartners,
                                                 ", got ", partners));
}

InitFiles InitFilesIn(const std::string& directory) {
  const std::filesystem::path dir(directory);
  return {(dir / "partners.csv").string(), (dir / "portfolio-meta.json").string(),
          (dir / "README.md").string()};
}

std::string PartnersCsvTemplate(int partners) {
  const std::vector<TemplateColumn> columns = TemplateColumns();
  std::string csv = absl::StrCat(
      "# Attain partners: one row per partner. Lines starting with # are notes; attain skips "
      "them.\n"
      "# Every figure per period is PER QUARTER (portfolio-meta.json: periodLength QUARTER). "
      "Money is in ",
      kCurrency, ".\n",
      "# An empty cell takes the default given below. The rows are placeholders: replace "
      "them with your partners.\n");
  for (const TemplateColumn& column : columns) {
    absl::StrAppend(&csv, "# ", column.name, ": ", column.note, "\n");
  }
  absl::StrAppend(&csv,
                  "# Edit in a spreadsheet and save as CSV (comma separated). README.md beside "
                  "this file says more.\n");
  std::vector<std::string> names;
  for (const TemplateColumn& column : columns) names.push_back(column.name);
  absl::StrAppend(&csv, absl::StrJoin(names, ","), "\n");

  // partner-01 ... partner-12, or partner-0001 ... for thousands: ids sort in row order.
  const int width = std::max<int>(2, static_cast<int>(absl::StrCat(partners).size()));
  const std::string empty_cells(columns.size() - 4, ',');
  for (int k = 1; k <= partners; ++k) {
    absl::StrAppend(&csv, absl::StrFormat("partner-%0*d", width, k), ",Partner ", k,
                    ",MAINTAIN,", Number(kInitBaseline), empty_cells, "\n");
  }
  return csv;
}

v1::Portfolio PortfolioSettingsTemplate(int partners) {
  const TierPolicy tiers = DefaultTierPolicy(PeriodLength::kQuarter);
  v1::Portfolio portfolio;
  portfolio.set_channel_manager_id(kChannelManagerId);
  portfolio.set_currency(kCurrency);
  portfolio.set_quota(partners * kInitPeriods * kInitBaseline);
  portfolio.set_periods(kInitPeriods);
  portfolio.set_period_length(v1::PERIOD_LENGTH_QUARTER);
  portfolio.set_capacity_hours(partners * kInitCapacityPerPartner);
  portfolio.mutable_tier_policy()->set_invest_hours(tiers.invest_hours);
  portfolio.mutable_tier_policy()->set_maintain_hours(tiers.maintain_hours);
  portfolio.mutable_tier_policy()->set_opportunistic_hours(tiers.opportunistic_hours);
  return portfolio;
}

std::string PortfolioSettingsJson(int partners) {
  // Written by hand rather than printed by protobuf: short enum names and the tier policy
  // on one line, as a person would write the file.
  const v1::Portfolio p = PortfolioSettingsTemplate(partners);
  const v1::TierPolicy& tiers = p.tier_policy();
  return absl::StrCat(
      "{\n"
      "  \"channelManagerId\": \"", p.channel_manager_id(), "\",\n",
      "  \"currency\": \"", p.currency(), "\",\n",
      "  \"quota\": ", Number(p.quota()), ",\n",
      "  \"periods\": ", p.periods(), ",\n",
      "  \"periodLength\": \"QUARTER\",\n",
      "  \"capacityHours\": ", Number(p.capacity_hours()), ",\n",
      "  \"tierPolicy\": {\"investHours\": ", Number(tiers.invest_hours()),
      ", \"maintainHours\": ", Number(tiers.maintain_hours()),
      ", \"opportunisticHours\": ", Number(tiers.opportunistic_hours()), "}\n",
      "}\n");
}

std::string InitReadme(const std::string& directory, int partners) {
  const v1::Portfolio p = PortfolioSettingsTemplate(partners);
  const v1::TierPolicy& tiers = p.tier_policy();
  const TierPolicy monthly;  // the defaults, stated per month
  const Partner quarter = DefaultPartner(PeriodLength::kQuarter);
  const Partner month;
  const double maintain_share = tiers.maintain_hours() / kInitCapacityPerPartner;
  const double invest_share =
      (kInitCapacityPerPartner - tiers.maintain_hours()) /
      (tiers.invest_hours() - tiers.maintain_hours());
  return absl::StrCat(
      "# Your Attain portfolio\n"
      "\n"
      "`attain init` wrote three files here: a plan by quarter over one year (",
      p.periods(), " quarters) for ", partners, partners == 1 ? " partner" : " partners",
      ". They simulate as they are, on placeholders; replace the placeholders with your "
      "numbers.\n"
      "\n"
      "- `partners.csv`: one row per partner. Open it in a spreadsheet, fill in your partners "
      "and save it as CSV. The lines starting with `#` give each column's unit and what an "
      "empty cell means; attain skips them, so keep them or delete them.\n"
      "- `portfolio-meta.json`: the settings of the whole portfolio (below).\n"
      "- `README.md`: this file.\n"
      "\n"
      "## Units\n"
      "\n"
      "One period is a quarter (`\"periodLength\": \"QUARTER\"`), so every per-period figure "
      "is per quarter: baseline revenue in ", p.currency(), " per quarter, growth and churn "
      "as fractions per quarter, hours per quarter. An empty cell takes the model's default "
      "for a quarter. The defaults are stated per month and converted: hours x3 (half-effort "
      "hours ", Number(month.half_effort_hours), " -> ", Number(quarter.half_effort_hours),
      ", retention hours ", Number(month.retention_hours), " -> ",
      Number(quarter.retention_hours), "), churn 1 - (1 - c)^3 (", Number(month.churn_rate),
      " -> ", Rounded(quarter.churn_rate), "), volatility ", Number(month.volatility), " -> ",
      Rounded(quarter.volatility), " (a quarter swings as three independent months "
      "together), ramp ", month.ramp_periods, " months -> ", quarter.ramp_periods,
      " quarter.\n"
      "\n"
      "To plan by month instead, set `\"periodLength\": \"MONTH\"` and `\"periods\": 12`, "
      "and give every figure per month: baselines, growth, churn, hours, capacity and the "
      "tier policy.\n"
      "\n"
      "## portfolio-meta.json\n"
      "\n"
      "| field | unit | placeholder | meaning |\n"
      "|---|---|---|---|\n"
      "| `channelManagerId` | text | `", p.channel_manager_id(),
      "` | whose portfolio this is |\n"
      "| `currency` | currency code | `", p.currency(),
      "` | the currency of every amount: baselines, deal sizes, quota |\n"
      "| `quota` | ", p.currency(), " over the whole horizon | ", Number(p.quota()),
      " | the revenue target for all ", p.periods(),
      " quarters together, not per quarter |\n"
      "| `periods` | quarters | ", p.periods(),
      " | the horizon: how many periods to simulate (1 to 60) |\n"
      "| `periodLength` | `MONTH` or `QUARTER` | `QUARTER` | the length of one period; "
      "unset means MONTH |\n"
      "| `capacityHours` | hours per quarter | ", Number(p.capacity_hours()),
      " | the hours you can give these partners in a quarter, all together |\n"
      "| `tierPolicy.investHours` | hours per quarter, per partner | ",
      Number(tiers.invest_hours()), " | what an INVEST partner gets (",
      Number(monthly.invest_hours), " a month) |\n"
      "| `tierPolicy.maintainHours` | hours per quarter, per partner | ",
      Number(tiers.maintain_hours()), " | what a MAINTAIN partner gets (",
      Number(monthly.maintain_hours), " a month) |\n"
      "| `tierPolicy.opportunisticHours` | hours per quarter, per partner | ",
      Number(tiers.opportunistic_hours()), " | what an OPPORTUNISTIC partner gets (",
      Number(monthly.opportunistic_hours), " a month) |\n"
      "\n"
      "Why these placeholders:\n"
      "\n"
      "- Every partner's baseline is ", Number(kInitBaseline), " ", p.currency(),
      " a quarter, and the quota is what they would sell in ", p.periods(),
      " quarters on their own if none went quiet (", partners, " x ", p.periods(), " x ",
      Number(kInitBaseline), "). The first simulation then gives a chance of making quota "
      "well between 0 and 1 rather than a certain yes or no. Replace it with your quota for "
      "the year.\n"
      "- The capacity is ", Number(kInitCapacityPerPartner),
      " hours a quarter per partner (10 a month). The current tiers (every partner "
      "MAINTAIN) use ", absl::StrFormat("%.0f", 100 * maintain_share),
      "% of it, which leaves room to move about ",
      absl::StrFormat("%.0f", 100 * invest_share),
      "% of the partners to INVEST, so `attain recommend` has choices to weigh. Replace it "
      "with the hours you really have for these partners: a full-time channel manager may "
      "have about 300 to 400 a quarter.\n"
      "- The tier hours are the defaults (", Number(monthly.invest_hours), " / ",
      Number(monthly.maintain_hours), " / ", Number(monthly.opportunistic_hours),
      " a month) for a quarter.\n"
      "\n"
      "## Next\n"
      "\n"
      "Simulate the portfolio (start the server, `attaind`, first):\n"
      "\n"
      "```sh\n",
      SimulateCommand(directory), "\n"
      "```\n"
      "\n"
      "It prints the chance of making quota, P(attain), what each partner is expected to "
      "bring in with and without your hours, and warnings about inputs that look wrong. On "
      "the placeholders it warns that results rest on defaults: the response columns "
      "(max_lift, half_effort_hours, churn_rate, retention_hours) are empty. Fill them in, or "
      "estimate them from your CRM history with `attain calibrate`. Then `attain recommend` "
      "with the same files says which tiers would serve you best, and `attain coach` scores "
      "a plan of your own.\n");
}

std::string InitSummary(const std::string& directory, int partners) {
  const InitFiles files = InitFilesIn(directory);
  const int width = static_cast<int>(files.portfolio_json.size());  // the longest name
  return absl::StrCat(
      "Wrote a portfolio template for ", partners, partners == 1 ? " partner" : " partners",
      ", by quarter over one year:\n",
      absl::StrFormat("  %-*s  one row per partner to fill in (its # lines explain each "
                      "column)\n",
                      width, files.partners_csv),
      absl::StrFormat("  %-*s  quota, horizon, capacity and tier hours\n", width,
                      files.portfolio_json),
      absl::StrFormat("  %-*s  the unit of every setting\n", width, files.readme),
      "Every per-period figure is per quarter. It simulates as it is, on placeholders:\n"
      "  ", SimulateCommand(directory), "\n");
}

absl::Status WriteInitFiles(const std::string& directory, int partners) {
  if (absl::Status status = CheckInitPartners(partners); !status.ok()) return status;
  std::error_code error;
  if (std::filesystem::exists(directory, error) &&
      !std::filesystem::is_directory(directory, error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--out: ", directory, " exists and is not a directory"));
  }
  const InitFiles files = InitFilesIn(directory);
  // All three checked before any is written: a refusal writes nothing. A symbolic link
  // counts as a file even when it points nowhere.
  for (const std::string* path : {&files.partners_csv, &files.portfolio_json, &files.readme}) {
    if (std::filesystem::exists(std::filesystem::symlink_status(*path, error))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--out: ", *path,
          " already exists; nothing was written (attain init replaces nothing: choose "
          "another directory, or move the file away)"));
    }
  }
  std::filesystem::create_directories(directory, error);
  if (error) {
    return absl::UnknownError(
        absl::StrCat("cannot create the directory ", directory, ": ", error.message()));
  }
  if (absl::Status written = WriteNewFile(files.partners_csv, PartnersCsvTemplate(partners));
      !written.ok()) {
    return written;
  }
  if (absl::Status written = WriteNewFile(files.portfolio_json, PortfolioSettingsJson(partners));
      !written.ok()) {
    return written;
  }
  return WriteNewFile(files.readme, InitReadme(directory, partners));
}

}  // namespace attain::cli
