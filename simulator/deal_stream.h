// The deals of one DEALS cell (partner, period) of a path: the arrivals of a unit-rate
// Poisson process, and per deal its size relative to the mean, exp(s xi - s^2/2), drawn
// from the cell's own SplitMix64 stream in the order first arrival, then per deal its
// size and the next arrival. The cell's revenue with lambda expected deals is the mean
// deal size times the relative sizes of the arrivals at or below lambda. Every reader
// of a cell (the evaluator, the conditional estimator of P(attain)) walks it with this
// class, so they see the same deals.
//
// A value type; one per cell being walked, not shared between threads.
#ifndef ATTAIN_SIMULATOR_DEAL_STREAM_H_
#define ATTAIN_SIMULATOR_DEAL_STREAM_H_

#include <cstdint>

#include "simulator/fast_exp.h"
#include "simulator/random.h"
#include "simulator/ziggurat.h"

namespace attain {

class DealStream {
 public:
  // `log_sd`: s = sqrt(ln(1 + cv^2)) of the deal sizes; 0 makes every deal the mean.
  DealStream(uint64_t seed, double log_sd)
      : stream_(seed), log_sd_(log_sd), drift_(-0.5 * log_sd * log_sd) {
    arrival_ = StandardExponential(stream_);
  }

  // The next deal's arrival time (not yet taken).
  double arrival() const { return arrival_; }

  // Takes the deal at arrival(): returns its relative size and moves to the next arrival.
  double Take() {
    const double size = log_sd_ == 0 ? 1.0 : FastExp(log_sd_ * StandardNormal(stream_) + drift_);
    arrival_ += StandardExponential(stream_);
    return size;
  }

 private:
  SplitMix64 stream_;
  double log_sd_;
  double drift_;
  double arrival_;
};

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_DEAL_STREAM_H_
