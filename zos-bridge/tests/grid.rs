//! The whole grid on one machine: a dev chain (`grid-node --dev`), `zos-agent` machines and
//! their `zos-bridge` daemons, all real processes on loopback. Scenarios share one dev node and
//! run side by side; each has its own funder (a dev account) and its own farm, so no two
//! race on a nonce.
//!
//! - `earn` (Alice): a machine joins an open farm after the bridge asked for exactly its
//!   deposits and fees, with the agent's capacity; reports land every interval; a whole period
//!   closes with a receipt; the farmer claims it and the payout account rises by exactly it.
//! - `allow_list` (Bob): a bridge on an allow-list farm waits until the farmer admits it, then
//!   joins; when the farmer deletes the node, the bridge stops and says why.
//! - `faults` (Charlie): SIGKILL mid-report and restart; the first RPC endpoint cut; the
//!   machine down for a while — no interval reported twice, no report lost, no uptime claimed
//!   while the machine was down.
//! - `power` (Dave): the farmer's target Down → the machine powers off and the node sleeps on
//!   chain; Up → it boots and the sleep is credited.
//! - `bad_input` (Eve): a key file others can read, an unknown farm, an agent reporting
//!   nonsense capacity → a clear error and nothing sent.
//! - `usage` (Ferdie): a user's contract on the machine; the agent's traffic counters reach the
//!   chain in free batches, once per gap, exactly — across a SIGKILL too.
//! - `deployments::gateway`, `deployments::faults` and `deployments::with_gridctl` (funded by
//!   Alice first): contracts become workloads — see `scenarios/deployments.rs`.

mod common;
#[path = "scenarios/deployments.rs"]
mod deployments;

use anyhow::{anyhow, ensure, Context, Result};
use common::*;
use grid_client::{grid, GridClient, Wait};
use grid_e2e::DevNode;
use std::time::Duration;
use subxt_signer::sr25519::dev;

/// The dev preset's period, seconds.
const PERIOD: u64 = 60;
const CAPACITY: &str = "4,8GiB,256GiB,1TiB";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_grid_on_one_machine() -> Result<()> {
	let node = DevNode::start("zos-bridge").await?;
	node.wait_finalized(1, Duration::from_secs(120)).await?;
	let client = node.grid().await?;
	let rpc = node.ws_url.clone();
	// The deployment scenarios' funders, funded by Alice before any scenario signs with her.
	let gateway_funder = key("gateway-funder");
	let faults_funder = key("deploy-faults-funder");
	let gridctl_funder = key("gridctl-funder");
	for funder in [&gateway_funder, &faults_funder, &gridctl_funder] {
		fund(&client, &dev::alice(), funder.public_key().to_account_id(), 1_000 * TFT).await?;
	}
	let result = tokio::try_join!(
		async { earn(&client, &rpc).await.context("earn") },
		async { allow_list(&client, &rpc).await.context("allow list") },
		async { faults(&client, &rpc).await.context("faults") },
		async { power(&client, &rpc).await.context("power") },
		async { bad_input(&client, &rpc).await.context("bad input") },
		async { usage(&client, &rpc).await.context("usage") },
		async {
			deployments::gateway(&client, &rpc, &gateway_funder)
				.await
				.context("deployments: gateway")
		},
		async {
			deployments::faults(&client, &rpc, &faults_funder)
				.await
				.context("deployments: faults")
		},
		async {
			deployments::with_gridctl(&client, &rpc, &gridctl_funder)
				.await
				.context("deployments: gridctl")
		},
	);
	if let Err(e) = &result {
		eprintln!("{e:?}\n--- node log ---\n{}", node.log_tail());
	}
	result.map(|_| ())
}

