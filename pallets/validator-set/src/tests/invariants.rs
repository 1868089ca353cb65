//! Genesis checks and `do_try_state`.

use super::*;
use frame::traits::fungible::MutateHold;

fn genesis(validators: Vec<AccountId>, keys: Vec<AccountId>, session_length: u64) -> TestState {
	let keys = keys
		.into_iter()
		.map(|who| (who, who, MockSessionKeys { dummy: sp_runtime::testing::UintAuthorityId(who) }))
		.collect();
	RuntimeGenesisConfig {
		system: Default::default(),
		balances: pallet_balances::GenesisConfig {
			balances: vec![(ALICE, 100), (BOB, 100), (CHARLIE, 100)],
			..Default::default()
		},
		validator_set: crate::GenesisConfig { initial_validators: validators, session_length },
		session: pallet_session::GenesisConfig { keys, ..Default::default() },
	}
	.build_storage()
	.map(TestState::new)
	.expect("genesis builds")
}

#[test]
fn genesis_with_several_validators_installs_all() {
	genesis(vec![ALICE, BOB], vec![ALICE, BOB], 10).execute_with(|| {
		assert_eq!(set(), vec![ALICE, BOB]);
		assert_eq!(pallet_session::Validators::<Test>::get(), vec![ALICE, BOB]);
		assert_eq!(last_authored(), vec![(ALICE, 0), (BOB, 0)]);
		assert_eq!(CurrentSession::<Test>::get(), 0);
		assert_ok!(ValidatorSet::do_try_state());
	});
}

#[test]
fn empty_genesis_set_is_allowed_for_tests() {
	genesis(vec![], vec![ALICE], 10).execute_with(|| {
		assert!(set().is_empty());
		// pallet-session falls back to the owners of its genesis keys.
		assert_eq!(pallet_session::Validators::<Test>::get(), vec![ALICE]);
		assert_ok!(ValidatorSet::do_try_state());
	});
}

#[test]
#[should_panic(expected = "duplicate initial validator")]
fn genesis_rejects_duplicates() {
	genesis(vec![ALICE, ALICE], vec![ALICE], 10);
}

#[test]
#[should_panic(expected = "more initial validators than MaxValidators")]
fn genesis_rejects_too_many_validators() {
	genesis(vec![1, 2, 3, 4, 5], vec![1, 2, 3, 4, 5], 10);
}

#[test]
#[should_panic(expected = "session_length outside")]
fn genesis_rejects_a_session_length_out_of_bounds() {
	genesis(vec![ALICE], vec![ALICE], 1);
}

#[test]
#[should_panic(expected = "has no session keys")]
fn genesis_rejects_a_validator_without_keys() {
	genesis(vec![ALICE, BOB], vec![ALICE], 10);
}

#[test]
fn try_state_detects_broken_invariants() {
	new_test_ext().execute_with(|| {
		assert_ok!(ValidatorSet::do_try_state());

		Validators::<Test>::put(BoundedVec::truncate_from(vec![ALICE, ALICE]));
		assert!(ValidatorSet::do_try_state().is_err());

		// A set whose validators have no keys.
		Validators::<Test>::put(BoundedVec::truncate_from(vec![NO_KEYS]));
		assert!(ValidatorSet::do_try_state().is_err());

		// Empty is fine (test configs only).
		Validators::<Test>::put(BoundedVec::truncate_from(vec![]));
		LastAuthored::<Test>::remove(ALICE);
		assert_ok!(ValidatorSet::do_try_state());

		Validators::<Test>::put(BoundedVec::truncate_from(vec![ALICE]));
		LastAuthored::<Test>::insert(ALICE, 0);
		Schedule::<Test>::put(SessionSchedule { length: 1, started_at: 0 });
		assert!(ValidatorSet::do_try_state().is_err());

		Schedule::<Test>::put(SessionSchedule { length: SESSION_LENGTH, started_at: 2 });
		assert!(ValidatorSet::do_try_state().is_err());

		Schedule::<Test>::put(SessionSchedule { length: SESSION_LENGTH, started_at: 1 });
		assert_ok!(ValidatorSet::do_try_state());
	});
}

#[test]
fn try_state_sees_a_validator_purging_the_last_keys() {
	new_test_ext().execute_with(|| {
		purge_keys(ALICE);
		assert!(ValidatorSet::do_try_state().is_err());
	});
}

fn application(bond: u64) -> crate::ApplicationOf<Test> {
	Application { description: Default::default(), bond, applied_at: 1 }
}

#[test]
fn try_state_checks_applications() {
	new_test_ext().execute_with(|| {
		// A validator with an application.
		Applications::<Test>::insert(ALICE, application(0));
		assert!(ValidatorSet::do_try_state().is_err());
		Applications::<Test>::remove(ALICE);
		assert_ok!(ValidatorSet::do_try_state());

		// An application whose bond is not held.
		Applications::<Test>::insert(BOB, application(10));
		assert!(ValidatorSet::do_try_state().is_err());
		assert_ok!(Balances::hold(&HoldReason::ValidatorBond.into(), &BOB, 10));
		assert_ok!(ValidatorSet::do_try_state());

		// More applications than MaxApplications.
		for who in [CHARLIE, 4, 5] {
			Applications::<Test>::insert(who, application(0));
		}
		assert!(ValidatorSet::do_try_state().is_err());
	});
}

#[test]
fn try_state_checks_the_authorship_records() {
	new_test_ext().execute_with(|| {
		// A validator without a record.
		LastAuthored::<Test>::remove(ALICE);
		assert!(ValidatorSet::do_try_state().is_err());
		LastAuthored::<Test>::insert(ALICE, 0);
		assert_ok!(ValidatorSet::do_try_state());

		// A record of a non-validator.
		LastAuthored::<Test>::insert(BOB, 0);
		assert!(ValidatorSet::do_try_state().is_err());
		LastAuthored::<Test>::remove(BOB);

		// A record beyond the session after the current one.
		LastAuthored::<Test>::insert(ALICE, 2);
		assert!(ValidatorSet::do_try_state().is_err());
		LastAuthored::<Test>::insert(ALICE, 1);
		assert_ok!(ValidatorSet::do_try_state());
	});
}

#[test]
#[should_panic(expected = "neither applied nor validates")]
fn the_tests_see_a_bond_left_on_a_stranger() {
	new_test_ext().execute_with(|| {
		assert_ok!(Balances::hold(&HoldReason::ValidatorBond.into(), &BOB, 10));
		assert_bonds_only_on_applicants_and_validators();
	});
}
