#include "egress/client.h"

#include <curl/curl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "base/threads.h"
#include "egress/address.h"

namespace parley::egress {

namespace {

std::string lowerAscii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool hasCrLf(const std::string& s) {
  return s.find('\r') != std::string::npos || s.find('\n') != std::string::npos ||
         s.find('\0') != std::string::npos;
}

std::string urlPart(CURLU* u, CURLUPart part) {
  char* p = nullptr;
  if (curl_url_get(u, part, &p, 0) != CURLUE_OK || p == nullptr) return "";
  std::string s(p);
  curl_free(p);
  return s;
}

// scheme://host:port of a parsed URL, for same-origin checks.
std::string originOf(CURLU* u) {
  char* port = nullptr;
  std::string p;
  if (curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK && port) {
    p = port;
    curl_free(port);
  }
  return lowerAscii(urlPart(u, CURLUPART_SCHEME)) + "://" + lowerAscii(urlPart(u, CURLUPART_HOST)) +
         ":" + p;
}

void removeHeaders(HeaderList& headers, std::initializer_list<const char*> names) {
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [&](const auto& h) {
                                 std::string n = lowerAscii(h.first);
                                 for (const char* x : names) {
                                   if (n == x) return true;
                                 }
                                 return false;
                               }),
                headers.end());
}

}  // namespace

const char* failureName(Failure f) {
  switch (f) {
    case Failure::kNone: return "none";
    case Failure::kNotAllowlisted: return "not-allowlisted";
    case Failure::kPrivateAddress: return "private-address";
    case Failure::kTooLarge: return "too-large";
    case Failure::kTimeout: return "timeout";
    case Failure::kRateLimited: return "rate-limited";
    case Failure::kTooManyRedirects: return "too-many-redirects";
    case Failure::kRedirectRefused: return "redirect-refused";
    case Failure::kAborted: return "aborted";
    case Failure::kInvalidRequest: return "invalid-request";
    case Failure::kDnsFailed: return "dns-failed";
    case Failure::kConnectFailed: return "connect-failed";
    case Failure::kTlsFailed: return "tls-failed";
    case Failure::kClientCertificate: return "client-certificate";
    case Failure::kFailed: return "failed";
    case Failure::kShuttingDown: return "shutting-down";
  }
  return "failed";
}

// One request through its hops. Owned by the client; touched only on the egress thread once
// submitted (before that, only by submit()).
struct EgressClient::Transfer {
  uint64_t id = 0;
  Request request;
  Policy policy;
  Completion done;
  int64_t deadlineUs = 0;
  int64_t timeoutMs = 0;
  int redirects = 0;
  bool redirected = false;
  Failure preset = Failure::kNone;  // refused before starting (rate limit)
  std::string presetMessage;

  // The current hop.
  CURL* easy = nullptr;
  CURLU* url = nullptr;
  curl_slist* headerList = nullptr;
  std::string host;  // canonical
  Response response;
  bool statusSeen = false;
  Failure refusal = Failure::kNone;  // set by callbacks
  std::string refusalMessage;
  const EgressClient* client = nullptr;
  char errorBuffer[CURL_ERROR_SIZE] = {};

  void releaseHop() {
    if (easy) curl_easy_cleanup(easy);
    if (headerList) curl_slist_free_all(headerList);
    easy = nullptr;
    headerList = nullptr;
  }
  ~Transfer() {
    releaseHop();
    if (url) curl_url_cleanup(url);
  }
};

namespace {

using Transfer = EgressClient::Transfer;

size_t onBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t bytes = size * n;
  int64_t max = t->client->options().maxResponseBytes;
  if (static_cast<int64_t>(t->response.body.size() + bytes) > max) {
    t->refusal = Failure::kTooLarge;
    t->refusalMessage = "the response from " + t->host + " is larger than the limit of " +
                        std::to_string(max) + " bytes";
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  t->response.body.append(data, bytes);
  return bytes;
}

size_t onHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t bytes = size * n;
  std::string line(data, bytes);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (line.starts_with("HTTP/")) {
    // A new response (1xx interim responses come first): start its headers afresh.
    t->response.headers.clear();
    size_t sp = line.find(' ');
    size_t sp2 = sp == std::string::npos ? std::string::npos : line.find(' ', sp + 1);
    t->response.statusText = sp2 == std::string::npos ? "" : line.substr(sp2 + 1);
    t->statusSeen = true;
    return bytes;
  }
  size_t colon = line.find(':');
  if (colon == std::string::npos || colon == 0) return bytes;
  std::string value = line.substr(colon + 1);
  size_t start = value.find_first_not_of(" \t");
  value = start == std::string::npos ? "" : value.substr(start);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
  t->response.headers.emplace_back(line.substr(0, colon), std::move(value));
  return bytes;
}

