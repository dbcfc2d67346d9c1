#!/usr/bin/env bash
# The audit trail under faults, through the CLI: a lost log or an old copy of the store is found by
# verify (naming the missing records) and by receipts; writing stays refused until an operator
# records the loss; read commands never create or change a store; one writer per store; requests on
# stdin are decided as they arrive; export keeps memory flat.
# Usage: run.sh XY PROJECT_DIR WORK_DIR
set -u
source "$(dirname "$0")/../support/checks.sh"
wi=$root/policies/work-items
one=$(tr -d '\n' < "$wi/requests/01-养犬证明-负面清单.json")
lines() { local n=$1; yes "$one" | head -n "$n"; }
lines 100 > r100.jsonl
lines 200000 > r200k.jsonl

# 1. An older copy of the store comes back (as when the -wal holding the last records is lost).
"$xy" check "$wi" --request r100.jsonl --audit a.db --format json > ans1.jsonl
cp a.db old.db
"$xy" check "$wi" --request r100.jsonl --audit a.db --format json > ans2.jsonl
cat ans1.jsonl ans2.jsonl > receipts.jsonl
ok "every answer carries audit_id and a 64-digit audit_hash" \
  '[ "$(grep -cE "^\{\"audit_id\":[0-9]+,\"audit_hash\":\"[0-9a-f]{64}\"," receipts.jsonl)" = 200 ]'
"$xy" audit verify a.db --receipts receipts.jsonl > v0.txt; code=$?
ok "verify --receipts of an untouched store: exit 0, 200 receipts proven" \
  '[ $code = 0 ] && grep -q "^intact: 200 records" v0.txt && grep -q "present and unchanged: 200" v0.txt'
cp old.db a.db && rm -f a.db-wal a.db-shm
"$xy" audit verify a.db > v1.txt; code=$?
ok "verify of a store that lost its last 100 records exits 1 and names them" \
  '[ $code = 1 ] && grep -q "^incomplete: 100 recorded decision(s) missing" v1.txt && grep -q "(101–200) are missing" v1.txt'
"$xy" audit verify a.db --receipts receipts.jsonl > v2.txt; code=$?
ok "verify --receipts names the receipts whose records are gone" \
  '[ $code = 1 ] && grep -q "present and unchanged: 100" v2.txt && grep -q "record 101 is missing" v2.txt'
"$xy" check "$wi" --request r100.jsonl --audit a.db --format json > refused.out 2> refused.err; code=$?
ok "a store that lost records is not written to (exit 3, nothing printed, says what to do)" \
  '[ $code = 3 ] && [ ! -s refused.out ] && grep -q "xy audit recover" refused.err'
"$xy" audit recover a.db > rec.txt 2>&1; code=$?
ok "recover needs a reason" '[ $code != 0 ]'
"$xy" audit recover a.db --reason "恢复了昨晚的备份" > rec.txt; code=$?
ok "recover records the loss and says where the chain resumes" \
  '[ $code = 0 ] && grep -q "^recovered: records 101–" rec.txt && grep -q "resumes at record" rec.txt'
"$xy" check "$wi" --request r100.jsonl --audit a.db --format json > ans3.jsonl; code=$?
first_new=$(head -1 ans3.jsonl | sed -E 's/^\{"audit_id":([0-9]+),.*/\1/')
ok "after the recovery, writing goes on and no id is handed out twice (next id $first_new > 200)" \
  '[ $code = 0 ] && [ "$first_new" -gt 200 ]'
"$xy" audit verify a.db > v3.txt; code=$?
ok "verify after the recovery: intact, the loss listed with its reason" \
  '[ $code = 0 ] && grep -q "^intact: 200 records" v3.txt && grep -q "lost and recovered: records 101–.*恢复了昨晚的备份" v3.txt'

# 2. kill -9 in the middle of a long run, then the -wal deleted: never a silent loss. Either
# verify reports missing records, or every receipt printed before the kill is proven.
rm -f k.db*
"$xy" check "$wi" --request r200k.jsonl --audit k.db --audit-batch 500 --format json > kill.jsonl &
pid=$!
for _ in $(seq 200); do [ "$(wc -l < kill.jsonl)" -gt 30000 ] && break; sleep 0.05; done
kill -9 $pid; wait $pid 2>/dev/null
sed -i '$ d' kill.jsonl  # a torn last line
wal_before=$(stat -c %s k.db-wal 2>/dev/null || echo none)
"$xy" audit list k.db --limit 1 > /dev/null 2>&1
"$xy" audit verify k.db > /dev/null 2>&1
wal_after=$(stat -c %s k.db-wal 2>/dev/null || echo none)
ok "read commands leave the log of a crashed store as it is ($wal_before bytes)" \
  '[ "$wal_before" != none ] && [ "$wal_before" = "$wal_after" ]'
