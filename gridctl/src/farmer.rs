//! A farmer's journeys: farms, public IPs, payout, node policy, admitting nodes, the farm's
//! nodes with status and projected reward, receipts, history, claims and power targets.

use crate::{
	account::parse_account,
	amount::{bytes, usd_micro, Tft},
	chain::{Chain, Sent},
	fail::{Fail, Failure, Result},
	keys,
	out::{fields, table},
};
use clap::{Args, Subcommand, ValueEnum};
use grid::runtime_types::{
	grid_primitives::{
		net::{Ipv4, Ipv4Cidr},
		registry::Power,
		resources::Resources,
	},
	grid_runtime::{grid_api::NodeSummary, RuntimeCall},
	pallet_minting::types::NodeStatus,
	pallet_registry::{
		pallet::Call as RegistryCall,
		types::{NodePolicy, NodeRef},
	},
};
use grid_client::{grid, text};
use serde_json::{json, Value};
use subxt::utils::MultiAddress;

/// Exact USD amounts in minting are in units of 1/2,592,000,000,000,000,000 USD (a month of
/// seconds times 10¹²): this many per µUSD.
const EXACT_PER_MICRO_USD: u128 = 2_592_000_000_000;

#[derive(Subcommand)]
#[command(after_help = "A farmer's first steps:
  gridctl twin create
  gridctl farm create my-farm
  gridctl farm ip add my-farm 185.206.122.33/24 --gateway 185.206.122.1
  gridctl farm admit my-farm <the address zos-bridge printed> --fund 5TFT
  gridctl farm nodes my-farm
  gridctl farm receipts my-farm && gridctl claim my-farm")]
pub enum FarmCommand {
	/// Create a farm (name: 3 to 40 of A-Z a-z 0-9 _ -, unique whatever its case).
	#[command(after_help = "Example:\n  gridctl farm create my-farm")]
	Create {
		/// The farm's name.
		name: String,
	},
	/// Your farms.
	#[command(after_help = "Example:\n  gridctl farm list")]
	List,
	/// A farm: payout, policy, certification, public IPs and who holds them.
	#[command(after_help = "Examples:\n  gridctl farm show my-farm\n  gridctl farm show 3 --json")]
	Show {
		/// The farm's id or name.
		farm: String,
	},
	/// Public IPv4 addresses of a farm.
	#[command(subcommand)]
	Ip(IpCommand),
	/// Set the account the farm's rewards are paid to (from the next claim on).
	#[command(
		after_help = "Example:\n  gridctl farm payout my-farm 5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"
	)]
	Payout {
		/// The farm's id or name.
		farm: String,
		/// The account to pay (SS58).
		account: String,
	},
	/// Who may register nodes: only admitted node accounts, or anyone.
	#[command(
		after_help = "Examples:\n  gridctl farm policy my-farm open\n  gridctl farm policy my-farm allow-list"
	)]
	Policy {
		/// The farm's id or name.
		farm: String,
		#[arg(value_enum)]
		policy: PolicyArg,
	},
	/// Admit a node's account to the farm (what a new node's zos-bridge asks for), funding it.
	#[command(after_help = "Example (the address zos-bridge printed):
  gridctl farm admit my-farm 5Grw… --fund 5TFT")]
	Admit {
		/// The farm's id or name.
		farm: String,
		/// The node's account (SS58).
		account: String,
		/// Also send it this much for its registration deposit and fees (one transaction).
		#[arg(long)]
		fund: Option<String>,
		/// `--fund` is in planck.
		#[arg(long)]
		planck: bool,
	},
	/// Withdraw a node account's admission (a node already registered stays).
	#[command(after_help = "Example:\n  gridctl farm revoke my-farm 5Grw…")]
	Revoke {
		/// The farm's id or name.
		farm: String,
		/// The node's account (SS58).
		account: String,
	},
	/// The farm's nodes: status, capacity used and free, uptime this period, projected reward.
	#[command(after_help = "Example:\n  gridctl farm nodes my-farm")]
	Nodes {
		/// The farm's id or name.
		farm: String,
	},
	/// Unclaimed reward receipts (claim them with `gridctl claim`).
	#[command(after_help = "Example:\n  gridctl farm receipts my-farm")]
	Receipts {
		/// The farm's id or name.
		farm: String,
	},
	/// What the farm earned in each of the last periods.
	#[command(after_help = "Example:\n  gridctl farm history my-farm --periods 6")]
	History {
		/// The farm's id or name.
		farm: String,
		/// How many periods back (at most 120).
		#[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=120))]
		periods: u32,
	},
}

