//! A grid user's journeys: find nodes, quote, create and cancel contracts, deploy through a
//! node's bridge, commit TFT for a discount, read bills, pay debt.

use crate::{
	amount::{bytes, parse_bytes, usd_micro, Tft},
	chain::Chain,
	fail::{Fail, Failure, Result},
	farmer::{all_nodes, certified, resources_json, status},
	keys,
	out::{fields, table},
};
use clap::{Args, Subcommand};
use grid::runtime_types::{
	grid_primitives::{contracts::ContractState, resources::Resources},
	pallet_billing::views::Prospective,
	pallet_capacity::types::ContractKind,
};
use grid_client::{
	deployments::{self as deploy, BridgeClient, Deployment},
	grid, text,
};
use serde_json::json;
use std::time::Duration;

#[derive(Args)]
#[command(after_help = "Examples:
  gridctl nodes --status up --min-cru 4 --min-mru 8GiB
  gridctl nodes --farm my-farm --json
  gridctl nodes --public-ips 1 --certified --country BE")]
pub struct NodesArgs {
	/// Only this farm's nodes (id or name).
	#[arg(long)]
	pub farm: Option<String>,
	/// At least this many free cores.
	#[arg(long)]
	pub min_cru: Option<u64>,
	/// At least this much free memory (e.g. 8GiB).
	#[arg(long, value_parser = parse_bytes)]
	pub min_mru: Option<u64>,
	/// At least this much free SSD.
	#[arg(long, value_parser = parse_bytes)]
	pub min_sru: Option<u64>,
	/// At least this much free HDD.
	#[arg(long, value_parser = parse_bytes)]
	pub min_hru: Option<u64>,
	/// Its farm has at least this many free public IPv4s.
	#[arg(long)]
	pub public_ips: Option<u32>,
	/// Certified hardware only.
	#[arg(long)]
	pub certified: bool,
	/// In this country (as the node declares it, case ignored).
	#[arg(long)]
	pub country: Option<String>,
	/// Only nodes in this status: up, standby or down.
	#[arg(long)]
	pub status: Option<String>,
	/// Include rented nodes (they take no one else's contracts).
	#[arg(long)]
	pub include_rented: bool,
}

/// A capacity as typed.
#[derive(Args, Clone)]
pub struct CapacityArgs {
	/// Cores.
	#[arg(long, default_value_t = 0)]
	pub cru: u64,
	/// Memory (e.g. 4GiB).
	#[arg(long, value_parser = parse_bytes, default_value = "0")]
	pub mru: u64,
	/// SSD (e.g. 50GiB).
	#[arg(long, value_parser = parse_bytes, default_value = "0")]
	pub sru: u64,
	/// HDD.
	#[arg(long, value_parser = parse_bytes, default_value = "0")]
	pub hru: u64,
	/// Public IPv4s from the node's farm.
	#[arg(long, default_value_t = 0)]
	pub public_ips: u32,
}

impl CapacityArgs {
	fn resources(&self) -> Resources {
		Resources { cru: self.cru, mru: self.mru, sru: self.sru, hru: self.hru }
	}
}

#[derive(Args)]
#[command(after_help = "Examples:
  gridctl quote 7 --cru 2 --mru 4GiB --sru 50GiB --public-ips 1
  gridctl quote 7 --rent
  gridctl quote --name")]
pub struct QuoteArgs {
	/// The node (not for --name).
	pub node: Option<u32>,
	#[command(flatten)]
	pub capacity: CapacityArgs,
	/// The whole node (a rent contract).
	#[arg(long)]
	pub rent: bool,
	/// A gateway name contract.
	#[arg(long)]
	pub name: bool,
}

