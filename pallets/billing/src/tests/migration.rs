//! Storage migrations: version 0 → 1 gives each ledger its bucket; 1 → 2 adds written-off
//! debt, the monthly cost, each meter's capacity start and the prepaid time.

use super::*;
use crate::migrations::{
	v1::{LedgerV0, LedgerV1, MigrateV0ToV1},
	v2::{BillingParamsV1, MeterV1, MigrateV1ToV2},
};
use frame::deps::{
	frame_support::{
		traits::{GetStorageVersion, OnRuntimeUpgrade},
		weights::RuntimeDbWeight,
	},
	sp_io::storage,
};

fn db() -> RuntimeDbWeight {
	<Test as frame_system::Config>::DbWeight::get()
}

/// Payers of three kinds: Alice by a node contract on N1 (bucket 4), Bob by a name contract
/// (his twin's bucket), Charlie only by a commitment (his twin's bucket).
fn payers() -> Vec<(u32, TwinId, LedgerOf<Test>)> {
	grid(0);
	node_contract(ALICE, N1, SMALL, 0);
	name_contract(BOB, "bob");
	assert_ok!(Billing::commit(signed(CHARLIE), 5 * TFT));
	let payers: Vec<_> = Payers::<Test>::iter().collect();
	assert_eq!(payers.len(), 3);
	payers
}

fn v1_of(ledger: &LedgerOf<Test>) -> LedgerV1<AccountId> {
	LedgerV1 {
		account: ledger.account,
		bucket: ledger.bucket,
		contracts: ledger.contracts,
		committed: ledger.committed,
		releasing: ledger.releasing,
		grace_since: ledger.grace_since,
		discount: ledger.discount,
	}
}

/// Rewrites meters and parameters as versions 0 and 1 stored them.
fn meters_and_params_as_version_1() {
	for (twin, contract, meter) in Meters::<Test>::iter().collect::<Vec<_>>() {
		let old =
			MeterV1 { since: meter.since, traffic_billed: meter.traffic_billed, debt: meter.debt };
		storage::set(&Meters::<Test>::hashed_key_for(twin, contract), &old.encode());
	}
	let params = Params::<Test>::get();
	let old = BillingParamsV1 {
		grace_period: params.grace_period,
		release_notice: params.release_notice,
	};
	storage::set(&Params::<Test>::hashed_key(), &old.encode());
}

/// Rewrites the payers as version 1 stored them: ledgers with a bucket, without written-off
/// debt or monthly cost.
fn as_version_1(payers: &[(u32, TwinId, LedgerOf<Test>)]) {
	for (bucket, twin, ledger) in payers {
		storage::set(&Payers::<Test>::hashed_key_for(bucket, twin), &v1_of(ledger).encode());
	}
	meters_and_params_as_version_1();
	StorageVersion::new(1).put::<Billing>();
}

/// Rewrites the payers as version 0 stored them: ledgers without a bucket, no index.
fn as_version_0(payers: &[(u32, TwinId, LedgerOf<Test>)]) {
	for (bucket, twin, ledger) in payers {
		let old = LedgerV0 {
			account: ledger.account,
			contracts: ledger.contracts,
			committed: ledger.committed,
			releasing: ledger.releasing,
			grace_since: ledger.grace_since,
			discount: ledger.discount,
		};
		storage::set(&Payers::<Test>::hashed_key_for(bucket, twin), &old.encode());
		PayerBucket::<Test>::remove(twin);
	}
	meters_and_params_as_version_1();
	StorageVersion::new(0).put::<Billing>();
}

/// What the migrations make of `payers`: nothing written off, the monthly cost measured at
/// the next charge, the grace they had.
fn migrated(payers: &[(u32, TwinId, LedgerOf<Test>)]) -> Vec<(u32, TwinId, LedgerOf<Test>)> {
	payers
		.iter()
		.map(|(b, t, l)| {
			let ledger =
				Ledger { monthly: Usd::ZERO, written_off: 0, credit: Balance::MAX, ..l.clone() };
			(*b, *t, ledger)
		})
		.collect()
}

#[test]
fn v1_then_v2_give_every_payer_its_bucket_and_the_new_fields() {
	test(|| {
		let payers = payers();
		let meters: Vec<_> = Meters::<Test>::iter().collect();
		as_version_0(&payers);
		// Version 0's ledgers do not decode as version 2's.
		assert!(Payers::<Test>::iter_values().next().is_none());

		let weight = MigrateV0ToV1::<Test>::on_runtime_upgrade();
		let v1: Vec<_> = crate::migrations::v1::Payers::<Test>::iter().collect();
		let expected: Vec<_> = payers.iter().map(|(b, t, l)| (*b, *t, v1_of(l))).collect();
		assert_eq!(v1, expected);
		for (bucket, twin, _) in &payers {
			assert_eq!(PayerBucket::<Test>::get(twin), Some(*bucket));
		}
		assert_eq!(Billing::on_chain_storage_version(), StorageVersion::new(1));
		// The index and the storage version read, two reads and two writes per payer, the
		// version written.
		assert_eq!(weight, db().reads_writes(2 + 2 * 3, 1 + 2 * 3));

		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Payers::<Test>::iter().collect::<Vec<_>>(), migrated(&payers));
		// Each meter's capacity is charged from where its payer was charged up to.
		let after: Vec<_> = Meters::<Test>::iter().collect();
		assert_eq!(after, meters);
		assert_eq!(Params::<Test>::get().prepaid, 3_600);
		assert_eq!(Billing::on_chain_storage_version(), StorageVersion::new(2));
		// Charging carries on: Alice's next charge in bucket 4 finds her.
		run_to(14);
		assert!(!charges(1).is_empty());
	});
}

