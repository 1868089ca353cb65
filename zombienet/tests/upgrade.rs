//! A runtime upgrade on a running network, with a storage migration.
//!
//! Two validators start from the previous runtime, spec 100 (`runtimes/`, built from commit
//! be177d1, before billing's ledgers recorded their bucket). Bob and Charlie become payers
//! under it: Bob commits TFT, Charlie takes a name contract. Governance (sudo, which the
//! `local` chain has) sets the code of the runtime this build made (`NEW_SPEC`), whose
//! `Migrations` hold billing's v0 → v1 → v2 migrations (and capacity's v0 → v1 → v2,
//! minting's v0 → v1 and the validator set's v0 → v1).
//! Then:
//!
//! - the nodes report the new spec, and blocks and finality continue;
//! - @polkadot/api, with the new metadata, reads every payer's ledger, now with its bucket,
//!   and the `PayerBucket` index; billing's storage version is 2;
//! - billing keeps charging Charlie's contract under the new runtime.
//!
//! Before the upgrade, `grid-try-runtime` (see README, "Runtime upgrades") runs the new
//! runtime's migrations with their pre- and post-checks against the live chain's state.

use anyhow::Context;
use grid_zombienet::{
	dev, new_runtime, repo_root, run, spec_with_runtime, subxt, subxt::dynamic::Value, Client,
	Clock, Net, Rpc, NEW_SPEC,
};
use std::{path::PathBuf, process::Command, time::Duration};

/// The runtime the network starts from.
const PREVIOUS_RUNTIME: &str =
	"zombienet/runtimes/grid_runtime-spec100-be177d1.compact.compressed.wasm";
const TFT: u128 = 10_000_000;

#[tokio::test(flavor = "multi_thread")]
async fn a_runtime_upgrade_migrates_billing_on_a_running_network() -> anyhow::Result<()> {
	let spec = previous_runtime_spec()?;
	std::env::set_var("GRID_UPGRADE_SPEC", &spec);
	run("upgrade", "upgrade.toml", Duration::from_secs(480), |net, clock| {
		Box::pin(scenario(net, clock))
	})
	.await
}

/// The `local` chain's raw spec with its genesis built by the previous runtime.
fn previous_runtime_spec() -> anyhow::Result<PathBuf> {
	spec_with_runtime("upgrade", "local", PREVIOUS_RUNTIME, |patch| {
		// Spec 100's capacity has no genesis config (its limits are the defaults; the upgrade
		// gives them the usage report gap) and no governance pallet: its genesis builder
		// refuses those fields.
		if let Some(patch) = patch.as_object_mut() {
			patch.remove("capacity");
			patch.remove("governance");
		}
	})
}

#[derive(serde::Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct Payers {
	spec_version: u32,
	storage_version: u16,
	payers: Vec<Payer>,
	payer_bucket: std::collections::BTreeMap<String, u32>,
}

#[derive(serde::Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct Payer {
	bucket: u32,
	twin: u32,
	ledger_bucket: u32,
	contracts: u32,
	committed: String,
	free: String,
}

impl Payers {
	/// Charlie: the payer with a contract.
	fn charlie(&self) -> anyhow::Result<&Payer> {
		self.payers
			.iter()
			.find(|p| p.contracts == 1)
			.context("no payer with a contract")
	}
}

/// What @polkadot/api reads on `node` (`e2e/js/tools/billing-payers.js`).
fn read_with_polkadot_js(ws: &str) -> anyhow::Result<Payers> {
	let script = repo_root().join("e2e/js/tools/billing-payers.js");
	let out = Command::new("node").arg(&script).arg(ws).output()?;
	anyhow::ensure!(out.status.success(), "polkadot.js: {}", String::from_utf8_lossy(&out.stderr));
	Ok(serde_json::from_slice(&out.stdout)?)
}

