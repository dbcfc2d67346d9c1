// The anchor file: signing, appending under a lock, reading back with every line checked.
#include "anchor.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "words.h"
#include "xiangyue/common/hash.h"

namespace xy::audit {
namespace json = boost::json;

const std::string kZeroSha(64, '0');

std::string store_key_path(const std::string& db) {
  return db + ".key";
}
std::string store_anchor_path(const std::string& db) {
  return db + ".anchors";
}

std::string Anchor::message() const {
  // Length-prefixed fields: no two different anchors share a signed text.
  std::string m = "xiangyue audit anchor v1";
  for (const std::string* f : {&kind, &store, &hash, &at, &prev, &key, &reason})
    append_field(m, *f);
  m += "\nseq:" + std::to_string(seq) + "\nreserved:" + std::to_string(reserved) +
       "\nlost_from:" + std::to_string(lost_from);
  return m;
}

namespace {

std::string to_line(const Anchor& a) {
  json::object o{{"kind", a.kind},
                 {"store", a.store},
                 {"seq", a.seq},
                 {"hash", a.hash},
                 {"reserved", a.reserved}};
  if (a.kind == "recovery") {
    o["lost_from"] = a.lost_from;
    o["reason"] = a.reason;
  }
  o["at"] = a.at;
  o["prev"] = a.prev;
  o["key"] = a.key;
  o["sig"] = a.sig;
  return json::serialize(o);
}

std::optional<Anchor> from_line(const std::string& text, Localized& why) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    why = {"not a JSON object", "不是 JSON 对象"};
    return std::nullopt;
  }
  const auto& o = v.get_object();
  Anchor a;
  auto str = [&](const char* k, std::string& out, bool required = true) {
    const json::value* x = o.if_contains(k);
    if (!x) return !required;
    if (!x->is_string()) return false;
    out = std::string(x->get_string());
    return true;
  };
  auto num = [&](const char* k, std::int64_t& out, bool required = true) {
    const json::value* x = o.if_contains(k);
    if (!x) return !required;
    if (!x->is_int64() || x->get_int64() < 0) return false;
    out = x->get_int64();
    return true;
  };
  if (!(str("kind", a.kind) && str("store", a.store) && num("seq", a.seq) && str("hash", a.hash) &&
        num("reserved", a.reserved) && num("lost_from", a.lost_from, false) &&
        str("reason", a.reason, false) && str("at", a.at) && str("prev", a.prev) &&
        str("key", a.key) && str("sig", a.sig)) ||
      (a.kind != "checkpoint" && a.kind != "recovery")) {
    why = {"a field is missing or of the wrong type", "缺少字段或字段类型不对"};
    return std::nullopt;
  }
  return a;
}

}  // namespace

Result<AnchorFile, Localized> read_anchors(const std::string& path, const std::string& key) {
  AnchorFile f;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (::access(path.c_str(), F_OK) == 0) {
      std::string sys = std::strerror(errno);
      return Result<AnchorFile, Localized>::failure(
          {"cannot read `" + path + "`: " + sys, "无法读取 `" + path + "`：" + sys});
    }
    return f;
  }
  f.exists = true;
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  std::string signer = key, prev = kZeroSha;
  std::size_t at = 0, n = 0;
  while (at < text.size()) {
    std::size_t nl = text.find('\n', at);
    ++n;
    if (nl == std::string::npos) {
      f.torn_tail = true;  // a line being written, or one a crash cut short
      break;
    }
    std::string line = text.substr(at, nl - at);
    at = nl + 1;
    Localized why;
    auto a = from_line(line, why);
    auto bad = [&](const Localized& what) {
      f.problems.push_back(
          Localized{"line " + std::to_string(n) + ": ", "第 " + std::to_string(n) + " 行："} +
          what);
    };
    if (!a) {
      bad(why);
    } else if (a->prev != prev) {
      bad({"does not follow the line before it (a line was removed, inserted or changed)",
           "与上一行接不上（有行被删除、插入或改动）"});
    } else if (!signer.empty() && a->key != signer) {
      bad({"is signed by another key (" + a->key.substr(0, 16) + "…, not " + signer.substr(0, 16) +
               "…)",
           "由另一把密钥签名（" + a->key.substr(0, 16) + "…，而不是 " + signer.substr(0, 16) +
               "…）"});
    } else if (!verify_signature(a->key, a->message(), a->sig)) {
      bad({"its signature does not match its content (it was changed after it was written)",
           "签名与内容不符（写入后被改动过）"});
    } else {
      if (signer.empty()) signer = a->key;
      a->line = n;
      f.anchors.push_back(std::move(*a));
    }
    prev = sha256_hex(line);
  }
  f.last_line_sha = prev;
  return f;
}

