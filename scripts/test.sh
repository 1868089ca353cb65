#!/usr/bin/env bash
# Sets up this machine if needed and runs every test:
#   0. `cargo fmt --check`, then the build, which lints every workspace crate with clippy;
#   1. Rust: pallet unit tests, runtime integration tests, and end-to-end tests that start
#      real grid-node processes and drive them through subxt (release profile, one build);
#   2. the pallets' benchmarks, run once as tests (`runtime-benchmarks`);
#   3. JavaScript: @polkadot/api against a real dev node (e2e/js).
source "$(dirname "$0")/lib.sh"
setup
start=$(date +%s)

say "cargo fmt --all --check"
cargo fmt --all --check

build_all
say "cargo nextest: workspace (release)"
cargo nextest run --locked --release --workspace --no-fail-fast

say "cargo nextest: benchmarks as tests"
cargo nextest run --locked --release -p pallet-validator-set -p pallet-registry -p pallet-capacity -p pallet-minting -p pallet-tft-price -p pallet-billing \
	--features runtime-benchmarks --no-fail-fast

say "node --test: e2e/js (@polkadot/api)"
(cd e2e/js && npm test)

say "all tests passed in $(( $(date +%s) - start )) s"
