#!/usr/bin/env bash
# Checks this build's runtime upgrade against a live node's state: copies the state of its
# finalized head over JSON-RPC and runs the runtime natively on it as after an upgrade — every
# migration with its pre/post checks, the storage versions, every pallet's try_state. Nothing
# is written to the chain. Arguments go to grid-try-runtime (`--help`), e.g.
#   scripts/try-runtime.sh --uri ws://127.0.0.1:9944
source "$(dirname "$0")/lib.sh"
ensure_debian_packages
ensure_rust
build_try_runtime
exec "$CARGO_TARGET_DIR/release/grid-try-runtime" "$@"