async fn earn(client: &GridClient, rpc: &str) -> Result<()> {
	let funder = dev::alice();
	let farmer = key("earn-farmer");
	let (farm_id, payout) = new_farm(client, &funder, &farmer, "earn", true).await?;
	let machine = Machine::start("earn", CAPACITY).await?;
	let mut bridge = Bridge::start("earn", &machine, farm_id, &[rpc.to_string()])?;
	let account = bridge.account().await?;
	// A new machine has no TFT: the bridge names what it needs, from the chain's constants.
	bridge.wait_log("needs", Duration::from_secs(60)).await?;
	let log = bridge.log();
	ensure!(
		log.contains("twin deposit 1 TFT + node deposit 5 TFT + minimum balance 0.01 TFT + fees"),
		"{log}"
	);
	ensure!(!has_twin(client, &account).await?, "nothing is sent before the account is funded");
	fund(client, &funder, account, 10 * TFT).await?;
	let node_id = wait_node(client, &account, Duration::from_secs(90)).await?;
	println!("earn: node {node_id} registered on farm {farm_id}");
	let at = client.best().await?;
	let (_, node) = zos_bridge::chain::node_of(&at, &account).await?;
	let (_, node) = node.ok_or_else(|| anyhow!("no node"))?;
	let r = node.spec.resources;
	ensure!(
		(r.cru, r.mru, r.sru, r.hru) == (4, 8 << 30, 256 << 30, 1 << 40),
		"declared what the agent measured: {r:?}"
	);
	ensure!(node.spec.location.city.0 == b"Ghent" && !node.spec.virtualized);

	// A whole period closes with a receipt for this node.
	let deadline = std::time::Instant::now() + Duration::from_secs(5 * PERIOD);
	let receipt = loop {
		ensure!(
			std::time::Instant::now() < deadline,
			"no whole-period receipt in time:\n{}",
			tail(&bridge.log(), 30)
		);
		let receipts = client
			.view(grid::view_functions().minting().unclaimed_receipts(farm_id))
			.await?;
		if let Some(r) =
			receipts.into_iter().find(|r| r.node_id == node_id && r.registered == PERIOD)
		{
			break r;
		}
		tokio::time::sleep(Duration::from_secs(3)).await;
	};
	println!(
		"earn: period {} closed: uptime {}‰, {} planck",
		receipt.period, receipt.uptime, receipt.tft
	);
	ensure!(
		receipt.uptime >= 900,
		"a bridge reporting every interval earns the whole period: {}‰",
		receipt.uptime
	);
	ensure!(receipt.tft > 0 && receipt.violation.is_none());

	// The farmer claims: the payout account rises by exactly what was minted.
	let payout_account = payout.public_key().to_account_id();
	let claimed = client
		.submit_ok(&grid::tx().minting().claim_node(farm_id, node_id), &farmer, Wait::InBlock)
		.await?;
	let before = grid_client::free_balance_at(
		&client.at(claimed_parent(client, claimed.block).await?).await?,
		&payout_account,
	)
	.await?;
	let after =
		grid_client::free_balance_at(&client.at(claimed.block).await?, &payout_account).await?;
	let mut paid = 0u128;
	for e in claimed.find::<grid::minting::events::ReceiptPaid>() {
		let e = e?;
		ensure!(e.node_id == node_id && e.payout == payout_account);
		paid += e.amount;
		if e.period == receipt.period {
			ensure!(e.amount == receipt.tft, "the receipt is paid as issued");
		}
	}
	ensure!(
		paid >= receipt.tft && after - before == paid,
		"payout rose by {} for {paid} paid",
		after - before
	);
	println!("earn: claimed {paid} planck to the payout account");

	// Its metrics and its status say the same.
	ensure!(
		bridge
			.metric("zos_bridge_reports_total{kind=\"uptime\",result=\"final\"}")
			.await > 0
	);
	ensure!(bridge.metric("zos_bridge_block{which=\"handled\"}").await > 0);
	let status = std::process::Command::new(Bridge::binary()?)
		.args([
			"--data-dir",
			&bridge.data_dir().to_string_lossy(),
			"--rpc",
			rpc,
			"status",
			"--json",
		])
		.output()?;
	let json: serde_json::Value = serde_json::from_slice(&status.stdout)
		.with_context(|| String::from_utf8_lossy(&status.stderr).into_owned())?;
	ensure!(json["node"]["node_id"] == node_id && json["node"]["power_target"] == "Up", "{json}");
	ensure!(json["node"]["period"]["uptime_permille"].as_u64().is_some(), "{json}");
	bridge.kill9();
	Ok(())
}

