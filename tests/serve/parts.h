// The parts of the `xy serve` integration test, run in order by serve_test.cpp.
#pragma once
#include "support.h"

namespace xy::servetest {

void test_startup_failures();
void test_health_initial(const json::value& h);
std::map<std::string, json::value> test_examples(const std::vector<Example>& examples,
                                                 const json::value& h);
void test_records(const std::map<std::string, json::value>& answers, const Example& deny_ex,
                  const Example& review_ex);
void test_filters(const std::map<std::string, json::value>& answers);
void test_batch(const std::vector<Example>& examples);
void test_request_errors(const std::vector<Example>& examples);
void test_access(const std::vector<Example>& examples);
void test_limits(const std::vector<Example>& examples);
void test_metrics(const std::vector<Sample>& m0, const std::vector<Sample>& m1,
                  std::size_t decisions, std::size_t denies, const std::string& content_type);
void test_status_metrics(const std::vector<Sample>& before, const std::vector<Sample>& after,
                         const std::map<int, int>& sent_before,
                         const std::map<int, int>& sent_after);
void test_reloads(ServerProcess& server, const Example& ex01, const fs::path& rules);
void test_reload_under_load(const std::vector<const Example*>& mix, const fs::path& rules);
void test_sigterm_under_load(ServerProcess& server, const std::vector<const Example*>& mix);
void test_store(const fs::path& db);
void test_sigterm_in_flight(const Example& ex01);
void test_watcher(const Example& ex01);
void test_open_single_set(const Example& ex01, const Example& review);

}  // namespace xy::servetest
