//! Storage migrations. 0 → 1: rents record the capacity and extra fee they are priced on, usage
//! records gain an owner's traffic cap (none), and version 0's node network totals are removed.
//! 1 → 2: the limits gain the usage report gap.

use super::*;
use crate::migrations::{
	v1::{ContractKindV0, ContractUsageV0, ContractV0, MigrateV0ToV1},
	v2::{LimitsV1, MigrateV1ToV2},
};
use frame::deps::{
	frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade},
	sp_io::storage,
};
use grid_primitives::contracts::ExtraFee;

/// Twice [`NODE_CAPACITY`]: node 2's capacity at the upgrade.
const DOUBLE: Resources = Resources { cru: 16, mru: 64 * GIB, sru: 2048 * GIB, hru: 8192 * GIB };

fn at(secs: u64) {
	Timestamp::set_timestamp((GENESIS_SECS + secs) * 1_000);
}

/// Alice's node contract on node 1 (one IP) with 1,000 bytes reported over its first hour,
/// Bob's rent of node 2 at an extra fee of 25,000 mUSD (node 2 has grown to [`DOUBLE`] since),
/// Charlie's name; their ids.
fn contracts() -> (ContractId, ContractId, ContractId) {
	grid(1);
	let node = assert_create_node_contract(ALICE, 1, 1, QUARTER, 1);
	assert_ok!(Capacity::set_extra_fee(signed(FARMER), 2, Musd(25_000)));
	assert_ok!(Capacity::create_rent_contract(signed(BOB), 2, None, Musd(25_000)));
	let rent = LastContractId::<Test>::get();
	assert_ok!(Registry::update_node(signed(NODE2), spec(DOUBLE)));
	assert_ok!(Capacity::create_name_contract(signed(CHARLIE), name("charlie")));
	let name = LastContractId::<Test>::get();
	at(3_600);
	let report = UsageReport {
		contract_id: node,
		window_start: GENESIS_SECS,
		window_end: GENESIS_SECS + 3_600,
		used: QUARTER,
		public_traffic_bytes: 1_000,
	};
	assert_ok!(submit_usage(&usage_batch(1, vec![report]), NODE1));
	(node, rent, name)
}

/// Rewrites every contract and usage record as version 0 stored them, and gives nodes 1 and 2
/// version 0's network totals (traffic, IPv4-seconds, IPv4s held, since when).
fn as_version_0() {
	for (id, c) in Contracts::<Test>::iter().collect::<Vec<_>>() {
		let kind = match c.kind {
			ContractKind::Node(n) => ContractKindV0::Node(n),
			ContractKind::Rent { node_id, .. } => ContractKindV0::Rent { node_id },
			ContractKind::Name { name } => ContractKindV0::Name { name },
		};
		let old = ContractV0 {
			twin_id: c.twin_id,
			payer: c.payer,
			kind,
			state: c.state,
			solution_provider: c.solution_provider,
			deposit: c.deposit,
			created_at: c.created_at,
		};
		storage::set(&Contracts::<Test>::hashed_key_for(id), &old.encode());
	}
	for (id, u) in ContractUsages::<Test>::iter().collect::<Vec<_>>() {
		let old = ContractUsageV0 {
			window_end: u.window_end,
			used: u.used,
			traffic_bytes: u.traffic_bytes,
		};
		storage::set(&ContractUsages::<Test>::hashed_key_for(id), &old.encode());
	}
	for node in [1, 2] {
		let old = (5_000_u128, 7_200_u128, 1_u32, GENESIS_SECS);
		storage::set(&NodeNetworks::<Test>::hashed_key_for(node), &old.encode());
	}
	StorageVersion::new(0).put::<Capacity>();
}

