//! `grid-try-runtime`: would this build's runtime upgrade go well on that chain?
//!
//! It copies the state of a block from a live node over JSON-RPC, then runs this build's
//! runtime on it natively, as the first block after an upgrade would: every migration in
//! `Migrations` with its `pre_upgrade` and `post_upgrade` checks, every pallet's
//! `on_runtime_upgrade`, a check that each pallet's on-chain storage version now equals its
//! code's, and every pallet's `try_state` invariants. Nothing is written to the chain.
//!
//! ```sh
//! scripts/try-runtime.sh --uri ws://127.0.0.1:9944
//! ```

use anyhow::{anyhow, Context};
use clap::Parser;
use frame_support::traits::PalletsInfoAccess;
use frame_try_runtime::UpgradeCheckSelect;
use jsonrpsee::{core::client::ClientT, rpc_params, ws_client::WsClientBuilder};
use sp_core::storage::{StateVersion, Storage};
use std::collections::BTreeMap;

/// Runs this build's runtime upgrade (migrations with their pre- and post-checks, storage
/// versions, then every pallet's `try_state`) against a live node's state, without changing
/// the chain. Exits non-zero if any check fails.
#[derive(Parser)]
#[command(version)]
struct Args {
	/// The node to copy state from (WebSocket JSON-RPC).
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	uri: String,
	/// The block whose state to use (a hash); by default the node's finalized head.
	#[arg(long)]
	at: Option<String>,
	/// Storage keys per request (the node answers at most 1000).
	#[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=1000))]
	page: u32,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
	let args = Args::parse();
	// The migrations' own logs (`runtime::*` targets) say what they did.
	if std::env::var_os("RUST_LOG").is_none() {
		std::env::set_var("RUST_LOG", "info");
	}
	sp_tracing::try_init_simple();
	let storage = download(&args).await?;
	let mut ext = sp_io::TestExternalities::new_with_state_version(storage, StateVersion::V1);
	ext.execute_with(upgrade)
}

/// Every top-level key and value at the block, page by page.
async fn download(args: &Args) -> anyhow::Result<Storage> {
	let client = WsClientBuilder::default()
		.max_response_size(u32::MAX)
		.build(&args.uri)
		.await
		.with_context(|| format!("connecting to {}", args.uri))?;
	let at: String = match &args.at {
		Some(hash) => hash.clone(),
		None => client.request("chain_getFinalizedHead", rpc_params![]).await?,
	};
	let version: serde_json::Value =
		client.request("state_getRuntimeVersion", rpc_params![&at]).await?;
	println!(
		"state of block {at} (runtime {} spec {}) from {}",
		version["specName"].as_str().unwrap_or("?"),
		version["specVersion"],
		args.uri
	);
	let mut top = BTreeMap::new();
	let mut start: Option<String> = None;
	loop {
		let keys: Vec<String> = client
			.request("state_getKeysPaged", rpc_params!["0x", args.page, start.clone(), &at])
			.await?;
		if keys.is_empty() {
			break;
		}
		let sets: Vec<serde_json::Value> =
			client.request("state_queryStorageAt", rpc_params![&keys, &at]).await?;
		for change in sets.iter().filter_map(|s| s["changes"].as_array()).flatten() {
			let (Some(key), Some(value)) = (change[0].as_str(), change[1].as_str()) else {
				continue;
			};
			top.insert(unhex(key)?, unhex(value)?);
		}
		eprintln!("  {} keys", top.len());
		if keys.len() < args.page as usize {
			break;
		}
		start = keys.last().cloned();
	}
	println!("copied {} keys", top.len());
	Ok(Storage { top, children_default: Default::default() })
}

fn unhex(s: &str) -> anyhow::Result<Vec<u8>> {
	Ok(hex::decode(s.trim_start_matches("0x"))?)
}

/// Each pallet's on-chain storage version.
fn storage_versions() -> BTreeMap<&'static str, u16> {
	grid_runtime::AllPalletsWithSystem::infos()
		.into_iter()
		.map(|p| {
			let key = [
				sp_io::hashing::twox_128(p.name.as_bytes()),
				sp_io::hashing::twox_128(b":__STORAGE_VERSION__:"),
			]
			.concat();
			let version = sp_io::storage::get(&key)
				.and_then(|v| <u16 as codec::Decode>::decode(&mut &v[..]).ok())
				.unwrap_or(0);
			(p.name, version)
		})
		.collect()
}

fn upgrade() -> anyhow::Result<()> {
	let version = grid_runtime::VERSION;
	println!("running the upgrade to spec {} with every check", version.spec_version);
	let before = storage_versions();
	let weight = grid_runtime::Executive::try_runtime_upgrade(UpgradeCheckSelect::All)
		.map_err(|e| anyhow!("the upgrade checks failed: {e:?}"))?;
	let after = storage_versions();
	let mut changed = 0;
	for (pallet, new) in &after {
		let old = before.get(pallet).copied().unwrap_or_default();
		if old != *new {
			println!("{pallet}: storage version {old} -> {new}");
			changed += 1;
		}
	}
	if changed == 0 {
		println!("no storage version changed: this state needs none of the migrations");
	}
	let max = grid_runtime::configs::RuntimeBlockWeights::get().max_block;
	println!(
		"upgrade weight: {} µs of a {} µs block ({:.2} %)",
		weight.ref_time() / 1_000_000,
		max.ref_time() / 1_000_000,
		weight.ref_time() as f64 * 100.0 / max.ref_time() as f64
	);
	println!("all checks passed: migrations (pre and post), storage versions, try_state");
	Ok(())
}