#[derive(Subcommand)]
pub enum IpCommand {
	/// Add an address with its subnet prefix and gateway.
	#[command(
		after_help = "Example:\n  gridctl farm ip add my-farm 185.206.122.33/24 --gateway 185.206.122.1"
	)]
	Add {
		/// The farm's id or name.
		farm: String,
		/// The address with its prefix, e.g. 185.206.122.33/24.
		ip: String,
		/// The subnet's gateway.
		#[arg(long)]
		gateway: String,
	},
	/// Remove a free address (one a contract holds cannot be removed).
	#[command(after_help = "Example:\n  gridctl farm ip remove my-farm 185.206.122.33")]
	Remove {
		/// The farm's id or name.
		farm: String,
		/// The address, e.g. 185.206.122.33.
		ip: String,
	},
}

#[derive(Clone, Copy, ValueEnum)]
pub enum PolicyArg {
	/// Only admitted node accounts may register.
	AllowList,
	/// Any node may register.
	Open,
}

#[derive(Subcommand)]
pub enum NodeCommand {
	/// Ask a node to power up, or down to standby (it earns nothing asleep, and is not at fault).
	#[command(after_help = "Examples:\n  gridctl node power 7 down\n  gridctl node power 7 up")]
	Power {
		/// The node's id.
		node: u32,
		#[arg(value_enum)]
		target: PowerArg,
	},
}

#[derive(Clone, Copy, ValueEnum)]
pub enum PowerArg {
	Up,
	Down,
}

#[derive(Args)]
#[command(after_help = "Examples:\n  gridctl claim my-farm\n  gridctl claim my-farm --node 7")]
pub struct ClaimArgs {
	/// The farm's id or name.
	pub farm: String,
	/// Claim one node's receipts only.
	#[arg(long)]
	pub node: Option<u32>,
}

/// A farm named by id or by name.
pub async fn farm_id(chain: &Chain, farm: &str) -> Result<u32> {
	let id = match farm.parse::<u32>() {
		Ok(id) => id,
		Err(_) => chain
			.view(grid::view_functions().registry().farm_by_name(text(farm)))
			.await?
			.ok_or_else(|| Failure::input(format!("there is no farm named `{farm}`")))?,
	};
	chain
		.view(grid::view_functions().registry().farm(id))
		.await?
		.map(|_| id)
		.ok_or_else(|| Failure::input(format!("there is no farm {id}")))
}

fn parse_ipv4(text: &str) -> Result<Ipv4> {
	let ip: std::net::Ipv4Addr = text
		.trim()
		.parse()
		.map_err(|_| Failure::input(format!("`{text}` is not an IPv4 address")))?;
	Ok(Ipv4(ip.octets()))
}

fn show_ipv4(ip: &Ipv4) -> String {
	std::net::Ipv4Addr::from(ip.0).to_string()
}

fn parse_cidr(text: &str) -> Result<Ipv4Cidr> {
	let (ip, prefix) = text.split_once('/').ok_or_else(|| {
		Failure::input(format!("`{text}` needs its prefix, e.g. 185.206.122.33/24"))
	})?;
	let prefix: u8 =
		prefix.parse().ok().filter(|p| *p <= 32).ok_or_else(|| {
			Failure::input(format!("`{prefix}` is not a prefix length (0 to 32)"))
		})?;
	Ok(Ipv4Cidr { ip: parse_ipv4(ip)?, prefix })
}

/// Sends a transaction and prints its result.
async fn send_and_print<P: subxt::transactions::Payload>(
	chain: &Chain,
	what: &str,
	tx: &P,
) -> Result<Sent> {
	let key = chain.signer().await?;
	let sent = chain.send(&key, what, tx).await?;
	chain.out().result(sent.json(), String::new);
	Ok(sent)
}