/// A rent gets its node's capacity and extra fee at the upgrade; node and name contracts are
/// unchanged; usage records keep their fields, uncapped; the old totals are gone.
#[test]
fn v1_prices_rents_uncaps_usage_and_removes_the_old_totals() {
	test(|| {
		let (node, rent, name) = contracts();
		let contract = |id| Contracts::<Test>::get(id).expect("live");
		let (node_before, rent_before, name_before) =
			(contract(node), contract(rent), contract(name));
		as_version_0();
		MigrateV0ToV1::<Test>::on_runtime_upgrade();

		assert_eq!(contract(node), node_before);
		assert_eq!(contract(name), name_before);
		let extra_fee = ExtraFee::agreed(Musd(25_000));
		let kind = ContractKind::Rent { node_id: 2, resources: DOUBLE, extra_fee };
		assert_eq!(contract(rent), Contract { kind, ..rent_before });
		let usage = ContractUsage {
			window_end: GENESIS_SECS + 3_600,
			used: QUARTER,
			traffic_bytes: 1_000,
			traffic_limit: None,
			earlier_limit: None,
			limit_from: 0,
		};
		assert_eq!(ContractUsages::<Test>::get(node), Some(usage));
		assert_eq!(NodeNetworks::<Test>::iter_keys().count(), 0);
		assert_eq!(storage::get(&NodeNetworks::<Test>::hashed_key_for(1)), None);
		assert_eq!(Capacity::on_chain_storage_version(), StorageVersion::new(1));
	});
}

/// A rent of a node without an extra fee agrees to none.
#[test]
fn v1_gives_a_rent_of_a_node_without_a_fee_none() {
	test(|| {
		grid(0);
		assert_ok!(Capacity::create_rent_contract(signed(BOB), 2, None, Musd(0)));
		let rent = LastContractId::<Test>::get();
		as_version_0();
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		let extra_fee = ExtraFee::agreed(Musd(0));
		let kind = ContractKind::Rent { node_id: 2, resources: NODE_CAPACITY, extra_fee };
		assert_eq!(Contracts::<Test>::get(rent).map(|c| c.kind), Some(kind));
	});
}

/// Version 0 had no ceiling on extra fees: a rent of a node whose fee is above the new one
/// agrees to the ceiling, and the node rents nothing more until its farmer lowers the fee.
#[test]
fn v1_cuts_a_rents_fee_to_the_new_ceiling() {
	test(|| {
		grid(0);
		assert_ok!(Capacity::create_rent_contract(signed(BOB), 2, None, Musd(0)));
		let rent = LastContractId::<Test>::get();
		let max = GridLimits::<Test>::get().max_extra_fee;
		ExtraFees::<Test>::insert(2, Musd(2 * max.0));
		as_version_0();
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		let kind = ContractKind::Rent {
			node_id: 2,
			resources: NODE_CAPACITY,
			extra_fee: ExtraFee::agreed(max),
		};
		assert_eq!(Contracts::<Test>::get(rent).map(|c| c.kind), Some(kind));
		Capacity::do_try_state().unwrap();
		assert_ok!(Capacity::cancel_contract(signed(BOB), rent));
		assert_noop!(
			Capacity::create_rent_contract(signed(BOB), 2, None, Musd(u64::MAX)),
			Error::<Test>::ExtraFeeTooHigh
		);
	});
}

/// A second run changes nothing.
#[test]
fn v1_runs_once() {
	test(|| {
		contracts();
		as_version_0();
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		let root = storage::root(StateVersion::V1);
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(storage::root(StateVersion::V1), root);
		assert_eq!(Capacity::on_chain_storage_version(), StorageVersion::new(1));
	});
}

/// A chain started at a later version (a new chain's genesis) skips it: its allowances stay.
#[test]
fn v1_is_skipped_on_a_new_chain() {
	test(|| {
		contracts();
		assert_eq!(Capacity::on_chain_storage_version(), StorageVersion::new(2));
		assert_eq!(NodeNetworks::<Test>::iter_keys().count(), 1);
		let root = storage::root(StateVersion::V1);
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(storage::root(StateVersion::V1), root);
	});
}

