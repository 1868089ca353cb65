#!/usr/bin/env bash
# Measures the weights of Gridchain's own pallets with the FRAME benchmark CLI and rewrites
# their `weights.rs` (template: scripts/weight-template.hbs). Not part of the test command:
# it builds a second, benchmark-enabled node into its own target directory (~40 min cold on
# 2 cores, minutes warm) and takes several minutes to run. Commit the regenerated files.
#
#   scripts/bench.sh                      # every pallet below
#   scripts/bench.sh pallet_registry      # one pallet
source "$(dirname "$0")/lib.sh"
setup

BENCH_TARGET="${BENCH_TARGET_DIR:-$HOME/.cache/gridchain/bench-target}"
# The benchmark CLI embeds a test runtime whose own wasm build cannot use our workspace
# hint, so the node is built without wasm and the runtime wasm separately.
say "building grid-node with runtime-benchmarks (no wasm)"
CARGO_TARGET_DIR="$BENCH_TARGET" SKIP_WASM_BUILD=1 \
	cargo build --locked --release -p grid-node --features runtime-benchmarks
say "building the runtime wasm with runtime-benchmarks"
CARGO_TARGET_DIR="$BENCH_TARGET" \
	cargo build --locked --release -p grid-runtime --features runtime-benchmarks
wasm="$BENCH_TARGET/release/wbuild/grid-runtime/grid_runtime.compact.compressed.wasm"

pallets=("$@")
[ ${#pallets[@]} -gt 0 ] || pallets=(pallet_validator_set pallet_governance pallet_registry pallet_capacity pallet_minting pallet_tft_price pallet_billing)
for pallet in "${pallets[@]}"; do
	dir="pallets/$(echo "${pallet#pallet_}" | tr _ -)"
	say "benchmarking $pallet -> $dir/src/weights.rs"
	"$BENCH_TARGET/release/grid-node" benchmark pallet \
		--runtime "$wasm" --genesis-builder runtime --genesis-builder-preset development \
		--pallet "$pallet" --extrinsic '*' --steps 50 --repeat 20 \
		--heap-pages 4096 \
		--template scripts/weight-template.hbs --output "$dir/src/weights.rs"
done
