//! `gridctl` against a real dev node, as farmers and users run it: the real binary, key files
//! on disk, `--json` output parsed and checked, exit codes. Three scenarios side by side on one
//! node: a farmer's journey to a claimed reward, a user's journey from a quote to a cancelled
//! contract, and bad input that must send nothing.

use anyhow::{anyhow, ensure, Context, Result};
use grid::runtime_types::{
	grid_primitives::resources::Resources,
	pallet_minting::types::UptimeReport,
	pallet_registry::types::{Location, NodeSpec},
	sp_runtime::MultiSignature,
};
use grid_client::{bounded, grid, text, uptime_report_payload, GridClient, Wait};
use serde_json::Value;
use std::{
	os::unix::fs::PermissionsExt,
	path::PathBuf,
	time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};
use subxt::utils::AccountId32;
use subxt_signer::{sr25519::Keypair, SecretUri};

const TFT: u128 = 10_000_000;
const GIB: u64 = 1 << 30;
/// The dev preset's reward period.
const PERIOD: u64 = 60;

fn unix_now() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

fn dev_key(name: &str) -> Keypair {
	let uri: SecretUri = format!("//{name}").parse().expect("a derivation path");
	Keypair::from_uri(&uri).expect("a dev key")
}

fn account(key: &Keypair) -> AccountId32 {
	key.public_key().into()
}

/// What one `gridctl` run gave.
#[derive(Debug)]
struct Outcome {
	code: i32,
	json: Value,
	stderr: String,
}

impl Outcome {
	/// Succeeded; its JSON document.
	fn ok(self) -> Result<Value> {
		ensure!(self.code == 0, "gridctl failed ({}): {}", self.code, self.stderr);
		Ok(self.json)
	}

	/// Failed with `code`, saying `words` (on standard error and in the JSON error).
	fn failed(&self, code: i32, words: &str) -> Result<()> {
		ensure!(self.code == code, "exit code {} instead of {code}: {}", self.code, self.stderr);
		ensure!(self.stderr.contains(words), "`{words}` not in: {}", self.stderr);
		let message = self.json["error"]["message"].as_str().unwrap_or_default();
		ensure!(!message.is_empty(), "no JSON error document: {}", self.json);
		Ok(())
	}
}

/// `gridctl` with a key directory and the node's URL.
struct Ctl {
	url: String,
	dir: PathBuf,
}

impl Ctl {
	fn key(&self, name: &str) -> PathBuf {
		self.dir.join(format!("{name}.json"))
	}

	/// Runs `gridctl --json --yes --key <dir>/<key>.json --url <node> <args>`.
	async fn run(&self, key: &str, args: &[&str]) -> Result<Outcome> {
		self.run_at(&self.url, key, args).await
	}

	async fn run_at(&self, url: &str, key: &str, args: &[&str]) -> Result<Outcome> {
		let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_gridctl"))
			.args(["--json", "--yes", "--url", url, "--key"])
			.arg(self.key(key))
			.args(args)
			.stdin(std::process::Stdio::null())
			.output()
			.await
			.context("running gridctl")?;
		let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
		let json = if stdout.trim().is_empty() {
			Value::Null
		} else {
			serde_json::from_str(&stdout).with_context(|| format!("not JSON: {stdout}"))?
		};
		Ok(Outcome {
			code: output.status.code().unwrap_or(-1),
			json,
			stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
		})
	}

	/// A key file for the development account `//name`.
	async fn dev_key(&self, name: &str) -> Result<()> {
		self.run(name, &["key", "import", "--dev", &format!("//{name}")]).await?.ok()?;
		Ok(())
	}

	/// An account's free balance, as `gridctl account` reads it.
	async fn free(&self, key: &str, who: &AccountId32) -> Result<u128> {
		let doc = self.run(key, &["account", &who.to_string()]).await?.ok()?;
		amount(&doc["free"])
	}
}

/// A planck amount from `--json` (a decimal string).
fn amount(v: &Value) -> Result<u128> {
	v.as_str()
		.ok_or_else(|| anyhow!("not an amount: {v}"))?
		.parse()
		.context("amount")
}