/// The pre-checks decode every version 0 contract and usage record exactly, the post-checks
/// find the same deposits and traffic, every rent priced on a capacity, no old totals.
#[cfg(feature = "try-runtime")]
#[test]
fn the_checks_pass_before_and_after() {
	test(|| {
		let (_, rent, _) = contracts();
		as_version_0();
		assert_ok!(MigrateV0ToV1::<Test>::try_on_runtime_upgrade(true));
		let resources = Contracts::<Test>::get(rent).map(|c| c.kind).and_then(|k| match k {
			ContractKind::Rent { resources, .. } => Some(resources),
			_ => None,
		});
		assert_eq!(resources, Some(DOUBLE));
		assert_eq!(NodeNetworks::<Test>::iter_keys().count(), 0);
	});
}

/// Governance's limits as version 1 stored them (before the usage report gap).
const LIMITS_V1: LimitsV1 =
	LimitsV1 { node_traffic_per_second: 1_000, max_extra_fee: Musd(5_000), fee_notice: 600 };

/// Writes `limits` as version 1 stored them, and version 1.
fn limits_as_version_1(limits: Option<LimitsV1>) {
	match limits {
		Some(old) => storage::set(&GridLimits::<Test>::hashed_key(), &old.encode()),
		None => storage::clear(&GridLimits::<Test>::hashed_key()),
	}
	StorageVersion::new(1).put::<Capacity>();
}

/// Stored limits keep their three fields and get the default gap: a node may report again.
#[test]
fn v2_gives_stored_limits_the_default_gap() {
	test(|| {
		grid(0);
		limits_as_version_1(Some(LIMITS_V1));
		assert!(GridLimits::<Test>::try_get().is_err(), "the old layout does not decode");
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(
			GridLimits::<Test>::get(),
			Limits {
				node_traffic_per_second: 1_000,
				max_extra_fee: Musd(5_000),
				fee_notice: 600,
				usage_report_gap: DEFAULT_USAGE_REPORT_GAP,
			}
		);
		assert_eq!(Capacity::on_chain_storage_version(), StorageVersion::new(2));
		let a = assert_create_node_contract(ALICE, 1, 1, QUARTER, 0);
		at(100);
		let report = UsageReport {
			contract_id: a,
			window_start: GENESIS_SECS,
			window_end: GENESIS_SECS + 100,
			used: QUARTER,
			public_traffic_bytes: 1,
		};
		assert_ok!(submit_usage(&usage_batch(1, vec![report]), NODE1));
	});
}

/// A chain that never set limits keeps none stored: the defaults apply, with the gap.
#[test]
fn v2_leaves_unset_limits_unset() {
	test(|| {
		limits_as_version_1(None);
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(storage::get(&GridLimits::<Test>::hashed_key()), None);
		assert_eq!(GridLimits::<Test>::get().usage_report_gap, DEFAULT_USAGE_REPORT_GAP);
		assert_eq!(Capacity::on_chain_storage_version(), StorageVersion::new(2));
	});
}

/// A second run, and a run on a new chain (genesis at version 2), change nothing.
#[test]
fn v2_runs_once() {
	test(|| {
		let root = storage::root(StateVersion::V1);
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(storage::root(StateVersion::V1), root, "skipped on a new chain");
		limits_as_version_1(Some(LIMITS_V1));
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		let root = storage::root(StateVersion::V1);
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(storage::root(StateVersion::V1), root);
	});
}

/// The pre-check decodes the old limits exactly, the post-check finds them with the default
/// gap; with none stored, none after.
#[cfg(feature = "try-runtime")]
#[test]
fn the_v2_checks_pass_before_and_after() {
	for limits in [Some(LIMITS_V1), None] {
		test(|| {
			limits_as_version_1(limits);
			assert_ok!(MigrateV1ToV2::<Test>::try_on_runtime_upgrade(true));
			assert_eq!(Capacity::on_chain_storage_version(), StorageVersion::new(2));
		});
	}
}

/// Both migrations in the runtime's order take a version 0 chain to version 2.
#[test]
fn v0_to_v2_in_order() {
	test(|| {
		contracts();
		as_version_0();
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Capacity::on_chain_storage_version(), StorageVersion::new(2));
		assert_eq!(GridLimits::<Test>::get(), Limits::default());
	});
}
