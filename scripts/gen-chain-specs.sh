#!/usr/bin/env bash
# Regenerates chain-specs/local.json and local-raw.json from the runtime's presets.
# Run after any change to genesis presets or runtime storage; the e2e test
# `chain_specs` fails until the committed files match again.
source "$(dirname "$0")/lib.sh"
setup
build_all
"$NODE_BIN" build-spec --chain local --disable-default-bootnode > chain-specs/local.json
"$NODE_BIN" build-spec --chain local --disable-default-bootnode --raw > chain-specs/local-raw.json
say "wrote chain-specs/local.json and chain-specs/local-raw.json"
