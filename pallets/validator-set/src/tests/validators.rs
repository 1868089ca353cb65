//! `add_validator` and `remove_validator`.

use super::*;

#[test]
fn add_validator_appends_and_marks_the_set_changed() {
	run_test(|| {
		assert_add_validator(BOB);
		assert_add_validator(CHARLIE);
		assert_eq!(set(), vec![ALICE, BOB, CHARLIE]);
	});
}

#[test]
fn remove_validator_keeps_the_order_of_the_others() {
	run_test(|| {
		assert_add_validator(BOB);
		assert_add_validator(CHARLIE);
		assert_remove_validator(BOB);
		assert_eq!(set(), vec![ALICE, CHARLIE]);
		assert_remove_validator(ALICE);
		assert_eq!(set(), vec![CHARLIE]);
	});
}

#[test]
fn only_governance_changes_the_set() {
	run_test(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::signed(BOB), BOB),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::signed(ALICE), ALICE),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn add_requires_session_keys() {
	run_test(|| {
		assert_noop!(ValidatorSet::add_validator(root(), NO_KEYS), Error::<Test>::NoSessionKeys);
		// Keys purged since registering count as no keys.
		purge_keys(BOB);
		assert_noop!(ValidatorSet::add_validator(root(), BOB), Error::<Test>::NoSessionKeys);
	});
}

#[test]
fn add_rejects_duplicates_and_a_full_set() {
	run_test(|| {
		assert_noop!(ValidatorSet::add_validator(root(), ALICE), Error::<Test>::AlreadyValidator);
		// MaxValidators = 4.
		for who in [BOB, CHARLIE, 4] {
			give_keys(who);
			assert_add_validator(who);
		}
		give_keys(5);
		assert_noop!(ValidatorSet::add_validator(root(), 5), Error::<Test>::TooManyValidators);
	});
}

#[test]
fn remove_rejects_strangers_and_the_last_validator() {
	run_test(|| {
		assert_noop!(ValidatorSet::remove_validator(root(), BOB), Error::<Test>::NotValidator);
		assert_noop!(
			ValidatorSet::remove_validator(root(), ALICE),
			Error::<Test>::TooFewValidators
		);
	});
}

/// The defect this rule fixes: Bob purges his keys, governance removes Alice, and the set
/// handed to consensus would be empty (pallet-session drops validators without keys).
#[test]
fn removal_that_leaves_no_validator_with_keys_is_refused() {
	run_test(|| {
		assert_add_validator(BOB);
		run_to_session(2);
		assert_eq!(ActiveAuthorities::get(), vec![ALICE, BOB]);

		purge_keys(BOB);
		assert_noop!(
			ValidatorSet::remove_validator(root(), ALICE),
			Error::<Test>::TooFewValidatorsWithKeys
		);
		for session in 3..=6 {
			run_to_session(session);
			assert!(ActiveAuthorities::get().contains(&ALICE), "session {session}");
		}
		// Bob's keys were still queued for session 3; from session 4 on he is left out.
		assert_eq!(ActiveAuthorities::get(), vec![ALICE]);

		// Once Bob has keys again, Alice can go.
		give_keys(BOB);
		assert_remove_validator(ALICE);
		run_to_session(8);
		assert_eq!(ActiveAuthorities::get(), vec![BOB]);
	});
}

#[test]
fn a_validator_without_keys_can_be_removed() {
	run_test(|| {
		assert_add_validator(BOB);
		purge_keys(BOB);
		assert_remove_validator(BOB);
		assert_eq!(set(), vec![ALICE]);
	});
}

#[test]
fn removals_keep_min_validators_with_keys() {
	run_test(|| {
		assert_add_validator(BOB);
		assert_add_validator(CHARLIE);
		purge_keys(BOB);
		// Alice, Bob (no keys), Charlie: one of the two with keys may go, not both.
		assert_remove_validator(CHARLIE);
		assert_noop!(
			ValidatorSet::remove_validator(root(), ALICE),
			Error::<Test>::TooFewValidatorsWithKeys
		);
		assert_remove_validator(BOB);
		assert_eq!(set(), vec![ALICE]);
	});
}