/// The block before `block`.
async fn claimed_parent(
	client: &GridClient,
	block: subxt::utils::H256,
) -> Result<subxt::utils::H256> {
	let header: serde_json::Value =
		client.rpc().request("chain_getHeader", subxt::rpcs::rpc_params![block]).await?;
	let parent = header["parentHash"].as_str().ok_or_else(|| anyhow!("no parent hash"))?;
	Ok(parent.parse()?)
}

async fn allow_list(client: &GridClient, rpc: &str) -> Result<()> {
	let funder = dev::bob();
	let farmer = key("list-farmer");
	let (farm_id, _) = new_farm(client, &funder, &farmer, "list", false).await?;
	let machine = Machine::start("list", CAPACITY).await?;
	let mut bridge = Bridge::start("list", &machine, farm_id, &[rpc.to_string()])?;
	let account = bridge.account().await?;
	fund(client, &funder, account, 10 * TFT).await?;
	bridge.wait_log("admits only listed nodes", Duration::from_secs(60)).await?;
	tokio::time::sleep(Duration::from_secs(4)).await;
	ensure!(!has_twin(client, &account).await?, "a bridge not admitted sends nothing");
	use grid::runtime_types::pallet_registry::types::NodeRef;
	client
		.submit_ok(
			&grid::tx().registry().admit_node(farm_id, NodeRef::Account(account)),
			&farmer,
			Wait::InBlock,
		)
		.await?;
	let node_id = wait_node(client, &account, Duration::from_secs(90)).await?;
	let best = client.block_number(false).await?;
	wait_reports(client, node_id, best, 1, Duration::from_secs(60)).await?;
	println!("allow list: admitted, node {node_id} joins and reports");
	// The farmer removes the node: the bridge stops and says so, it does not register again.
	client
		.submit_ok(&grid::tx().registry().delete_node(node_id), &farmer, Wait::InBlock)
		.await?;
	wait_until("the bridge stops", Duration::from_secs(60), || {
		let exited = bridge.exited();
		async move { Ok(exited.is_some_and(|s| !s.success())) }
	})
	.await?;
	ensure!(
		bridge.log().contains(&format!("node {node_id} was deleted on chain")),
		"{}",
		tail(&bridge.log(), 10)
	);
	ensure!(node_of(client, &account).await?.is_none());
	Ok(())
}