#[tokio::test(flavor = "multi_thread")]
async fn gridctl_journeys_on_a_dev_node() -> Result<()> {
	let node = grid_e2e::DevNode::start("gridctl").await?;
	let dir = std::env::temp_dir().join(format!("gridctl-test-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir)?;
	let ctl = Ctl { url: node.ws_url.clone(), dir };
	let client = node.grid().await?;

	// Alice funds the farmer and the user through gridctl (one after the other: one nonce).
	for name in ["Alice", "GridctlFarmer", "GridctlUser", "GridctlPoor"] {
		ctl.dev_key(name).await?;
	}
	let mode = std::fs::metadata(ctl.key("Alice"))?.permissions().mode() & 0o777;
	ensure!(mode == 0o600, "key files are private: {mode:o}");
	for name in ["GridctlFarmer", "GridctlUser"] {
		let to = account(&dev_key(name)).to_string();
		let sent = ctl.run("Alice", &["transfer", &to, "100TFT", "--no-finality"]).await?.ok()?;
		let transfer = sent["events"]
			.as_array()
			.and_then(|e| e.iter().find(|e| e["name"] == "Transfer"))
			.ok_or_else(|| anyhow!("no Transfer event: {sent}"))?;
		ensure!(transfer["fields"]["to"] == Value::String(to.clone()), "{transfer}");
		ensure!(transfer["fields"]["amount"] == 100 * TFT as u64, "{transfer}");
	}

	let started = Instant::now();
	let (farmer, user, bad) =
		tokio::join!(farmer_journey(&ctl, &client), user_journey(&ctl), bad_input(&ctl, &client));
	println!("gridctl journeys side by side: {:.0} s", started.elapsed().as_secs_f32());
	farmer.context("farmer journey")?;
	user.context("user journey")?;
	bad.context("bad input")?;
	Ok(())
}

/// twin → farm → public IP → a node admitted and funded → the node registers and reports (as
/// its bridge would) → a period closes → receipts → claim: the payout account rises by
/// exactly the receipts, less the claim's fee.
async fn farmer_journey(ctl: &Ctl, client: &GridClient) -> Result<()> {
	let f = "GridctlFarmer";
	let farmer = account(&dev_key(f));
	let twin = ctl.run(f, &["twin", "create", "--no-finality"]).await?.ok()?;
	ensure!(twin["twin"].as_u64().is_some(), "{twin}");
	let farm = ctl.run(f, &["farm", "create", "gridctl-farm", "--no-finality"]).await?.ok()?;
	let farm_id = farm["farm"].as_u64().ok_or_else(|| anyhow!("no farm id: {farm}"))? as u32;
	ctl.run(
		f,
		&[
			"farm",
			"ip",
			"add",
			"gridctl-farm",
			"185.206.123.40/24",
			"--gateway",
			"185.206.123.1",
			"--no-finality",
		],
	)
	.await?
	.ok()?;
	let shown = ctl.run(f, &["farm", "show", "gridctl-farm"]).await?.ok()?;
	ensure!(shown["id"] == farm_id && shown["payout"] == farmer.to_string(), "{shown}");
	ensure!(shown["public_ips"][0]["ip"] == "185.206.123.40/24", "{shown}");
	ensure!(shown["public_ips"][0]["contract"].is_null(), "the IP is free: {shown}");
	ensure!(shown["policy"] == "allow-list", "{shown}");
	// The node's account, as zos-bridge prints it: admitted and funded in one transaction.
	let node_key = dev_key("GridctlNode");
	let node_account = account(&node_key).to_string();
	ctl.run(
		f,
		&["farm", "admit", "gridctl-farm", &node_account, "--fund", "20TFT", "--no-finality"],
	)
	.await?
	.ok()?;
	let spec = NodeSpec {
		resources: Resources { cru: 4, mru: 8 * GIB, sru: 256 * GIB, hru: 0 },
		location: Location { city: text("Gent"), country: text("BE"), coordinates: None },
		interfaces: bounded(vec![]),
		serial_number: Some(text("GRIDCTL-1")),
		secure_boot: false,
		virtualized: false,
	};
	let register = grid::tx().utility().batch_all(vec![
		grid::runtime_types::grid_runtime::RuntimeCall::Registry(
			grid::runtime_types::pallet_registry::pallet::Call::create_twin {
				relays: bounded(vec![]),
				pk: None,
			},
		),
		grid::runtime_types::grid_runtime::RuntimeCall::Registry(
			grid::runtime_types::pallet_registry::pallet::Call::register_node { farm_id, spec },
		),
	]);
	let registered = client.submit_ok(&register, &node_key, Wait::InBlock).await?;
	let node_id = registered
		.find_first::<grid::registry::events::NodeRegistered>()
		.ok_or_else(|| anyhow!("no NodeRegistered"))??
		.node_id;

	// It reports every block until a receipt with a reward exists.
	let boot = unix_now() - 1_000;
	let deadline = Instant::now() + Duration::from_secs(4 * PERIOD);
	let mut checked_up = false;
	let reporting = async {
		loop {
			ensure!(Instant::now() < deadline, "no receipt with a reward within {}s", 4 * PERIOD);
			let now = unix_now();
			let report = UptimeReport { node_id, uptime: now - boot, timestamp_hint: now };
			let signature =
				MultiSignature::Sr25519(node_key.sign(&uptime_report_payload(&report)).0);
			let included = client
				.submit_authorized(
					&grid::tx().minting().report_uptime(report, signature),
					Wait::InBlock,
				)
				.await??;
			if !checked_up {
				let nodes = ctl.run(f, &["farm", "nodes", "gridctl-farm"]).await?.ok()?;
				let ours = &nodes["nodes"][0];
				ensure!(ours["id"] == node_id && ours["status"] == "up", "{nodes}");
				ensure!(ours["free"]["cru"] == 4 && ours["period"]["index"].is_u64(), "{nodes}");
				checked_up = true;
			}
			let doc = ctl.run(f, &["farm", "receipts", "gridctl-farm"]).await?.ok()?;
			if amount(&doc["total_tft"])? > 0 {
				return Ok::<Value, anyhow::Error>(doc);
			}
			let reported_in = client.at(included.block).await?.block_number();
			while u64::from(client.block_number(false).await?) <= reported_in {
				tokio::time::sleep(Duration::from_millis(500)).await;
			}
		}
	};
	// Meanwhile the farmer lists the farm, adds an address and removes it, and sends rewards
	// to a fresh payout account (paid at claim time).
	let chores = async {
		let listed = ctl.run(f, &["farm", "list"]).await?.ok()?;
		ensure!(
			listed["farms"][0]["id"] == farm_id && listed["farms"][0]["name"] == "gridctl-farm",
			"{listed}"
		);
		// A second address, removed again; rewards go to a fresh payout account.
		ctl.run(
			f,
			&[
				"farm",
				"ip",
				"add",
				"gridctl-farm",
				"185.206.123.41/24",
				"--gateway",
				"185.206.123.1",
				"--no-finality",
			],
		)
		.await?
		.ok()?;
		ctl.run(f, &["farm", "ip", "remove", "gridctl-farm", "185.206.123.41", "--no-finality"])
			.await?
			.ok()?;
		let payout = account(&dev_key("GridctlPayout"));
		ctl.run(f, &["farm", "payout", "gridctl-farm", &payout.to_string(), "--no-finality"])
			.await?
			.ok()?;
		let shown = ctl.run(f, &["farm", "show", "gridctl-farm"]).await?.ok()?;
		ensure!(shown["payout"] == payout.to_string(), "{shown}");
		ensure!(shown["public_ips"].as_array().map(Vec::len) == Some(1), "removed: {shown}");
		// The registered node's admission is no longer needed.
		ctl.run(f, &["farm", "revoke", "gridctl-farm", &node_account, "--no-finality"])
			.await?
			.ok()?;
		let shown = ctl.run(f, &["farm", "show", "gridctl-farm"]).await?.ok()?;
		ensure!(shown["admitted"] == 0 && shown["nodes"] == 1, "{shown}");
		Ok::<AccountId32, anyhow::Error>(payout)
	};
	let (receipts, payout) = tokio::try_join!(reporting, chores)?;
	let total = amount(&receipts["total_tft"])?;
	let listed: u128 = receipts["receipts"]
		.as_array()
		.into_iter()
		.flatten()
		.map(|r| amount(&r["tft"]).unwrap_or(0))
		.sum();
	ensure!(listed == total, "{receipts}");
	let period = receipts["receipts"][0]["period"].as_u64().unwrap_or_default();

	// The claim, waited to finality: the payout account gains exactly the receipts, the farmer
	// loses exactly the claim's fee.
	let (payout_before, farmer_before) = (ctl.free(f, &payout).await?, ctl.free(f, &farmer).await?);
	let claim = ctl.run(f, &["claim", "gridctl-farm"]).await?.ok()?;
	let minted = amount(&claim["minted"])?;
	let fee = amount(&claim["transaction"]["fee"])?;
	ensure!(minted == total, "minted {minted}, receipts {total}: {claim}");
	ensure!(claim["paid"][0]["payout"] == payout.to_string(), "{claim}");
	let payout_after = ctl.free(f, &payout).await?;
	ensure!(payout_after == payout_before + minted, "{payout_before} + {minted} != {payout_after}");
	let farmer_after = ctl.free(f, &farmer).await?;
	ensure!(farmer_after == farmer_before - fee, "{farmer_before} - fee {fee} != {farmer_after}");
	let left = ctl.run(f, &["farm", "receipts", "gridctl-farm"]).await?.ok()?;
	ensure!(amount(&left["total_tft"])? == 0, "claimed receipts are gone: {left}");
	let history = ctl.run(f, &["farm", "history", "gridctl-farm", "--periods", "5"]).await?.ok()?;
	let row = history["periods"]
		.as_array()
		.and_then(|p| p.iter().find(|p| p["period"] == period))
		.ok_or_else(|| anyhow!("period {period} not in the history: {history}"))?;
	ensure!(amount(&row["tft"])? >= total, "{row}");

	// Open to any node now.
	ctl.run(f, &["farm", "policy", "gridctl-farm", "open", "--no-finality"])
		.await?
		.ok()?;
	let shown = ctl.run(f, &["farm", "show", &farm_id.to_string()]).await?.ok()?;
	ensure!(shown["policy"] == "open", "{shown}");
	// Standby at the farmer's request.
	ctl.run(f, &["node", "power", &node_id.to_string(), "down", "--no-finality"])
		.await?
		.ok()?;
	let nodes = ctl
		.run(f, &["nodes", "--farm", "gridctl-farm", "--status", "standby"])
		.await?
		.ok()?;
	ensure!(nodes["matching"] == 1 && nodes["nodes"][0]["id"] == node_id, "{nodes}");
	println!("gridctl farmer: node {node_id} earned {minted} planck in period {period}, claimed (fee {fee})");
	Ok(())
}

/// quote → create a node contract → it is listed and billed as quoted → cancel.
async fn user_journey(ctl: &Ctl) -> Result<()> {
	let u = "GridctlUser";
	let me = account(&dev_key(u));
	let key = ctl.run(u, &["key", "show", "--url", "ws://127.0.0.1:1"]).await?.ok()?;
	ensure!(
		key["address"] == me.to_string() && key["kind"] == "development URI",
		"needs no node: {key}"
	);
	let twin = ctl.run(u, &["twin", "create", "--no-finality"]).await?.ok()?;
	let shown = ctl.run(u, &["twin", "show"]).await?.ok()?;
	ensure!(shown["id"] == twin["twin"] && shown["account"] == me.to_string(), "{shown}");
	let nodes = ctl
		.run(u, &["nodes", "--min-cru", "2", "--min-mru", "2GiB", "--country", "unknown"])
		.await?
		.ok()?;
	ensure!(nodes["nodes"][0]["id"] == 1, "the demo node has room: {nodes}");
	let capacity = ["--cru", "2", "--mru", "2GiB", "--sru", "20GiB"];
	let quote = ctl.run(u, &[&["quote", "1"][..], &capacity].concat()).await?.ok()?;
	let per_month = amount(&quote["tft_per_month"])?;
	ensure!(per_month > 0 && amount(&quote["tft_per_hour"])? > 0, "{quote}");
	ensure!(quote["usd_micro_per_month"].as_str().is_some_and(|u| u != "0"), "{quote}");
	let created = ctl
		.run(u, &[&["contract", "create-node", "1", "--no-finality"][..], &capacity].concat())
		.await?
		.ok()?;
	let id = created["contract"]
		.as_u64()
		.ok_or_else(|| anyhow!("no contract id: {created}"))?;
	let listed = ctl.run(u, &["contract", "list"]).await?.ok()?;
	ensure!(
		listed["contracts"][0]["id"] == id && listed["contracts"][0]["state"] == "active",
		"{listed}"
	);
	let bills = ctl.run(u, &["bills"]).await?.ok()?;
	ensure!(bills["contracts"] == 1, "{bills}");
	ensure!(amount(&bills["tft_per_month"])? == per_month, "billed as quoted: {bills} vs {quote}");
	let shown = ctl.run(u, &["contract", "show", &id.to_string()]).await?.ok()?;
	ensure!(shown["billing"]["charged_until"].is_u64(), "{shown}");
	// A discount's commitment, and half of it asked back.
	ctl.run(u, &["commit", "10TFT", "--no-finality"]).await?.ok()?;
	let mine = ctl.run(u, &["account"]).await?.ok()?;
	ensure!(amount(&mine["committed"])? == 10 * TFT, "{mine}");
	let asked = ctl.run(u, &["release", "5", "--no-finality"]).await?.ok()?;
	ensure!(
		asked["events"]
			.as_array()
			.is_some_and(|e| e.iter().any(|e| e["name"] == "ReleaseRequested")),
		"{asked}"
	);
	// A name next to the node contract.
	let name = ctl
		.run(u, &["contract", "create-name", "gridctl-shop", "--no-finality"])
		.await?
		.ok()?;
	let name_id = name["contract"].as_u64().ok_or_else(|| anyhow!("no contract id: {name}"))?;
	let listed = ctl.run(u, &["contract", "list"]).await?.ok()?;
	ensure!(listed["contracts"].as_array().map(Vec::len) == Some(2), "{listed}");
	ensure!(listed["contracts"][1]["what"] == "name `gridctl-shop`", "{listed}");
	// No debt to pay: the runtime's error, named.
	let paid = ctl.run(u, &["pay-debt", "--no-finality"]).await?;
	paid.failed(1, "Billing::NoDebt")?;
	ctl.run(u, &["contract", "cancel", &name_id.to_string(), "--no-finality"])
		.await?
		.ok()?;
	ctl.run(u, &["contract", "cancel", &id.to_string(), "--no-finality"])
		.await?
		.ok()?;
	ctl.run(u, &["contract", "show", &id.to_string()])
		.await?
		.failed(2, "no live contract")?;
	println!(
		"gridctl user: contract {id} quoted at {per_month} planck a month, billed so, cancelled"
	);
	Ok(())
}

/// Bad input: a clear message, its exit code, and nothing sent.
async fn bad_input(ctl: &Ctl, client: &GridClient) -> Result<()> {
	let poor = account(&dev_key("GridctlPoor"));
	let alice = account(&dev_key("Alice")).to_string();
	// Unknown node.
	ctl.run("GridctlPoor", &["quote", "999", "--cru", "1"])
		.await?
		.failed(2, "there is no node 999")?;
	// Eight decimals.
	ctl.run("GridctlPoor", &["transfer", &alice, "0.00000001"])
		.await?
		.failed(2, "more than 7 decimals")?;
	// A bad checksum.
	ctl.run("GridctlPoor", &["account", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ"])
		.await?
		.failed(2, "not a valid SS58 address")?;
	// No balance for the fee: refused before the pool.
	ctl.run("GridctlPoor", &["twin", "create"])
		.await?
		.failed(1, "cannot pay this transaction's fee")?;
	// Unreachable.
	ctl.run_at("ws://127.0.0.1:1", "GridctlPoor", &["account"])
		.await?
		.failed(3, "cannot reach the chain")?;
	// A failover list whose first URL is dead still works.
	let both = format!("ws://127.0.0.1:1,{}", ctl.url);
	let doc = ctl.run_at(&both, "GridctlPoor", &["account"]).await?.ok()?;
	ensure!(doc["address"] == poor.to_string(), "{doc}");
	// A key file others can read.
	let path = ctl.key("GridctlPoor");
	std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644))?;
	ctl.run("GridctlPoor", &["account"]).await?.failed(2, "mode 0644")?;
	std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
	// A key file made for another chain: a warning, and it still reads.
	let original = std::fs::read_to_string(&path)?;
	let mut other: Value = serde_json::from_str(&original)?;
	other["genesis"] = Value::String(format!("0x{}", "00".repeat(32)));
	std::fs::write(&path, other.to_string())?;
	let warned = ctl.run("GridctlPoor", &["account"]).await?;
	ensure!(warned.stderr.contains("was made for the chain with genesis 0x0000"), "{warned:?}");
	ensure!(warned.code == 0 && warned.json["address"] == poor.to_string(), "{warned:?}");
	std::fs::write(&path, original)?;
	// A runtime error is named, with its documentation.
	let taken = ctl.run("Alice", &["farm", "create", "ALICE-FARM", "--no-finality"]).await?;
	taken.failed(1, "Registry::FarmNameTaken")?;
	ensure!(taken.json["error"]["name"] == "Registry::FarmNameTaken", "{:?}", taken.json);
	ensure!(
		taken.json["error"]["docs"].as_str().is_some_and(|d| !d.is_empty()),
		"{:?}",
		taken.json
	);
	// Nothing the poor account tried reached the chain.
	let nonce = client
		.best()
		.await?
		.storage()
		.entry(grid::storage().system().account())?
		.fetch((poor,))
		.await?
		.decode()?
		.nonce;
	ensure!(nonce == 0, "the poor account sent {nonce} transaction(s)");
	Ok(())
}
