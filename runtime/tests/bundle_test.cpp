// Bundle round trip (same hash, same decisions) and rejection of truncated or corrupt bundles.
#include "rt_util.h"

using namespace rt;

namespace {
const std::string kPolicy = check_policy(
    "  effective 2022-08-01 to 2030-12-31\n"
    "  rule A1 permit when item.name in Duties because \"「{item.name}」\" basis "
    "\"《村民委员会组织法》第二条第二款\"\n"
    "  rule A1x forbid when item.name not in Duties and item.name not in [\"a\", \"b\"]\n"
    "  rule A4 exception to A1x permit when item.approved is some and item.approved.level >= "
    "county and item.fee > 2万元 because \"{item.approved.name}\"\n"
    "  rule Q forbid when any p in people: p.crime is some and p.released + 5年 > as_of\n"
    "    because \"{p.name}\" effective 2023-01-01\n");

const std::vector<std::string> kRequests = {
    assign(R"("name":"mediate","fee":0,"tags":[],"n":1)"),
    assign(R"("name":"ledger","fee":0,"tags":[],"n":1)"),
    assign(
        R"("name":"ledger","fee":"3万元","tags":[],"n":1,"approved":{"name":"C","level":"city"})"),
    assign(R"("name":"ledger","tags":[],"n":1)"),
    assign(item(),
           R"("people":[{"name":"x","crime":"c","released":"2022-01-01","birth":"1990-01-01"}])"),
};

std::vector<std::string> decisions(const xy::Bundle& b) {
  std::vector<std::string> out;
  xy::Evaluator ev(b);
  for (const auto& r : kRequests) {
    auto req = xy::parse_request(b, r, std::nullopt, date(2024, 5, 1));
    out.push_back(req ? xy::decision_json(b, *req, ev.decide(*req)) : "rejected");
  }
  return out;
}
}  // namespace

TEST_CASE("a bundle round-trips with the same hash and identical decisions", "[bundle]") {
  Engine e(kPolicy);
  std::string bytes = e.bundle().serialize();
  CHECK(bytes.compare(0, 8, "XYBUNDLE") == 0);
  auto back = xy::Bundle::deserialize(bytes);
  INFO((back ? std::string() : back.error().en));
  REQUIRE(back.ok());
  CHECK(back->hash == e.bundle().hash);
  CHECK(back->serialize() == bytes);
  auto original = decisions(e.bundle()), reloaded = decisions(*back);
  CHECK(original == reloaded);
  for (const auto& d : original) CHECK(d.find(e.bundle().hash) != std::string::npos);
  // Moving the loaded bundle keeps the constants it points into valid.
  xy::Bundle moved = std::move(*back);
  CHECK(decisions(moved) == original);
}

TEST_CASE("the hash depends on the content", "[bundle]") {
  Engine a(kPolicy), b(kPolicy + "# a comment\n");
  Engine c(kPolicy);
  CHECK(a.bundle().hash == c.bundle().hash);
  CHECK(a.bundle().hash != b.bundle().hash);  // the sources are part of the bundle
}

TEST_CASE("a bundle written to a file reads back", "[bundle]") {
  Engine e(kPolicy);
  std::string path = "/tmp/xy_runtime_test_" + std::to_string(getpid()) + ".xyb";
  REQUIRE(e.bundle().write_file(path).ok());
  auto back = xy::Bundle::read_file(path);
  std::remove(path.c_str());
  REQUIRE(back.ok());
  CHECK(back->hash == e.bundle().hash);
  CHECK_FALSE(xy::Bundle::read_file("/nonexistent/dir/b.xyb").ok());
}

TEST_CASE("every truncation of a bundle is rejected with an error", "[bundle][corrupt]") {
  Engine e(kPolicy);
  std::string bytes = e.bundle().serialize();
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    auto r = xy::Bundle::deserialize(bytes.substr(0, n));
    INFO("length " << n << " of " << bytes.size());
    REQUIRE_FALSE(r.ok());
    CHECK_FALSE(r.error().en.empty());
  }
  // Trailing garbage is rejected too.
  CHECK_FALSE(xy::Bundle::deserialize(bytes + "x").ok());
}

TEST_CASE("wrong magic and unknown format versions are rejected", "[bundle][corrupt]") {
  Engine e(kPolicy);
  std::string bytes = e.bundle().serialize();
  std::string magic = bytes;
  magic[0] = 'Y';
  auto m = xy::Bundle::deserialize(magic);
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().en.find("magic") != std::string::npos);
  std::string version = bytes;
  version[8] = 1;  // the format before node ranges and rule extents
  auto v = xy::Bundle::deserialize(version);
  REQUIRE_FALSE(v.ok());
  CHECK(v.error().en.find("version") != std::string::npos);
  CHECK_FALSE(xy::Bundle::deserialize("").ok());
  CHECK_FALSE(xy::Bundle::deserialize(std::string("XYBUNDLE\x01\0\0\0", 12)).ok());
}

TEST_CASE("a flipped byte never crashes and never changes what the bundle decides",
          "[bundle][corrupt]") {
  Engine e(kPolicy);
  std::string bytes = e.bundle().serialize();
  auto original = decisions(e.bundle());
  for (unsigned char mask : {0x01, 0x80, 0xFF}) {
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      std::string flipped = bytes;
      flipped[i] = static_cast<char>(flipped[i] ^ mask);
      auto r = xy::Bundle::deserialize(flipped);
      if (!r.ok()) {
        CHECK_FALSE(r.error().en.empty());
        continue;
      }
      // Accepted only if it is the same bundle in another encoding.
      INFO("byte " << i << " mask " << int(mask));
      CHECK(r->hash == e.bundle().hash);
      CHECK(r->serialize() == bytes);
    }
  }
}

TEST_CASE("every flipped byte is rejected", "[bundle][corrupt]") {
  // Stricter: the file's bytes, not only its decoded content, are covered by the hash. Bytes
  // read as a bool (any non-zero is true) or as a u32 narrowed to u16 (node slots) can change
  // without changing the hash.
  Engine e(kPolicy);
  std::string bytes = e.bundle().serialize();
  std::vector<std::size_t> accepted;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::string flipped = bytes;
    flipped[i] = static_cast<char>(flipped[i] ^ 0xFF);
    if (xy::Bundle::deserialize(flipped).ok()) accepted.push_back(i);
  }
  INFO("accepted flips at " << accepted.size() << " offsets, first "
                            << (accepted.empty() ? 0 : accepted[0]));
  CHECK(accepted.empty());
}
