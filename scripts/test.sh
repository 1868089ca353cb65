#!/usr/bin/env bash
# Sets up this machine if needed and runs every test:
#   0. `cargo fmt --check`, then the build, which lints every workspace crate with clippy;
#   1. Rust: pallet unit tests, runtime integration tests, and end-to-end tests that start
#      real grid-node processes and drive them through subxt (release profile, one build);
#   2. the pallets' benchmarks, run once as tests, with their try-runtime checks
#      (`runtime-benchmarks,try-runtime`);
#   3. JavaScript: @polkadot/api against a real dev node (e2e/js), beside step 2, and the
#      dashboard in headless Chromium against another (dashboard/tests), beside steps 1 and 2;
#   4. the network tests (zombienet/): four validators and their faults, a validator joining
#      by council vote, a runtime upgrade with a migration checked by grid-try-runtime.
source "$(dirname "$0")/lib.sh"
setup
start=$(date +%s)

say "cargo fmt --all --check"
cargo fmt --all --check
cargo fmt --all --check --manifest-path zombienet/Cargo.toml
cargo fmt --all --check --manifest-path tools/try-runtime/Cargo.toml

build_all
check_node_build_reused
build_dashboard

# The dashboard's browser tests mostly wait for blocks, a reward period and billing passes: they
# run beside the Rust tests and the benchmarks; their output is printed when all are done.
say "node --test: dashboard/tests (headless Chromium), in the background"
dashboard_log=$(mktemp)
(cd dashboard && npm test) >"$dashboard_log" 2>&1 &
dashboard_pid=$!

say "cargo nextest: workspace (release)"
# Three at a time on two cores: the four end-to-end tests spend most of their minutes waiting
# for 6-second blocks, so a third slot overlaps them instead of queueing them.
workspace_status=0
cargo nextest run --locked --release --workspace --no-fail-fast --test-threads 3 || workspace_status=$?

# The JavaScript suite mostly waits for its dev nodes' blocks: it runs beside the benchmarks'
# build and tests, and its output is printed when both are done.
say "node --test: e2e/js (@polkadot/api), beside the benchmarks"
js_log=$(mktemp)
(cd e2e/js && npm test) >"$js_log" 2>&1 &
js_pid=$!

say "cargo nextest: benchmarks as tests"
bench_status=0
cargo nextest run --locked --release -p pallet-validator-set -p pallet-governance -p pallet-registry -p pallet-capacity -p pallet-minting -p pallet-tft-price -p pallet-billing \
	--features runtime-benchmarks,try-runtime --no-fail-fast || bench_status=$?

js_status=0
wait "$js_pid" || js_status=$?
dashboard_status=0
wait "$dashboard_pid" || dashboard_status=$?
say "node --test: e2e/js output"
cat "$js_log"
say "node --test: dashboard/tests output (screenshots in dashboard/test-output/)"
cat "$dashboard_log"
rm -f "$js_log" "$dashboard_log"
if [ "$workspace_status" -ne 0 ] || [ "$bench_status" -ne 0 ] || [ "$js_status" -ne 0 ] || [ "$dashboard_status" -ne 0 ]; then
	echo "workspace tests exit $workspace_status, benchmark tests exit $bench_status, e2e/js exit $js_status, dashboard exit $dashboard_status" >&2
	exit 1
fi

build_try_runtime
build_zombienet
say "cargo nextest: network tests (zombienet/, side by side)"
cargo nextest run --locked --release --manifest-path zombienet/Cargo.toml --no-fail-fast \
	--test-threads 3 --success-output final

say "all tests passed in $(( $(date +%s) - start )) s"