async fn scenario(net: &mut Net, clock: &Clock) -> anyhow::Result<()> {
	let node = net.get_node("alice")?;
	let alice = Rpc::to(node).await?;
	let client = Client::to(node).await?;
	clock
		.wait_until("alice finalizes #1", Duration::from_secs(120), || async {
			Ok((alice.finalized().await? >= 1).then_some(()))
		})
		.await?;
	let version = alice.spec_version().await?;
	anyhow::ensure!(version == 100, "the network started on spec {version}, not 100");

	// 1. Payers under the old runtime: Bob commits, Charlie rents a name.
	let (bob, charlie) = (dev("bob")?, dev("charlie")?);
	let no_relays = || vec![Value::unnamed_composite([]), Value::unnamed_variant("None", [])];
	for who in [&bob, &charlie] {
		client
			.submit(&subxt::dynamic::tx("Registry", "create_twin", no_relays()), who)
			.await?;
	}
	client
		.submit(&subxt::dynamic::tx("Billing", "commit", vec![Value::u128(10 * TFT)]), &bob)
		.await?;
	let name = Value::from_bytes(b"charlie-gw");
	client
		.submit(&subxt::dynamic::tx("Capacity", "create_name_contract", vec![name]), &charlie)
		.await?;
	clock.step("under spec 100: Bob committed 10 TFT, Charlie took a name contract");

	// 2. The migration's checks against the live state (the best block: both payers are in it),
	//    before enacting it.
	let best = alice.block_hash(alice.best().await?).await?;
	try_runtime(node.ws_uri(), &best, clock)?;

	// 3. Sudo sets the new code.
	let code = new_runtime()?;
	clock.step(format!("sudo: system.setCode ({} bytes, compressed)", code.len()));
	let set_code = grid_zombienet::call_value("System", "set_code", vec![Value::from_bytes(code)]);
	let events = client
		.submit(&subxt::dynamic::tx("Sudo", "sudo", vec![set_code]), &dev("alice")?)
		.await?;
	let sudid = grid_zombienet::event_fields(&events, "Sudo", "Sudid")?.unwrap_or_default();
	anyhow::ensure!(sudid.first() == Some(&0), "sudo(setCode) failed: {sudid:?}");

	// 4. The new version runs, and the chain goes on.
	grid_zombienet::await_upgrade(net, &["alice", "bob"], &events, &alice, clock).await?;

	// 5. polkadot.js reads the migrated ledgers with the new metadata.
	let ws = node.ws_uri().to_string();
	let read = read_with_polkadot_js(&ws)?;
	clock.step(format!("polkadot.js reads: {read:?}"));
	anyhow::ensure!(
		read.spec_version == NEW_SPEC && read.storage_version == 2,
		"versions: {read:?}"
	);
	anyhow::ensure!(read.payers.len() == 2, "two payers expected: {read:?}");
	for payer in &read.payers {
		anyhow::ensure!(payer.ledger_bucket == payer.bucket, "a ledger names another bucket");
		anyhow::ensure!(
			read.payer_bucket.get(&payer.twin.to_string()) == Some(&payer.bucket),
			"payer {} is not indexed in its bucket",
			payer.twin
		);
	}
	anyhow::ensure!(
		read.payers.iter().any(|p| p.committed == (10 * TFT).to_string()),
		"Bob's commitment did not survive"
	);

	// 6. Billing charges Charlie's contract under the new runtime: his free balance falls (he
	//    sends nothing more, so nothing else takes from it).
	let before: u128 = read.charlie()?.free.parse()?;
	clock
		.wait_until(
			&format!("billing charges Charlie again (free balance below {before})"),
			Duration::from_secs(120),
			|| async {
				let now: u128 = read_with_polkadot_js(&ws)?.charlie()?.free.parse()?;
				Ok((now < before).then_some(()))
			},
		)
		.await
}

/// Runs `grid-try-runtime` against the node: the new runtime's migrations with their checks,
/// then every pallet's `try_state`.
fn try_runtime(ws: &str, at: &str, clock: &Clock) -> anyhow::Result<()> {
	let (report, logs) = grid_zombienet::try_runtime(ws, at, clock)?;
	anyhow::ensure!(logs.contains("v1: 2 payers given their bucket"), "the state had not 2 payers");
	anyhow::ensure!(
		[
			"Billing: storage version 0 -> 2",
			"Capacity: storage version 0 -> 2",
			"Minting: storage version 0 -> 1",
			"ValidatorSet: storage version 0 -> 1"
		]
		.iter()
		.all(|line| report.contains(line)),
		"the report does not show billing's, capacity's, minting's and the validator set's migrations"
	);
	Ok(())
}
