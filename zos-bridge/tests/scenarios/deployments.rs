//! Contracts become workloads (zos-bridge part 2), on the shared dev node.
//!
//! - `gateway`: a user's node contract and name contract; a deployment with a disk, a VM and
//!   a gateway; the gateway answers through the agent's proxy with the backend's response and
//!   its traffic reaches the chain; bad submissions are refused with their codes and deploy
//!   nothing; an update adds a disk and its replay is refused; the user stops paying → grace →
//!   503 → pays → 200 → cancels → 404 and the disk files are gone, each action applied once.
//! - `faults`: the bridge killed between "journaled" and "agent called", and right after the
//!   agent acted; a contract cancelled while the bridge was down; the agent restarted with its
//!   deployments on disk → the agent holds what the chain says, and no action ran twice; a
//!   contract whose owner never submits is reported as an orphan.
//! - `with_gridctl`: a user deploys a disk with `gridctl deploy` and cancels it with
//!   `gridctl contract cancel`.

use crate::common::*;
use anyhow::{anyhow, ensure, Result};
use grid_client::{
	deployments::{self, deployment::*, BridgeClient, Deployment, DeploymentInfo},
	grid, GridClient, Wait,
};
use std::time::{Duration, Instant};
use subxt_signer::sr25519::Keypair;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zos_api::WorkloadState;

const GIB: u64 = 1 << 30;
const CAPACITY: &str = "4,8GiB,256GiB,1TiB";
const BACKEND_REPLY: &str = "hello from the backend";

/// Sends `amount` to each of `to`, in one transaction.
pub async fn fund_all(
	client: &GridClient,
	funder: &Keypair,
	to: &[&Keypair],
	amount: u128,
) -> Result<()> {
	use grid::runtime_types::{grid_runtime::RuntimeCall, pallet_balances::pallet::Call};
	let calls = to
		.iter()
		.map(|k| {
			RuntimeCall::Balances(Call::transfer_keep_alive {
				dest: subxt::utils::MultiAddress::Id(k.public_key().to_account_id()),
				value: amount,
			})
		})
		.collect();
	client
		.submit_ok(&grid::tx().utility().batch_all(calls), funder, Wait::InBlock)
		.await?;
	Ok(())
}

/// `key`'s new twin.
pub async fn create_twin(client: &GridClient, key: &Keypair) -> Result<u32> {
	let tx = grid::tx().registry().create_twin(grid_client::bounded(vec![]), None);
	let done = client.submit_ok(&tx, key, Wait::InBlock).await?;
	Ok(done
		.find_first::<grid::registry::events::TwinCreated>()
		.ok_or_else(|| anyhow!("no TwinCreated"))??
		.twin_id)
}

/// A user with a twin, funded by `funder`.
async fn new_user(client: &GridClient, funder: &Keypair, name: &str) -> Result<(Keypair, u32)> {
	let user = key(name);
	fund(client, funder, user.public_key().to_account_id(), 100 * TFT).await?;
	let twin = create_twin(client, &user).await?;
	Ok((user, twin))
}

/// The call creating a node contract on `node_id` for `deployment`, reserving `reserved`.
pub fn contract_call(
	node_id: u32,
	deployment: &Deployment,
	reserved: Reservation,
) -> grid::runtime_types::grid_runtime::RuntimeCall {
	use grid::runtime_types::{
		grid_primitives::resources::Resources, pallet_capacity::pallet::Call,
	};
	grid::runtime_types::grid_runtime::RuntimeCall::Capacity(Call::create_node_contract {
		node_id,
		deployment_hash: deployment.hash(),
		deployment_data: grid_client::text(""),
		resources: Resources {
			cru: reserved.cru,
			mru: reserved.mru,
			sru: reserved.sru,
			hru: reserved.hru,
		},
		public_ips: reserved.ipv4,
		solution_provider: None,
	})
}

pub fn disk(name: &str, size: u64) -> Workload {
	Workload::new(name, WorkloadData::ZMount(ZMount { size }))
}

