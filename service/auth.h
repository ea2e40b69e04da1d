// Bearer-token authentication of attaind's calls (--auth-token-file). The file holds one
// "NAME TOKEN" per line (blank lines and lines starting with '#' are skipped); a call
// must carry the metadata "authorization: Bearer TOKEN" with one of its tokens, and is
// then known by that token's NAME in the request log and the metrics. The file is read at
// start and again when it changes (checked at most once a second, on calls), so that a
// Kubernetes Secret rotated in place takes effect without a restart; a changed file that
// does not parse is ignored (with a warning) and the tokens before it stay.
//
// Tokens are compared in constant time, every one of them on every call, so the time a
// refusal takes tells nothing about how close a guess came. A refusal says only
// "missing or invalid bearer token". Neither tokens nor the file's lines are ever logged.
//
// Thread-safe.
#ifndef ATTAIN_SERVICE_AUTH_H_
#define ATTAIN_SERVICE_AUTH_H_

#include <sys/stat.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"

namespace attain {

struct NamedToken {
  std::string name;   // 1 to 64 of [A-Za-z0-9._-]: a metric label
  std::string token;  // 16 to 1024 printable bytes, no spaces
};

// Most lines of a token file.
inline constexpr size_t kMaxTokens = 1000;

// The tokens of a file's contents. INVALID_ARGUMENT naming the line and what is wrong
// with it (never its contents): a bad name or token, a repeated name or token, too
// many lines.
absl::StatusOr<std::vector<NamedToken>> ParseTokenFile(absl::string_view contents);

// Whether `a` equals `secret`, in a time that depends on secret.size() only.
bool ConstantTimeEquals(absl::string_view a, absl::string_view secret);

class TokenAuth {
 public:
  // Reads and parses the file. INVALID_ARGUMENT naming --auth-token-file when it cannot
  // be read, does not parse, or holds no token.
  static absl::StatusOr<std::unique_ptr<TokenAuth>> Load(std::string path);

  // The name of the call's token; UNAUTHENTICATED when it has none of the file's.
  absl::StatusOr<std::string> Authenticate(const grpc::ServerContextBase& context);

  // Rereads the file now if it changed since it was last read.
  void ReloadIfChanged();

 private:
  struct FileStamp {
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    timespec modified{};
    bool operator==(const FileStamp& other) const;
  };

  TokenAuth(std::string path, FileStamp stamp, std::vector<NamedToken> tokens);

  const std::string path_;
  std::mutex mu_;
  FileStamp stamp_;
  std::chrono::steady_clock::time_point checked_;
  std::shared_ptr<const std::vector<NamedToken>> tokens_;
};

}  // namespace attain

#endif  // ATTAIN_SERVICE_AUTH_H_