#[derive(Subcommand)]
pub enum ContractCommand {
	/// Reserve capacity on a node for a deployment (its hash is filled in by `gridctl deploy`;
	/// here a zero hash reserves the capacity first).
	#[command(
		after_help = "Example:\n  gridctl contract create-node 7 --cru 2 --mru 4GiB --sru 50GiB"
	)]
	CreateNode {
		/// The node's id.
		node: u32,
		#[command(flatten)]
		capacity: CapacityArgs,
	},
	/// Rent a whole node.
	#[command(
		after_help = "Examples:\n  gridctl contract create-rent 7\n  gridctl contract create-rent 7 --max-extra-fee 5000"
	)]
	CreateRent {
		/// The node's id.
		node: u32,
		/// The highest monthly extra fee you accept, in mUSD (the node's current one by default).
		#[arg(long)]
		max_extra_fee: Option<u64>,
	},
	/// Hold a gateway name.
	#[command(after_help = "Example:\n  gridctl contract create-name my-shop")]
	CreateName {
		/// The gateway name: 3 to 64 of a-z 0-9 - _.
		name: String,
	},
	/// Your contracts with their state and debt.
	#[command(after_help = "Example:\n  gridctl contract list --json")]
	List,
	/// One contract: what it is, its state, its billing.
	#[command(after_help = "Example:\n  gridctl contract show 42")]
	Show {
		/// The contract's id.
		id: u64,
	},
	/// Cancel a contract (its workloads stop; what it owes is charged).
	#[command(after_help = "Example:\n  gridctl contract cancel 42")]
	Cancel {
		/// The contract's id.
		id: u64,
	},
}

#[derive(Args)]
#[command(after_help = "The deployment file holds Zero-OS-style workloads, e.g.
  {\"workloads\": [{\"version\": 0, \"name\": \"disk\", \"type\": \"zmount\",
                  \"data\": {\"size\": 1073741824}}]}
Its twin, contract id, version and signature are filled in.

Example:
  gridctl deploy 7 deployment.json")]
pub struct DeployArgs {
	/// The node.
	pub node: u32,
	/// The deployment's JSON file.
	pub file: std::path::PathBuf,
	/// The node's bridge (default: port 2021 of its public config's domain or IPv4).
	#[arg(long)]
	pub bridge: Option<String>,
	/// How long to wait for the workloads' states.
	#[arg(long, default_value_t = 120)]
	pub timeout_secs: u64,
}

#[derive(Args)]
#[command(after_help = "Examples:\n  gridctl commit 500TFT\n  gridctl commit 5000000000 --planck")]
pub struct AmountArgs {
	/// `1.5`, `1.5TFT`, or planck with --planck.
	pub amount: String,
	#[arg(long)]
	pub planck: bool,
}

#[derive(Args)]
#[command(
	after_help = "Examples:\n  gridctl release 100TFT     # ask\n  gridctl release --complete # once the delay passed"
)]
pub struct ReleaseArgs {
	/// How much to ask back.
	pub amount: Option<String>,
	#[arg(long)]
	pub planck: bool,
	/// Complete a release whose delay has passed.
	#[arg(long, conflicts_with = "amount")]
	pub complete: bool,
}