curl_socket_t onOpenSocket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  auto* t = static_cast<Transfer*>(user);
  if (!t->client->options().allowPrivate) {
    AddressClass c = classifyAddress(&address->addr);
    if (c != AddressClass::kPublic) {
      t->refusal = Failure::kPrivateAddress;
      t->refusalMessage = "refused to connect to " + t->host + ": it resolves to " +
                          addressText(&address->addr) + ", a " + addressClassName(c) +
                          " address (outbound requests may reach public addresses only)";
      return CURL_SOCKET_BAD;
    }
  }
  return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

}  // namespace

EgressClient::EgressClient(EgressOptions options, const Clock& clock)
    : options_(options),
      clock_(clock),
      limiter_(clock, options.requestsPerSecond, options.burst) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  multi_ = curl_multi_init();
  thread_ = std::thread([this] { run(); });
  nameThread(thread_, "parley-egress");
}

EgressClient::~EgressClient() {
  stop();
  if (multi_) curl_multi_cleanup(static_cast<CURLM*>(multi_));
}

void EgressClient::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  curl_multi_wakeup(static_cast<CURLM*>(multi_));
  if (thread_.joinable()) thread_.join();
}

uint64_t EgressClient::submit(Request request, Policy policy, Completion done) {
  auto t = std::make_unique<Transfer>();
  t->id = nextId_++;
  t->client = this;
  t->request = std::move(request);
  t->policy = std::move(policy);
  t->done = std::move(done);
  int64_t timeout = t->request.timeoutMs > 0 ? t->request.timeoutMs : options_.defaultTimeoutMs;
  t->timeoutMs = std::min(timeout, options_.maxTimeoutMs);
  t->deadlineUs = clock_.monotonicUs() + t->timeoutMs * 1000;
  counters_.requests++;
  counters_.inFlight++;
  if (!t->policy.rateKey.empty() && !limiter_.tryTake(t->policy.rateKey)) {
    t->preset = Failure::kRateLimited;
    t->presetMessage = "rate limited: this function may make at most " +
                       std::to_string(static_cast<int64_t>(options_.requestsPerSecond)) +
                       " outbound requests per second";
  }
  uint64_t id = t->id;
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      t->preset = Failure::kShuttingDown;
      t->presetMessage = "the server is shutting down";
    }
    incoming_.push_back(std::move(t));
  }
  curl_multi_wakeup(static_cast<CURLM*>(multi_));
  return id;
}

void EgressClient::cancel(uint64_t id) {
  {
    std::lock_guard lock(mu_);
    cancels_.push_back(id);
  }
  curl_multi_wakeup(static_cast<CURLM*>(multi_));
}

EgressStats EgressClient::stats() const {
  EgressStats s;
  s.requests = counters_.requests;
  s.hops = counters_.hops;
  s.succeeded = counters_.succeeded;
  s.notAllowlisted = counters_.notAllowlisted;
  s.privateAddress = counters_.privateAddress;
  s.tooLarge = counters_.tooLarge;
  s.timeouts = counters_.timeouts;
  s.rateLimited = counters_.rateLimited;
  s.otherFailures = counters_.otherFailures;
  s.bytesReceived = counters_.bytesReceived;
  s.inFlight = counters_.inFlight;
  return s;
}

void EgressClient::count(Failure f) {
  switch (f) {
    case Failure::kNone: counters_.succeeded++; break;
    case Failure::kNotAllowlisted: counters_.notAllowlisted++; break;
    case Failure::kPrivateAddress: counters_.privateAddress++; break;
    case Failure::kTooLarge: counters_.tooLarge++; break;
    case Failure::kTimeout: counters_.timeouts++; break;
    case Failure::kRateLimited: counters_.rateLimited++; break;
    default: counters_.otherFailures++; break;
  }
}

void EgressClient::finish(std::unique_ptr<Transfer>&& owned, Failure failure,
                          std::string message) {
  std::unique_ptr<Transfer> t = std::move(owned);
  t->releaseHop();
  count(failure);
  counters_.inFlight--;
  Outcome out;
  out.failure = failure;
  out.message = std::move(message);
  if (failure == Failure::kNone) {
    out.response = std::move(t->response);
    out.response.url = urlPart(t->url, CURLUPART_URL);
    out.response.redirected = t->redirected;
    counters_.bytesReceived += out.response.body.size();
  }
  Completion done = std::move(t->done);
  t.reset();
  done(std::move(out));
}

