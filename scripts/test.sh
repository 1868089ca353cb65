#!/usr/bin/env bash
# Sets up this machine if needed and runs every test:
#   0. `cargo fmt --check`, then the build, which lints every workspace crate with clippy;
#   1. Rust: pallet unit tests, runtime integration tests, and end-to-end tests that start
#      real grid-node processes and drive them through subxt (release profile, one build);
#   2. the pallets' benchmarks, run once as tests, with their try-runtime checks
#      (`runtime-benchmarks,try-runtime`);
#   3. JavaScript: @polkadot/api against a real dev node (e2e/js);
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
say "cargo nextest: workspace (release)"
cargo nextest run --locked --release --workspace --no-fail-fast

say "cargo nextest: benchmarks as tests"
cargo nextest run --locked --release -p pallet-validator-set -p pallet-registry -p pallet-capacity -p pallet-minting -p pallet-tft-price -p pallet-billing \
	--features runtime-benchmarks,try-runtime --no-fail-fast

say "node --test: e2e/js (@polkadot/api)"
(cd e2e/js && npm test)

build_try_runtime
build_zombienet
say "cargo nextest: network tests (zombienet/, side by side)"
cargo nextest run --locked --release --manifest-path zombienet/Cargo.toml --no-fail-fast \
	--test-threads 3 --success-output final

say "all tests passed in $(( $(date +%s) - start )) s"