pub async fn nodes(chain: &Chain, args: NodesArgs) -> Result<()> {
	let farm = match &args.farm {
		Some(f) => Some(crate::farmer::farm_id(chain, f).await?),
		None => None,
	};
	if let Some(s) = &args.status {
		if !["up", "standby", "down"].contains(&s.as_str()) {
			return Err(Failure::input(format!("`{s}` is not a status: up, standby or down")));
		}
	}
	let started = std::time::Instant::now();
	let all = all_nodes(chain).await?;
	let nodes: Vec<_> = all
		.iter()
		.filter(|n| farm.is_none_or(|f| n.node.farm_id == f))
		.filter(|n| args.include_rented || n.rented_by.is_none())
		.filter(|n| {
			let Some(free) = &n.free else { return false };
			free.cru >= args.min_cru.unwrap_or(0)
				&& free.mru >= args.min_mru.unwrap_or(0)
				&& free.sru >= args.min_sru.unwrap_or(0)
				&& free.hru >= args.min_hru.unwrap_or(0)
		})
		.filter(|n| n.farm_free_ips >= args.public_ips.unwrap_or(0))
		.filter(|n| !args.certified || certified(n))
		.filter(|n| {
			args.country.as_ref().is_none_or(|c| {
				String::from_utf8_lossy(&n.node.spec.location.country.0).eq_ignore_ascii_case(c)
			})
		})
		.filter(|n| args.status.as_ref().is_none_or(|s| status(&n.status) == s))
		.collect();
	let elapsed = started.elapsed();
	chain.out().result(
		json!({
			"registered": all.len(),
			"matching": nodes.len(),
			"nodes": nodes.iter().map(|n| {
				let r = &n.node.spec.resources;
				let f = n.free.as_ref();
				json!({
					"id": n.id, "farm": n.node.farm_id, "status": status(&n.status),
					"country": String::from_utf8_lossy(&n.node.spec.location.country.0),
					"city": String::from_utf8_lossy(&n.node.spec.location.city.0),
					"total": resources_json(r),
					"free": f.map(resources_json),
					"farm_free_ips": n.farm_free_ips,
					"certified": certified(n),
					"rented_by": n.rented_by,
				})
			}).collect::<Vec<_>>(),
		}),
		|| {
			table(
				&[
					"node",
					"farm",
					"status",
					"country",
					"free cores",
					"free memory",
					"free SSD",
					"free HDD",
					"farm IPs free",
				],
				nodes
					.iter()
					.map(|n| {
						let f =
							n.free.clone().unwrap_or(Resources { cru: 0, mru: 0, sru: 0, hru: 0 });
						vec![
							n.id.to_string(),
							n.node.farm_id.to_string(),
							status(&n.status).into(),
							String::from_utf8_lossy(&n.node.spec.location.country.0).into_owned(),
							f.cru.to_string(),
							bytes(f.mru),
							bytes(f.sru),
							bytes(f.hru),
							n.farm_free_ips.to_string(),
						]
					})
					.collect(),
			) + &format!(
				"\n{} of {} nodes ({:.2} s)",
				nodes.len(),
				all.len(),
				elapsed.as_secs_f32()
			)
		},
	);
	Ok(())
}

/// The signer's twin, if it has one (quotes use its discount).
async fn my_twin(chain: &Chain) -> Result<Option<u32>> {
	let Ok(key) = chain.signer().await else { return Ok(None) };
	chain
		.view(grid::view_functions().registry().twin_of_account(keys::account(&key)))
		.await
}

pub async fn quote(chain: &Chain, args: QuoteArgs) -> Result<()> {
	let prospective = match (args.name, args.rent, args.node) {
		(true, _, _) => Prospective::Name,
		(false, true, Some(node_id)) => Prospective::Rent { node_id },
		(false, false, Some(node_id)) => Prospective::Node {
			node_id,
			resources: args.capacity.resources(),
			public_ips: args.capacity.public_ips,
		},
		(false, _, None) => return Err(Failure::input("say which node to quote (or --name)")),
	};
	if let Some(node) = args.node.filter(|_| !args.name) {
		chain
			.view(grid::view_functions().registry().node(node))
			.await?
			.ok_or_else(|| Failure::input(format!("there is no node {node}")))?;
	}
	let twin = my_twin(chain).await?;
	let q = chain
		.view(grid::view_functions().billing().quote(prospective, twin))
		.await?
		.ok_or_else(|| Failure::refused("no quote: the chain has no TFT price yet"))?;
	chain.out().result(
		json!({
			"usd_micro_per_hour": q.usd_per_hour.0.to_string(),
			"usd_micro_per_month": q.usd_per_month.0.to_string(),
			"tft_per_hour": q.tft_per_hour.to_string(),
			"tft_per_month": q.tft_per_month.to_string(),
			"discount_percent": q.discount.0,
			"extra_fee_musd": q.extra_fee.0,
			"price_musd_per_tft": q.price.0,
			"price_trusted": q.trustworthy,
			"twin": twin,
		}),
		|| {
			fields(&[
				(
					"per hour",
					format!(
						"{} ({} before discount)",
						Tft(q.tft_per_hour),
						usd_micro(q.usd_per_hour.0)
					),
				),
				(
					"per month",
					format!(
						"{} ({} before discount)",
						Tft(q.tft_per_month),
						usd_micro(q.usd_per_month.0)
					),
				),
				("discount", format!("{}% (from your committed TFT)", q.discount.0)),
				(
					"TFT price",
					format!(
						"{} per TFT{}",
						crate::amount::usd(q.price.0),
						if q.trustworthy { "" } else { " (not trusted yet: billing waits)" }
					),
				),
			])
		},
	);
	Ok(())
}

