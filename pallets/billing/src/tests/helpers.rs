//! Builders for grid state and contracts, and what tests read back.

pub use crate::{mock::*, pallet::*, types::*, views::*};
pub use frame::testing_prelude::*;
use frame::traits::fungible::{Inspect, InspectHold};
pub use grid_primitives::{
	contracts::ContractState,
	money::{MicroUsd, Musd, Usd},
	net::{Ipv4, Ipv4Cidr},
	registry::{ContractId, NodeId, Power, TwinId},
	resources::{Resources, GIB},
};
use pallet_registry::types::{Location, NodePolicy, NodeSpec};

pub fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

pub fn gov() -> RuntimeOrigin {
	RuntimeOrigin::signed(GOVERNANCE)
}

/// `node_account`'s node `node_id` reports `report` as a node does: a batch signed by the
/// node's account, checked by capacity's `authorize` (the pool's check), then dispatched with
/// the authorized origin.
pub fn report_usage(
	node_account: AccountId,
	node_id: NodeId,
	report: pallet_capacity::UsageReport,
) -> DispatchResult {
	use frame::deps::{
		frame_support::traits::Authorize, sp_runtime::transaction_validity::TransactionSource,
	};
	let batch =
		pallet_capacity::UsageBatch { node_id, reports: BoundedVec::truncate_from(vec![report]) };
	let signature =
		frame::deps::sp_runtime::testing::TestSignature(node_account, batch.signing_payload());
	let call = pallet_capacity::Call::<Test>::report_usage {
		batch: batch.clone(),
		signature: signature.clone(),
	};
	call.authorize(TransactionSource::External)
		.expect("report_usage authorizes")
		.map_err(|_| DispatchError::Other("refused by the pool"))?;
	Capacity::report_usage(frame_system::RawOrigin::Authorized.into(), batch, signature)
}

/// Every test node: 8 cores, 32 GiB, 1 TiB SSD, 4 TiB HDD.
pub const NODE_CAPACITY: Resources =
	Resources { cru: 8, mru: 32 * GIB, sru: 1024 * GIB, hru: 4096 * GIB };

/// 1 CU and 0.2 SU: $0.011 an hour at the reference policy.
pub const SMALL: Resources = Resources { cru: 1, mru: 5 * GIB, sru: 50 * GIB, hru: 0 };
/// µUSD per hour of [`SMALL`], and of one IPv4.
pub const SMALL_HOURLY: u128 = 11_000;
pub const IP_HOURLY: u128 = 4_000;

/// Planck for µUSD at the mock's $0.10 per TFT.
pub const PLANCK_PER_MICRO_USD: u128 = 100;

pub fn spec(resources: Resources) -> NodeSpec {
	NodeSpec {
		resources,
		location: Location {
			city: BoundedVec::truncate_from(b"Gent".to_vec()),
			country: BoundedVec::truncate_from(b"Belgium".to_vec()),
			coordinates: None,
		},
		interfaces: Default::default(),
		serial_number: None,
		secure_boot: false,
		virtualized: false,
	}
}

pub fn twin(who: AccountId) -> TwinId {
	assert_ok!(pallet_registry::Pallet::<Test>::create_twin(signed(who), Default::default(), None));
	twin_of(who)
}

pub fn twin_of(who: AccountId) -> TwinId {
	pallet_registry::TwinByAccount::<Test>::get(who).expect("a twin")
}

/// The grid's two nodes. A payer is charged in the bucket of its first contract's node (id %
/// `PASS`): both are in bucket 4, charged at blocks 4, 14, 24 …
pub const N1: NodeId = 4;
pub const N2: NodeId = 14;