async fn faults(client: &GridClient, rpc: &str) -> Result<()> {
	let funder = dev::charlie();
	let port: u16 = rpc
		.rsplit(':')
		.next()
		.and_then(|p| p.parse().ok())
		.ok_or_else(|| anyhow!("rpc port"))?;
	let proxy = Proxy::start(port).await?;
	let (mut machine, mut bridge, _, node_id, _) =
		joined(client, &[proxy.url(), rpc.to_string()], &funder, "faults", CAPACITY, &[]).await?;
	let start = client.block_number(false).await?;
	let boot_first = machine.agent().uptime().await?.boot_time;
	wait_reports(client, node_id, start, 2, Duration::from_secs(60)).await?;

	// kill -9 while a report is on its way, and start again.
	let sent = bridge.metric("zos_bridge_reports_total{kind=\"uptime\",result=\"sent\"}").await;
	wait_until("a report is sent", Duration::from_secs(60), || {
		let bridge = &bridge;
		async move {
			Ok(bridge.metric("zos_bridge_reports_total{kind=\"uptime\",result=\"sent\"}").await
				> sent)
		}
	})
	.await?;
	bridge.kill9();
	println!("faults: bridge killed mid-report");
	tokio::time::sleep(Duration::from_secs(2)).await;
	bridge.restart()?;
	let after_restart = client.block_number(false).await?;
	wait_reports(client, node_id, after_restart, 2, Duration::from_secs(60)).await?;

	// The first endpoint dies: every call goes to the second.
	proxy.cut();
	println!("faults: first RPC endpoint cut");
	let after_cut = client.block_number(false).await?;
	wait_reports(client, node_id, after_cut, 2, Duration::from_secs(60)).await?;
	ensure!(
		bridge.metric("zos_bridge_rpc_failovers_total").await >= 1,
		"failed over:\n{}",
		tail(&bridge.log(), 20)
	);

	// The machine goes down for a while; nothing is claimed meanwhile.
	machine.crash();
	let down = unix_now();
	println!("faults: machine down");
	tokio::time::sleep(Duration::from_secs(30)).await;
	machine.restart().await?;
	// Up from its new boot (the bridge may report in the second it answers, before we look).
	let up = machine.agent().uptime().await?.boot_time;
	let boot_second = up;
	ensure!(up >= down, "the machine booted at {up}, before it went down at {down}");
	let after_up = client.block_number(false).await?;
	let end = wait_reports(client, node_id, after_up, 2, Duration::from_secs(60)).await?;
	bridge.kill9();

	// What the chain heard.
	let params = minting_params(client).await?;
	let landed = reports(client, node_id, start, end).await?;
	let mut hints = vec![];
	for l in &landed {
		// The hint is the machine's clock: boot + uptime, within a minute of the block.
		let boot = [boot_second, boot_first]
			.into_iter()
			.find(|b| (b + l.uptime).abs_diff(l.at) <= 60)
			.ok_or_else(|| anyhow!("report {l:?} fits neither boot"))?;
		hints.push((boot, boot + l.uptime));
	}
	let intervals: Vec<u64> = hints
		.iter()
		.map(|(_, h)| (h - params.first_period_start) / params.report_interval)
		.collect();
	let mut unique = intervals.clone();
	unique.dedup();
	ensure!(unique.len() == intervals.len(), "an interval reported twice: {intervals:?}");
	ensure!(
		hints.iter().all(|(_, h)| *h <= down || *h >= up),
		"uptime claimed while the machine was down ({down}..{up}): {hints:?}"
	);
	// Within one boot, consecutive reports are at most two intervals apart: the chain credits
	// all of it (nothing lost across the kill and the failover).
	for pair in hints.windows(2) {
		let [(boot_a, a), (boot_b, b)] = pair else { continue };
		if boot_a == boot_b {
			ensure!(
				b - a <= 2 * params.report_interval,
				"a report went missing between {a} and {b}: {hints:?}"
			);
		}
	}
	println!("faults: {} reports, each interval once, none while down", landed.len());
	Ok(())
}

