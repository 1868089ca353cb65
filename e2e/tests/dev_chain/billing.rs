//! Billing on a real dev node, with no billing transaction sent by anyone: a user's node
//! contract with a public IP is charged by the runtime itself, the farmer's share lands on the
//! farm's payout account and the treasury's on the treasury (the rest burned, to the planck);
//! a user who never paid anything gets no grace (grace is credit): its contract ends out of
//! funds at its first unpaid charge. Bob funds the scenario's accounts (after `views`, which signs with Bob).

use grid::runtime_types::{
	grid_primitives::{
		contracts::EndCause,
		net::{Ipv4, Ipv4Cidr},
		resources::Resources,
	},
	grid_runtime::RuntimeCall,
	pallet_balances::pallet::Call as BalancesCall,
	pallet_registry::types::{Location, NodePolicy, NodeSpec},
};
use grid_client::{bounded, free_balance_at, grid, text, GridClient, Wait};
use std::time::Duration;
use subxt::utils::{AccountId32, MultiAddress};
use subxt_signer::{sr25519, sr25519::dev, SecretUri};

const TFT: u128 = 10_000_000;
const GIB: u64 = 1 << 30;

fn keypair(uri: &str) -> anyhow::Result<sr25519::Keypair> {
	Ok(sr25519::Keypair::from_uri(&uri.parse::<SecretUri>()?)?)
}

fn account(k: &sr25519::Keypair) -> AccountId32 {
	k.public_key().into()
}

/// The treasury pallet's account (`PalletId(*b"py/trsry")`).
fn treasury() -> AccountId32 {
	let mut raw = [0u8; 32];
	raw[..12].copy_from_slice(b"modlpy/trsry");
	AccountId32(raw)
}