pub async fn farm(chain: &Chain, cmd: FarmCommand) -> Result<()> {
	match cmd {
		FarmCommand::Create { name } => {
			let key = chain.signer().await?;
			chain.twin_of(&keys::account(&key)).await?;
			let tx = grid::tx().registry().create_farm(text(&name));
			let sent = chain.send(&key, &format!("create farm `{name}`"), &tx).await?;
			let farm = sent.field("Registry", "FarmCreated", "farm_id").cloned();
			chain.out().result(json!({ "farm": farm, "transaction": sent.json() }), || {
				format!("farm {} created", farm.map(|f| f.to_string()).unwrap_or_default())
			});
			Ok(())
		},
		FarmCommand::List => list(chain).await,
		FarmCommand::Show { farm } => show(chain, farm_id(chain, &farm).await?).await,
		FarmCommand::Ip(IpCommand::Add { farm, ip, gateway }) => {
			let id = farm_id(chain, &farm).await?;
			let tx = grid::tx().registry().add_farm_ip(id, parse_cidr(&ip)?, parse_ipv4(&gateway)?);
			send_and_print(chain, &format!("add {ip} (gateway {gateway}) to farm {id}"), &tx)
				.await?;
			Ok(())
		},
		FarmCommand::Ip(IpCommand::Remove { farm, ip }) => {
			let id = farm_id(chain, &farm).await?;
			let tx = grid::tx().registry().remove_farm_ip(id, parse_ipv4(&ip)?);
			send_and_print(chain, &format!("remove {ip} from farm {id}"), &tx).await?;
			Ok(())
		},
		FarmCommand::Payout { farm, account } => {
			let id = farm_id(chain, &farm).await?;
			let to = parse_account(&account)?;
			let tx = grid::tx().registry().set_farm_payout(id, MultiAddress::Id(to));
			send_and_print(chain, &format!("pay farm {id}'s rewards to {to}"), &tx).await?;
			Ok(())
		},
		FarmCommand::Policy { farm, policy } => {
			let id = farm_id(chain, &farm).await?;
			let (policy, what) = match policy {
				PolicyArg::Open => (NodePolicy::Open, "open farm {id} to any node"),
				PolicyArg::AllowList => {
					(NodePolicy::AllowList, "admit only listed nodes to farm {id}")
				},
			};
			let tx = grid::tx().registry().set_node_policy(id, policy);
			send_and_print(chain, &what.replace("{id}", &id.to_string()), &tx).await?;
			Ok(())
		},
		FarmCommand::Admit { farm, account, fund, planck } => {
			let id = farm_id(chain, &farm).await?;
			let node = parse_account(&account)?;
			let admit = RegistryCall::admit_node { farm_id: id, node: NodeRef::Account(node) };
			match fund {
				Some(amount) => {
					let amount = Tft::parse(&amount, planck).input()?;
					let transfer = RuntimeCall::Balances(
						grid::runtime_types::pallet_balances::pallet::Call::transfer_keep_alive {
							dest: MultiAddress::Id(node),
							value: amount.0,
						},
					);
					let tx = grid::tx()
						.utility()
						.batch_all(vec![transfer, RuntimeCall::Registry(admit)]);
					let what = format!("fund {node} with {amount} and admit it to farm {id}");
					send_and_print(chain, &what, &tx).await?;
				},
				None => {
					let tx = grid::tx().registry().admit_node(id, NodeRef::Account(node));
					send_and_print(chain, &format!("admit {node} to farm {id}"), &tx).await?;
				},
			}
			Ok(())
		},
		FarmCommand::Revoke { farm, account } => {
			let id = farm_id(chain, &farm).await?;
			let node = parse_account(&account)?;
			let tx = grid::tx().registry().revoke_node(id, NodeRef::Account(node));
			send_and_print(chain, &format!("revoke {node}'s admission to farm {id}"), &tx).await?;
			Ok(())
		},
		FarmCommand::Nodes { farm } => nodes(chain, farm_id(chain, &farm).await?).await,
		FarmCommand::Receipts { farm } => receipts(chain, farm_id(chain, &farm).await?).await,
		FarmCommand::History { farm, periods } => {
			history(chain, farm_id(chain, &farm).await?, periods).await
		},
	}
}

