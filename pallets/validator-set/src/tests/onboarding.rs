//! Joining by application: `apply`, `withdraw_application`, `approve_application`,
//! `reject_application`, and the bond through `remove_validator`.

use super::*;
use frame::deps::sp_runtime::TokenError;

/// Bob's bond in these tests: `MinBond`.
const BOND: u64 = 10;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

#[test]
fn apply_files_the_application_and_holds_the_bond() {
	run_test(|| {
		assert_apply(BOB, description(MAX_DESCRIPTION), BOND);
		assert_eq!(held(BOB), BOND);
		assert_eq!(Balances::free_balance(BOB), 100 - BOND);
		// More than the minimum is fine; an empty description too.
		assert_apply(CHARLIE, vec![], 25);
		let mut listed = ValidatorSet::applications();
		listed.sort_by_key(|(who, _)| *who);
		assert_eq!(listed, applications(), "the view function lists the pending applications");
		assert_eq!(ValidatorSet::applications().len(), 2);
	});
}

#[test]
fn apply_requires_session_keys() {
	run_test(|| {
		assert_noop!(
			ValidatorSet::apply(signed(NO_KEYS), description(4), BOND),
			Error::<Test>::NoSessionKeys
		);
		purge_keys(BOB);
		assert_noop!(
			ValidatorSet::apply(signed(BOB), description(4), BOND),
			Error::<Test>::NoSessionKeys
		);
	});
}

#[test]
fn apply_twice_is_refused() {
	run_test(|| {
		assert_apply(BOB, description(4), BOND);
		assert_noop!(
			ValidatorSet::apply(signed(BOB), description(4), BOND),
			Error::<Test>::AlreadyApplied
		);
		// After withdrawing, Bob may apply again.
		assert_withdraw(BOB);
		assert_apply(BOB, description(2), BOND + 1);
	});
}

#[test]
fn a_validator_cannot_apply() {
	run_test(|| {
		assert_noop!(
			ValidatorSet::apply(signed(ALICE), description(4), BOND),
			Error::<Test>::AlreadyValidator
		);
	});
}

#[test]
fn bond_below_the_minimum_is_refused() {
	run_test(|| {
		assert_noop!(
			ValidatorSet::apply(signed(BOB), description(4), BOND - 1),
			Error::<Test>::BondTooLow
		);
		assert_noop!(
			ValidatorSet::apply(signed(BOB), description(4), 0),
			Error::<Test>::BondTooLow
		);
	});
}

/// Bob has 100 and must keep the existential deposit (1) free.
#[test]
fn bond_beyond_the_free_balance_is_refused() {
	run_test(|| {
		assert_noop!(
			ValidatorSet::apply(signed(BOB), description(4), 101),
			TokenError::FundsUnavailable
		);
		assert_noop!(
			ValidatorSet::apply(signed(BOB), description(4), 100),
			TokenError::FundsUnavailable
		);
		assert_apply(BOB, description(4), 99);
		assert_eq!(Balances::free_balance(BOB), 1);
	});
}

#[test]
fn description_longer_than_the_maximum_is_refused() {
	run_test(|| {
		assert_noop!(
			ValidatorSet::apply(signed(BOB), description(MAX_DESCRIPTION + 1), BOND),
			Error::<Test>::DescriptionTooLong
		);
		assert_apply(BOB, description(MAX_DESCRIPTION), BOND);
	});
}

#[test]
fn applications_are_bounded() {
	run_test(|| {
		// MaxApplications = 3.
		give_keys(4);
		give_keys(5);
		for who in [BOB, CHARLIE, 4] {
			assert_apply(who, description(4), BOND);
		}
		assert_noop!(
			ValidatorSet::apply(signed(5), description(4), BOND),
			Error::<Test>::TooManyApplications
		);
		// A decision makes room.
		assert_reject(CHARLIE);
		assert_apply(5, description(4), BOND);
		assert_eq!(Applications::<Test>::count(), MAX_APPLICATIONS);
	});
}

#[test]
fn with_a_zero_minimum_the_bond_is_optional() {
	run_test(|| {
		MinBond::set(0);
		assert_apply(BOB, description(4), 0);
		assert_eq!((held(BOB), Balances::free_balance(BOB)), (0, 100));
		assert_approve(BOB);
		assert_eq!((held(BOB), Balances::free_balance(BOB)), (0, 100));
		assert_remove_validator(BOB);
		// A bond may still be offered.
		assert_apply(CHARLIE, description(4), 7);
		assert_withdraw(CHARLIE);
	});
}

#[test]
fn withdraw_releases_exactly_the_bond() {
	run_test(|| {
		assert_apply(BOB, description(4), 37);
		assert_eq!((Balances::free_balance(BOB), held(BOB)), (63, 37));
		assert_withdraw(BOB);
		assert_eq!((Balances::free_balance(BOB), held(BOB)), (100, 0));
		assert_eq!(System::account(BOB).data.free + System::account(BOB).data.reserved, 100);
		assert_noop!(ValidatorSet::withdraw_application(signed(BOB)), Error::<Test>::NoApplication);
	});
}

