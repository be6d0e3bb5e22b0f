// Plain records the store keeps. No behaviour here beyond small enum conversions: rules live in
// the control layer. Times are milliseconds since the Unix epoch.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace parley::store {

enum class Role { kAdmin, kDeveloper, kInvoker, kViewer };
const char* roleName(Role r);                         // "Admin", ...
std::optional<Role> roleFromName(const std::string& s);  // exact names

// SPEC §2 states.
enum class FunctionState { kDraft, kProductive, kModified, kUndeployed, kBuildError, kDeployError };
const char* functionStateName(FunctionState s);  // "Draft", "Productive", "Modified",
                                                 // "Undeployed", "Build Error", "Deploy Error"
std::optional<FunctionState> functionStateFromName(const std::string& s);

struct Account {
  std::string id;  // [a-z0-9][a-z0-9-]{0,63}
  std::string name;
  int64_t createdAt = 0;
};

struct User {
  std::string id;  // UUID
  std::string username;
  std::string passwordHash;  // argon2id, encoded (libsodium crypto_pwhash_str)
  bool isOperator = false;
  int64_t createdAt = 0;
};

struct Membership {
  std::string accountId;
  std::string userId;
  Role role = Role::kViewer;
};

struct ApiClient {
  std::string clientId;  // public id
  std::string accountId;
  std::string name;
  std::string secretHash;  // argon2id of the client secret
  std::vector<std::string> scopes;
  int64_t createdAt = 0;
  std::string createdBy;  // user id
  bool revoked = false;
};

struct FunctionSettings {
  int64_t timeoutSeconds = 30;
  int64_t memoryMb = 128;
};

struct FunctionRecord {
  std::string uuid;
  std::string accountId;
  std::string name;
  std::string description;
  std::string eventId = "No Event";
  std::vector<std::string> skills;
  FunctionState state = FunctionState::kDraft;
  int64_t latestVersion = 0;    // newest saved version
  int64_t deployedVersion = 0;  // 0: none is live
  std::string lastError;        // JSON {message, line, column} of the last build/deploy error
  int64_t createdAt = 0;
  std::string createdBy;
  int64_t updatedAt = 0;
  std::string updatedBy;
};

// An immutable snapshot created by every save of code, environment or settings.
struct VersionRecord {
  std::string functionUuid;
  int64_t version = 0;  // 1, 2, ...
  std::string code;
  std::map<std::string, std::string> environment;
  FunctionSettings settings;
  int64_t createdAt = 0;
  std::string createdBy;
};

struct DeploymentRecord {
  int64_t id = 0;
  std::string functionUuid;
  std::string action;  // "deploy", "rollback", "undeploy"
  int64_t version = 0;
  std::string state;   // "successful", "failed"
  std::string error;   // JSON {message, line, column} when failed
  int64_t createdAt = 0;
  std::string createdBy;
};

struct LogRecord {
  std::string level;  // "Debug", "Info", "Warn", "Error"
  std::string message;
  std::string extrasJson = "[]";
  int64_t timestamp = 0;
};

struct InvocationRecord {
  std::string id;  // UUID
  std::string accountId;
  std::string functionUuid;
  int64_t version = 0;
  std::string trigger;  // "http", "event", "schedule", "test", "orchestrator"
  std::string status;   // "running", "done"
  std::string outcome;  // SUCCEEDED, CODING_FAILURE, PLATFORM_FAILURE, TIMEOUT (when done)
  std::string errorCode;
  std::string errorMessage;
  std::string resultJson;  // when succeeded
  int64_t durationUs = 0;
  bool coldStart = false;
  int64_t startedAt = 0;
  int64_t finishedAt = 0;
  std::vector<LogRecord> logs;
  int64_t rowId = 0;  // storage order (set by reads): with startedAt, the key of list cursors
};

// One log line with the invocation it belongs to, as log queries return it. (invocationStartedAt,
// invocationRowId, seq) orders lines and is the key of log cursors.
struct LogLine {
  LogRecord log;
  std::string invocationId;
  std::string functionUuid;
  int64_t seq = 0;  // position in its invocation's logs
  int64_t invocationStartedAt = 0;
  int64_t invocationRowId = 0;
};

// Invocation counts of one function in one 5-minute bucket (or their sum over several). Test
// invocations are not counted. `histogram` counts durations by bucket index
// (control/metrics_service.h: durationBucket).
struct MetricsBucket {
  std::string accountId;
  std::string functionUuid;
  int64_t bucketStart = 0;  // ms, a multiple of 5 minutes
  int64_t succeeded = 0;
  int64_t codingFailure = 0;
  int64_t platformFailure = 0;
  int64_t timeout = 0;
  int64_t coldStarts = 0;
  int64_t durationSumUs = 0;
  std::map<int, int64_t> histogram;
  int64_t total() const { return succeeded + codingFailure + platformFailure + timeout; }
};