pub async fn run(client: &GridClient) -> anyhow::Result<()> {
	let wait = Wait::InBlock;
	let (farmer, zos, user, poor) = (
		keypair("//BillFarmer")?,
		keypair("//BillNode")?,
		keypair("//BillUser")?,
		keypair("//BillPoor")?,
	);
	let fund = |who: &sr25519::Keypair, value: u128| {
		RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
			dest: MultiAddress::Id(account(who)),
			value,
		})
	};
	let batch = grid::tx().utility().batch_all(vec![
		fund(&farmer, 20 * TFT),
		fund(&zos, 20 * TFT),
		fund(&user, 20 * TFT),
		fund(&poor, 5 * TFT),
	]);
	client.submit_ok(&batch, &dev::bob(), wait).await?;
	let twin = grid::tx().registry().create_twin(bounded(vec![]), None);
	let (_, _, _, p) = tokio::try_join!(
		client.submit_ok(&twin, &farmer, wait),
		client.submit_ok(&twin, &zos, wait),
		client.submit_ok(&twin, &user, wait),
		client.submit_ok(&twin, &poor, wait),
	)?;
	let poor_twin = p
		.find_first::<grid::registry::events::TwinCreated>()
		.expect("TwinCreated")?
		.twin_id;

	// A farm of its own, open to any node, with two public IPs; a node joins it.
	let events = client
		.submit_ok(&grid::tx().registry().create_farm(text("bill-farm")), &farmer, wait)
		.await?;
	let farm = events
		.find_first::<grid::registry::events::FarmCreated>()
		.expect("farm")?
		.farm_id;
	client
		.submit_ok(&grid::tx().registry().set_node_policy(farm, NodePolicy::Open), &farmer, wait)
		.await?;
	for host in [10, 11] {
		let ip = Ipv4Cidr { ip: Ipv4([185, 206, 124, host]), prefix: 24 };
		let tx = grid::tx().registry().add_farm_ip(farm, ip, Ipv4([185, 206, 124, 1]));
		client.submit_ok(&tx, &farmer, wait).await?;
	}
	let spec = NodeSpec {
		resources: Resources { cru: 8, mru: 16 * GIB, sru: 512 * GIB, hru: 0 },
		location: Location { city: text("Gent"), country: text("Belgium"), coordinates: None },
		interfaces: bounded(vec![]),
		serial_number: Some(text("E2E-BILL-1")),
		secure_boot: false,
		virtualized: true,
	};
	let events = client
		.submit_ok(&grid::tx().registry().register_node(farm, spec), &zos, wait)
		.await?;
	let node = events
		.find_first::<grid::registry::events::NodeRegistered>()
		.expect("node")?
		.node_id;

	// Both users deploy with one IP each.
	let small = Resources { cru: 1, mru: 2 * GIB, sru: 50 * GIB, hru: 0 };
	let deploy = |hash: u8| {
		grid::tx().capacity().create_node_contract(
			node,
			[hash; 32],
			text("zos"),
			small.clone(),
			1,
			None,
		)
	};
	let (funded_tx, unfunded_tx) = (deploy(0xb1), deploy(0xb2));
	let (u, p) = tokio::try_join!(
		client.submit_ok(&funded_tx, &user, wait),
		client.submit_ok(&unfunded_tx, &poor, wait),
	)?;
	let created = |e: &grid_client::Included| -> anyhow::Result<u64> {
		Ok(e.find_first::<grid::capacity::events::NodeContractCreated>()
			.expect("NodeContractCreated")?
			.contract_id)
	};
	let (paying, unfunded) = (created(&u)?, created(&p)?);
	// The poor user sends away all it can: only the existential deposit is left free.
	let all = grid::tx().balances().transfer_all(MultiAddress::Id(account(&dev::bob())), true);
	client.submit_ok(&all, &poor, wait).await?;
	let from = client.block_number(false).await?;
	println!("billing: contracts {paying} (funded) and {unfunded} (unfunded) from block {from}");

	// The paying contract is charged by the runtime within a pass (5 blocks on dev).
	let (n, hash, charge) = client
		.wait_for_event::<grid::billing::events::Charged>(from, Duration::from_secs(90), |e| {
			e.contract_id == paying && e.paid > 0
		})
		.await?;
	println!("billing: contract {paying} charged {} planck in block {n}", charge.paid);
	anyhow::ensure!(charge.seconds > 0 && charge.amount == charge.paid && charge.debt == 0);
	anyhow::ensure!(
		charge.paid == charge.farmer + charge.providers + charge.treasury + charge.burned,
		"the split sums to the payment: {charge:?}"
	);
	let block = client.at(hash).await?;
	let parent_hash: subxt::utils::H256 = client
		.rpc()
		.request("chain_getBlockHash", subxt::rpcs::rpc_params![n - 1])
		.await?;
	let parent = client.at(parent_hash).await?;
	let (farmer_id, user_id) = (account(&farmer), account(&user));
	let user_loss =
		free_balance_at(&parent, &user_id).await? - free_balance_at(&block, &user_id).await?;
	anyhow::ensure!(user_loss == charge.paid, "the user lost {user_loss}: {charge:?}");
	// The block's payers paid into one pot, paid out once: the treasury got the sum of the
	// treasury shares, and the pot's parts sum to what was paid, to the planck.
	let events = block.events().fetch().await?;
	let charged: Vec<_> =
		events.find::<grid::billing::events::Charged>().collect::<Result<_, _>>()?;
	// Only this scenario's contracts are on the farm (the unfunded one may be charged, from
	// its deposit, in the same block): its payout account got their farmer shares.
	let farmer_gain =
		free_balance_at(&block, &farmer_id).await? - free_balance_at(&parent, &farmer_id).await?;
	let farm_shares: u128 = charged
		.iter()
		.filter(|c| c.contract_id == paying || c.contract_id == unfunded)
		.map(|c| c.farmer)
		.sum();
	anyhow::ensure!(farmer_gain == farm_shares, "farm payout got {farmer_gain}: {charged:?}");
	let paid_out: Vec<_> =
		events.find::<grid::billing::events::PaidOut>().collect::<Result<_, _>>()?;
	let redirected: u128 = events
		.find::<grid::billing::events::CreditRedirected>()
		.filter_map(Result::ok)
		.map(|e| e.amount)
		.sum();
	let treasury_share: u128 = charged.iter().map(|c| c.treasury).sum();
	let to_treasury: u128 = paid_out.iter().map(|p| p.treasury).sum();
	anyhow::ensure!(
		to_treasury == treasury_share + redirected,
		"paid out to the treasury {to_treasury}, shares {treasury_share} + {redirected}"
	);
	let paid: u128 = charged.iter().map(|c| c.paid).sum();
	let parts: u128 = paid_out.iter().map(|p| p.credited + p.treasury + p.burned).sum();
	anyhow::ensure!(paid == parts, "paid {paid}, paid out {parts}: {paid_out:?}");
	for p in &paid_out {
		let deposited = events
			.find::<grid::balances::events::Deposit>()
			.filter_map(Result::ok)
			.any(|d| d.who == treasury() && d.amount == p.treasury);
		anyhow::ensure!(
			p.treasury == 0 || deposited,
			"no deposit of {} to the treasury",
			p.treasury
		);
	}
	let billing = grid::view_functions().billing();
	let state = client.view(billing.contract_billing(paying)).await?.expect("billing state");
	anyhow::ensure!(state.debt.regular == 0 && state.grace_since.is_none());

	// The unfunded contract's payer never paid: no standing, no grace. Its first charge ends it.
	let (e, hash, ended) = client
		.wait_for_event::<grid::capacity::events::ContractEnded>(
			from,
			Duration::from_secs(90),
			|e| e.contract_id == unfunded,
		)
		.await?;
	anyhow::ensure!(matches!(ended.cause, EndCause::OutOfFunds), "ended for {:?}", ended.cause);
	let events = client.at(hash).await?.events().fetch().await?;
	anyhow::ensure!(
		events.find_first::<grid::billing::events::GraceStarted>().is_none(),
		"twin {poor_twin} went into grace"
	);
	println!("billing: contract {unfunded} ended out of funds in block {e}, without grace");

	// Tidy up: the funded user cancels (settling to that second).
	let events = client
		.submit_ok(&grid::tx().capacity().cancel_contract(paying), &user, wait)
		.await?;
	anyhow::ensure!(events.find_first::<grid::capacity::events::ContractEnded>().is_some());
	Ok(())
}