#[test]
fn v2_does_not_charge_capacity_version_1_charged() {
	test(|| {
		let payers = payers();
		run_to(14);
		let charged = Billing::contract_billing(1).unwrap().charged_until;
		as_version_1(&payers);
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Meters::<Test>::get(twin_of(ALICE), 1).map(|m| m.capacity_since), Some(charged));
	});
}

#[test]
fn each_migration_runs_once() {
	test(|| {
		let payers = payers();
		as_version_0(&payers);
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		let root = storage::root(StateVersion::V1);
		assert_eq!(MigrateV0ToV1::<Test>::on_runtime_upgrade(), db().reads(1));
		assert_eq!(MigrateV1ToV2::<Test>::on_runtime_upgrade(), db().reads(1));
		assert_eq!(storage::root(StateVersion::V1), root);
	});
}

#[test]
fn both_are_skipped_on_a_chain_started_at_version_2() {
	test(|| {
		let payers = payers();
		assert_eq!(Billing::on_chain_storage_version(), StorageVersion::new(2));
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Payers::<Test>::iter().collect::<Vec<_>>(), payers);
	});
}

/// The development builds between be177d1 and spec 101 stored version 1's layout at version
/// 0.
#[test]
fn v1_only_bumps_the_version_of_payers_already_in_the_new_layout() {
	test(|| {
		let payers = payers();
		as_version_1(&payers);
		StorageVersion::new(0).put::<Billing>();
		let root = storage::root(StateVersion::V1);
		let weight = MigrateV0ToV1::<Test>::on_runtime_upgrade();
		let v1: Vec<_> = crate::migrations::v1::Payers::<Test>::iter().collect();
		assert_eq!(v1, payers.iter().map(|(b, t, l)| (*b, *t, v1_of(l))).collect::<Vec<_>>());
		assert_eq!(Billing::on_chain_storage_version(), StorageVersion::new(1));
		assert_ne!(storage::root(StateVersion::V1), root, "the version is written");
		assert_eq!(weight, db().reads_writes(2, 1));
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Payers::<Test>::iter().collect::<Vec<_>>(), migrated(&payers));
	});
}

#[cfg(feature = "try-runtime")]
#[test]
fn the_checks_pass_before_and_after_from_either_layout() {
	test(|| {
		let payers = payers();
		as_version_0(&payers);
		assert_ok!(MigrateV0ToV1::<Test>::try_on_runtime_upgrade(true));
		assert_ok!(MigrateV1ToV2::<Test>::try_on_runtime_upgrade(true));
	});
	test(|| {
		let payers = payers();
		as_version_1(&payers);
		StorageVersion::new(0).put::<Billing>();
		assert_ok!(MigrateV0ToV1::<Test>::try_on_runtime_upgrade(true));
		assert_ok!(MigrateV1ToV2::<Test>::try_on_runtime_upgrade(true));
	});
}

#[cfg(feature = "try-runtime")]
#[test]
fn the_pre_checks_refuse_a_ledger_in_no_known_layout() {
	test(|| {
		let payers = payers();
		as_version_0(&payers);
		let (bucket, twin, ledger) = &payers[0];
		let key = Payers::<Test>::hashed_key_for(bucket, twin);
		storage::set(&key, &[1, 2, 3]);
		assert!(MigrateV0ToV1::<Test>::try_on_runtime_upgrade(true).is_err());
		// A version 1 ledger among unindexed version 0 ones decodes as version 0 with bytes
		// left over.
		storage::set(&key, &v1_of(ledger).encode());
		assert!(MigrateV0ToV1::<Test>::try_on_runtime_upgrade(true).is_err());
		// A version 2 ledger where version 1's is expected.
		as_version_1(&payers);
		storage::set(&key, &ledger.encode());
		assert!(MigrateV1ToV2::<Test>::try_on_runtime_upgrade(true).is_err());
		// Restore the version 2 state, so the test's closing invariants hold.
		for (bucket, twin, ledger) in &payers {
			Payers::<Test>::insert(bucket, twin, ledger);
			PayerBucket::<Test>::insert(twin, bucket);
		}
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		for (bucket, twin, ledger) in &payers {
			Payers::<Test>::insert(bucket, twin, ledger);
		}
	});
}
