//! Measurements, not tests: run them on purpose, on a quiet machine, and copy what they print
//! into the README ("zos-bridge: measured"). Nothing here asserts a time.
//!
//! ```sh
//! cargo test --release -p zos-bridge --test perf -- --ignored --nocapture --test-threads 1
//! SOAK_SECS=3600 cargo test --release -p zos-bridge --test perf bridge_memory -- --ignored --nocapture
//! LOAD_NODES=200 cargo test --release -p zos-bridge --test perf uptime_load -- --ignored --nocapture
//! DEPLOY_CONTRACTS=1000 cargo test --release -p zos-bridge --test perf deployments_at_scale -- --ignored --nocapture
//! ```

mod common;
#[allow(dead_code)]
#[path = "scenarios/deployments.rs"]
mod deployments;

use anyhow::{anyhow, Result};
use common::*;
use grid_client::{grid, uptime_report_payload, GridClient, Wait};
use grid_e2e::DevNode;
use std::{collections::BTreeMap, time::Duration};
use subxt_signer::sr25519::{dev, Keypair};

fn env_u64(name: &str, default: u64) -> u64 {
	std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Resident memory (KiB) and CPU time used so far (clock ticks) of a process.
fn rss_and_cpu(pid: u32) -> Option<(u64, u64)> {
	let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
	let rss = status
		.lines()
		.find(|l| l.starts_with("VmRSS:"))?
		.split_whitespace()
		.nth(1)?
		.parse()
		.ok()?;
	let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
	// Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
	let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
	let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
	Some((rss, ticks))
}

/// One bridge reporting on a dev chain for `SOAK_SECS` (default 600): its RSS and CPU.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run on purpose"]
async fn bridge_memory_and_cpu() -> Result<()> {
	let secs = env_u64("SOAK_SECS", 600);
	let node = DevNode::start("bridge-soak").await?;
	node.wait_finalized(1, Duration::from_secs(120)).await?;
	let client = node.grid().await?;
	let rpc = std::slice::from_ref(&node.ws_url);
	let (_machine, bridge, ..) =
		joined(&client, rpc, &dev::alice(), "soak", "4,8GiB,256GiB,1TiB", &[]).await?;
	let pid = bridge.pid().ok_or_else(|| anyhow!("no bridge process"))?;
	let (_, cpu_start) = rss_and_cpu(pid).ok_or_else(|| anyhow!("no /proc entry"))?;
	let (mut max_rss, mut samples, mut sum_rss) = (0u64, 0u64, 0u64);
	let start = std::time::Instant::now();
	while start.elapsed() < Duration::from_secs(secs) {
		tokio::time::sleep(Duration::from_secs(10)).await;
		let (rss, _) = rss_and_cpu(pid).ok_or_else(|| anyhow!("the bridge exited"))?;
		max_rss = max_rss.max(rss);
		sum_rss += rss;
		samples += 1;
	}
	let (rss_end, cpu_end) = rss_and_cpu(pid).ok_or_else(|| anyhow!("the bridge exited"))?;
	let ticks_per_sec = 100.0; // Linux USER_HZ
	let cpu = (cpu_end - cpu_start) as f64 / ticks_per_sec;
	let final_reports = bridge
		.metric("zos_bridge_reports_total{kind=\"uptime\",result=\"final\"}")
		.await;
	println!(
		"bridge soak: {secs} s, {final_reports} uptime reports final; RSS mean {} KiB, max {max_rss} KiB, end {rss_end} KiB; CPU {cpu:.2} s ({:.3} % of one core)",
		sum_rss / samples.max(1),
		100.0 * cpu / secs as f64,
	);
	Ok(())
}

/// `LOAD_NODES` nodes (default 100) report every interval through one dev node for
/// `LOAD_SECS` (default 120): accepted reports per block against the benchmarked limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run on purpose"]
async fn uptime_load() -> Result<()> {
	let count = env_u64("LOAD_NODES", 100) as usize;
	let secs = env_u64("LOAD_SECS", 120);
	let node = DevNode::start("uptime-load").await?;
	node.wait_finalized(1, Duration::from_secs(120)).await?;
	let client = node.grid().await?;
	let keys: Vec<Keypair> = (0..count).map(|i| key(&format!("load-{i}"))).collect();
	// Fund every node in one batch, then each registers itself (its own nonce: side by side).
	let transfers = keys
		.iter()
		.map(|k| {
			let to = subxt::utils::MultiAddress::Id(k.public_key().to_account_id());
			grid::runtime_types::grid_runtime::RuntimeCall::Balances(
				grid::runtime_types::pallet_balances::pallet::Call::transfer_keep_alive {
					dest: to,
					value: 10 * TFT,
				},
			)
		})
		.collect();
	client
		.submit_ok(&grid::tx().utility().batch_all(transfers), &dev::alice(), Wait::InBlock)
		.await?;
	// One connection per 25 nodes, as that many bridges would have: a few hundred requests on
	// one connection outrun its block subscription.
	let mut clients = vec![];
	for _ in 0..count.div_ceil(25) {
		clients.push(node.grid().await?);
	}
	let conn = |i: usize| &clients[i / 25];
	let registered = futures::future::join_all(
		keys.iter().enumerate().map(|(i, k)| register_bare_node(conn(i), k, 1)),
	)
	.await;
	let registered_errors: Vec<String> = registered
		.iter()
		.filter_map(|r| r.as_ref().err().map(|e| format!("{e:#}")))
		.collect();
	let nodes: Vec<(u32, &Keypair, &GridClient)> = registered
		.into_iter()
		.zip(&keys)
		.enumerate()
		.filter_map(|(i, (n, k))| Some((n.ok()?, k, conn(i))))
		.collect();
	println!("load: {} of {count} nodes registered", nodes.len());
	print_errors("registration", &registered_errors);

	let params = minting_params(&client).await?;
	let boot = unix_now() - 1_000;
	let first = client.block_number(false).await?;
	let start = std::time::Instant::now();
	let mut submitted = 0usize;
	while start.elapsed() < Duration::from_secs(secs) {
		let round = futures::future::join_all(nodes.iter().map(|(node_id, k, client)| {
			let now = unix_now();
			let report = grid::runtime_types::pallet_minting::types::UptimeReport {
				node_id: *node_id,
				uptime: now - boot,
				timestamp_hint: now,
			};
			let signature = grid::runtime_types::sp_runtime::MultiSignature::Sr25519(
				k.sign(&uptime_report_payload(&report)).0,
			);
			let tx = grid::tx().minting().report_uptime(report, signature);
			async move { client.submit_authorized(&tx, Wait::InBlock).await }
		}))
		.await;
		submitted += round.len();
		let errors: Vec<String> = round
			.iter()
			.filter_map(|r| match r {
				Ok(Ok(_)) => None,
				Ok(Err(failed)) => Some(failed.error.clone()),
				Err(e) => Some(format!("{e:#}")),
			})
			.collect();
		print_errors("reports", &errors);
		tokio::time::sleep(Duration::from_secs(params.report_interval)).await;
	}
	let last = client.block_number(false).await?;
	let mut per_block = BTreeMap::new();
	for n in first..=last {
		let hash: subxt::utils::H256 =
			client.rpc().request("chain_getBlockHash", subxt::rpcs::rpc_params![n]).await?;
		let events = client.at(hash).await?.events().fetch().await?;
		per_block.insert(n, events.find::<grid::minting::events::UptimeReported>().count());
	}
	let accepted: usize = per_block.values().sum();
	let busy: Vec<usize> = per_block.values().copied().filter(|c| *c > 0).collect();
	let max = busy.iter().max().copied().unwrap_or(0);
	// The benchmarked limit: normal dispatch weight of a block / a report's weight.
	let limit =
		benchmarked_limit(&client, nodes.first().map(|(n, ..)| *n).unwrap_or(1), &keys[0]).await?;
	println!(
		"load: {count} nodes, {secs} s: {accepted} of {submitted} reports accepted in {} blocks; {:.1} per block with reports, at most {max}; the benchmarked limit is {limit} reports per block",
		per_block.len(),
		accepted as f64 / busy.len().max(1) as f64,
	);
	Ok(())
}

/// How many uptime reports fit the normal part of a block, by the runtime's weights.
async fn benchmarked_limit(client: &GridClient, node_id: u32, key: &Keypair) -> Result<u64> {
	use codec::Decode;
	let at = client.best().await?;
	let weights = at.constants().entry(grid::constants().system().block_weights())?;
	let normal = weights.per_class.normal.max_total.ok_or_else(|| anyhow!("no normal limit"))?;
	let base = weights.per_class.normal.base_extrinsic;
	let now = unix_now();
	let report = grid::runtime_types::pallet_minting::types::UptimeReport {
		node_id,
		uptime: 10,
		timestamp_hint: now,
	};
	let signature = grid::runtime_types::sp_runtime::MultiSignature::Sr25519(
		key.sign(&uptime_report_payload(&report)).0,
	);
	let bytes = client
		.authorized_transaction(&grid::tx().minting().report_uptime(report, signature))
		.await?;
	let mut params = bytes.clone();
	codec::Encode::encode_to(&(bytes.len() as u32), &mut params);
	let info: Vec<u8> = at
		.runtime_apis()
		.call_raw("TransactionPaymentApi_query_info", Some(&params))
		.await?;
	// RuntimeDispatchInfo { weight: Weight { ref_time: Compact<u64>, proof_size: Compact<u64> }, class, partial_fee }
	let (ref_time, proof): (codec::Compact<u64>, codec::Compact<u64>) =
		Decode::decode(&mut &info[..])?;
	let per_report = (ref_time.0 + base.ref_time, proof.0 + base.proof_size);
	Ok((normal.ref_time / per_report.0.max(1)).min(normal.proof_size / per_report.1.max(1)))
}

/// How many of each error.
fn print_errors(what: &str, errors: &[String]) {
	let mut counts = BTreeMap::new();
	for e in errors {
		*counts.entry(e.chars().take(120).collect::<String>()).or_insert(0) += 1;
	}
	for (e, n) in counts {
		println!("load: {what}: {n} × {e}");
	}
}

/// `DEPLOY_CONTRACTS` deployments (default 1,000) through one bridge, in rounds of at most the
/// chain's `MaxContractsPerNode` (200) live contracts, each round cancelled before the next: the
/// bridge's RSS, the time from submission to running, and a full reconcile's time with the
/// agent holding them all (the last round live, the others tombstones).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run on purpose"]
async fn deployments_at_scale() -> Result<()> {
	use deployments::{contract_call, create_twin, disk, fund_all};
	use grid_client::deployments::{sign, Deployment};
	use grid_client::grid::runtime_types::{
		grid_runtime::RuntimeCall, pallet_capacity::pallet::Call,
	};
	let total = env_u64("DEPLOY_CONTRACTS", 1_000) as usize;
	let per_round = 200;
	let node = DevNode::start("deploy-scale").await?;
	node.wait_finalized(1, Duration::from_secs(120)).await?;
	let client = node.grid().await?;
	let rpc = std::slice::from_ref(&node.ws_url);
	let (machine, bridge, _, node_id, _) =
		joined(&client, rpc, &dev::alice(), "scale", "8,16GiB,4TiB,0", &[]).await?;
	let pid = bridge.pid().ok_or_else(|| anyhow!("no bridge process"))?;
	let user = key("scale-user");
	fund_all(&client, &dev::alice(), &[&user], 2 * per_round as u128 * TFT).await?;
	let twin = create_twin(&client, &user).await?;
	let api = bridge.deployments();
	let (mut max_rss, mut submit_ms) = (0u64, vec![]);
	let mut done = 0;
	while done < total {
		let n = per_round.min(total - done);
		let mut round: Vec<Deployment> = (0..n)
			.map(|i| {
				let mut d = Deployment::new(twin, 0, vec![disk("data", 1 << 30)]);
				d.nonce = (done + i) as u64;
				d
			})
			.collect();
		for chunk in round.chunks_mut(50) {
			let calls = chunk.iter().map(|d| contract_call(node_id, d, d.reservation())).collect();
			let created = client
				.submit_ok(&grid::tx().utility().batch_all(calls), &user, Wait::Finalized)
				.await?;
			let mut ids = vec![];
			for e in created.find::<grid::capacity::events::NodeContractCreated>() {
				ids.push(e?.contract_id);
			}
			for (d, id) in chunk.iter_mut().zip(ids) {
				d.contract_id = id;
				sign(d, twin, &user);
			}
		}
		for d in &round {
			let start = std::time::Instant::now();
			api.submit(d).await.map_err(|e| anyhow!("contract {}: {e}", d.contract_id))?;
			submit_ms.push(start.elapsed().as_millis() as u64);
			if let Some((rss, _)) = rss_and_cpu(pid) {
				max_rss = max_rss.max(rss);
			}
		}
		done += n;
		println!("scale: {done} deployments submitted; bridge RSS max so far {max_rss} KiB");
		if done < total {
			for chunk in round.chunks(50) {
				let calls = chunk
					.iter()
					.map(|d| {
						RuntimeCall::Capacity(Call::cancel_contract { contract_id: d.contract_id })
					})
					.collect();
				client
					.submit_ok(&grid::tx().utility().batch_all(calls), &user, Wait::Finalized)
					.await?;
			}
			let agent = machine.agent();
			wait_until("the round is decommissioned", Duration::from_secs(120), || {
				let agent = agent.clone();
				async move { Ok(agent.deployments().await?.iter().all(|i| !i.active)) }
			})
			.await?;
		}
	}
	// The periodic reconcile (every 20 s here) after everything is in place.
	let mark = bridge.log().len();
	wait_until("a periodic reconcile", Duration::from_secs(60), || {
		let log = bridge.log();
		async move { Ok(log.get(mark..).is_some_and(|l| l.contains("deployments reconciled"))) }
	})
	.await?;
	let log = bridge.log();
	let line = log
		.get(mark..)
		.and_then(|l| l.lines().find(|l| l.contains("deployments reconciled")))
		.unwrap_or_default()
		.to_string();
	let (rss_end, _) = rss_and_cpu(pid).ok_or_else(|| anyhow!("the bridge exited"))?;
	submit_ms.sort_unstable();
	let median = submit_ms.get(submit_ms.len() / 2).copied().unwrap_or(0);
	let worst = submit_ms.last().copied().unwrap_or(0);
	// The last round is live.
	let live = total - (total - 1) / per_round * per_round;
	println!(
		"scale: {total} deployments ({live} live, the rest tombstones): bridge RSS max {max_rss} KiB, end {rss_end} KiB; a submission until running: median {median} ms, max {worst} ms; reconcile: {line}",
	);
	Ok(())
}