async fn list(chain: &Chain) -> Result<()> {
	let twin = chain.twin_of(&keys::account(&chain.signer().await?)).await?;
	let at = chain.client.best().await?;
	let entry = at.storage().entry(grid::storage().registry().farms_of_twin()).refused()?;
	let mut farms = Vec::new();
	let mut entries = entry.iter((twin,)).await.refused()?;
	while let Some(kv) = entries.next().await {
		let kv = kv.refused()?;
		// Twox64Concat: the farm id is the key's last four bytes.
		let raw = kv.key_bytes();
		let id = raw
			.len()
			.checked_sub(4)
			.and_then(|s| raw.get(s..))
			.and_then(|b| b.try_into().ok());
		if let Some(bytes) = id {
			farms.push(u32::from_le_bytes(bytes));
		}
	}
	let mut rows = Vec::new();
	for id in farms {
		if let Some(f) = chain.view(grid::view_functions().registry().farm(id)).await? {
			rows.push((id, String::from_utf8_lossy(&f.name.0).into_owned(), f.nodes));
		}
	}
	chain.out().result(
		json!({ "farms": rows.iter().map(|(id, n, c)| json!({ "id": id, "name": n, "nodes": c })).collect::<Vec<_>>() }),
		|| table(&["farm", "name", "nodes"], rows.iter().map(|(id, n, c)| vec![id.to_string(), n.clone(), c.to_string()]).collect()),
	);
	Ok(())
}

async fn show(chain: &Chain, id: u32) -> Result<()> {
	let farm = chain
		.view(grid::view_functions().registry().farm(id))
		.await?
		.ok_or_else(|| Failure::input(format!("there is no farm {id}")))?;
	let ips = chain.view(grid::view_functions().registry().farm_public_ips(id)).await?.ips.0;
	let name = String::from_utf8_lossy(&farm.name.0).into_owned();
	let policy = match farm.policy {
		NodePolicy::Open => "open",
		NodePolicy::AllowList => "allow-list",
	};
	let ip_rows: Vec<(String, String, Option<u64>)> = ips
		.iter()
		.map(|p| {
			(format!("{}/{}", show_ipv4(&p.ip.ip), p.ip.prefix), show_ipv4(&p.gateway), p.contract)
		})
		.collect();
	chain.out().result(
		json!({
			"id": id, "name": name, "twin": farm.twin_id, "payout": farm.payout.to_string(),
			"policy": policy, "certification": format!("{:?}", farm.certification),
			"dedicated": farm.dedicated, "nodes": farm.nodes, "admitted": farm.admitted,
			"public_ips": ip_rows.iter().map(|(ip, gw, c)| json!({ "ip": ip, "gateway": gw, "contract": c })).collect::<Vec<_>>(),
		}),
		|| {
			fields(&[
				("farm", format!("{id} ({name})")),
				("twin", farm.twin_id.to_string()),
				("payout", farm.payout.to_string()),
				("node policy", policy.to_string()),
				("certification", format!("{:?}", farm.certification)),
				("nodes", format!("{} ({} accounts admitted)", farm.nodes, farm.admitted)),
			]) + &table(
				&["public IP", "gateway", "held by contract"],
				ip_rows
					.iter()
					.map(|(ip, gw, c)| vec![ip.clone(), gw.clone(), c.map_or("free".into(), |c| c.to_string())])
					.collect(),
			)
		},
	);
	Ok(())
}

/// Every node the chain lists, page by page (1,000 per runtime call).
pub async fn all_nodes(chain: &Chain) -> Result<Vec<NodeSummary>> {
	let at = chain.client.best().await?;
	let mut nodes = Vec::new();
	let mut from = 1;
	loop {
		let page = at
			.runtime_apis()
			.call(grid::runtime_apis().grid_api().nodes(from, 1_000))
			.await
			.refused()?;
		nodes.extend(page.nodes);
		match page.next {
			Some(next) => from = next,
			None => return Ok(nodes),
		}
	}
}

