// Bearer tokens (service/auth.h): the token file's grammar, the constant-time compare, and
// loading and reloading the file.
#include "service/auth.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace attain {
namespace {

constexpr char kToken[] = "0123456789abcdef-ci";

TEST(ParseTokenFileTest, ReadsNamesAndTokensSkippingCommentsAndBlankLines) {
  const absl::StatusOr<std::vector<NamedToken>> tokens = ParseTokenFile(
      "# CRM plugins\n\ncrm-plugin  0123456789abcdef-crm\n  planner.v2\t0123456789abcdef-pl  \n");
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  ASSERT_EQ(tokens->size(), 2u);
  EXPECT_EQ((*tokens)[0].name, "crm-plugin");
  EXPECT_EQ((*tokens)[0].token, "0123456789abcdef-crm");
  EXPECT_EQ((*tokens)[1].name, "planner.v2");
  EXPECT_EQ((*tokens)[1].token, "0123456789abcdef-pl");
  EXPECT_TRUE(ParseTokenFile("").ok());
}

TEST(ParseTokenFileTest, RefusesBadLinesNamingTheLineButNotItsContents) {
  const struct {
    std::string contents;
    std::string message;
  } cases[] = {
      {"a 0123456789abcdef x\n", "line 1: expected NAME TOKEN"},
      {"# c\nonly-a-name\n", "line 2: expected NAME TOKEN"},
      {"bad/name 0123456789abcdef\n", "line 1: NAME must be"},
      {absl::StrCat(std::string(65, 'n'), " 0123456789abcdef\n"), "line 1: NAME must be"},
      {"short tooshort\n", "line 1: TOKEN must be 16 to 1024"},
      {"a 0123456789abcdef\na 0123456789abcdeX\n", "line 2: NAME repeats"},
      {"a 0123456789abcdef\nb 0123456789abcdef\n", "line 2: TOKEN repeats"},
  };
  for (const auto& c : cases) {
    const absl::StatusOr<std::vector<NamedToken>> tokens = ParseTokenFile(c.contents);
    ASSERT_FALSE(tokens.ok()) << c.contents;
    EXPECT_EQ(tokens.status().code(), absl::StatusCode::kInvalidArgument);
    const std::string message(tokens.status().message());
    EXPECT_NE(message.find(c.message), std::string::npos) << message;
    EXPECT_EQ(message.find("0123456789abcdef"), std::string::npos) << message;
  }
  std::string many;
  for (size_t i = 0; i <= kMaxTokens; ++i) absl::StrAppend(&many, "n", i, " token-", i, "-0123456789\n");
  EXPECT_FALSE(ParseTokenFile(many).ok());
}

TEST(ConstantTimeEqualsTest, EqualOnlyWhenEveryByteAndTheLengthMatch) {
  EXPECT_TRUE(ConstantTimeEquals("0123456789abcdef", "0123456789abcdef"));
  EXPECT_FALSE(ConstantTimeEquals("0123456789abcdeF", "0123456789abcdef"));
  EXPECT_FALSE(ConstantTimeEquals("0123456789abcde", "0123456789abcdef"));
  EXPECT_FALSE(ConstantTimeEquals("0123456789abcdef0", "0123456789abcdef"));
  EXPECT_FALSE(ConstantTimeEquals("", "0123456789abcdef"));
  // A guess padded with NULs is not the secret's prefix.
  EXPECT_FALSE(ConstantTimeEquals(std::string("0123\0", 5), "0123"));
}

class TokenFile {
 public:
  TokenFile() : path_(absl::StrCat(::testing::TempDir(), "/tokens-", getpid(), ".txt")) {}
  ~TokenFile() { std::remove(path_.c_str()); }
  void Write(const std::string& contents) const {
    // A Secret volume swaps the file: write beside it, then rename over it.
    const std::string next = path_ + ".next";
    std::ofstream(next) << contents;
    std::rename(next.c_str(), path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  const std::string path_;
};

TEST(TokenAuthTest, LoadRefusesAMissingEmptyOrBadFileNamingTheFlag) {
  TokenFile file;
  EXPECT_NE(TokenAuth::Load(file.path()).status().message().find("--auth-token-file"),
            std::string::npos);
  file.Write("# nothing yet\n");
  EXPECT_NE(TokenAuth::Load(file.path()).status().message().find("holds no token"),
            std::string::npos);
  file.Write("ci short\n");
  EXPECT_EQ(TokenAuth::Load(file.path()).status().code(), absl::StatusCode::kInvalidArgument);
  file.Write(absl::StrCat("ci ", kToken, "\n"));
  EXPECT_TRUE(TokenAuth::Load(file.path()).ok());
}

}  // namespace
}  // namespace attain
