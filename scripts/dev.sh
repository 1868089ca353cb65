#!/usr/bin/env bash
# Sets up this machine if needed, builds grid-node and starts a local development chain:
# one validator (Alice), sudo Alice, dev accounts endowed, state thrown away on exit.
# JSON-RPC on ws://127.0.0.1:9944 (polkadot.js Apps: "Development" -> local node).
# Extra arguments go to grid-node, e.g. `scripts/dev.sh --rpc-port 9955`.
source "$(dirname "$0")/lib.sh"
setup
build_all
say "starting $NODE_BIN --dev --tmp (Ctrl-C stops it)"
exec "$NODE_BIN" --dev --tmp "$@"
