//! Capacity contracts on a real dev node: a user takes half the demo node and its farm's only
//! public IP; a second user is refused for lack of capacity and of IPs; the demo node reports
//! usage for its own contract in a free batch its key signs, but another node may not (refused
//! before the pool), nor may another key sign for it; cancelling frees everything; a rented
//! node takes only its renter's deployments; and a node deleted under live contracts ends them.
//! Ferdie (the demo node's account) funds the scenario's fresh accounts.

use grid::runtime_types::grid_primitives::money::Musd;
use grid::runtime_types::{
	grid_primitives::{contracts::EndCause, net::Ipv4, resources::Resources},
	grid_runtime::RuntimeCall,
	pallet_balances::pallet::Call as BalancesCall,
	pallet_capacity::types::{UsageBatch, UsageReport},
	pallet_registry::types::{Location, NodeSpec},
	sp_runtime::MultiSignature,
};
use grid_client::{bounded, grid, text, usage_batch_payload, GridClient, Wait};
use subxt::utils::{AccountId32, MultiAddress};
use subxt_signer::{sr25519, sr25519::dev, SecretUri};

const TFT: u128 = 10_000_000;
const GIB: u64 = 1 << 30;
/// The demo node (node 1): 4 cores, 8 GiB, 256 GiB SSD, 1 TiB HDD.
const DEMO_HALF: Resources = Resources { cru: 2, mru: 4 * GIB, sru: 128 * GIB, hru: 512 * GIB };

fn keypair(uri: &str) -> anyhow::Result<sr25519::Keypair> {
	Ok(sr25519::Keypair::from_uri(&uri.parse::<SecretUri>()?)?)
}

fn account(k: &sr25519::Keypair) -> AccountId32 {
	k.public_key().into()
}

/// `node`'s usage batch of `reports`, signed by `key`, as a call.
fn report_usage(
	node: u32,
	reports: Vec<UsageReport>,
	key: &sr25519::Keypair,
) -> impl subxt::transactions::Payload {
	let batch = UsageBatch { node_id: node, reports: bounded(reports) };
	let signature = MultiSignature::Sr25519(key.sign(&usage_batch_payload(&batch)).0);
	grid::tx().capacity().report_usage(batch, signature)
}

fn spec() -> NodeSpec {
	NodeSpec {
		resources: Resources { cru: 8, mru: 16 * GIB, sru: 512 * GIB, hru: 0 },
		location: Location { city: text("Gent"), country: text("Belgium"), coordinates: None },
		interfaces: bounded(vec![]),
		serial_number: Some(text("E2E-CAP-1")),
		secure_boot: false,
		virtualized: true,
	}
}

