//! The session manager (which set pallet-session gets, and when), the session length and the
//! rotation estimates.

use super::*;
use frame::traits::{EstimateNextSessionRotation, Hooks};

fn planned_events() -> Vec<Event<Test>> {
	pallet_events()
		.into_iter()
		.filter(|e| matches!(e, Event::NewSetPlanned { .. } | Event::SetChangeDeferred { .. }))
		.collect()
}

#[test]
fn genesis_installs_validators_and_authorities() {
	run_test(|| {
		assert_eq!(set(), vec![ALICE]);
		assert!(!SetChanged::<Test>::get());
		assert_eq!(pallet_session::Validators::<Test>::get(), vec![ALICE]);
		assert_eq!(ActiveAuthorities::get(), vec![ALICE]);
		assert_eq!(
			Schedule::<Test>::get(),
			SessionSchedule { length: SESSION_LENGTH, started_at: 0 }
		);
	});
}

#[test]
fn added_validator_authors_two_sessions_later() {
	run_test(|| {
		assert_add_validator(BOB);

		// Session 0 -> 1 at block 5: the new set is planned for session 2.
		run_to_block(SESSION_LENGTH);
		assert_eq!(session_index(), 1);
		assert_eq!(planned_events(), vec![Event::NewSetPlanned { session: 2, count: 2 }]);
		assert!(!SetChanged::<Test>::get());
		assert_eq!(ActiveAuthorities::get(), vec![ALICE]);

		// Session 1 -> 2 at block 10: Bob authors.
		run_to_block(2 * SESSION_LENGTH);
		assert_eq!(session_index(), 2);
		assert_eq!(ActiveAuthorities::get(), vec![ALICE, BOB]);
	});
}

#[test]
fn removed_validator_leaves_the_authorities_two_sessions_later() {
	run_test(|| {
		assert_add_validator(BOB);
		run_to_session(2);
		assert_eq!(ActiveAuthorities::get(), vec![ALICE, BOB]);

		assert_remove_validator(ALICE);
		run_to_session(3);
		assert_eq!(ActiveAuthorities::get(), vec![ALICE, BOB]);
		run_to_session(4);
		assert_eq!(ActiveAuthorities::get(), vec![BOB]);
	});
}

#[test]
fn unchanged_set_is_not_replanned() {
	run_test(|| {
		run_to_session(3);
		assert!(planned_events().is_empty());
		assert_eq!(ActiveAuthorities::get(), vec![ALICE]);
	});
}

#[test]
fn planned_set_leaves_out_validators_without_keys() {
	run_test(|| {
		assert_add_validator(BOB);
		assert_add_validator(CHARLIE);
		purge_keys(BOB);
		run_to_session(1);
		assert_eq!(planned_events(), vec![Event::NewSetPlanned { session: 2, count: 2 }]);
		run_to_session(2);
		assert_eq!(ActiveAuthorities::get(), vec![ALICE, CHARLIE]);
		// Bob stays in the governed set and is planned again with the next change.
		assert_eq!(set(), vec![ALICE, BOB, CHARLIE]);
		give_keys(BOB);
		assert_remove_validator(CHARLIE);
		run_to_session(4);
		assert_eq!(ActiveAuthorities::get(), vec![ALICE, BOB]);
	});
}

/// Governance may remove Alice while Bob has keys; if Bob purges his keys before the session
/// boundary, the changed set has nobody with keys: it is not handed over (pallet-session keeps
/// Alice), and it is retried at every boundary until Bob has keys again.
#[test]
fn change_without_any_keyed_validator_is_deferred_and_retried() {
	run_test(|| {
		assert_add_validator(BOB);
		run_to_session(2);
		assert_remove_validator(ALICE);
		purge_keys(BOB);

		run_to_session(3);
		assert_eq!(planned_events().last(), Some(&Event::SetChangeDeferred { session: 4 }));
		assert!(SetChanged::<Test>::get());
		run_to_session(4);
		assert_eq!(planned_events().last(), Some(&Event::SetChangeDeferred { session: 5 }));
		assert!(SetChanged::<Test>::get());
		// Consensus never sees an empty set: pallet-session keeps the validators with keys.
		assert_eq!(ActiveAuthorities::get(), vec![ALICE]);
		assert_eq!(pallet_session::Validators::<Test>::get(), vec![ALICE]);

		give_keys(BOB);
		run_to_session(5);
		assert_eq!(planned_events().last(), Some(&Event::NewSetPlanned { session: 6, count: 1 }));
		assert!(!SetChanged::<Test>::get());
		run_to_session(6);
		assert_eq!(ActiveAuthorities::get(), vec![BOB]);
	});
}

#[test]
fn session_length_is_bounded_and_governed() {
	run_test(|| {
		assert_noop!(
			ValidatorSet::set_session_length(RuntimeOrigin::signed(ALICE), 10),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::set_session_length(root(), 1),
			Error::<Test>::SessionLengthOutOfBounds
		);
		assert_noop!(
			ValidatorSet::set_session_length(root(), 101),
			Error::<Test>::SessionLengthOutOfBounds
		);
		// The bounds themselves are allowed.
		assert_set_session_length(2);
		assert_set_session_length(100);
	});
}

#[test]
fn session_length_applies_to_the_current_session() {
	run_test(|| {
		assert_set_session_length(20);
		run_to_block(19);
		assert_eq!(session_index(), 0);
		run_to_block(20);
		assert_eq!(session_index(), 1);
		assert_eq!(Schedule::<Test>::get(), SessionSchedule { length: 20, started_at: 20 });
	});
}

#[test]
fn shorter_length_already_past_ends_the_session_at_the_next_block() {
	run_test(|| {
		assert_set_session_length(20);
		run_to_block(12);
		assert_set_session_length(10);
		run_to_block(13);
		assert_eq!(session_index(), 1);
		assert_eq!(Schedule::<Test>::get().started_at, 13);
	});
}

#[test]
fn rotation_estimates_follow_the_schedule() {
	run_test(|| {
		run_to_block(SESSION_LENGTH + 2);
		let now = System::block_number();
		let one_read = <Test as frame_system::Config>::DbWeight::get().reads(1);
		assert_eq!(ValidatorSet::average_session_length(), SESSION_LENGTH);
		assert_eq!(
			ValidatorSet::estimate_next_session_rotation(now),
			(Some(2 * SESSION_LENGTH), one_read)
		);
		assert_eq!(
			ValidatorSet::estimate_current_session_progress(now),
			(Some(sp_runtime::Permill::from_percent(40)), one_read)
		);
	});
}

/// pallet-session's `on_initialize` reads `Schedule` through `should_end_session` every block,
/// and pallet-authorship's calls `note_author` (two reads, a write); neither reports weight for
/// it, so the pallet's own hook registers it.
#[test]
fn on_initialize_registers_the_schedule_read_and_the_author_record() {
	run_test(|| {
		let expected = <Test as frame_system::Config>::DbWeight::get().reads_writes(3, 1);
		assert!(expected.ref_time() > 0, "the mock prices storage reads");
		assert_eq!(ValidatorSet::on_initialize(2), expected);
		// Also at a session boundary (pallet-session then charges a full block anyway).
		assert_eq!(ValidatorSet::on_initialize(SESSION_LENGTH), expected);
	});
}
