// attaind: the Attain planning service. Flags and environment: attaind --help.
#include <signal.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "service/log.h"
#include "service/server.h"
#include "service/server_config.h"

int main(int argc, char** argv) {
  bool wants_help = false;
  const absl::StatusOr<attain::ServerConfig> config = attain::ParseServerConfig(
      std::vector<std::string>(argv + 1, argv + argc), [](const char* name) { return std::getenv(name); },
      wants_help);
  if (wants_help) {
    std::fputs(attain::ServerConfigHelp().c_str(), stdout);
    return 0;
  }
  if (!config.ok()) {
    std::fprintf(stderr, "attaind: %s\n", std::string(config.status().message()).c_str());
    return 2;
  }
  // Signals are taken by sigwait below, not by whichever thread they land on.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  absl::StatusOr<std::unique_ptr<attain::AttainServer>> server = attain::AttainServer::Start(*config);
  if (!server.ok()) {
    std::fprintf(stderr, "attaind: %s\n", std::string(server.status().message()).c_str());
    return 1;
  }
  int signal = 0;
  sigwait(&signals, &signal);
  attain::Log(attain::LogLevel::kInfo,
              absl::StrCat("attaind draining on ", signal == SIGTERM ? "SIGTERM" : "SIGINT",
                           " drain_delay_s=", config->drain_delay.count(),
                           " grace_period_s=", config->grace_period.count()));
  // Readiness NOT_SERVING while serving on, until the delay ends or a second signal.
  (*server)->BeginDrain();
  const timespec delay{static_cast<time_t>(config->drain_delay.count()), 0};
  while (sigtimedwait(&signals, nullptr, &delay) < 0 && errno == EINTR) {
  }
  (*server)->Shutdown(config->grace_period);
  attain::Log(attain::LogLevel::kInfo, "attaind stopped");
  return 0;
}
