// The invocation input of POST …/invoke and …/test: the request body {headers, payload} (and an
// optional timestamp) as JSON text for the runtime, which parses it once itself.
//
// Contract: an empty body is {}; a body that is not JSON, or not an object, is kInvalidArgument
// naming the problem (the parser's message carries its position); 'headers' must be a list, an
// object or null. An object with neither 'payload' nor 'headers' (and not empty) is a bare
// payload and is wrapped as {"payload": body}. Otherwise the body is passed on byte for byte (key
// order as the client sent it, and moved out of the request, not copied): it is validated by
// scanJson (base/json_scan.h) without building anything, so a large payload costs one fast scan
// here, not a parse, a tree and a re-serialisation; only a refused body is parsed, for the
// error's position.
#pragma once

#include <string>

#include "base/result.h"
#include "http/message.h"

namespace parley::api {

Result<std::string> invocationInput(http::Request& request);

}  // namespace parley::api
