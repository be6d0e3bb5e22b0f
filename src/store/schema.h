// The SQLite schema as numbered migrations. Each migration is applied once, in order, and
// recorded in `schema_version` (version, applied_at); all pending ones run in one transaction,
// so a failed upgrade leaves the database as it was.
#pragma once

#include <string>

#include "base/clock.h"
#include "base/result.h"
#include "store/sqlite_db.h"

namespace parley::store::sqlite {

// The newest migration this build knows.
int latestSchemaVersion();

// Applies the pending migrations on `writer` (which must not be in a transaction). A database
// whose version is newer than latestSchemaVersion() is refused with kFailedPrecondition; `path`
// is only for messages.
Status migrate(Connection& writer, const Clock& clock, const std::string& path);

}  // namespace parley::store::sqlite
