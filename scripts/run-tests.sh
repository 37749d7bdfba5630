#!/usr/bin/env bash
# Runs the already built test suite (swift test --skip-build) with a deadline.
#
#   scripts/run-tests.sh [swift test options, e.g. --filter CrashTests]
#
# Output is line-buffered, so a log shows each test as it starts and ends,
# even when the run is cut short. If the suite is still running after
# XINSHENG_TEST_TIMEOUT seconds (default 1500; a full run takes 3–5 minutes
# on 2 cores), the script prints the tests that started and never finished
# and the processes still running under the suite, stops them all and fails.
# A test that hangs then costs minutes and names itself, instead of silently
# using up a CI job's whole time.
set -uo pipefail
limit="${XINSHENG_TEST_TIMEOUT:-1500}"
log="$(mktemp -t xinsheng-tests.XXXXXX)"
trap 'rm -f "$log"' EXIT

# Its own session, so the suite and every process it started can be stopped together.
setsid stdbuf -oL -eL swift test --skip-build "$@" > >(tee "$log") 2>&1 &
suite=$!
waited=0
while kill -0 "$suite" 2>/dev/null; do
  if [ "$waited" -ge "$limit" ]; then
    echo
    echo "run-tests: the suite did not finish within $limit s (XINSHENG_TEST_TIMEOUT)."
    echo "run-tests: tests started and not finished:"
    awk '
      /^◇ Test case / { next }
      /^◇ Test .* started\.$/ { name = $0; sub(/^◇ Test /, "", name); sub(/ started\.$/, "", name); open[name] = 1 }
      /^[✔✘↳] Test .* (passed|failed|skipped)/ {
        name = $0; sub(/^[^ ]+ Test /, "", name); sub(/ (passed|failed|skipped).*$/, "", name); delete open[name]
      }
      END { for (name in open) print "  " name }
    ' "$log"
    echo "run-tests: processes still running under the suite:"
    ps -o pid,etimes,args --sid "$suite" 2>/dev/null | cut -c1-240 | sed 's/^/  /'
    pkill -TERM -s "$suite" 2>/dev/null
    sleep 5
    pkill -KILL -s "$suite" 2>/dev/null
    wait "$suite" 2>/dev/null
    exit 124
  fi
  sleep 1
  waited=$((waited + 1))
done
wait "$suite"