/// A deployment signed by its owner, with a node contract on `node_id` holding its hash.
async fn contracted(
	client: &GridClient,
	owner: &Keypair,
	twin: u32,
	node_id: u32,
	mut deployment: Deployment,
) -> Result<Deployment> {
	deployment.twin_id = twin;
	deployment.signature_requirement.requests[0].twin_id = twin;
	client.create_node_contract_for(owner, node_id, &mut deployment).await?;
	deployments::sign(&mut deployment, twin, owner);
	Ok(deployment)
}

/// A backend answering every request with [`BACKEND_REPLY`].
async fn backend() -> Result<u16> {
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
	let port = listener.local_addr()?.port();
	tokio::spawn(async move {
		while let Ok((mut stream, _)) = listener.accept().await {
			tokio::spawn(async move {
				let mut seen = Vec::new();
				let mut buf = [0u8; 1024];
				while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
					match stream.read(&mut buf).await {
						Ok(0) | Err(_) => return,
						Ok(n) => seen.extend_from_slice(&buf[..n]),
					}
				}
				let reply = format!(
					"HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{BACKEND_REPLY}",
					BACKEND_REPLY.len()
				);
				let _ = stream.write_all(reply.as_bytes()).await;
			});
		}
	});
	Ok(port)
}

/// `GET /` with `Host: host` through the gateway on `port`: status and body.
async fn through_gateway(port: u16, host: &str) -> Result<(u16, String)> {
	let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
	let request = format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
	stream.write_all(request.as_bytes()).await?;
	let mut answer = String::new();
	tokio::time::timeout(Duration::from_secs(10), stream.read_to_string(&mut answer)).await??;
	let status = answer
		.split(' ')
		.nth(1)
		.and_then(|s| s.parse().ok())
		.ok_or_else(|| anyhow!("not an HTTP answer: {answer:?}"))?;
	let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
	Ok((status, body))
}

async fn wait_gateway(port: u16, host: &str, status: u16, within: Duration) -> Result<()> {
	wait_until(&format!("{host} answers {status}"), within, || async move {
		Ok(through_gateway(port, host).await.is_ok_and(|(s, _)| s == status))
	})
	.await
}

/// The refusal's code, or an error saying it was accepted.
fn code(result: Result<DeploymentInfo, zos_api::Refused>) -> Result<String> {
	match result {
		Ok(info) => Err(anyhow!("accepted: {info:?}")),
		Err(refused) => Ok(refused.code),
	}
}

async fn wait_workloads(
	api: &BridgeClient,
	id: u64,
	state: WorkloadState,
) -> Result<DeploymentInfo> {
	deployments::wait_for(api, id, Duration::from_secs(60), |i| {
		!i.workloads.is_empty()
			&& i.workloads
				.iter()
				.all(|w| w.state == state || w.state == WorkloadState::Deleted)
	})
	.await
}