// Checks the current URL of `t` and starts a hop for it, or finishes `t` with the refusal.
void EgressClient::startOrFinish(std::unique_ptr<Transfer> t) {
  if (t->preset != Failure::kNone) return finish(std::move(t), t->preset, t->presetMessage);
  Request& r = t->request;
  if (!t->url) {
    t->url = curl_url();
    CURLUcode rc = curl_url_set(t->url, CURLUPART_URL, r.url.c_str(), 0);
    if (rc != CURLUE_OK) {
      return finish(std::move(t), Failure::kInvalidRequest,
                    "invalid URL '" + r.url + "': " + curl_url_strerror(rc));
    }
  }
  std::string scheme = lowerAscii(urlPart(t->url, CURLUPART_SCHEME));
  if (scheme != "http" && scheme != "https") {
    return finish(std::move(t), Failure::kInvalidRequest,
                  "only http and https URLs can be fetched, not '" + scheme + ":'");
  }
  auto host = canonicalHost(urlPart(t->url, CURLUPART_HOST));
  if (!host.ok()) return finish(std::move(t), Failure::kInvalidRequest, host.error().message());
  t->host = *host;
  if (!t->policy.allowlist || !t->policy.allowlist->allows(t->host)) {
    std::string msg = "the host '" + t->host + "' is not on the account's allowlist";
    if (t->redirected) msg += " (reached by a redirect; every host of a redirect chain must be)";
    return finish(std::move(t), Failure::kNotAllowlisted, msg);
  }
  int64_t remainingMs = (t->deadlineUs - clock_.monotonicUs()) / 1000;
  if (remainingMs <= 0) {
    return finish(std::move(t), Failure::kTimeout,
                  "no complete answer within the timeout of " + std::to_string(t->timeoutMs) + " ms");
  }
  for (const auto& [name, value] : r.headers) {
    if (name.empty() || hasCrLf(name) || hasCrLf(value) || name.find(':') != std::string::npos) {
      return finish(std::move(t), Failure::kInvalidRequest, "invalid header '" + name + "'");
    }
  }

  t->response = Response{};
  t->statusSeen = false;
  CURL* e = curl_easy_init();
  t->easy = e;
  curl_easy_setopt(e, CURLOPT_CURLU, t->url);
  curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_PROXY, "");  // never a proxy from the environment
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(remainingMs));
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.maxResponseBytes));
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errorBuffer);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, onOpenSocket);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, t.get());
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, onBody);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, onHeader);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());

  std::string method = r.method.empty() ? "GET" : r.method;
  if (method == "GET") {
    curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
  } else if (method == "HEAD") {
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  } else {
    if (method != "POST") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (method == "POST" || !r.body.empty()) {
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, r.body.data());
    }
  }
  bool hasContentType = false;
  for (const auto& [name, value] : r.headers) {
    if (lowerAscii(name) == "content-type") hasContentType = true;
    std::string line = value.empty() ? name + ";" : name + ": " + value;
    t->headerList = curl_slist_append(t->headerList, line.c_str());
  }
  // curl would add "Expect: 100-continue" to large bodies and a form content type to POSTs.
  t->headerList = curl_slist_append(t->headerList, "Expect:");
  if (!hasContentType) t->headerList = curl_slist_append(t->headerList, "Content-Type:");
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headerList);

  if (!r.clientCertPem.empty() || !r.clientKeyPem.empty()) {
    curl_blob cert{r.clientCertPem.data(), r.clientCertPem.size(), CURL_BLOB_COPY};
    curl_blob key{r.clientKeyPem.data(), r.clientKeyPem.size(), CURL_BLOB_COPY};
    curl_easy_setopt(e, CURLOPT_SSLCERT_BLOB, &cert);
    curl_easy_setopt(e, CURLOPT_SSLCERTTYPE, "PEM");
    curl_easy_setopt(e, CURLOPT_SSLKEY_BLOB, &key);
    curl_easy_setopt(e, CURLOPT_SSLKEYTYPE, "PEM");
  }
  if (!r.caPem.empty()) {
    curl_blob ca{r.caPem.data(), r.caPem.size(), CURL_BLOB_COPY};
    curl_easy_setopt(e, CURLOPT_CAINFO_BLOB, &ca);
  }
  if (r.insecure) {
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  counters_.hops++;
  curl_multi_add_handle(static_cast<CURLM*>(multi_), e);
  uint64_t id = t->id;
  active_[id] = std::move(t);
}

