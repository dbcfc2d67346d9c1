# Shared by the shell tests: `source` it with XY PROJECT_DIR WORK_DIR as the script's arguments.
# Sets $xy, $root, $work, starts in a fresh $work; `ok WHAT CONDITION` counts and prints a check;
# `finish` prints the tally and fails the script if a check failed.
xy=$1 root=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
cd "$work" || exit 1
pass=0 fail=0
ok() { if eval "$2"; then pass=$((pass + 1)); echo "ok   $1"; else fail=$((fail + 1)); echo "FAIL $1"; fi; }
finish() {
  echo "$pass passed, $fail failed"
  [ $fail = 0 ]
}