#[test]
fn only_the_applicant_withdraws_its_application() {
	run_test(|| {
		assert_apply(BOB, description(4), BOND);
		assert_noop!(
			ValidatorSet::withdraw_application(signed(CHARLIE)),
			Error::<Test>::NoApplication
		);
		assert_noop!(ValidatorSet::withdraw_application(root()), DispatchError::BadOrigin);
	});
}

#[test]
fn only_governance_decides_applications() {
	run_test(|| {
		assert_apply(BOB, description(4), BOND);
		for origin in [signed(ALICE), signed(BOB), RuntimeOrigin::none()] {
			assert_noop!(
				ValidatorSet::approve_application(origin.clone(), BOB),
				DispatchError::BadOrigin
			);
			assert_noop!(ValidatorSet::reject_application(origin, BOB), DispatchError::BadOrigin);
		}
	});
}

#[test]
fn approval_adds_to_the_set_and_keeps_the_bond() {
	run_test(|| {
		assert_apply(BOB, description(4), BOND);
		assert_approve(BOB);
		assert_eq!(set(), vec![ALICE, BOB]);
		assert!(Applications::<Test>::get(BOB).is_none());
		assert_eq!((Balances::free_balance(BOB), held(BOB)), (100 - BOND, BOND));

		// Planned at the next boundary, authoring two sessions later.
		run_to_session(1);
		assert!(pallet_events().contains(&Event::NewSetPlanned { session: 2, count: 2 }));
		assert_eq!(ActiveAuthorities::get(), vec![ALICE]);
		run_to_session(2);
		assert_eq!(ActiveAuthorities::get(), vec![ALICE, BOB]);
		assert_eq!(held(BOB), BOND);
	});
}

#[test]
fn rejection_releases_the_bond() {
	run_test(|| {
		assert_apply(BOB, description(4), BOND);
		assert_reject(BOB);
		assert_eq!((Balances::free_balance(BOB), held(BOB)), (100, 0));
		assert_eq!(set(), vec![ALICE]);
	});
}

#[test]
fn deciding_without_an_application_is_refused() {
	run_test(|| {
		assert_noop!(ValidatorSet::approve_application(root(), BOB), Error::<Test>::NoApplication);
		assert_noop!(ValidatorSet::reject_application(root(), BOB), Error::<Test>::NoApplication);
		// Decided applications are gone.
		assert_apply(BOB, description(4), BOND);
		assert_approve(BOB);
		assert_noop!(ValidatorSet::approve_application(root(), BOB), Error::<Test>::NoApplication);
		assert_noop!(ValidatorSet::reject_application(root(), BOB), Error::<Test>::NoApplication);
	});
}

#[test]
fn approval_of_an_applicant_that_purged_its_keys_is_refused() {
	run_test(|| {
		assert_apply(BOB, description(4), BOND);
		purge_keys(BOB);
		assert_noop!(ValidatorSet::approve_application(root(), BOB), Error::<Test>::NoSessionKeys);
		// Still pending, bond still held: the council may reject, or approve once Bob has keys.
		assert_eq!(held(BOB), BOND);
		give_keys(BOB);
		assert_approve(BOB);
	});
}

#[test]
fn approval_into_a_full_set_is_refused() {
	run_test(|| {
		// MaxValidators = 4.
		for who in [BOB, CHARLIE, 4] {
			give_keys(who);
			assert_add_validator(who);
		}
		give_keys(5);
		assert_apply(5, description(4), BOND);
		assert_noop!(
			ValidatorSet::approve_application(root(), 5),
			Error::<Test>::TooManyValidators
		);
		assert_reject(5);
	});
}

#[test]
fn an_applicant_is_not_added_directly() {
	run_test(|| {
		assert_apply(BOB, description(4), BOND);
		assert_noop!(ValidatorSet::add_validator(root(), BOB), Error::<Test>::ApplicationPending);
		assert_approve(BOB);
	});
}

#[test]
fn removal_releases_the_bond() {
	run_test(|| {
		assert_apply(BOB, description(4), 40);
		assert_approve(BOB);
		assert_eq!((Balances::free_balance(BOB), held(BOB)), (60, 40));
		assert_remove_validator(BOB);
		assert_eq!((Balances::free_balance(BOB), held(BOB)), (100, 0));
		// A validator added without a bond is removed without one.
		assert_add_validator(CHARLIE);
		assert_remove_validator(CHARLIE);
		assert_eq!(Balances::free_balance(CHARLIE), 100);
	});
}

/// A removed validator may apply again; its new bond is held afresh.
#[test]
fn a_removed_validator_may_apply_again() {
	run_test(|| {
		assert_apply(BOB, description(4), BOND);
		assert_approve(BOB);
		assert_remove_validator(BOB);
		assert_apply(BOB, description(4), BOND);
		assert_eq!(held(BOB), BOND);
	});
}
