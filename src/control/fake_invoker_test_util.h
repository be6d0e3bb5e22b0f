// Test support for control tests: an Invoker that accepts every deploy and never runs anything
// (tests that need results script them above the runtime).
#pragma once

#include "runtime/invoker.h"

namespace parley::control::testing {

class FakeInvoker final : public runtime::Invoker {
 public:
  void invoke(runtime::InvocationRequest, Completion done) override {
    done(runtime::InvocationResult{});
  }
  void validate(const runtime::FunctionSource&, std::function<void(Status)> done) override {
    done(okStatus());
  }
  void evict(const std::string&) override {}
  runtime::InvokerStats stats() const override { return {}; }
};

}  // namespace parley::control::testing