pub fn status(s: &Option<NodeStatus>) -> &'static str {
	match s {
		Some(NodeStatus::Up) => "up",
		Some(NodeStatus::Standby) => "standby",
		// Minting tracks a node from its first report: one that never reported is down.
		Some(NodeStatus::Down) | None => "down",
	}
}

/// Capacity as `--json` shows it.
pub fn resources_json(r: &Resources) -> Value {
	json!({ "cru": r.cru, "mru": r.mru, "sru": r.sru, "hru": r.hru })
}

/// A certifier vouched for the node's hardware.
pub fn certified(n: &NodeSummary) -> bool {
	!matches!(n.node.certificate, grid::runtime_types::pallet_registry::types::NodeCertificate::Diy)
}

/// A node's row for a farmer.
fn node_json(n: &NodeSummary) -> Value {
	let r = &n.node.spec.resources;
	let free = n.free.as_ref();
	json!({
		"id": n.id,
		"farm": n.node.farm_id,
		"twin": n.node.twin_id,
		"status": status(&n.status),
		"total": resources_json(r),
		"free": free.map(resources_json),
		"rented_by": n.rented_by,
		"farm_free_ips": n.farm_free_ips,
		"country": String::from_utf8_lossy(&n.node.spec.location.country.0),
		"certified": certified(n),
		"power_target": format!("{:?}", n.node.power.target),
		"period": n.period.as_ref().map(|p| json!({
			"index": p.period, "start": p.start, "end": p.end,
			"uptime_seconds": p.uptime, "uptime_permille": p.uptime_permille,
			"violation": p.violation.as_ref().map(|v| format!("{v:?}")),
			"projected_usd_micro": (p.projected_usd.0 / EXACT_PER_MICRO_USD).to_string(),
			"projected_tft": p.projected_tft.to_string(),
		})),
	})
}

async fn nodes(chain: &Chain, farm: u32) -> Result<()> {
	let nodes: Vec<NodeSummary> =
		all_nodes(chain).await?.into_iter().filter(|n| n.node.farm_id == farm).collect();
	chain.out().result(
		json!({ "farm": farm, "nodes": nodes.iter().map(node_json).collect::<Vec<_>>() }),
		|| {
			table(
				&[
					"node",
					"status",
					"cores used/total",
					"memory used/total",
					"SSD used/total",
					"uptime",
					"projected reward",
				],
				nodes
					.iter()
					.map(|n| {
						let r = &n.node.spec.resources;
						let used =
							|total: u64, free: Option<u64>| total.saturating_sub(free.unwrap_or(0));
						let f = n.free.as_ref();
						vec![
							n.id.to_string(),
							status(&n.status).to_string(),
							format!("{}/{}", used(r.cru, f.map(|f| f.cru)), r.cru),
							format!("{}/{}", bytes(used(r.mru, f.map(|f| f.mru))), bytes(r.mru)),
							format!("{}/{}", bytes(used(r.sru, f.map(|f| f.sru))), bytes(r.sru)),
							n.period.as_ref().map_or("-".into(), |p| {
								format!("{}.{}%", p.uptime_permille / 10, p.uptime_permille % 10)
							}),
							n.period.as_ref().map_or("-".into(), |p| {
								format!(
									"{} ({})",
									Tft(p.projected_tft),
									usd_micro(p.projected_usd.0 / EXACT_PER_MICRO_USD)
								)
							}),
						]
					})
					.collect(),
			)
		},
	);
	Ok(())
}