// One entry of an account's activity stream: who changed what, when.
struct ActivityRecord {
  int64_t id = 0;  // increasing; set by append()
  std::string accountId;
  int64_t at = 0;
  std::string actorId;    // user or client id ("" for the platform)
  std::string actorName;  // username or client name
  std::string action;     // "function.created", "function.deployed", "secret.deleted", ...
  std::string targetType;  // "function", "secret", "schedule", "user", "client", ...
  std::string targetId;
  std::string targetName;
  std::string description;  // one line for people
  std::string diff;         // unified diff of code changes, else ""
};

// A secret: its value only ever as a vault blob (ciphertext); see control/secret_service.h.
struct SecretRecord {
  std::string accountId;
  std::string name;
  std::string type;  // "plaintext" or "json"
  std::string blob;  // vault::Vault::encrypt output; empty in list() results
  int64_t createdAt = 0;
  std::string createdBy;
  int64_t updatedAt = 0;
  std::string updatedBy;
};

// An entry of an account's outbound allowlist (SPEC §7): a host name, or "*." and a domain, in
// canonical form (lower case, no trailing dot; egress/allowlist.h validates).
struct DomainRecord {
  std::string accountId;
  std::string domain;
  int64_t createdAt = 0;
  std::string createdBy;
};

// A cron schedule of a function (SPEC §5). Times are epoch milliseconds; optional ones are NULL
// in the database when unset.
struct ScheduleRecord {
  std::string id;
  std::string accountId;
  std::string functionUuid;
  std::string cron;
  std::string timeZone;                       // IANA name; "" = UTC
  std::map<std::string, std::string> headers;  // JSON object in the database
  std::string payloadJson = "null";            // JSON text
  std::string description;
  bool isActive = true;
  bool pausedByUndeploy = false;
  std::optional<int64_t> nextFireMs;
  std::optional<int64_t> lastFireMs;
  std::string lastOutcome;        // "" until it first ran
  std::string lastInvocationId;
  int64_t createdAt = 0;
  std::string createdBy;
  int64_t updatedAt = 0;
  std::string updatedBy;
};

// An event type an account defines for its own systems (SPEC §3), beside the built-in catalogue.
struct EventTypeRecord {
  std::string accountId;
  std::string id;
  std::string name;
  std::string description;
  std::string samplePayloadJson = "{}";
  int64_t lambdaLimit = 0;  // 0: unlimited
  int64_t createdAt = 0;
  std::string createdBy;
};

// An accepted CloudEvent waiting for delivery (table event_queue).
struct QueuedEvent {
  int64_t seq = 0;  // assigned by the store; the delivery order
  std::string accountId;
  std::string eventId;  // the CloudEvent's id
  std::string source;
  std::string type;     // the event id of the catalogue or the account's types
  std::string subject;  // "" when none; events of one subject are delivered in order
  std::string skillId;  // "" when none
  std::string eventJson;  // the whole CloudEvent, structured form
  // Functions still owed a delivery; nullopt until the first attempt resolves the bound ones.
  std::optional<std::vector<std::string>> pendingFunctions;
  int64_t attempts = 0;
  int64_t nextAttemptMs = 0;
  std::string lastError;
  int64_t acceptedAt = 0;
};

// An event whose delivery ran out of attempts (table dead_letters).
struct DeadLetterRecord {
  std::string id;  // UUID
  std::string accountId;
  std::string eventId;
  std::string source;
  std::string type;
  std::string subject;
  std::string skillId;
  std::string eventJson;
  std::vector<std::string> functions;  // the functions that did not get it
  int64_t attempts = 0;
  std::string lastError;
  int64_t acceptedAt = 0;
  int64_t deadAt = 0;
};

// A delivery result waiting to be POSTed to the account's result webhook.
struct WebhookMessage {
  int64_t seq = 0;  // assigned by the store
  std::string accountId;
  std::string body;  // JSON
  int64_t attempts = 0;
  int64_t nextAttemptMs = 0;
  int64_t createdAt = 0;
};

// Per-account settings. The webhook secret only as a vault blob.
struct AccountSettingsRecord {
  std::string accountId;
  std::string resultWebhookUrl;
  std::string resultWebhookSecretBlob;  // "" when none
  int64_t updatedAt = 0;
  std::string updatedBy;
};

}  // namespace parley::store
