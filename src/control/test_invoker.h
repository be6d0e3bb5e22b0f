// Test support for control-layer tests: an Invoker that accepts every deploy and completes
// every invocation at once with a default (successful) result. Runs nothing.
#pragma once

#include "runtime/invoker.h"

namespace parley::control::testing {

class AcceptingInvoker final : public runtime::Invoker {
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