rm -f k.db-wal k.db-shm
"$xy" audit verify k.db --receipts kill.jsonl > kv.txt; code=$?
answered=$(wc -l < kill.jsonl)
ok "after kill -9 and a deleted -wal, verify fails or proves all $answered receipts" \
  '{ [ $code = 1 ] && grep -qE "^incomplete|is missing" kv.txt; } || { [ $code = 0 ] && grep -q "present and unchanged: $answered" kv.txt; }'
head -2 kv.txt | sed 's/^/     /'

# 3. Read commands never create a store.
for cmd in "list" "verify" "export --format jsonl" "show"; do
  set -- $cmd
  "$xy" audit "$1" nothere.db "${@:2}" $([ "$1" = show ] && echo 1) > /dev/null 2> nothere.err; code=$?
  ok "xy audit $cmd on a missing path: exit 3, nothing created" \
    '[ $code = 3 ] && grep -q "no audit store" nothere.err && [ -z "$(ls nothere.db* 2>/dev/null)" ]'
done

# 4. One writer per store: a second writer is refused at once; the first keeps serving.
rm -f s.db*
"$xy" serve --policies "$wi" --audit s.db --listen 127.0.0.1:0 > serve.out 2> serve.err &
spid=$!
for _ in $(seq 300); do grep -q "listening on" serve.out 2>/dev/null && break; sleep 0.05; done
port=$(sed -nE 's/.*127\.0\.0\.1:([0-9]+).*/\1/p' serve.out | head -1)
start=$(date +%s%N)
"$xy" check "$wi" --request r100.jsonl --audit s.db > second.out 2> second.err; code=$?
took=$(( ($(date +%s%N) - start) / 1000000 ))
ok "xy check --audit on a store xy serve writes: exit 3 at once (${took} ms), says why" \
  '[ $code = 3 ] && [ $took -lt 5000 ] && grep -q "another process is writing" second.err'
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/v1/check" \
  -H 'Content-Type: application/json' --data-binary "$one")
ok "the service still answers 200 (got $status)" '[ "$status" = 200 ]'
kill -TERM $spid; wait $spid; code=$?
ok "the service stops with exit 0" '[ $code = 0 ]'

# 4b. The -wal deleted under a running service: noticed within a second (health failing, checks
# 503), what it held saved; every decision answered 200 is in the store after a restart. The log
# goes soon after the start, before the writer's first look at its files (this went unnoticed).
rm -f w.db*
start_serve() {  # start_serve DB POLICIES: sets $spid and $port
  "$xy" serve --policies "$2" --audit "$1" --listen 127.0.0.1:0 > serve.out 2> serve.err &
  spid=$!
  for _ in $(seq 300); do grep -q "listening on" serve.out 2>/dev/null && break; sleep 0.05; done
  port=$(sed -nE 's/.*127\.0\.0\.1:([0-9]+).*/\1/p' serve.out | head -1)
}
check_once() {
  curl -s -X POST "http://127.0.0.1:$port/v1/check" -H 'Content-Type: application/json' --data-binary "$one"
  echo
}
start_serve w.db "$wi"
for _ in $(seq 3); do check_once; done > live.jsonl
rm -f w.db-wal
failing=no
for _ in $(seq 50); do
  check_once >> live.jsonl
  curl -s "http://127.0.0.1:$port/v1/health" | grep -q '"status":"failing"' && { failing=yes; break; }
  sleep 0.1
done
ok "a -wal deleted under the service: health says failing within 5 s, naming the log file" \
  '[ $failing = yes ] && curl -s "http://127.0.0.1:$port/v1/health" | grep -q "w.db-wal"'
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/v1/check" --data-binary "$one")
ok "meanwhile checks are answered 503 (got $status)" '[ "$status" = 503 ]'
kill -TERM $spid; wait $spid; code=$?
ok "a stop while the store is failing exits 3 and says how many were not recorded" \
  '[ $code = 3 ] && grep -qE "[0-9]+ decision\(s\) were not recorded" serve.err'