pub async fn gateway(client: &GridClient, rpc: &str, funder: &Keypair) -> Result<()> {
	let gateway_port = free_port();
	let extra = [
		"--gateway-listen".to_string(),
		format!("127.0.0.1:{gateway_port}"),
		"--gateway-domain".into(),
		"gw.test".into(),
	];
	let (machine, bridge, farm_id, node_id, farmer) =
		joined(client, &[rpc.to_string()], funder, "gateway", CAPACITY, &extra).await?;
	// The farmer makes it a gateway node: a public config with a domain.
	{
		use grid::runtime_types::{
			grid_primitives::net::{Ipv4, Ipv4Cidr},
			pallet_registry::types::{Ipv4WithGateway, PublicConfig},
		};
		let config = PublicConfig {
			ip4: Ipv4WithGateway {
				ip: Ipv4Cidr { ip: Ipv4([185, 69, 166, 10]), prefix: 24 },
				gateway: Ipv4([185, 69, 166, 1]),
			},
			ip6: None,
			domain: Some(grid_client::bounded(b"gw.test".to_vec())),
		};
		let tx = grid::tx().registry().set_node_public_config(node_id, Some(config));
		client.submit_ok(&tx, &farmer, Wait::InBlock).await?;
	}
	ensure!(client.bridge_url(node_id).await? == "http://gw.test:2021");
	// The user, another twin and a second node, set up side by side.
	let (user, other, bare) = (key("gw-user"), key("gw-other"), key("gw-bare"));
	fund_all(client, funder, &[&user, &other, &bare], 100 * TFT).await?;
	let (twin, other_twin, elsewhere_node) = tokio::try_join!(
		create_twin(client, &user),
		create_twin(client, &other),
		register_bare_node(client, &bare, farm_id),
	)?;
	let backend = backend().await?;
	let gateway = Workload::new(
		"web",
		WorkloadData::GatewayNameProxy(GatewayNameProxy {
			name: "shop".into(),
			backends: vec![format!("http://127.0.0.1:{backend}")],
			tls_passthrough: false,
		}),
	);
	let vm = Workload::new(
		"vm",
		WorkloadData::ZMachine(ZMachine {
			flist: "https://hub.grid.test/ubuntu-24.04.flist".into(),
			entrypoint: "/sbin/init".into(),
			cpu: 1,
			memory: GIB / 2,
			rootfs_size: 2 * GIB,
			mounts: vec![Mount { name: "data".into(), mountpoint: "/data".into() }],
			network: None,
			public_ip: None,
		}),
	);
	let mut d = Deployment::new(twin, 0, vec![disk("data", GIB), vm, gateway]);
	// The same workloads on the other node; 2 GiB of disk on a contract reserving 1.
	let mut elsewhere = Deployment { nonce: 1, ..d.clone() };
	let mut big = Deployment::new(twin, 0, vec![disk("big", 2 * GIB)]);
	big.nonce = 2;
	let one_gib = Reservation { sru: GIB, ..Reservation::default() };
	// The name and the three contracts in one transaction, final before any submission.
	let calls = vec![
		grid::runtime_types::grid_runtime::RuntimeCall::Capacity(
			grid::runtime_types::pallet_capacity::pallet::Call::create_name_contract {
				name: deployments::gateway_name("shop"),
			},
		),
		contract_call(node_id, &d, d.reservation()),
		contract_call(elsewhere_node, &elsewhere, elsewhere.reservation()),
		contract_call(node_id, &big, one_gib),
	];
	let from = client.block_number(false).await?;
	let done = client
		.submit_ok(&grid::tx().utility().batch_all(calls), &user, Wait::Finalized)
		.await?;
	let mut ids = vec![];
	for e in done.find::<grid::capacity::events::NodeContractCreated>() {
		ids.push(e?.contract_id);
	}
	let [id, elsewhere_id, big_id] = ids[..] else { return Err(anyhow!("contracts: {ids:?}")) };
	for (deployment, id) in [(&mut d, id), (&mut elsewhere, elsewhere_id), (&mut big, big_id)] {
		deployment.contract_id = id;
		deployments::sign(deployment, twin, &user);
	}
	let api = bridge.deployments();

	// ---- bad submissions: each refused with its code, nothing deployed ----
	let mut forged = d.clone();
	forged.add_signature(twin, SignatureType::Sr25519, other.sign(&d.hash()).0);
	ensure!(code(api.submit(&forged).await)? == "bad_signature");
	let mut changed = d.clone();
	changed.description = "not what the contract holds".into();
	deployments::sign(&mut changed, twin, &user);
	ensure!(code(api.submit(&changed).await)? == "hash_mismatch");
	let mut theirs = d.clone();
	theirs.twin_id = other_twin;
	theirs.signature_requirement.requests[0].twin_id = other_twin;
	theirs.signature_requirement.signatures.clear();
	deployments::sign(&mut theirs, other_twin, &other);
	ensure!(code(api.submit(&theirs).await)? == "not_owner");
	ensure!(code(api.submit(&elsewhere).await)? == "wrong_node");
	ensure!(code(api.submit(&big).await)? == "exceeds_reservation");
	ensure!(code(api.submit_raw(b"{\"version\": 0, ".to_vec()).await)? == "malformed_json");
	ensure!(code(api.submit_raw(vec![b' '; 70 * 1024]).await)? == "body_too_large");
	ensure!(machine.agent().deployments().await?.is_empty(), "a refused submission deployed");
	println!("deployments: 7 bad submissions refused with their codes, nothing deployed");

	// ---- the good one ----
	let info = api.submit(&d).await.map_err(|e| anyhow!("submission refused: {e}"))?;
	ensure!(info.deployment.contract_id == id);
	let info = wait_workloads(&api, id, WorkloadState::Ok).await?;
	let vm = info.workloads.iter().find(|w| w.name == "vm").ok_or_else(|| anyhow!("no vm"))?;
	ensure!(vm.message.contains("no hypervisor"), "a VM says it is a record: {vm:?}");
	let disk_file = machine.dir.join(format!("data/disks/{id}-data.img"));
	ensure!(std::fs::metadata(&disk_file)?.len() == GIB, "the disk is the reserved size");
	let (status, body) = through_gateway(gateway_port, "shop.gw.test").await?;
	ensure!(status == 200 && body == BACKEND_REPLY, "{status} {body}");
	ensure!(through_gateway(gateway_port, "nobody.gw.test").await?.0 == 404);
	// Its traffic reaches the chain in the node's usage reports.
	for _ in 0..20 {
		through_gateway(gateway_port, "Shop.GW.test:80").await?;
	}
	wait_until("the gateway's traffic is counted on chain", Duration::from_secs(90), || async {
		let at = client.best().await?;
		let usage = at
			.storage()
			.try_fetch(grid::storage().capacity().contract_usages(), (id,))
			.await?;
		Ok(match usage {
			Some(u) => u.decode()?.traffic_bytes > 0,
			None => false,
		})
	})
	.await
	.map_err(|e| anyhow!("{e}\n{}", tail(&bridge.log(), 20)))?;
	println!("deployments: contract {id} serves shop.gw.test; its traffic is on chain");

	// ---- an update adds a disk; its replay and the old version are refused ----
	let mut v1 = d.clone();
	v1.version = 1;
	v1.workloads.push(Workload { version: 1, ..disk("logs", GIB / 2) });
	v1.signature_requirement.signatures.clear();
	client.update_node_contract_for(&user, &v1).await?;
	deployments::sign(&mut v1, twin, &user);
	api.submit(&v1).await.map_err(|e| anyhow!("update refused: {e}"))?;
	let logs_file = machine.dir.join(format!("data/disks/{id}-logs.img"));
	wait_until("the new disk exists", Duration::from_secs(30), || {
		let f = logs_file.clone();
		async move { Ok(std::fs::metadata(f).is_ok_and(|m| m.len() == GIB / 2)) }
	})
	.await?;
	ensure!(code(api.submit(&d).await)? == "stale_version", "version 0 replayed");
	let again = api.submit(&v1).await.map_err(|e| anyhow!("the same update again: {e}"))?;
	ensure!(again.applied("update") == 1, "a replayed update applies nothing: {:?}", again.history);

	// ---- grace: the user stops paying → 503; pays → 200 ----
	// Grace is credit: the user has paid two charges since its contracts were created.
	let mut from = from;
	for _ in 0..2 {
		let (block, _, _) = client
			.wait_for_event::<grid::billing::events::Charged>(from, Duration::from_secs(120), |e| {
				e.twin_id == twin && e.paid > 0
			})
			.await?;
		from = block + 1;
	}
	let sink = key("gw-sink").public_key().to_account_id();
	let drain = grid::tx().balances().transfer_all(subxt::utils::MultiAddress::Id(sink), true);
	client.submit_ok(&drain, &user, Wait::InBlock).await?;
	wait_gateway(gateway_port, "shop.gw.test", 503, Duration::from_secs(90)).await?;
	ensure!(std::fs::metadata(&disk_file).is_ok(), "grace keeps the disk");
	println!("deployments: grace → the gateway answers 503, the disk is kept");
	fund(client, funder, user.public_key().to_account_id(), 100 * TFT).await?;
	wait_gateway(gateway_port, "shop.gw.test", 200, Duration::from_secs(90)).await?;
	println!("deployments: paid → the gateway answers 200 again");

	// ---- cancel → 404, the disks are gone, within a block of finality ----
	client
		.submit_ok(&grid::tx().capacity().cancel_contract(id), &user, Wait::Finalized)
		.await?;
	let finalized = Instant::now();
	wait_gateway(gateway_port, "shop.gw.test", 404, Duration::from_secs(30)).await?;
	let gone_after = finalized.elapsed();
	ensure!(!disk_file.exists() && !logs_file.exists(), "decommission removes the disks");
	let info = api.get(id).await.map_err(|e| anyhow!("{e}"))?;
	ensure!(!info.active && info.workloads.iter().all(|w| w.state == WorkloadState::Deleted));
	for action in ["deploy", "update", "pause", "resume", "decommission"] {
		ensure!(info.applied(action) == 1, "{action} applied once: {:?}", info.history);
	}
	ensure!(
		info.history.iter().any(|a| a.reason.contains("cancelled by its owner")),
		"the record says why: {:?}",
		info.history
	);
	println!(
		"deployments: cancelled → 404 and disks gone {} ms after the cancel was final",
		gone_after.as_millis()
	);
	Ok(())
}

