//! Submissions: who may submit what, when, refused before the pool and changing nothing.

use super::*;
use frame::deps::sp_runtime::transaction_validity::InvalidTransaction;

fn custom(code: u8) -> Result<(), TransactionValidityError> {
	Err(InvalidTransaction::Custom(code).into())
}

#[test]
fn a_feeder_submits_once_per_window_for_free() {
	test(|| {
		run_to(3);
		assert_eq!(pool(&submission(1, 50), "Feeder1"), Ok(()));
		assert_ok!(submit(1, 50));
		assert_eq!(
			events(),
			vec![Event::PriceSubmitted { feeder: f(1), window: 0, price: MusdPerTft(50) }]
		);
		assert_eq!(OpenWindow::<Test>::get().prices.into_inner(), vec![(f(1), MusdPerTft(50))]);
		// A second price in the same window is refused in the pool (and in a block).
		assert_eq!(pool(&submission(1, 51), "Feeder1"), custom(4));
		assert_noop!(
			TftPrice::submit_price(
				frame_system::RawOrigin::Authorized.into(),
				submission(1, 51),
				sign("Feeder1", &submission(1, 51))
			),
			Error::<Test>::AlreadySubmitted
		);
		// The next window takes a new one.
		run_to(10);
		assert_ok!(submit(1, 52));
	});
}

#[test]
fn spam_is_refused_before_the_pool() {
	test(|| {
		run_to(15);
		// Not a feeder (even correctly signed by itself).
		let mut s = submission(1, 50);
		s.feeder = stranger();
		assert_eq!(pool(&s, "Stranger"), custom(2));
		// A feeder's submission signed by someone else, or altered after signing.
		assert_eq!(pool(&submission(1, 50), "Feeder2"), Err(InvalidTransaction::BadProof.into()));
		let signature = sign("Feeder1", &submission(1, 50));
		let call = Call::<Test>::submit_price { submission: submission(1, 5_000), signature };
		assert_eq!(
			call.authorize(TransactionSource::External).unwrap().map(|_| ()),
			Err(InvalidTransaction::BadProof.into())
		);
		// Outside the hard sanity bounds.
		assert_eq!(pool(&submission(1, 0), "Feeder1"), custom(3));
		assert_eq!(pool(&submission(1, MAX_ACCEPTED + 1), "Feeder1"), custom(3));
		assert_eq!(pool(&submission(1, MAX_ACCEPTED), "Feeder1"), Ok(()));
		// Another window, an observation too old or in the future: stale.
		let stale = Err(InvalidTransaction::Stale.into());
		for change in [
			|s: &mut PriceSubmission<AccountId>| s.window = 0,
			|s: &mut PriceSubmission<AccountId>| s.window = 2,
			|s: &mut PriceSubmission<AccountId>| s.observed_at = 4,
			|s: &mut PriceSubmission<AccountId>| s.observed_at = 16,
		] {
			let mut s = submission(1, 50);
			change(&mut s);
			assert_eq!(pool(&s, "Feeder1"), stale, "{s:?}");
		}
		// Exactly `max_observation_age` blocks old is still fresh.
		let mut s = submission(1, 50);
		s.observed_at = 5;
		assert_eq!(pool(&s, "Feeder1"), Ok(()));
		// None of it reached storage or emitted anything.
		assert_eq!(OpenWindow::<Test>::get().prices.len(), 0);
		assert!(!events().iter().any(|e| matches!(e, Event::PriceSubmitted { .. })));
	});
}

#[test]
fn a_refused_submission_changes_nothing_in_a_block_either() {
	test(|| {
		run_to(3);
		for (s, error) in [
			(submission(1, 0), Error::<Test>::PriceOutOfRange),
			(PriceSubmission { feeder: stranger(), ..submission(1, 50) }, Error::<Test>::NotFeeder),
			(PriceSubmission { window: 1, ..submission(1, 50) }, Error::<Test>::WrongWindow),
			(
				PriceSubmission { observed_at: 9, ..submission(1, 50) },
				Error::<Test>::StaleObservation,
			),
		] {
			assert_noop!(
				TftPrice::submit_price(
					frame_system::RawOrigin::Authorized.into(),
					s.clone(),
					sign("Feeder1", &s)
				),
				error
			);
		}
		// Only the authorized origin dispatches it: a signed account cannot.
		let s = submission(1, 50);
		assert_noop!(
			TftPrice::submit_price(RuntimeOrigin::signed(f(1)), s.clone(), sign("Feeder1", &s)),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn nothing_is_accepted_while_the_oracle_is_off() {
	ext_with(None, None).execute_with(|| {
		assert_eq!(pool(&submission(1, 50), "Feeder1"), custom(1));
		run_to(30);
		assert!(events().is_empty());
		assert_eq!(TftPrice::price_info().billing_price, None);
		TftPrice::do_try_state().unwrap();
	});
}

#[test]
fn a_submission_validated_at_the_end_of_a_window_is_refused_in_the_next() {
	test(|| {
		run_to(9);
		let s = submission(1, 50);
		assert_eq!(pool(&s, "Feeder1"), Ok(()));
		// Included one block later, in window 1: it was for window 0, so it is stale.
		run_to(10);
		assert_eq!(pool(&s, "Feeder1"), Err(InvalidTransaction::Stale.into()));
	});
}
