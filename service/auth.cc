#include "service/auth.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "service/log.h"

namespace attain {
namespace {

constexpr size_t kMaxNameBytes = 64;
constexpr size_t kMinTokenBytes = 16;
constexpr size_t kMaxTokenBytes = 1024;
// A file of kMaxTokens lines at the longest, with room for comments.
constexpr off_t kMaxFileBytes = 4 << 20;
constexpr std::chrono::seconds kRecheckInterval{1};
constexpr absl::string_view kBearer = "bearer ";

bool IsNameByte(char c) { return absl::ascii_isalnum(c) || c == '.' || c == '_' || c == '-'; }

bool StampOf(const std::string& path, struct stat& info) {
  return stat(path.c_str(), &info) == 0;  // follows the symlinks a Secret volume swaps
}

absl::StatusOr<std::string> ReadFile(const std::string& path, off_t size) {
  if (size > kMaxFileBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("--auth-token-file is ", size, " bytes, the limit is ", kMaxFileBytes));
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::InvalidArgumentError("--auth-token-file: cannot be read");
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

}  // namespace

absl::StatusOr<std::vector<NamedToken>> ParseTokenFile(absl::string_view contents) {
  std::vector<NamedToken> tokens;
  std::set<absl::string_view> names;
  std::set<absl::string_view> secrets;
  int number = 0;
  for (const absl::string_view raw : absl::StrSplit(contents, '\n')) {
    ++number;
    const absl::string_view line = absl::StripAsciiWhitespace(raw);
    if (line.empty() || line.front() == '#') continue;
    const auto bad = [number](absl::string_view why) {
      return absl::InvalidArgumentError(absl::StrCat("--auth-token-file line ", number, ": ", why));
    };
    if (tokens.size() == kMaxTokens) return bad(absl::StrCat("more than ", kMaxTokens, " tokens"));
    const std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (fields.size() != 2) return bad("expected NAME TOKEN");
    const absl::string_view name = fields[0];
    const absl::string_view token = fields[1];
    if (name.size() > kMaxNameBytes || !std::all_of(name.begin(), name.end(), IsNameByte)) {
      return bad(absl::StrCat("NAME must be 1 to ", kMaxNameBytes, " of A-Z a-z 0-9 . _ -"));
    }
    if (token.size() < kMinTokenBytes || token.size() > kMaxTokenBytes ||
        !std::all_of(token.begin(), token.end(), [](char c) { return c > ' ' && c < 127; })) {
      return bad(absl::StrCat("TOKEN must be ", kMinTokenBytes, " to ", kMaxTokenBytes,
                              " printable characters"));
    }
    if (!names.insert(name).second) return bad("NAME repeats an earlier line's");
    if (!secrets.insert(token).second) return bad("TOKEN repeats an earlier line's");
    tokens.push_back({std::string(name), std::string(token)});
  }
  return tokens;
}

bool ConstantTimeEquals(absl::string_view a, absl::string_view secret) {
  // Every byte of the secret is read, whatever `a` is: no early exit, no branch on data.
  unsigned char difference = a.size() == secret.size() ? 0 : 1;
  for (size_t i = 0; i < secret.size(); ++i) {
    const unsigned char given = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const auto byte = static_cast<unsigned char>(given ^ static_cast<unsigned char>(secret[i]));
    difference = static_cast<unsigned char>(difference | byte);
  }
  return difference == 0;
}

bool TokenAuth::FileStamp::operator==(const FileStamp& other) const {
  return device == other.device && inode == other.inode && size == other.size &&
         modified.tv_sec == other.modified.tv_sec && modified.tv_nsec == other.modified.tv_nsec;
}

absl::StatusOr<std::unique_ptr<TokenAuth>> TokenAuth::Load(std::string path) {
  struct stat info;
  if (!StampOf(path, info)) {
    return absl::InvalidArgumentError("--auth-token-file: no such file, or not readable");
  }
  absl::StatusOr<std::string> contents = ReadFile(path, info.st_size);
  if (!contents.ok()) return contents.status();
  absl::StatusOr<std::vector<NamedToken>> tokens = ParseTokenFile(*contents);
  if (!tokens.ok()) return tokens.status();
  if (tokens->empty()) return absl::InvalidArgumentError("--auth-token-file holds no token");
  const FileStamp stamp{info.st_dev, info.st_ino, info.st_size, info.st_mtim};
  return std::unique_ptr<TokenAuth>(new TokenAuth(std::move(path), stamp, *std::move(tokens)));
}

TokenAuth::TokenAuth(std::string path, FileStamp stamp, std::vector<NamedToken> tokens)
    : path_(std::move(path)),
      stamp_(stamp),
      checked_(std::chrono::steady_clock::now()),
      tokens_(std::make_shared<const std::vector<NamedToken>>(std::move(tokens))) {}

void TokenAuth::ReloadIfChanged() {
  struct stat info;
  if (!StampOf(path_, info)) {
    Log(LogLevel::kWarning, "auth token file cannot be read; the tokens read before stay");
    return;
  }
  const FileStamp stamp{info.st_dev, info.st_ino, info.st_size, info.st_mtim};
  {
    std::lock_guard lock(mu_);
    if (stamp == stamp_) return;
    stamp_ = stamp;  // a file that does not parse is not read again until it changes
  }
  absl::StatusOr<std::string> contents = ReadFile(path_, info.st_size);
  absl::StatusOr<std::vector<NamedToken>> tokens =
      contents.ok() ? ParseTokenFile(*contents) : contents.status();
  if (tokens.ok() && tokens->empty()) {
    tokens = absl::InvalidArgumentError("--auth-token-file holds no token");
  }
  if (!tokens.ok()) {
    Log(LogLevel::kWarning, absl::StrCat("auth token file changed but is not used: ",
                                         tokens.status().message(),
                                         "; the tokens read before stay"));
    return;
  }
  const size_t count = tokens->size();
  {
    std::lock_guard lock(mu_);
    tokens_ = std::make_shared<const std::vector<NamedToken>>(*std::move(tokens));
  }
  Log(LogLevel::kInfo, absl::StrCat("auth tokens reloaded tokens=", count));
}

absl::StatusOr<std::string> TokenAuth::Authenticate(const grpc::ServerContextBase& context) {
  std::shared_ptr<const std::vector<NamedToken>> tokens;
  bool recheck = false;
  {
    std::lock_guard lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    if (now - checked_ >= kRecheckInterval) {
      checked_ = now;
      recheck = true;
    }
  }
  if (recheck) ReloadIfChanged();
  {
    std::lock_guard lock(mu_);
    tokens = tokens_;
  }
  absl::string_view given;
  const auto& metadata = context.client_metadata();
  if (const auto it = metadata.find("authorization"); it != metadata.end()) {
    const absl::string_view value(it->second.data(), it->second.size());
    if (value.size() > kBearer.size() &&
        absl::EqualsIgnoreCase(value.substr(0, kBearer.size()), kBearer)) {
      given = value.substr(kBearer.size());
    }
  }
  const NamedToken* match = nullptr;
  for (const NamedToken& token : *tokens) {
    // Every token is compared: the time does not depend on which one matches.
    if (ConstantTimeEquals(given, token.token)) match = &token;
  }
  if (match == nullptr) return absl::UnauthenticatedError("missing or invalid bearer token");
  return match->name;
}

}  // namespace attain