fn state_text(state: &ContractState<u32>, grace_since: Option<u32>) -> String {
	match (state, grace_since) {
		(ContractState::GracePeriod { since }, _) => format!("grace since block {since}"),
		(_, Some(since)) => format!("grace since block {since}"),
		_ => "active".into(),
	}
}

fn kind_text(kind: &ContractKind) -> String {
	match kind {
		ContractKind::Node(n) => format!(
			"node {} ({} cores, {} memory, {} SSD, {} IPs)",
			n.node_id,
			n.resources.cru,
			bytes(n.resources.mru),
			bytes(n.resources.sru),
			n.public_ips.0.len()
		),
		ContractKind::Rent { node_id, .. } => format!("rent of node {node_id}"),
		ContractKind::Name { name } => format!("name `{}`", String::from_utf8_lossy(&name.0)),
	}
}

pub async fn contract(chain: &Chain, cmd: ContractCommand) -> Result<()> {
	match cmd {
		ContractCommand::CreateNode { node, capacity } => {
			node_exists(chain, node).await?;
			let tx = grid::tx().capacity().create_node_contract(
				node,
				[0; 32],
				text(""),
				capacity.resources(),
				capacity.public_ips,
				None,
			);
			created(chain, &format!("reserve capacity on node {node}"), &tx).await
		},
		ContractCommand::CreateRent { node, max_extra_fee } => {
			node_exists(chain, node).await?;
			let fee = match max_extra_fee {
				Some(fee) => fee,
				None => chain
					.view(
						grid::view_functions()
							.billing()
							.quote(Prospective::Rent { node_id: node }, None),
					)
					.await?
					.map_or(0, |q| q.extra_fee.0),
			};
			let tx = grid::tx().capacity().create_rent_contract(
				node,
				None,
				grid::runtime_types::grid_primitives::money::Musd(fee),
			);
			created(chain, &format!("rent node {node}"), &tx).await
		},
		ContractCommand::CreateName { name } => {
			let tx = grid::tx().capacity().create_name_contract(deploy::gateway_name(&name));
			created(chain, &format!("hold the gateway name `{name}`"), &tx).await
		},
		ContractCommand::List => list(chain).await,
		ContractCommand::Show { id } => show(chain, id).await,
		ContractCommand::Cancel { id } => {
			let c = chain.view(grid::view_functions().capacity().contract(id)).await?;
			if c.is_none() {
				return Err(Failure::input(format!("there is no live contract {id}")));
			}
			let key = chain.signer().await?;
			let sent = chain
				.send(
					&key,
					&format!("cancel contract {id}"),
					&grid::tx().capacity().cancel_contract(id),
				)
				.await?;
			chain.out().result(sent.json(), String::new);
			Ok(())
		},
	}
}

async fn node_exists(chain: &Chain, node: u32) -> Result<()> {
	chain
		.view(grid::view_functions().registry().node(node))
		.await?
		.map(|_| ())
		.ok_or_else(|| Failure::input(format!("there is no node {node}")))
}

async fn created<P: subxt::transactions::Payload>(chain: &Chain, what: &str, tx: &P) -> Result<()> {
	let key = chain.signer().await?;
	chain.twin_of(&keys::account(&key)).await?;
	let sent = chain.send(&key, what, tx).await?;
	let id = ["NodeContractCreated", "RentContractCreated", "NameContractCreated"]
		.iter()
		.find_map(|name| sent.field("Capacity", name, "contract_id"))
		.cloned();
	chain.out().result(json!({ "contract": id, "transaction": sent.json() }), || {
		format!("contract {} created", id.map(|c| c.to_string()).unwrap_or_default())
	});
	Ok(())
}

