//! `chain-specs/local.json` and `local-raw.json` are what `grid-node build-spec --chain local`
//! produces. The wasm blob is left out of the comparison: its bytes depend on the build
//! machine's paths, while everything else (genesis state, properties, ids) must match.
//! Regenerate with `scripts/gen-chain-specs.sh`.

use grid_e2e::node_binary;
use serde_json::Value;
use std::{path::PathBuf, process::Command};

const CODE_KEY: &str = "0x3a636f6465"; // hex of ":code"

fn build_spec(raw: bool) -> anyhow::Result<Value> {
	let mut cmd = Command::new(node_binary()?);
	cmd.args(["build-spec", "--chain", "local", "--disable-default-bootnode"]);
	if raw {
		cmd.arg("--raw");
	}
	let out = cmd.output()?;
	anyhow::ensure!(
		out.status.success(),
		"build-spec failed: {}",
		String::from_utf8_lossy(&out.stderr)
	);
	Ok(serde_json::from_slice(&out.stdout)?)
}

fn committed(name: &str) -> anyhow::Result<Value> {
	let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../chain-specs").join(name);
	Ok(serde_json::from_slice(&std::fs::read(&path)?)?)
}

/// Removes the runtime code from a plain or raw spec and returns whether it was there.
fn strip_code(spec: &mut Value) -> bool {
	let genesis = &mut spec["genesis"];
	if let Some(top) = genesis.pointer_mut("/raw/top").and_then(Value::as_object_mut) {
		return top.remove(CODE_KEY).is_some();
	}
	if let Some(rg) = genesis.get_mut("runtimeGenesis").and_then(Value::as_object_mut) {
		return rg.remove("code").is_some();
	}
	false
}

fn assert_same(file: &str, raw: bool) -> anyhow::Result<()> {
	let (mut fresh, mut stored) = (build_spec(raw)?, committed(file)?);
	assert!(strip_code(&mut fresh), "fresh spec has runtime code");
	assert!(strip_code(&mut stored), "{file} has runtime code");
	assert!(
		fresh == stored,
		"chain-specs/{file} drifted from the runtime: run scripts/gen-chain-specs.sh"
	);
	Ok(())
}

#[test]
fn local_plain_spec_matches_the_runtime() -> anyhow::Result<()> {
	assert_same("local.json", false)
}

#[test]
fn local_raw_spec_matches_the_runtime() -> anyhow::Result<()> {
	assert_same("local-raw.json", true)
}

#[test]
fn specs_name_the_token() -> anyhow::Result<()> {
	let spec = committed("local.json")?;
	assert_eq!(spec["properties"]["tokenSymbol"], "TFT");
	assert_eq!(spec["properties"]["tokenDecimals"], 7);
	assert_eq!(spec["id"], "gridchain_local");
	Ok(())
}