grep audit_id live.jsonl > live_receipts.jsonl
"$xy" audit verify w.db --receipts live_receipts.jsonl > wv.txt; code=$?
ok "every decision answered 200 ($(wc -l < live_receipts.jsonl)) is in the store, unchanged" \
  '[ $code = 0 ] && grep -q "present and unchanged: $(wc -l < live_receipts.jsonl)" wv.txt'
start_serve w.db "$wi"
next=$(check_once | sed -E 's/^\{"audit_id":([0-9]+),.*/\1/')
last=$(tail -1 live_receipts.jsonl | sed -E 's/^\{"audit_id":([0-9]+),.*/\1/')
ok "after a restart the service records again, after the last id answered ($next > $last)" \
  '[ -n "$next" ] && [ "$next" -gt "$last" ]'

# 4c. Deploying new policies by an atomic symlink swap (docs/serve.md): the watcher reloads once.
mkdir -p releases/v1 releases/v2
cp -r "$wi" releases/v1/ && cp -r "$wi" releases/v2/ && cp -r "$root/policies/laws" releases/v1/ &&
  cp -r "$root/policies/laws" releases/v2/
sed -i 's/委员会不予出具/委员会不予出具（v2）/' releases/v2/work-items/rules.xy
ln -sfn releases/v1 current
kill -TERM $spid; wait $spid
"$xy" serve --policies current --audit d.db --listen 127.0.0.1:0 > serve.out 2> serve.err &
spid=$!
for _ in $(seq 300); do grep -q "listening on" serve.out 2>/dev/null && break; sleep 0.05; done
port=$(sed -nE 's/.*127\.0\.0\.1:([0-9]+).*/\1/p' serve.out | head -1)
ln -sfn releases/v2 current.new && mv -T current.new current
swapped=no
for _ in $(seq 100); do check_once | grep -q "（v2）" && { swapped=yes; break; }; sleep 0.1; done
ok "ln -sfn releases/v2 current.new && mv -T current.new current: the new rules serve within 10 s" \
  '[ $swapped = yes ] && [ "$(grep -c "reload (watch)" serve.err)" = 1 ]'
kill -TERM $spid; wait $spid

# 5. Requests on stdin are decided as they arrive (a pipe kept open).
for audit in "" "--audit p.db"; do
  rm -f fifo p.db* && mkfifo fifo
  "$xy" check "$wi" --request - --format json $audit < fifo > stream.out 2> stream.err &
  cpid=$!
  exec 7> fifo
  echo "$one" >&7
  got=no
  for _ in $(seq 200); do [ -s stream.out ] && { got=yes; break; }; sleep 0.05; done
  echo "$one" >&7
  exec 7>&-
  wait $cpid; code=$?
  ok "xy check --request - ${audit:-(no audit)}: the first decision is out before stdin closes" \
    '[ $got = yes ] && [ $code = 0 ] && [ "$(wc -l < stream.out)" = 2 ]'
done

# 6. Export streams: memory does not grow with the number of records.
peak() {  # the peak resident memory (kB) of a command
  "$@" > /dev/null &
  local p=$! hwm=0 v
  while kill -0 $p 2>/dev/null; do
    v=$(awk '/VmHWM/ {print $2}' /proc/$p/status 2>/dev/null); [ -n "$v" ] && hwm=$v
    sleep 0.02
  done
  wait $p
  echo "$hwm"
}
# A sanitizer build's memory is not production's (quarantine, shadow): measured in Release only.
if [ "${XY_SANITIZED:-0}" = 1 ]; then
  echo "skip export memory: measured in the Release build (a sanitizer build holds freed memory)"
else
  rm -f e.db*
  "$xy" check "$wi" --request r200k.jsonl --audit e.db --format json > /dev/null
  small=$(peak "$xy" audit export e.db --format jsonl --filter 'id <= 1000')
  large=$(peak "$xy" audit export e.db --format jsonl)
  ok "export of 200,000 records peaks at ${large} kB, within 20 MB of exporting 1,000 (${small} kB)" \
    '[ "$large" -gt 0 ] && [ $((large - small)) -lt 20480 ]'
fi

finish