pub async fn run(client: &GridClient) -> anyhow::Result<()> {
	let wait = Wait::InBlock;
	let capacity = grid::view_functions().capacity();
	let (user1, user2, zos) =
		(keypair("//CapUser1")?, keypair("//CapUser2")?, keypair("//CapNode")?);
	let fund = |who: &sr25519::Keypair| {
		RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
			dest: MultiAddress::Id(account(who)),
			value: 20 * TFT,
		})
	};
	let batch = grid::tx().utility().batch_all(vec![fund(&user1), fund(&user2), fund(&zos)]);
	client.submit_ok(&batch, &dev::ferdie(), wait).await?;
	let twin = grid::tx().registry().create_twin(bounded(vec![]), None);
	let (a, b, c) = tokio::try_join!(
		client.submit_ok(&twin, &user1, wait),
		client.submit_ok(&twin, &user2, wait),
		client.submit_ok(&twin, &zos, wait),
	)?;
	let twin_of = |e: &grid_client::Included| -> anyhow::Result<u32> {
		Ok(e.find_first::<grid::registry::events::TwinCreated>()
			.expect("TwinCreated")?
			.twin_id)
	};
	let (twin1, twin2) = (twin_of(&a)?, twin_of(&b)?);
	let _ = twin_of(&c)?;

	// User 1 takes half the demo node and the demo farm's only public IP.
	let deploy = |node: u32, hash: u8, resources: Resources, ips: u32| {
		grid::tx().capacity().create_node_contract(
			node,
			[hash; 32],
			text("zos workload"),
			resources,
			ips,
			None,
		)
	};
	let events = client.submit_ok(&deploy(1, 1, DEMO_HALF, 1), &user1, wait).await?;
	let created = events
		.find_first::<grid::capacity::events::NodeContractCreated>()
		.expect("NodeContractCreated")?;
	assert_eq!((created.twin_id, created.node_id), (twin1, 1));
	assert_eq!(created.public_ips.0.len(), 1);
	assert_eq!(created.public_ips.0[0].ip.ip, Ipv4([185, 206, 122, 33]));
	let contract1 = created.contract_id;
	assert_eq!(client.view(capacity.node_free_capacity(1)).await?, Some(DEMO_HALF));
	assert_eq!(client.view(capacity.contracts_of_twin(twin1)).await?, vec![contract1]);

	// User 2 wants more than is left, then an IP the farm no longer has.
	let more = Resources { cru: 3, ..DEMO_HALF };
	let failed = client.submit(&deploy(1, 2, more, 0), &user2, wait).await?.expect_err("too big");
	assert_eq!(failed.error, "Capacity::NotEnoughCapacity");
	let failed = client
		.submit(&deploy(1, 2, DEMO_HALF, 1), &user2, wait)
		.await?
		.expect_err("no IP");
	assert_eq!(failed.error, "Capacity::NotEnoughPublicIps");

	// A fresh node joins the open demo farm.
	let events = client
		.submit_ok(&grid::tx().registry().register_node(1, spec()), &zos, wait)
		.await?;
	let node2 = events
		.find_first::<grid::registry::events::NodeRegistered>()
		.expect("NodeRegistered")?
		.node_id;

	// The demo node reports usage of its contract once a window is over; the new node may not.
	let created_at = client.view(capacity.contract(contract1)).await?.expect("live").created_at;
	let report = UsageReport {
		contract_id: contract1,
		window_start: created_at,
		window_end: created_at + 1,
		used: DEMO_HALF,
		public_traffic_bytes: 4_096,
	};
	// Free general transactions: the node's key signs inside the call; a bad batch never
	// enters the pool.
	for (node, key, why, reason) in [
		(node2, &zos, "another node's contract", "custom error: 7"),
		(1, &zos, "another key", "bad signature"),
	] {
		let refused = client
			.submit_authorized(&report_usage(node, vec![report.clone()], key), wait)
			.await
			.err()
			.map(|e| e.to_string())
			.unwrap_or_default();
		assert!(
			refused.starts_with("invalid transaction") && refused.contains(reason),
			"{why}: not refused before the pool for {reason}: {refused:?}"
		);
	}
	let events = client
		.submit_authorized(&report_usage(1, vec![report], &dev::ferdie()), wait)
		.await??;
	let reported = events
		.find_first::<grid::capacity::events::UsageReported>()
		.expect("UsageReported")?;
	assert_eq!((reported.node_id, reported.accepted, reported.skipped), (1, 1, 0));

	// Cancelling frees the capacity and the IP.
	let events = client
		.submit_ok(&grid::tx().capacity().cancel_contract(contract1), &user1, wait)
		.await?;
	let ended = events.find_first::<grid::capacity::events::ContractEnded>().expect("ended")?;
	assert_eq!((ended.contract_id, ended.node_id), (contract1, Some(1)));
	assert!(matches!(ended.cause, EndCause::Owner));
	assert_eq!(client.view(capacity.node_free_capacity(1)).await?.map(|r| r.cru), Some(4));
	let pool = client.view(grid::view_functions().registry().farm_public_ips(1)).await?;
	assert!(pool.ips.0.iter().all(|ip| ip.contract.is_none()), "the IP is free again");

	// User 2 rents the new node; only user 2 deploys there.
	let events = client
		.submit_ok(&grid::tx().capacity().create_rent_contract(node2, None, Musd(0)), &user2, wait)
		.await?;
	let rent = events
		.find_first::<grid::capacity::events::RentContractCreated>()
		.expect("RentContractCreated")?
		.contract_id;
	let small = Resources { cru: 1, mru: GIB, sru: 10 * GIB, hru: 0 };
	let failed = client
		.submit(&deploy(node2, 3, small.clone(), 0), &user1, wait)
		.await?
		.expect_err("rented");
	assert_eq!(failed.error, "Capacity::NodeRentedByOther");
	let events = client.submit_ok(&deploy(node2, 3, small, 1), &user2, wait).await?;
	let child = events
		.find_first::<grid::capacity::events::NodeContractCreated>()
		.expect("NodeContractCreated")?
		.contract_id;
	let failed = client
		.submit(&grid::tx().capacity().cancel_contract(rent), &user2, wait)
		.await?
		.expect_err("node contracts remain");
	assert_eq!(failed.error, "Capacity::RentHasNodeContracts");

	// The node leaves under live contracts: both end, nothing is left behind.
	let events = client.submit_ok(&grid::tx().registry().delete_node(node2), &zos, wait).await?;
	let mut ended = Vec::new();
	for e in events.find::<grid::capacity::events::ContractEnded>() {
		let e = e?;
		ended.push((e.contract_id, matches!(e.cause, EndCause::NodeRemoved)));
	}
	ended.sort();
	assert_eq!(ended, vec![(rent, true), (child, true)]);
	assert!(client.view(capacity.contracts_of_twin(twin2)).await?.is_empty());
	let pool = client.view(grid::view_functions().registry().farm_public_ips(1)).await?;
	assert!(pool.ips.0.iter().all(|ip| ip.contract.is_none()));
	let held = client
		.best()
		.await?
		.storage()
		.entry(grid::storage().balances().holds())?
		.fetch((account(&user2),))
		.await?
		.decode()?;
	let held: u128 = held.0.iter().map(|h| h.amount).sum();
	assert_eq!(held, TFT, "only the twin deposit stays held");
	Ok(())
}
