# Shared by the scripts: environment and idempotent setup of a fresh Debian machine with Rust.
# Source it; do not run it.

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
source scripts/env.sh
NODE_BIN="$CARGO_TARGET_DIR/release/grid-node"
export GRID_NODE="${GRID_NODE:-$NODE_BIN}"

say() { printf '\n==> %s\n' "$*"; }

# Debian packages: protoc for the networking stack, clang for C dependencies, Node.js for the
# dashboard and the JavaScript tests; `ensure_debian_packages chromium` adds the browser the
# dashboard's tests drive.
ensure_debian_packages() {
	local missing=()
	command -v protoc >/dev/null || missing+=(protobuf-compiler)
	command -v clang >/dev/null || missing+=(clang)
	command -v node >/dev/null || missing+=(nodejs)
	command -v npm >/dev/null || missing+=(npm)
	local extra
	for extra in "$@"; do
		command -v "$extra" >/dev/null || missing+=("$extra")
	done
	if ((${#missing[@]})); then
		say "installing Debian packages: ${missing[*]}"
		local sudo=""
		[ "$(id -u)" -eq 0 ] || sudo="sudo"
		$sudo apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
	fi
}

# The toolchain pinned in rust-toolchain.toml, with the wasm target the runtime needs.
ensure_rust() {
	local channel
	channel="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)"
	local components
	components="$(rustup component list --installed --toolchain "$channel" 2>/dev/null || true)"
	if ! rustup target list --installed --toolchain "$channel" 2>/dev/null | grep -qx wasm32v1-none ||
		! grep -q '^clippy' <<<"$components" || ! grep -q '^rustfmt' <<<"$components"; then
		say "installing Rust $channel with rustfmt, clippy and the wasm32v1-none target"
		rustup toolchain install "$channel" --profile minimal \
			--component rustfmt,clippy --target wasm32v1-none
	fi
	# clippy-driver exists only now on a fresh machine.
	gridchain_lint_with_clippy
}

# The npm workspaces (package.json at the root: e2e/js and dashboard share one node_modules),
# installed with `npm ci` whenever node_modules was not installed from the current lockfile.
ensure_npm_packages() {
	local stamp=node_modules/.gridchain-lock lock
	lock="$(sha256sum package-lock.json | cut -d' ' -f1)"
	if [ "$(cat "$stamp" 2>/dev/null)" != "$lock" ]; then
		say "installing npm packages for e2e/js and dashboard (npm ci)"
		npm ci --no-audit --no-fund
		echo "$lock" >"$stamp"
	fi
}

# What scripts/test.sh needs; scripts/dev.sh needs no browser.
setup() {
	ensure_debian_packages chromium
	ensure_rust
	ensure_npm_packages
}

# One build for everything: the node, the runtime and every test target. Selecting the same
# packages every time keeps cargo's feature unification identical, so the dev chain and the
# tests share every compiled crate instead of building the graph twice. The workspace's crates
# go through clippy (see env.sh): a lint is a build error.
build_all() {
	say "building and linting the workspace (release, clippy -D warnings) into $CARGO_TARGET_DIR"
	cargo build --locked --release --workspace --all-targets
}

# What scripts/dev.sh starts, and nothing else: grid-node, built beside grid-node-features so
# that every crate gets the features the workspace build gives it. The same units, flags and
# target dir as build_all: scripts/test.sh afterwards compiles only what the node does not use,
# and check_node_build_reused proves it.
NODE_PACKAGES=(-p grid-node -p grid-node-features)
build_node() {
	say "building grid-node (release, clippy -D warnings) into $CARGO_TARGET_DIR"
	cargo build --locked --release "${NODE_PACKAGES[@]}"
}

# After build_all: building the node alone must compile nothing. If it does, a crate the node
# uses gets other features in the workspace build (see tools/node-features/Cargo.toml), and
# scripts/dev.sh then test.sh would build the node's dependency graph twice.
check_node_build_reused() {
	say "checking that the node-only build (scripts/dev.sh) reuses the workspace build"
	local json rebuilt
	json="$(cargo build --locked --release "${NODE_PACKAGES[@]}" --message-format=json)"
	rebuilt="$(grep '"reason":"compiler-artifact"' <<<"$json" | grep '"fresh":false' |
		sed -n 's/.*"package_id":"\([^"]*\)".*/\1/p' || true)"
	if [ -n "$rebuilt" ]; then
		echo "the node-only build compiled again:" >&2
		echo "$rebuilt" >&2
		echo "give these crates the workspace's features in tools/node-features/Cargo.toml" >&2
		return 1
	fi
}

# The dashboard's bundle (dashboard/dist), a second with esbuild.
build_dashboard() {
	say "building the dashboard (esbuild) into dashboard/dist"
	(cd dashboard && node build.mjs)
}

# tools/try-runtime: the runtime natively with `try-runtime`, in a workspace of its own so the
# feature never reaches the node's build; no wasm (it runs natively).
build_try_runtime() {
	say "building grid-try-runtime (the runtime with try-runtime, native only)"
	SKIP_WASM_BUILD=1 cargo build --locked --release --manifest-path tools/try-runtime/Cargo.toml
}

# zombienet/: the network tests and grid-zombienet, on zombienet-sdk (its own workspace: it
# pulls an older polkadot-sdk stack the chain must not build).
build_zombienet() {
	say "building the network tests (zombienet/)"
	cargo build --locked --release --manifest-path zombienet/Cargo.toml --all-targets
}
