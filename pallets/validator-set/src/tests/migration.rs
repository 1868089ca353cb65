//! Storage migration 0 → 1: the authorship records of the validators in place.

use super::*;
use crate::migrations::v1::MigrateV0ToV1;
use frame::deps::frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};

#[test]
fn v1_records_every_validator_at_the_current_session() {
	run_test(|| {
		assert_add_validator(BOB);
		run_to_session(3);
		// As version 0 left it.
		let _ = LastAuthored::<Test>::clear(u32::MAX, None);
		CurrentSession::<Test>::kill();
		StorageVersion::new(0).put::<ValidatorSet>();

		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(ValidatorSet::on_chain_storage_version(), 1);
		assert_eq!(CurrentSession::<Test>::get(), 3);
		assert_eq!(last_authored(), vec![(ALICE, 3), (BOB, 3)]);
		// Nobody is reported before `InactivityThreshold` sessions after the upgrade.
		let inactive = || {
			pallet_events()
				.iter()
				.filter(|e| matches!(e, Event::ValidatorInactive { .. }))
				.count()
		};
		let reported_before = inactive();
		run_to_session(3 + INACTIVITY_THRESHOLD);
		assert_eq!(inactive(), reported_before);
		run_to_session(4 + INACTIVITY_THRESHOLD);
		assert_eq!(inactive(), reported_before + 2);

		// Once at version 1 it does nothing.
		note_author(ALICE);
		let records = last_authored();
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(last_authored(), records);
	});
}

#[test]
fn genesis_is_at_version_1() {
	run_test(|| {
		assert_eq!(ValidatorSet::on_chain_storage_version(), 1);
	});
}