/// The standard grid: FARMER's open farm 1 with `ips` public IPs, nodes [`N1`] and [`N2`]
/// (NODE1, NODE2) of [`NODE_CAPACITY`], and twins for ALICE (4), BOB (5) and CHARLIE (6).
pub fn grid(ips: u8) {
	twin(FARMER);
	assert_ok!(Registry::create_farm(signed(FARMER), BoundedVec::truncate_from(b"farm".to_vec())));
	assert_ok!(Registry::set_node_policy(signed(FARMER), 1, NodePolicy::Open));
	for host in 10..10 + ips {
		let ip = Ipv4Cidr { ip: Ipv4([185, 206, 122, host]), prefix: 24 };
		assert_ok!(Registry::add_farm_ip(signed(FARMER), 1, ip, Ipv4([185, 206, 122, 1])));
	}
	for (node, id) in [(NODE1, N1), (NODE2, N2)] {
		twin(node);
		pallet_registry::LastNodeId::<Test>::put(id - 1);
		assert_ok!(Registry::register_node(signed(node), 1, spec(NODE_CAPACITY)));
	}
	for user in [ALICE, BOB, CHARLIE] {
		twin(user);
	}
	System::reset_events();
}

fn last_contract() -> ContractId {
	pallet_capacity::LastContractId::<Test>::get()
}

/// A node contract of `who` on `node` reserving `resources` with `ips` IPv4s.
pub fn node_contract(who: AccountId, node: NodeId, resources: Resources, ips: u32) -> ContractId {
	let hash = [last_contract() as u8 + 1; 32];
	let data = BoundedVec::truncate_from(b"zos".to_vec());
	assert_ok!(Capacity::create_node_contract(signed(who), node, hash, data, resources, ips, None));
	last_contract()
}

pub fn rent_contract(who: AccountId, node: NodeId) -> ContractId {
	assert_ok!(Capacity::create_rent_contract(signed(who), node, None, Musd(u64::MAX)));
	last_contract()
}

pub fn name_contract(who: AccountId, name: &str) -> ContractId {
	let name = BoundedVec::truncate_from(name.as_bytes().to_vec());
	assert_ok!(Capacity::create_name_contract(signed(who), name));
	last_contract()
}

pub fn billing_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Billing(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// Every `Charged` event of `contract`: (seconds, capacity seconds, amount, paid, debt).
pub fn charges(contract: ContractId) -> Vec<(u64, u64, Balance, Balance, Balance)> {
	billing_events()
		.into_iter()
		.filter_map(|e| match e {
			Event::Charged {
				contract_id, seconds, capacity_seconds, amount, paid, debt, ..
			} if contract_id == contract => Some((seconds, capacity_seconds, amount, paid, debt)),
			_ => None,
		})
		.collect()
}

pub fn charged_seconds(contract: ContractId) -> u64 {
	charges(contract).iter().map(|c| c.0).sum()
}

pub fn paid_total(contract: ContractId) -> Balance {
	charges(contract).iter().map(|c| c.3).sum()
}

/// Free balance.
pub fn free(who: AccountId) -> Balance {
	Balances::balance(&who)
}

/// What `who` holds committed to billing.
pub fn committed(who: AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Billing(crate::HoldReason::Commitment), &who)
}

pub fn issuance() -> Balance {
	Balances::total_issuance()
}

pub fn state_of(contract: ContractId) -> Option<ContractState<u64>> {
	pallet_capacity::Contracts::<Test>::get(contract).map(|c| c.state)
}

/// Planck for `micro_usd` µUSD an hour over `seconds`, rounded up as charges are.
pub fn planck_for(micro_usd_per_hour: u128, seconds: u64) -> Balance {
	(micro_usd_per_hour * PLANCK_PER_MICRO_USD * seconds as u128).div_ceil(3_600)
}

/// Gives `who`'s payer the standing of a payer whose charges paid a month's worth: its grace
/// lasts the whole grace period (a payer that never paid gets none).
pub fn standing(who: AccountId) {
	let twin = twin_of(who);
	let mut ledger = Billing::ledger(twin).expect("a payer");
	ledger.credit = 1_000 * TFT;
	Billing::put_ledger(twin, &ledger);
}

/// Moves almost all of `who`'s free balance away, keeping `keep` planck above the minimum.
pub fn drain(who: AccountId, keep: Balance) {
	use frame::traits::{fungible::Mutate, tokens::Preservation};
	let movable = Balances::reducible_balance(
		&who,
		Preservation::Preserve,
		frame::traits::tokens::Fortitude::Polite,
	);
	if movable > keep {
		assert_ok!(<Balances as Mutate<_>>::transfer(
			&who,
			&GOVERNANCE,
			movable - keep,
			Preservation::Preserve
		));
	}
}