void EgressClient::onDone(Transfer* raw, int curlCode) {
  auto it = active_.find(raw->id);
  if (it == active_.end()) return;
  std::unique_ptr<Transfer> t = std::move(it->second);
  active_.erase(it);
  curl_multi_remove_handle(static_cast<CURLM*>(multi_), t->easy);
  auto code = static_cast<CURLcode>(curlCode);

  if (t->refusal != Failure::kNone && code != CURLE_OK) {
    return finish(std::move(t), t->refusal, t->refusalMessage);
  }
  std::string detail = t->errorBuffer[0] ? t->errorBuffer : curl_easy_strerror(code);
  switch (code) {
    case CURLE_OK: break;
    case CURLE_OPERATION_TIMEDOUT:
      return finish(std::move(t), Failure::kTimeout,
                    "no complete answer from " + t->host + " within the timeout of " +
                        std::to_string(t->timeoutMs) + " ms");
    case CURLE_FILESIZE_EXCEEDED:
      return finish(std::move(t), Failure::kTooLarge,
                    "the response from " + t->host + " is larger than the limit of " +
                        std::to_string(options_.maxResponseBytes) + " bytes");
    case CURLE_COULDNT_RESOLVE_HOST:
      return finish(std::move(t), Failure::kDnsFailed, "cannot resolve the host '" + t->host + "'");
    case CURLE_COULDNT_CONNECT:
      return finish(std::move(t), Failure::kConnectFailed,
                    "cannot connect to " + t->host + ": " + detail);
    case CURLE_SSL_CERTPROBLEM:
      return finish(std::move(t), Failure::kClientCertificate,
                    "the client certificate or key is not usable: " + detail);
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CIPHER:
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
      return finish(std::move(t), Failure::kTlsFailed,
                    "TLS with " + t->host + " failed: " + detail);
    default:
      return finish(std::move(t), Failure::kFailed,
                    "the request to " + t->host + " failed: " + detail);
  }

  long status = 0;
  curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
  t->response.status = static_cast<int>(status);
  bool isRedirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  std::string location;
  for (const auto& [name, value] : t->response.headers) {
    if (lowerAscii(name) == "location") location = value;
  }
  if (!isRedirect || location.empty() || t->request.redirect == RedirectMode::kManual) {
    return finish(std::move(t), Failure::kNone, "");
  }
  if (t->request.redirect == RedirectMode::kError) {
    return finish(std::move(t), Failure::kRedirectRefused,
                  "the response from " + t->host + " is a redirect (" + std::to_string(status) +
                      " to " + location + ") and the redirect mode is 'error'");
  }
  if (t->redirects >= options_.maxRedirects) {
    return finish(std::move(t), Failure::kTooManyRedirects,
                  "more than " + std::to_string(options_.maxRedirects) + " redirects");
  }
  std::string before = originOf(t->url);
  CURLUcode rc = curl_url_set(t->url, CURLUPART_URL, location.c_str(), 0);  // relative resolved
  if (rc != CURLUE_OK) {
    return finish(std::move(t), Failure::kFailed,
                  t->host + " redirected to an invalid URL '" + location + "': " +
                      curl_url_strerror(rc));
  }
  t->releaseHop();
  t->redirects++;
  t->redirected = true;
  Request& r = t->request;
  if ((status == 303 && r.method != "HEAD") || ((status == 301 || status == 302) && r.method == "POST")) {
    r.method = "GET";
    r.body.clear();
    removeHeaders(r.headers, {"content-type", "content-length", "content-encoding",
                              "content-language", "content-location"});
  }
  if (originOf(t->url) != before) {
    removeHeaders(r.headers, {"authorization", "cookie", "proxy-authorization"});
  }
  startOrFinish(std::move(t));
}

void EgressClient::run() {
  auto* multi = static_cast<CURLM*>(multi_);
  for (;;) {
    std::deque<std::unique_ptr<Transfer>> incoming;
    std::vector<uint64_t> cancels;
    bool stopping;
    {
      std::lock_guard lock(mu_);
      incoming.swap(incoming_);
      cancels.swap(cancels_);
      stopping = stopping_;
    }
    for (auto& t : incoming) {
      if (stopping && t->preset == Failure::kNone) {
        t->preset = Failure::kShuttingDown;
        t->presetMessage = "the server is shutting down";
      }
      startOrFinish(std::move(t));
    }
    for (uint64_t id : cancels) {
      auto it = active_.find(id);
      if (it == active_.end()) continue;
      std::unique_ptr<Transfer> t = std::move(it->second);
      active_.erase(it);
      curl_multi_remove_handle(multi, t->easy);
      finish(std::move(t), Failure::kAborted, "the request was aborted");
    }
    if (stopping) {
      while (!active_.empty()) {
        std::unique_ptr<Transfer> t = std::move(active_.begin()->second);
        active_.erase(active_.begin());
        curl_multi_remove_handle(multi, t->easy);
        finish(std::move(t), Failure::kShuttingDown, "the server is shutting down");
      }
      std::lock_guard lock(mu_);
      if (incoming_.empty()) return;
      continue;
    }
    int running = 0;
    curl_multi_perform(multi, &running);
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Transfer* t = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&t));
      if (t) onDone(t, msg->data.result);
    }
    curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
  }
}

}  // namespace parley::egress