async fn power(client: &GridClient, rpc: &str) -> Result<()> {
	use grid::runtime_types::grid_primitives::registry::{Power, PowerState};
	let funder = dev::dave();
	let (machine, bridge, _, node_id, farmer) =
		joined(client, &[rpc.to_string()], &funder, "power", CAPACITY, &[]).await?;
	let best = client.block_number(false).await?;
	wait_reports(client, node_id, best, 1, Duration::from_secs(60)).await?;
	let boot_before = machine.agent().uptime().await?.boot_time;

	let target = grid::tx().registry().set_power_target(node_id, Power::Down);
	let asked = client.submit_ok(&target, &farmer, Wait::InBlock).await?;
	// When the target's block is final, as anyone watching (the bridge too) sees it.
	let asked_in = client.at(asked.block).await?.block_number() as u32;
	wait_until("the power target is final", Duration::from_secs(60), || async {
		Ok(client.block_number(true).await? >= asked_in)
	})
	.await?;
	let final_ms = unix_millis();
	let (down_block, _, _) = client
		.wait_for_event::<grid::registry::events::PowerStateChanged>(
			best,
			Duration::from_secs(60),
			|e| e.node_id == node_id && matches!(e.state, PowerState::Down { .. }),
		)
		.await?;
	let agent = machine.agent();
	wait_until("the machine powers off", Duration::from_secs(30), || {
		let agent = agent.clone();
		async move { Ok(matches!(agent.uptime().await, Err(zos_api::AgentError::PoweredOff))) }
	})
	.await?;
	let agent_ms: u128 = machine
		.log()
		.lines()
		.find_map(|l| {
			l.strip_prefix("power: Down requested at ")?.strip_suffix(" ms")?.parse().ok()
		})
		.ok_or_else(|| anyhow!("the agent logged no power-down"))?;
	println!(
		"power: node {node_id} asleep from #{down_block}; target final → agent told in {} ms (the Down report's inclusion first)",
		agent_ms.saturating_sub(final_ms)
	);
	tokio::time::sleep(Duration::from_secs(20)).await;
	let asleep_until = client.block_number(false).await?;
	ensure!(
		reports(client, node_id, down_block + 1, asleep_until).await?.is_empty(),
		"a machine that is off reports nothing:\n{}",
		tail(&bridge.log(), 20)
	);

	client
		.submit_ok(
			&grid::tx().registry().set_power_target(node_id, Power::Up),
			&farmer,
			Wait::InBlock,
		)
		.await?;
	// Up is reported before uptime resumes.
	let (up_block, _, _) = client
		.wait_for_event::<grid::registry::events::PowerStateChanged>(
			asleep_until,
			Duration::from_secs(90),
			|e| e.node_id == node_id && matches!(e.state, PowerState::Up),
		)
		.await?;
	let (woke_block, _, woke) = client
		.wait_for_event::<grid::minting::events::NodeWoke>(
			asleep_until,
			Duration::from_secs(90),
			|e| e.node_id == node_id,
		)
		.await?;
	ensure!(woke.sleep_credited, "the sleep is credited as uptime");
	let boot_after = machine.agent().uptime().await?.boot_time;
	ensure!(boot_after > boot_before, "the machine booted anew");
	ensure!(
		up_block <= woke_block,
		"Up (#{up_block}) is reported before the first report (#{woke_block})"
	);
	println!("power: woke, the sleep credited");
	Ok(())
}

async fn bad_input(client: &GridClient, rpc: &str) -> Result<()> {
	use std::os::unix::fs::PermissionsExt;
	let funder = dev::eve();
	let machine = Machine::start("bad", CAPACITY).await?;

	// The agent serves its own bridge only.
	let stranger = zos_api::Agent::new(zos_api::HttpTransport::new(
		&machine.url(),
		"not-the-token-0123456789",
		Duration::from_secs(5),
	));
	ensure!(stranger.version().await == Err(zos_api::AgentError::Unauthorized));
	ensure!(machine.agent().version().await.is_ok());

	// A key file others can read.
	let mut open_key = Bridge::start("open-key", &machine, 1, &[rpc.to_string()])?;
	let account = open_key.account().await?;
	open_key.kill9();
	let key_file = open_key.data_dir().join(zos_bridge::identity::KEY_FILE);
	std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644))?;
	open_key.restart()?;
	wait_until("the bridge refuses its key", Duration::from_secs(30), || {
		let exited = open_key.exited();
		async move { Ok(exited.is_some_and(|s| !s.success())) }
	})
	.await?;
	ensure!(open_key.log().contains("accessible to others (mode 644)"), "{}", open_key.log());
	ensure!(!has_twin(client, &account).await?);

	// An unknown farm.
	let mut unknown = Bridge::start("unknown-farm", &machine, 9_999, &[rpc.to_string()])?;
	let account = unknown.account().await?;
	fund(client, &funder, account, 10 * TFT).await?;
	wait_until("the bridge refuses the farm", Duration::from_secs(60), || {
		let exited = unknown.exited();
		async move { Ok(exited.is_some_and(|s| !s.success())) }
	})
	.await?;
	ensure!(unknown.log().contains("farm 9999 does not exist"), "{}", unknown.log());
	ensure!(!has_twin(client, &account).await?);

	// Agents answering nonsense capacity.
	for (name, capacity, says) in [
		("zero-cores", "0,8GiB,256GiB,0", "no cores"),
		("huge-memory", "4,18446744073709551615,256GiB,0", "more than any machine can have"),
	] {
		let liar = Machine::start(name, capacity).await?;
		let mut bridge = Bridge::start(name, &liar, 1, &[rpc.to_string()])?;
		let account = bridge.account().await?;
		fund(client, &funder, account, 10 * TFT).await?;
		bridge.wait_log(says, Duration::from_secs(60)).await?;
		tokio::time::sleep(Duration::from_secs(6)).await;
		ensure!(!has_twin(client, &account).await?, "{name}: nothing is sent");
	}
	println!("bad input: refused, nothing sent");
	Ok(())
}