pub async fn faults(client: &GridClient, rpc: &str, funder: &Keypair) -> Result<()> {
	let (mut machine, mut bridge, _, node_id, _) =
		joined(client, &[rpc.to_string()], funder, "dfault", CAPACITY, &[]).await?;
	let (user, twin) = new_user(client, funder, "dfault-user").await?;
	let agent = machine.agent();
	let api = bridge.deployments();
	let serving = |api: BridgeClient| async move {
		wait_until("the bridge serves deployments", Duration::from_secs(60), || {
			let api = api.clone();
			async move { Ok(api.get(0).await.map_or_else(|e| e.status != 0, |_| true)) }
		})
		.await
	};

	// A: journaled, then the bridge dies before the agent hears of it.
	let mut a = Deployment::new(0, 0, vec![disk("a", GIB)]);
	a.nonce = 1;
	let a = contracted(client, &user, twin, node_id, a).await?;
	bridge.restart_env(&[("ZOS_BRIDGE_FAULT", "crash_after_journal")])?;
	serving(api.clone()).await?;
	let died = api.submit(&a).await;
	ensure!(
		died.as_ref().is_err_and(|e| e.status == 0),
		"the bridge died mid-submission: {died:?}"
	);
	wait_until("the bridge aborts", Duration::from_secs(10), || {
		let exited = bridge.exited().is_some();
		async move { Ok(exited) }
	})
	.await?;
	ensure!(agent.deployment(a.contract_id).await.is_err(), "the agent never heard of it");
	// Restarted, it sends the journaled action — and dies right after the agent acted.
	bridge.restart_env(&[("ZOS_BRIDGE_FAULT", "crash_after_agent")])?;
	wait_until("the bridge aborts again", Duration::from_secs(60), || {
		let exited = bridge.exited().is_some();
		async move { Ok(exited) }
	})
	.await?;
	ensure!(agent.deployment(a.contract_id).await?.applied("deploy") == 1);
	// Restarted again, it settles the action without a second deploy.
	bridge.restart()?;
	bridge.wait_log("deployment action done", Duration::from_secs(60)).await?;
	let info = agent.deployment(a.contract_id).await?;
	ensure!(info.active && info.applied("deploy") == 1, "deployed once: {:?}", info.history);
	println!("deployments: killed after the journal and after the agent; deployed exactly once");

	// B runs; A is cancelled while the bridge is down; the agent restarts from its disk.
	let mut b = Deployment::new(0, 0, vec![disk("b", GIB)]);
	b.nonce = 2;
	let b = contracted(client, &user, twin, node_id, b).await?;
	serving(api.clone()).await?;
	api.submit(&b).await.map_err(|e| anyhow!("B refused: {e}"))?;
	bridge.kill9();
	let cancel = grid::tx().capacity().cancel_contract(a.contract_id);
	client.submit_ok(&cancel, &user, Wait::Finalized).await?;
	machine.restart().await?;
	bridge.restart()?;
	wait_until("A is decommissioned after the restart", Duration::from_secs(60), || {
		let agent = agent.clone();
		async move { Ok(agent.deployment(a.contract_id).await.is_ok_and(|i| !i.active)) }
	})
	.await
	.map_err(|e| anyhow!("{e}\n{}", tail(&bridge.log(), 30)))?;
	// The agent holds what the chain says, and did each thing once.
	let at = client.finalized().await?;
	for info in agent.deployments().await? {
		let id = info.deployment.contract_id;
		let live = at.storage().try_fetch(grid::storage().capacity().contracts(), (id,)).await?;
		ensure!(info.active == live.is_some(), "contract {id}: agent {} vs chain", info.active);
		ensure!(
			info.applied("deploy") == 1 && info.applied("decommission") <= 1,
			"{:?}",
			info.history
		);
	}
	// A contract whose owner never submits its deployment is reported as an orphan.
	let mut never = Deployment::new(0, 0, vec![disk("never", GIB)]);
	never.nonce = 3;
	let never = contracted(client, &user, twin, node_id, never).await?;
	let orphans = "zos_bridge_orphan_contracts{kind=\"node\"}";
	wait_until("the orphan is reported", Duration::from_secs(90), || {
		let bridge = &bridge;
		async move { Ok(bridge.metric(orphans).await == 1) }
	})
	.await?;
	ensure!(bridge.log().contains(&format!("contract_id={}", never.contract_id)));
	println!("deployments: a contract with no deployment submitted is reported as an orphan");
	let a_disk = machine.dir.join(format!("data/disks/{}-a.img", a.contract_id));
	let b_disk = machine.dir.join(format!("data/disks/{}-b.img", b.contract_id));
	ensure!(!a_disk.exists() && b_disk.exists(), "A's disk removed, B's kept");
	println!("deployments: cancel while down + agent restart → the agent matches the chain");
	Ok(())
}

