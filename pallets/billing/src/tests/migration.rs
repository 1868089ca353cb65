//! Storage migrations: version 0 → 1 gives each ledger its bucket.

use super::*;
use crate::migrations::v1::{LedgerV0, MigrateV0ToV1};
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
	StorageVersion::new(0).put::<Billing>();
}

#[test]
fn v1_gives_every_payer_the_bucket_it_was_charged_in() {
	test(|| {
		let payers = payers();
		as_version_0(&payers);
		// Version 0's ledgers do not decode as version 1's.
		assert!(Payers::<Test>::iter_values().next().is_none());

		let weight = MigrateV0ToV1::<Test>::on_runtime_upgrade();

		let migrated: Vec<_> = Payers::<Test>::iter().collect();
		assert_eq!(migrated, payers);
		for (bucket, twin, _) in &payers {
			assert_eq!(PayerBucket::<Test>::get(twin), Some(*bucket));
		}
		assert_eq!(Billing::on_chain_storage_version(), StorageVersion::new(1));
		// The index and the storage version read, two reads and two writes per payer, the
		// version written.
		assert_eq!(weight, db().reads_writes(2 + 2 * 3, 1 + 2 * 3));
		// Charging carries on: Alice's next charge in bucket 4 finds her.
		run_to(14);
		assert!(!charges(1).is_empty());
	});
}

#[test]
fn v1_runs_once() {
	test(|| {
		let payers = payers();
		as_version_0(&payers);
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		let root = storage::root(StateVersion::V1);
		let weight = MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(storage::root(StateVersion::V1), root);
		assert_eq!(weight, db().reads(1));
	});
}

#[test]
fn v1_is_skipped_on_a_chain_started_at_version_1() {
	test(|| {
		let payers = payers();
		assert_eq!(Billing::on_chain_storage_version(), StorageVersion::new(1));
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Payers::<Test>::iter().collect::<Vec<_>>(), payers);
	});
}

/// The development builds between be177d1 and spec 101 stored the new layout at version 0.
#[test]
fn v1_only_bumps_the_version_of_payers_already_in_the_new_layout() {
	test(|| {
		let payers = payers();
		StorageVersion::new(0).put::<Billing>();
		let root = storage::root(StateVersion::V1);
		let weight = MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Payers::<Test>::iter().collect::<Vec<_>>(), payers);
		assert_eq!(Billing::on_chain_storage_version(), StorageVersion::new(1));
		assert_ne!(storage::root(StateVersion::V1), root, "the version is written");
		assert_eq!(weight, db().reads_writes(2, 1));
	});
}

#[cfg(feature = "try-runtime")]
#[test]
fn v1_checks_pass_on_payers_already_in_the_new_layout() {
	test(|| {
		payers();
		StorageVersion::new(0).put::<Billing>();
		assert_ok!(MigrateV0ToV1::<Test>::try_on_runtime_upgrade(true));
	});
}

#[cfg(feature = "try-runtime")]
#[test]
fn v1_checks_pass_before_and_after() {
	test(|| {
		as_version_0(&payers());
		assert_ok!(MigrateV0ToV1::<Test>::try_on_runtime_upgrade(true));
	});
}

#[cfg(feature = "try-runtime")]
#[test]
fn v1_pre_check_refuses_a_ledger_in_neither_layout() {
	test(|| {
		let payers = payers();
		as_version_0(&payers);
		let (bucket, twin, ledger) = &payers[0];
		let key = Payers::<Test>::hashed_key_for(bucket, twin);
		storage::set(&key, &[1, 2, 3]);
		assert!(MigrateV0ToV1::<Test>::try_on_runtime_upgrade(true).is_err());
		// A new-layout ledger among unindexed old ones decodes as the old layout with bytes
		// left over.
		storage::set(&key, &ledger.encode());
		assert!(MigrateV0ToV1::<Test>::try_on_runtime_upgrade(true).is_err());
		// Restore the version 1 state, so the test's closing invariants hold.
		for (bucket, twin, ledger) in &payers {
			Payers::<Test>::insert(bucket, twin, ledger);
			PayerBucket::<Test>::insert(twin, bucket);
		}
		StorageVersion::new(1).put::<Billing>();
	});
}