async fn usage(client: &GridClient, rpc: &str) -> Result<()> {
	use grid::runtime_types::grid_primitives::resources::Resources;
	let funder = dev::ferdie();
	let (machine, mut bridge, _, node_id, _) =
		joined(client, &[rpc.to_string()], &funder, "usage", CAPACITY, &[]).await?;
	let user = key("usage-user");
	fund(client, &funder, user.public_key().to_account_id(), 100 * TFT).await?;
	let twin = grid::tx().registry().create_twin(grid_client::bounded(vec![]), None);
	client.submit_ok(&twin, &user, Wait::InBlock).await?;
	let small = Resources { cru: 1, mru: 1 << 30, sru: 10 << 30, hru: 0 };
	let tx = grid::tx().capacity().create_node_contract(
		node_id,
		[7; 32],
		grid_client::text("usage"),
		small,
		0,
		None,
	);
	let created = client.submit_ok(&tx, &user, Wait::InBlock).await?;
	let contract = created
		.find_first::<grid::capacity::events::NodeContractCreated>()
		.ok_or_else(|| anyhow!("no NodeContractCreated"))??
		.contract_id;
	let counted = || async {
		let at = client.best().await?;
		let usages = grid::storage().capacity().contract_usages();
		anyhow::Ok(at.storage().fetch(usages, (contract,)).await?.decode()?.traffic_bytes)
	};
	let sent = "zos_bridge_reports_total{kind=\"usage\",result=\"sent\"}";
	// The workloads count; the chain hears all of it, once.
	for (bytes, kill) in [(1_000u64, false), (5_000, true), (9_000, false)] {
		machine.set_traffic(&[(contract, bytes)])?;
		if kill {
			// Killed while a batch is on its way: the journal sends it again, or finds it landed.
			let before = bridge.metric(sent).await;
			wait_until("a usage batch is sent", Duration::from_secs(60), || {
				let bridge = &bridge;
				async move { Ok(bridge.metric(sent).await > before) }
			})
			.await?;
			bridge.kill9();
			bridge.restart()?;
		}
		wait_until(&format!("{bytes} bytes counted"), Duration::from_secs(90), || async {
			Ok(counted().await? >= bytes)
		})
		.await
		.map_err(|e| anyhow!("{e}\n{}", tail(&bridge.log(), 20)))?;
		let on_chain = counted().await?;
		ensure!(
			on_chain == bytes,
			"counted {on_chain} bytes of {bytes}: nothing twice, nothing lost"
		);
	}
	println!("usage: 9000 bytes counted exactly, across a SIGKILL");
	Ok(())
}
