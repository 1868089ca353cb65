#!/usr/bin/env bash
# Sets up this machine if needed, builds grid-node and the dashboard, and starts a local
# development chain: one validator (Alice), sudo Alice, dev accounts endowed, state thrown away
# on exit. JSON-RPC on ws://127.0.0.1:9944 (polkadot.js Apps: "Development" -> local node); the
# dashboard on http://127.0.0.1:9990 (DASHBOARD_PORT to change it), connected to that node.
# Extra arguments go to grid-node, e.g. `scripts/dev.sh --rpc-port 9955`.
# It builds only what it starts; scripts/test.sh afterwards reuses all of it.
source "$(dirname "$0")/lib.sh"
ensure_debian_packages
ensure_rust
ensure_npm_packages
build_node
build_dashboard

rpc_port=9944
args=("$@")
for i in "${!args[@]}"; do
	case "${args[$i]}" in
	--rpc-port) rpc_port="${args[$((i + 1))]:-$rpc_port}" ;;
	--rpc-port=*) rpc_port="${args[$i]#--rpc-port=}" ;;
	esac
done
rpc_url="ws://127.0.0.1:$rpc_port"
dashboard_port="${DASHBOARD_PORT:-9990}"

node dashboard/serve.mjs --port "$dashboard_port" --rpc "$rpc_url" >"${TMPDIR:-/tmp}/gridchain-dashboard.log" 2>&1 &
dashboard_pid=$!
trap 'kill "$dashboard_pid" 2>/dev/null || true' EXIT
sleep 0.5
if kill -0 "$dashboard_pid" 2>/dev/null; then
	dashboard_line="dashboard: $(sed -n 's/^dashboard: //p' "${TMPDIR:-/tmp}/gridchain-dashboard.log")"
else
	dashboard_line="dashboard: not started ($(cat "${TMPDIR:-/tmp}/gridchain-dashboard.log")); set DASHBOARD_PORT"
fi
say "starting $NODE_BIN --dev --tmp (Ctrl-C stops it)"
printf '    node RPC:  %s\n    %s\n\n' "$rpc_url" "$dashboard_line"
"$NODE_BIN" --dev --tmp "$@"
