use crate::{mock::*, Error, Event, Schedule, SetChanged, Validators};
use frame::testing_prelude::*;

fn set() -> Vec<AccountId> {
	Validators::<Test>::get().into_inner()
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}

#[test]
fn genesis_installs_validators_and_authorities() {
	run_test(|| {
		assert_eq!(set(), vec![ALICE]);
		assert_eq!(pallet_session::Validators::<Test>::get(), vec![ALICE]);
		assert_eq!(ActiveAuthorities::get(), vec![ALICE]);
		assert_eq!(Schedule::<Test>::get().length, SESSION_LENGTH);
	});
}

#[test]
fn add_validator_becomes_authority_two_sessions_later() {
	run_test(|| {
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), BOB));
		assert_eq!(set(), vec![ALICE, BOB]);
		assert_eq!(last_event(), Event::ValidatorAdded { who: BOB }.into());
		assert!(SetChanged::<Test>::get());

		// Session 0 -> 1 at block 5: the new set is planned for session 2.
		run_to_block(SESSION_LENGTH);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), 1);
		System::assert_has_event(Event::NewSetPlanned { session: 2, count: 2 }.into());
		assert!(!SetChanged::<Test>::get());
		assert_eq!(ActiveAuthorities::get(), vec![ALICE]);

		// Session 1 -> 2 at block 10: Bob authors.
		run_to_block(2 * SESSION_LENGTH);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), 2);
		assert_eq!(ActiveAuthorities::get(), vec![ALICE, BOB]);
	});
}

#[test]
fn remove_validator_leaves_the_authorities() {
	run_test(|| {
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), BOB));
		run_to_block(2 * SESSION_LENGTH);
		assert_eq!(ActiveAuthorities::get(), vec![ALICE, BOB]);

		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), ALICE));
		assert_eq!(last_event(), Event::ValidatorRemoved { who: ALICE }.into());
		assert_eq!(set(), vec![BOB]);
		run_to_block(4 * SESSION_LENGTH);
		assert_eq!(ActiveAuthorities::get(), vec![BOB]);
	});
}

#[test]
fn unchanged_set_is_not_replanned() {
	run_test(|| {
		run_to_block(3 * SESSION_LENGTH);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), 3);
		assert!(!System::events()
			.iter()
			.any(|r| matches!(r.event, RuntimeEvent::ValidatorSet(Event::NewSetPlanned { .. }))));
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
		assert_noop!(
			ValidatorSet::set_session_length(RuntimeOrigin::signed(ALICE), 10),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn add_requires_session_keys() {
	run_test(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), NO_KEYS),
			Error::<Test>::NoSessionKeys
		);
	});
}

#[test]
fn add_rejects_duplicates_and_a_full_set() {
	run_test(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), ALICE),
			Error::<Test>::AlreadyValidator
		);
		// MaxValidators = 4: fill it with accounts that have keys.
		for who in [BOB, CHARLIE, 4] {
			assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), who, 100));
			assert_ok!(register_keys(who));
			assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), who));
		}
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), 5, 100));
		assert_ok!(register_keys(5));
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 5),
			Error::<Test>::TooManyValidators
		);
	});
}

#[test]
fn remove_rejects_strangers_and_the_last_validator() {
	run_test(|| {
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), BOB),
			Error::<Test>::NotValidator
		);
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), ALICE),
			Error::<Test>::TooFewValidators
		);
	});
}

#[test]
fn session_length_is_bounded_and_takes_effect() {
	run_test(|| {
		assert_noop!(
			ValidatorSet::set_session_length(RuntimeOrigin::root(), 1),
			Error::<Test>::SessionLengthOutOfBounds
		);
		assert_noop!(
			ValidatorSet::set_session_length(RuntimeOrigin::root(), 101),
			Error::<Test>::SessionLengthOutOfBounds
		);
		assert_ok!(ValidatorSet::set_session_length(RuntimeOrigin::root(), 20));
		assert_eq!(last_event(), Event::SessionLengthSet { length: 20 }.into());
		run_to_block(19);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), 0);
		run_to_block(20);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), 1);
		assert_eq!(Schedule::<Test>::get().started_at, 20);
	});
}

#[test]
fn rotation_estimates_follow_the_schedule() {
	use frame::traits::EstimateNextSessionRotation;
	run_test(|| {
		run_to_block(SESSION_LENGTH + 2);
		let now = System::block_number();
		assert_eq!(ValidatorSet::average_session_length(), SESSION_LENGTH);
		assert_eq!(ValidatorSet::estimate_next_session_rotation(now).0, Some(2 * SESSION_LENGTH));
		assert_eq!(
			ValidatorSet::estimate_current_session_progress(now).0,
			Some(sp_runtime::Permill::from_percent(40))
		);
	});
}

#[test]
fn try_state_detects_broken_invariants() {
	new_test_ext().execute_with(|| {
		assert_ok!(ValidatorSet::do_try_state());
		Validators::<Test>::put(BoundedVec::truncate_from(vec![ALICE, ALICE]));
		assert!(ValidatorSet::do_try_state().is_err());
		Validators::<Test>::put(BoundedVec::truncate_from(vec![]));
		assert!(ValidatorSet::do_try_state().is_err());
	});
}