Result<std::unique_ptr<AnchorLog>, Localized> AnchorLog::open(const std::string& path) {
  using R = Result<std::unique_ptr<AnchorLog>, Localized>;
  auto cannot_read = [&] {
    return R::failure({"cannot read `" + path + "`", "无法读取 `" + path + "`"});
  };
  std::unique_ptr<AnchorLog> log(new AnchorLog());
  log->path_ = path;
  log->fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log->fd_ < 0) {
    std::string sys = std::strerror(errno);
    return R::failure({"cannot open `" + path + "`: " + sys, "无法打开 `" + path + "`：" + sys});
  }
  if (::flock(log->fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK)
      return R::failure(
          {"another process is writing this audit store (one writer per store: stop it, or read "
           "the store with `xy audit …`, which never writes)",
           "另一个进程正在写入这个审计存储（每个审计存储只能有一个写入者：请先停止它，或用 "
           "`xy audit …` 读取，读取从不写入）"});
    std::string sys = std::strerror(errno);
    return R::failure({"cannot lock `" + path + "`: " + sys, "无法锁定 `" + path + "`：" + sys});
  }
  struct stat st {};
  if (::fstat(log->fd_, &st) != 0) return cannot_read();
  log->dev_ = st.st_dev;
  log->ino_ = st.st_ino;
  // The link to the last complete line; a last line a crash cut short was never valid: drop it.
  // Only the end of the file is read (it grows by a line a second while busy), more if a line is
  // longer than that.
  const off_t size = st.st_size;
  off_t chunk = std::min<off_t>(size, 8192);
  for (;;) {
    std::string tail(static_cast<std::size_t>(chunk), '\0');
    if (chunk > 0 && ::pread(log->fd_, tail.data(), tail.size(), size - chunk) != chunk)
      return cannot_read();
    std::size_t end = tail.rfind('\n');
    std::size_t from =
        end == std::string::npos || end == 0 ? std::string::npos : tail.rfind('\n', end - 1);
    bool whole = chunk == size;  // the tail is the whole file: a line may start at its beginning
    if (!whole && (end == std::string::npos || from == std::string::npos)) {
      chunk = std::min<off_t>(size, chunk * 2);
      continue;
    }
    off_t keep = end == std::string::npos ? 0 : size - chunk + static_cast<off_t>(end) + 1;
    if (keep < size && ::ftruncate(log->fd_, keep) != 0)
      return R::failure({"cannot repair the cut-short last line of `" + path + "`",
                         "无法修复 `" + path + "` 中写到一半的最后一行"});
    if (end == std::string::npos) {
      log->last_ = kZeroSha;
    } else {
      std::size_t start = from == std::string::npos ? 0 : from + 1;
      log->last_ = sha256_hex(std::string_view(tail).substr(start, end - start));
    }
    break;
  }
  return log;
}

AnchorLog::~AnchorLog() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

Result<bool, Localized> AnchorLog::append(Anchor a, const SigningKey& key, bool sync) {
  a.prev = last_;
  a.key = key.public_hex();
  a.sig = key.sign(a.message());
  std::string line = to_line(a);
  std::string out = line + "\n";
  ssize_t n = ::write(fd_, out.data(), out.size());
  if (n != static_cast<ssize_t>(out.size())) {
    Localized why = n < 0 ? same(std::strerror(errno)) : Localized{"short write", "只写入了一部分"};
    // A partial line would break the next: cut it off again.
    if (n > 0) {
      struct stat st {};
      if (::fstat(fd_, &st) == 0 && ::ftruncate(fd_, st.st_size - n) != 0)
        why = why + Localized{" (and cannot cut it)", "（且无法截去这部分）"};
    }
    return Result<bool, Localized>::failure(
        Localized{"cannot write a checkpoint to `" + path_ + "`: ",
                  "无法把检查点写入 `" + path_ + "`："} +
        why);
  }
  if (sync && ::fdatasync(fd_) != 0) {
    std::string sys = std::strerror(errno);
    return Result<bool, Localized>::failure(
        {"cannot sync `" + path_ + "`: " + sys, "无法把 `" + path_ + "` 同步到磁盘：" + sys});
  }
  last_ = sha256_hex(line);
  return true;
}

bool AnchorLog::still_there() const {
  struct stat st {};
  return ::stat(path_.c_str(), &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_;
}

}  // namespace xy::audit