async fn list(chain: &Chain) -> Result<()> {
	let twin = chain.twin_of(&keys::account(&chain.signer().await?)).await?;
	let mut ids = chain.view(grid::view_functions().capacity().contracts_of_twin(twin)).await?;
	ids.sort_unstable();
	let mut rows = Vec::new();
	for id in ids {
		let Some(c) = chain.view(grid::view_functions().capacity().contract(id)).await? else {
			continue;
		};
		let billing = chain.view(grid::view_functions().billing().contract_billing(id)).await?;
		let grace = billing.as_ref().and_then(|b| b.grace_since);
		let debt = billing.as_ref().map_or(0, |b| b.debt.regular + b.debt.extra);
		rows.push((id, kind_text(&c.kind), state_text(&c.state, grace), debt));
	}
	chain.out().result(
		json!({ "twin": twin, "contracts": rows.iter().map(|(id, k, s, d)| json!({
			"id": id, "what": k, "state": s, "debt": d.to_string(),
		})).collect::<Vec<_>>() }),
		|| {
			table(
				&["contract", "what", "state", "debt"],
				rows.iter()
					.map(|(id, k, s, d)| {
						vec![id.to_string(), k.clone(), s.clone(), Tft(*d).to_string()]
					})
					.collect(),
			)
		},
	);
	Ok(())
}

async fn show(chain: &Chain, id: u64) -> Result<()> {
	let c = chain
		.view(grid::view_functions().capacity().contract(id))
		.await?
		.ok_or_else(|| {
			Failure::input(format!(
				"there is no live contract {id} (ended contracts leave the chain's state)"
			))
		})?;
	let billing = chain.view(grid::view_functions().billing().contract_billing(id)).await?;
	let grace = billing.as_ref().and_then(|b| b.grace_since);
	let state = state_text(&c.state, grace);
	chain.out().result(
		json!({
			"id": id, "twin": c.twin_id, "payer": c.payer.to_string(), "what": kind_text(&c.kind), "state": state,
			"created_at": c.created_at,
			"billing": billing.as_ref().map(|b| json!({
				"charged_until": b.charged_until, "debt": (b.debt.regular + b.debt.extra).to_string(),
				"grace_since": b.grace_since, "discount_percent": b.discount.0,
			})),
		}),
		|| {
			let mut f = vec![
				("contract", id.to_string()),
				("what", kind_text(&c.kind)),
				("state", state.clone()),
				("payer", c.payer.to_string()),
			];
			if let Some(b) = &billing {
				f.push(("charged until", format!("unix {}", b.charged_until)));
				f.push(("debt", Tft(b.debt.regular + b.debt.extra).to_string()));
				f.push(("discount", format!("{}%", b.discount.0)));
			}
			fields(&f)
		},
	);
	Ok(())
}

/// What a deployment file holds: the workloads, and optionally its metadata, description and
/// nonce (two identical deployments need different nonces).
#[derive(serde::Deserialize)]
struct DeploymentFile {
	workloads: Vec<zos_api::deployment::Workload>,
	#[serde(default)]
	metadata: String,
	#[serde(default)]
	description: String,
	#[serde(default)]
	nonce: u64,
}

pub async fn deploy(chain: &Chain, args: DeployArgs) -> Result<()> {
	let key = chain.signer().await?;
	let twin = chain.twin_of(&keys::account(&key)).await?;
	node_exists(chain, args.node).await?;
	let raw = std::fs::read(&args.file)
		.map_err(|e| Failure::input(format!("cannot read {}: {e}", args.file.display())))?;
	let file: DeploymentFile = serde_json::from_slice(&raw)
		.map_err(|e| Failure::input(format!("{} is not a deployment: {e}", args.file.display())))?;
	// The owner alone signs; the contract id is known once the contract exists.
	let mut deployment = Deployment::new(twin, 0, file.workloads);
	deployment.metadata = file.metadata;
	deployment.description = file.description;
	deployment.nonce = file.nonce;
	deployment
		.check_shape()
		.map_err(|e| Failure::input(format!("the deployment is not valid: {e:?}")))?;
	let bridge_url = match args.bridge {
		Some(url) => url,
		None => chain.client.bridge_url(args.node).await.input()?,
	};
	// The contract holds the deployment's hash and reservation; bridges accept it once final.
	let r = deployment.reservation();
	let tx = grid::tx().capacity().create_node_contract(
		args.node,
		deployment.hash(),
		text(&deployment.metadata),
		deploy::resources(&r),
		r.ipv4,
		None,
	);
	let sent = chain
		.clone_with_finality()
		.send(&key, &format!("create the contract for this deployment on node {}", args.node), &tx)
		.await?;
	let contract = sent
		.included
		.find_first::<grid::capacity::events::NodeContractCreated>()
		.and_then(std::result::Result::ok)
		.map(|e| e.contract_id)
		.ok_or_else(|| Failure::refused("no NodeContractCreated event"))?;
	deployment.contract_id = contract;
	deploy::sign(&mut deployment, twin, &key);
	chain.out().note(format!("contract {contract}: submitting to {bridge_url}"));
	let bridge = BridgeClient::new(&bridge_url, Duration::from_secs(30));
	bridge.submit(&deployment).await.map_err(|e| {
		Failure::refused(format!(
			"the bridge refused the deployment: {} ({}). Contract {contract} holds its capacity: \
			 cancel it with `gridctl contract cancel {contract}` or submit again",
			e.message, e.code
		))
	})?;
	let info = deploy::wait_for(&bridge, contract, Duration::from_secs(args.timeout_secs), |i| {
		i.workloads
			.iter()
			.all(|w| !matches!(w.state, zos_api::deployment::WorkloadState::Init))
	})
	.await
	.refused()?;
	chain.out().result(
		json!({ "contract": contract, "bridge": bridge_url, "workloads": info.workloads, "transaction": sent.json() }),
		|| {
			format!("contract {contract} deployed\n")
				+ &table(
					&["workload", "type", "state", "message"],
					info.workloads.iter().map(|w| vec![w.name.clone(), w.kind.clone(), format!("{:?}", w.state).to_lowercase(), w.message.clone()]).collect(),
				)
		},
	);
	Ok(())
}

