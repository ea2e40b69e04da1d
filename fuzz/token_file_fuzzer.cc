// attaind's token file (service/auth.h): what it accepts is names and tokens without
// blanks; what it refuses it says without quoting the file (a token must never reach a
// log line).
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "fuzz/fuzz_support.h"
#include "service/auth.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view contents(reinterpret_cast<const char*>(data), size);
  const auto tokens = attain::ParseTokenFile(contents);
  if (!tokens.ok()) {
    attain::fuzz::CheckRefusal(tokens.status());
    // A refusal names the line, never its contents: no token-sized piece of the file.
    const absl::string_view message = tokens.status().message();
    for (size_t at = 0; at + 16 <= contents.size(); at += 8) {
      const absl::string_view piece = contents.substr(at, 16);
      if (absl::StrContains(message, piece)) {
        attain::fuzz::Fail(absl::StrCat("a refusal quotes the file: ", message));
      }
    }
    return 0;
  }
  for (const attain::NamedToken& token : *tokens) {
    for (const std::string* part : {&token.name, &token.token}) {
      if (part->empty()) attain::fuzz::Fail("an empty name or token was accepted");
      for (const char c : *part) {
        if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
          attain::fuzz::Fail("a name or token with a blank was accepted");
        }
      }
    }
    if (!attain::ConstantTimeEquals(token.token, token.token)) {
      attain::fuzz::Fail("a token does not equal itself");
    }
  }
  return 0;
}
