// attaind's token file (service/auth.h): what it accepts is names and tokens without
// blanks; what it refuses it says in a fixed sentence with the line's number, never
// quoting the file (a token must never reach a log line).
#include <cstddef>
#include <cstdint>
#include <set>
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
    // A refusal names the line, never its contents: without its numbers, it is one of
    // the file format's fixed sentences.
    std::string sentence;
    for (const char c : tokens.status().message()) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) sentence += c;
    }
    static const std::set<std::string> kSentences = {
        "--auth-token-file line : expected NAME TOKEN",
        "--auth-token-file line : NAME must be  to  of A-Z a-z - . _ -",
        "--auth-token-file line : TOKEN must be  to  printable characters",
        "--auth-token-file line : NAME repeats an earlier line's",
        "--auth-token-file line : TOKEN repeats an earlier line's",
        "--auth-token-file line : more than  tokens",
    };
    if (!kSentences.contains(sentence)) {
      attain::fuzz::Fail(absl::StrCat("a refusal that is not a fixed sentence: ",
                                      tokens.status().message()));
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
