// The anchor file beside an audit store (`DB.anchors`, private to the audit module): signed
// checkpoints of the chain's head, kept outside the database so that a store that lost records
// (a damaged or deleted `-wal`, a restored old copy) cannot pass for intact, and the recoveries an
// operator ran. One JSON object per line; each line is Ed25519-signed and names the SHA-256 of the
// line before it. The writer holds an exclusive lock on the file: one writer per store.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "xiangyue/common/diagnostic.h"
#include "xiangyue/common/result.h"
#include "xiangyue/common/sign.h"

namespace xy::audit {

struct Anchor {
  std::string kind;      // "checkpoint", or "recovery" (records lost_from..seq are gone for good)
  std::string store;     // the store's id (meta store_id)
  std::int64_t seq = 0;  // the chain's head when written: its record (or recovery) number
  std::string hash;      // and its hash
  std::int64_t reserved = 0;    // ids up to this may have been handed out by the writer
  std::int64_t lost_from = 0;   // recovery only
  std::string reason;           // recovery only
  std::string at;               // UTC
  std::string prev;             // SHA-256 of the previous line (64 zeros for the first)
  std::string key;              // the signer's public key (hex)
  std::string sig;              // Ed25519 over message()
  std::size_t line = 0;         // its line in the file
  std::string message() const;  // the signed text
};

struct AnchorFile {
  bool exists = false;
  std::vector<Anchor> anchors;      // the well-formed, correctly signed and chained lines
  std::vector<Localized> problems;  // every other line, located ("line 7: …")
  std::string last_line_sha;        // of the last complete line (for the next `prev`)
  bool torn_tail = false;           // the last line has no newline (a write cut short): ignored
};

// Reads and checks the file: each line's signature under `key` (empty: the first line's key) and
// its link to the line before. A missing file reads as `exists = false`.
Result<AnchorFile, Localized> read_anchors(const std::string& path, const std::string& key = {});

// The writer's handle: the file opened for appending and locked (exclusive, not waiting).
class AnchorLog {
 public:
  // Fails at once if another process holds the lock (one writer per store).
  static Result<std::unique_ptr<AnchorLog>, Localized> open(const std::string& path);
  ~AnchorLog();
  // Signs `a` (setting prev, key and sig) and appends it; with `sync`, fsyncs the file.
  Result<bool, Localized> append(Anchor a, const SigningKey& key, bool sync);
  // Whether the file at the path is still the one this log writes to (not removed or replaced).
  bool still_there() const;
  const std::string& last_line_sha() const { return last_; }

 private:
  AnchorLog() = default;
  int fd_ = -1;
  std::string path_, last_;
  dev_t dev_ = 0;
  ino_t ino_ = 0;
};

std::string store_key_path(const std::string& db);
std::string store_anchor_path(const std::string& db);

}  // namespace xy::audit