async fn receipts(chain: &Chain, farm: u32) -> Result<()> {
	let receipts = chain.view(grid::view_functions().minting().unclaimed_receipts(farm)).await?;
	let total: u128 = receipts.iter().map(|r| r.tft).sum();
	chain.out().result(
		json!({
			"farm": farm,
			"total_tft": total.to_string(),
			"receipts": receipts.iter().map(|r| json!({
				"node": r.node_id, "period": r.period, "uptime_permille": r.uptime,
				"tft": r.tft.to_string(), "payout": r.payout.to_string(),
				"violation": r.violation.as_ref().map(|v| format!("{v:?}")),
			})).collect::<Vec<_>>(),
		}),
		|| {
			table(
				&["node", "period", "uptime", "reward", "paid to"],
				receipts
					.iter()
					.map(|r| {
						vec![
							r.node_id.to_string(),
							r.period.to_string(),
							format!("{}.{}%", r.uptime / 10, r.uptime % 10),
							Tft(r.tft).to_string(),
							r.payout.to_string(),
						]
					})
					.collect(),
			) + &format!("\nunclaimed: {}", Tft(total))
		},
	);
	Ok(())
}

async fn history(chain: &Chain, farm: u32, periods: u32) -> Result<()> {
	let now = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_secs())
		.unwrap_or(0);
	let (current, _, _) = chain
		.view(grid::view_functions().minting().period_at(now))
		.await?
		.ok_or_else(|| Failure::refused("minting has no parameters on this chain"))?;
	let mut rows = Vec::new();
	for period in current.saturating_sub(periods)..current {
		let total = chain
			.view(grid::view_functions().minting().farm_period_total(farm, period))
			.await?;
		rows.push((period, total.receipts, total.tft));
	}
	chain.out().result(
		json!({ "farm": farm, "current_period": current, "periods": rows.iter().map(|(p, n, t)| json!({
			"period": p, "receipts": n, "tft": t.to_string(),
		})).collect::<Vec<_>>() }),
		|| {
			table(
				&["period", "receipts", "earned"],
				rows.iter()
					.rev()
					.map(|(p, n, t)| vec![p.to_string(), n.to_string(), Tft(*t).to_string()])
					.collect(),
			)
		},
	);
	Ok(())
}

pub async fn claim(chain: &Chain, args: ClaimArgs) -> Result<()> {
	let farm = farm_id(chain, &args.farm).await?;
	let waiting = chain.view(grid::view_functions().minting().unclaimed_receipts(farm)).await?;
	if !waiting.iter().any(|r| args.node.is_none_or(|n| r.node_id == n)) {
		return Err(Failure::input(format!(
			"farm {farm} has no unclaimed receipt{}: nothing to claim",
			args.node.map_or(String::new(), |n| format!(" of node {n}"))
		)));
	}
	let key = chain.signer().await?;
	let sent = match args.node {
		Some(node) => {
			let tx = grid::tx().minting().claim_node(farm, node);
			chain
				.send(&key, &format!("claim node {node}'s rewards in farm {farm}"), &tx)
				.await?
		},
		None => {
			let tx = grid::tx().minting().claim_farm(farm);
			chain.send(&key, &format!("claim farm {farm}'s rewards"), &tx).await?
		},
	};
	let mut paid = Vec::new();
	for event in sent.included.find::<grid::minting::events::ReceiptPaid>() {
		let e = event.refused()?;
		paid.push((e.node_id, e.payout, e.amount));
	}
	let total: u128 = paid.iter().map(|(_, _, a)| a).sum();
	chain.out().result(
		json!({ "farm": farm, "minted": total.to_string(), "paid": paid.iter().map(|(n, p, a)| json!({
			"node": n, "payout": p.to_string(), "amount": a.to_string(),
		})).collect::<Vec<_>>(), "transaction": sent.json() }),
		|| {
			let lines: Vec<String> =
				paid.iter().map(|(n, p, a)| format!("  node {n}: {} to {p}", Tft(*a))).collect();
			format!("minted {} in {} receipt(s)\n{}", Tft(total), paid.len(), lines.join("\n"))
		},
	);
	Ok(())
}

pub async fn node(chain: &Chain, cmd: NodeCommand) -> Result<()> {
	match cmd {
		NodeCommand::Power { node, target } => {
			let (power, word) = match target {
				PowerArg::Up => (Power::Up, "up"),
				PowerArg::Down => (Power::Down, "down (standby)"),
			};
			let tx = grid::tx().registry().set_power_target(node, power);
			send_and_print(chain, &format!("ask node {node} to power {word}"), &tx).await?;
			Ok(())
		},
	}
}