pub async fn commit(chain: &Chain, args: AmountArgs) -> Result<()> {
	let amount = Tft::parse(&args.amount, args.planck).input()?;
	let key = chain.signer().await?;
	chain.twin_of(&keys::account(&key)).await?;
	let sent = chain
		.send(&key, &format!("commit {amount} to billing"), &grid::tx().billing().commit(amount.0))
		.await?;
	chain.out().result(sent.json(), String::new);
	Ok(())
}

pub async fn release(chain: &Chain, args: ReleaseArgs) -> Result<()> {
	let key = chain.signer().await?;
	let sent = match (args.complete, args.amount) {
		(true, _) => {
			chain
				.send(
					&key,
					"complete the release of committed TFT",
					&grid::tx().billing().release(),
				)
				.await?
		},
		(false, Some(a)) => {
			let amount = Tft::parse(&a, args.planck).input()?;
			chain
				.send(
					&key,
					&format!("ask {amount} of committed TFT back"),
					&grid::tx().billing().request_release(amount.0),
				)
				.await?
		},
		(false, None) => return Err(Failure::input("say how much to release, or --complete")),
	};
	chain.out().result(sent.json(), String::new);
	Ok(())
}

pub async fn bills(chain: &Chain) -> Result<()> {
	let twin = chain.twin_of(&keys::account(&chain.signer().await?)).await?;
	let o = chain
		.view(grid::view_functions().billing().payer_outlook(twin))
		.await?
		.ok_or_else(|| Failure::input(format!("twin {twin} pays for nothing yet")))?;
	chain.out().result(
		json!({
			"twin": twin, "contracts": o.contracts,
			"usd_micro_per_month": o.usd_per_month.0.to_string(), "tft_per_month": o.tft_per_month.to_string(),
			"discount_percent": o.discount.0, "debt": o.debt.to_string(), "free": o.free.to_string(),
			"committed": o.committed.to_string(), "runway_days": o.runway_days,
		}),
		|| {
			fields(&[
				("contracts", o.contracts.to_string()),
				("per month", format!("{} ({} before discount)", Tft(o.tft_per_month), usd_micro(o.usd_per_month.0))),
				("discount", format!("{}%", o.discount.0)),
				("debt", Tft(o.debt).to_string()),
				("can pay with", format!("{} free, {} committed", Tft(o.free), Tft(o.committed))),
				("runway", o.runway_days.map_or("—".into(), |d| format!("{d} days"))),
			])
		},
	);
	Ok(())
}

pub async fn pay_debt(chain: &Chain) -> Result<()> {
	let key = chain.signer().await?;
	let sent = chain.send(&key, "pay your debt", &grid::tx().billing().pay_debt()).await?;
	chain.out().result(sent.json(), String::new);
	Ok(())
}