/// `gridctl` (the real binary) as a user runs it: `--json --yes` and a key file in `dir`.
async fn gridctl(dir: &std::path::Path, rpc: &str, args: &[&str]) -> Result<serde_json::Value> {
	let output = tokio::process::Command::new(grid_e2e::workspace_binary("gridctl", "GRIDCTL")?)
		.args(["--json", "--yes", "--url", rpc, "--key"])
		.arg(dir.join("key.json"))
		.args(args)
		.stdin(std::process::Stdio::null())
		.output()
		.await?;
	ensure!(
		output.status.success(),
		"gridctl {args:?}: {}",
		String::from_utf8_lossy(&output.stderr)
	);
	Ok(serde_json::from_slice(&output.stdout)?)
}

/// A user deploys a disk with `gridctl deploy`: the contract holding the deployment's hash,
/// the signature, the submission to the node's bridge and the workloads' states in one
/// command; `gridctl contract cancel` then decommissions it.
pub async fn with_gridctl(client: &GridClient, rpc: &str, funder: &Keypair) -> Result<()> {
	let (_machine, bridge, _farm, node_id, _farmer) =
		joined(client, &[rpc.to_string()], funder, "gridctl", CAPACITY, &[]).await?;
	let dir = work_dir("gridctl-user");
	gridctl(&dir, rpc, &["key", "import", "--dev", "//gridctl-deployer"]).await?;
	fund(client, funder, key("gridctl-deployer").public_key().to_account_id(), 100 * TFT).await?;
	gridctl(&dir, rpc, &["twin", "create", "--no-finality"]).await?;
	let file = dir.join("deployment.json");
	std::fs::write(
		&file,
		r#"{"workloads": [{"version": 0, "name": "data", "type": "zmount", "data": {"size": 1073741824}}]}"#,
	)?;
	let url = format!("http://127.0.0.1:{}", bridge.deploy_port);
	let node = node_id.to_string();
	let path = file.display().to_string();
	let deployed = gridctl(&dir, rpc, &["deploy", &node, &path, "--bridge", &url]).await?;
	let contract = deployed["contract"].as_u64().ok_or_else(|| anyhow!("{deployed}"))?;
	ensure!(deployed["workloads"][0]["name"] == "data", "{deployed}");
	ensure!(deployed["workloads"][0]["state"] == "ok", "{deployed}");
	gridctl(&dir, rpc, &["contract", "cancel", &contract.to_string()]).await?;
	let api = BridgeClient::new(&url, Duration::from_secs(10));
	wait_workloads(&api, contract, WorkloadState::Deleted).await?;
	println!(
		"deployments: gridctl deployed contract {contract} on node {node_id} and cancelled it"
	);
	Ok(())
}
