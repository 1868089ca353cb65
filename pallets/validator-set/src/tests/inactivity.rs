//! Authorship records and inactivity reports (threshold 2 sessions, sessions of 5 blocks).

use super::*;
use frame::traits::Hooks;

fn inactive_reports() -> Vec<(AccountId, u32)> {
	pallet_events()
		.into_iter()
		.filter_map(|e| match e {
			Event::ValidatorInactive { who, sessions } => Some((who, sessions)),
			_ => None,
		})
		.collect()
}

/// The reports emitted when session `index` started.
fn reports_at(index: u32) -> Vec<(AccountId, u32)> {
	let before = inactive_reports().len();
	run_to_session(index);
	inactive_reports().into_iter().skip(before).collect()
}

/// Runs blocks until session `index` has started; each block is authored by the next of
/// `authors`, in turn. As in the runtime, where pallet-authorship precedes pallet-session, the
/// author is noted before the block's session rotation: a block that ends a session was
/// authored in it.
fn run_to_session_authored_by(index: u32, authors: &[AccountId]) {
	for _ in 0..1000 {
		if session_index() >= index {
			return;
		}
		let next = System::block_number() + 1;
		note_author(authors[next as usize % authors.len()]);
		run_to_block(next);
	}
	panic!("session {index} did not start within 1000 blocks");
}

#[test]
fn a_validator_that_authors_nothing_is_reported_every_session() {
	run_test(|| {
		// Genesis validators count from session 0.
		assert_eq!(last_authored(), vec![(ALICE, 0)]);
		assert_eq!(reports_at(1), vec![]);
		assert_eq!(reports_at(2), vec![]);
		// Sessions 1 and 2 ended without a block of Alice's.
		assert_eq!(reports_at(3), vec![(ALICE, INACTIVITY_THRESHOLD)]);
		assert_eq!(reports_at(4), vec![(ALICE, 3)]);
		assert_eq!(reports_at(5), vec![(ALICE, 4)]);
		assert_eq!(ValidatorSet::idle_sessions(ALICE), Some(4));
	});
}

#[test]
fn a_validator_that_authors_is_not_reported() {
	run_test(|| {
		run_to_session_authored_by(8, &[ALICE]);
		assert!(inactive_reports().is_empty());
		assert_eq!(last_authored(), vec![(ALICE, 7)]);
		assert_eq!(ValidatorSet::idle_sessions(ALICE), Some(0));
	});
}

#[test]
fn authoring_again_ends_the_reports() {
	run_test(|| {
		assert_eq!(reports_at(3), vec![(ALICE, 2)]);
		// Alice authors in session 3.
		note_author(ALICE);
		assert_eq!(LastAuthored::<Test>::get(ALICE), Some(3));
		assert_eq!(reports_at(4), vec![]);
		assert_eq!(reports_at(5), vec![]);
		assert_eq!(reports_at(6), vec![(ALICE, 2)]);
	});
}

/// Bob, added in session 0, is active from session 2: he is reported only once sessions 2 and
/// 3 ended without his block.
#[test]
fn a_new_validator_is_not_reported_before_it_was_active() {
	run_test(|| {
		assert_add_validator(BOB);
		assert_eq!(LastAuthored::<Test>::get(BOB), Some(1));
		for session in 1..=3 {
			run_to_session_authored_by(session, &[ALICE]);
			assert!(inactive_reports().is_empty(), "session {session}");
		}
		assert_eq!(ActiveAuthorities::get(), vec![ALICE, BOB]);
		run_to_session_authored_by(4, &[ALICE]);
		assert_eq!(inactive_reports(), vec![(BOB, 2)]);
	});
}

/// Bob, added in session 3, is active from session 5 and authors there: never reported.
#[test]
fn a_validator_added_later_counts_from_its_first_active_session() {
	run_test(|| {
		run_to_session_authored_by(3, &[ALICE]);
		assert_add_validator(BOB);
		assert_eq!(LastAuthored::<Test>::get(BOB), Some(4));
		run_to_session_authored_by(5, &[ALICE]);
		assert_eq!(ActiveAuthorities::get(), vec![ALICE, BOB]);
		run_to_session_authored_by(9, &[ALICE, BOB]);
		assert!(inactive_reports().is_empty());
		assert_eq!(LastAuthored::<Test>::get(BOB), Some(8));
	});
}

#[test]
fn only_validators_have_records() {
	run_test(|| {
		// Charlie is no validator: authoring (as a removed validator still does for two
		// sessions) leaves no record, so the map stays bounded by the set.
		note_author(CHARLIE);
		assert_eq!(last_authored(), vec![(ALICE, 0)]);
		assert_eq!(ValidatorSet::idle_sessions(CHARLIE), None);

		assert_add_validator(BOB);
		run_to_session_authored_by(2, &[ALICE]);
		assert_remove_validator(BOB);
		assert_eq!(last_authored(), vec![(ALICE, 1)]);
		// Bob still authors in sessions 2 and 3; he is neither recorded nor reported.
		run_to_session_authored_by(6, &[ALICE, BOB]);
		assert_eq!(last_authored(), vec![(ALICE, 5)]);
		assert!(inactive_reports().is_empty());
	});
}

/// Bob, removed in session 2, still authors in session 3 when governance adds him again: his
/// record stays at the session before he is active again.
#[test]
fn authoring_never_lowers_the_record() {
	run_test(|| {
		assert_add_validator(BOB);
		run_to_session_authored_by(2, &[ALICE]);
		assert_remove_validator(BOB);
		run_to_session_authored_by(3, &[ALICE]);
		assert_add_validator(BOB);
		assert_eq!(LastAuthored::<Test>::get(BOB), Some(4));
		note_author(BOB);
		assert_eq!(LastAuthored::<Test>::get(BOB), Some(4));
	});
}

#[test]
fn current_session_follows_pallet_session() {
	run_test(|| {
		for session in 0..=4 {
			run_to_session(session);
			assert_eq!(CurrentSession::<Test>::get(), session_index());
		}
	});
}

/// The inactivity reports run inside pallet-session's rotation, which pallet-session 50.0.0
/// charges as a full block.
#[test]
fn session_rotation_is_charged_a_full_block() {
	run_test(|| {
		run_to_block(SESSION_LENGTH - 1);
		System::set_block_number(SESSION_LENGTH);
		let weight = <Session as Hooks<u64>>::on_initialize(SESSION_LENGTH);
		assert_eq!(session_index(), 1);
		let max_block = <<Test as frame_system::Config>::BlockWeights as Get<
			frame_system::limits::BlockWeights,
		>>::get()
		.max_block;
		assert_eq!(weight, max_block);
	});
}
