//! Governance: feeders, parameters and the emergency price, each refusal changing nothing.

use super::*;

#[test]
fn only_governance_manages_the_oracle() {
	test(|| {
		for origin in [RuntimeOrigin::signed(f(1)), RuntimeOrigin::root(), RuntimeOrigin::none()] {
			assert_noop!(TftPrice::add_feeder(origin.clone(), f(4)), DispatchError::BadOrigin);
			assert_noop!(TftPrice::remove_feeder(origin.clone(), f(1)), DispatchError::BadOrigin);
			assert_noop!(TftPrice::set_params(origin.clone(), PARAMS), DispatchError::BadOrigin);
			assert_noop!(TftPrice::force_price(origin, MusdPerTft(50)), DispatchError::BadOrigin);
		}
	});
}

#[test]
fn feeders_are_a_bounded_set() {
	test(|| {
		assert_noop!(TftPrice::add_feeder(gov(), f(2)), Error::<Test>::AlreadyFeeder);
		assert_ok!(TftPrice::add_feeder(gov(), f(4)));
		assert_ok!(TftPrice::add_feeder(gov(), f(5)));
		assert_noop!(TftPrice::add_feeder(gov(), f(6)), Error::<Test>::TooManyFeeders);
		assert_eq!(Feeders::<Test>::get().len() as u32, MAX_FEEDERS);
		assert_eq!(
			events()[..2],
			[Event::FeederAdded { feeder: f(4) }, Event::FeederAdded { feeder: f(5) }]
		);
		// A new feeder may submit at once.
		assert_ok!(submit(5, 50));
		assert_noop!(TftPrice::remove_feeder(gov(), f(6)), Error::<Test>::NotFeeder);
	});
}

#[test]
fn removing_feeders_never_leaves_the_quorum_unreachable() {
	test(|| {
		assert_ok!(TftPrice::remove_feeder(gov(), f(3)));
		// Two feeders left for a quorum of two: governance must lower the quorum first.
		assert_noop!(TftPrice::remove_feeder(gov(), f(2)), Error::<Test>::QuorumUnreachable);
		assert_ok!(TftPrice::set_params(gov(), PriceParams { quorum: 1, ..PARAMS }));
		assert_ok!(TftPrice::remove_feeder(gov(), f(2)));
		assert_eq!(Feeders::<Test>::get().into_inner(), vec![f(1)]);
	});
}

#[test]
fn a_feeder_removed_mid_window_no_longer_counts() {
	test(|| {
		window_with(&[40, 40]);
		assert_ok!(submit(1, 90));
		assert_ok!(submit(2, 90));
		// Feeder 2's key is compromised: governance removes it before the window closes.
		assert_ok!(TftPrice::remove_feeder(gov(), f(2)));
		assert_eq!(
			events().last(),
			Some(&Event::FeederRemoved { feeder: f(2), dropped: Some(MusdPerTft(90)) })
		);
		// Its submissions are refused from now on.
		assert_eq!(
			pool(&submission(2, 90), "Feeder2"),
			Err(frame::deps::sp_runtime::transaction_validity::InvalidTransaction::Custom(2).into())
		);
		run_to(20);
		assert!(matches!(events().last(), Some(Event::NoQuorum { submissions: 1, .. })));
		assert_eq!(state().last_price, Some(MusdPerTft(40)));
	});
}

#[test]
fn parameters_are_checked_and_restart_the_open_window() {
	test(|| {
		for (params, error) in [
			(PriceParams { window_blocks: 0, ..PARAMS }, Error::<Test>::InvalidWindow),
			(PriceParams { quorum: 0, ..PARAMS }, Error::<Test>::InvalidQuorum),
			(PriceParams { quorum: 4, ..PARAMS }, Error::<Test>::InvalidQuorum),
			(PriceParams { average_span: 0, ..PARAMS }, Error::<Test>::InvalidSpan),
			(PriceParams { min_price: MusdPerTft(0), ..PARAMS }, Error::<Test>::InvalidBounds),
			(PriceParams { min_price: MusdPerTft(2_000), ..PARAMS }, Error::<Test>::InvalidBounds),
			(
				PriceParams { max_price: MusdPerTft(MAX_ACCEPTED + 1), ..PARAMS },
				Error::<Test>::InvalidBounds,
			),
			(PriceParams { fresh_for: 0, ..PARAMS }, Error::<Test>::InvalidFreshness),
			(
				PriceParams { max_observation_age: 0, ..PARAMS },
				Error::<Test>::InvalidObservationAge,
			),
			(
				PriceParams { max_observation_age: 11, ..PARAMS },
				Error::<Test>::InvalidObservationAge,
			),
			// A day of one-minute windows does not fit in 64 points.
			(PriceParams { average_span: 86_400, ..PARAMS }, Error::<Test>::InvalidSpan),
		] {
			assert_noop!(TftPrice::set_params(gov(), params), error);
		}
		run_to(25);
		let discarded = submission(1, 40);
		assert_ok!(submit_signed(discarded.clone(), "Feeder1"));
		// Windows of 4 blocks from block 25: it opens window 3 (after window 2, the open one,
		// whose prices are discarded); window 4 starts at block 29.
		let params =
			PriceParams { window_blocks: 4, max_observation_age: 4, average_span: 1_200, ..PARAMS };
		assert_ok!(TftPrice::set_params(gov(), params));
		assert_eq!(events().last(), Some(&Event::ParamsSet { params, discarded: 1 }));
		assert_eq!(
			OpenWindow::<Test>::get(),
			WindowRoundOf::<Test> { window: 3, start: 25, prices: Default::default() }
		);
		// The discarded price, signed and public, cannot be replayed: its window is gone.
		assert_eq!(
			pool(&discarded, "Feeder1"),
			Err(frame::deps::sp_runtime::transaction_validity::InvalidTransaction::Stale.into())
		);
		assert_ok!(submit(1, 41));
		assert_ok!(submit(2, 43));
		run_to(28);
		assert_eq!(OpenWindow::<Test>::get().window, 3);
		run_to(29);
		assert!(matches!(
			events().last(),
			Some(Event::WindowPriceSet { window: 3, price: MusdPerTft(42), .. })
		));
		assert_eq!(OpenWindow::<Test>::get().start, 29);
	});
}

#[test]
fn an_emergency_price_is_the_price_and_the_average_at_once() {
	test(|| {
		assert_noop!(TftPrice::force_price(gov(), MusdPerTft(0)), Error::<Test>::PriceOutOfRange);
		window_with(&[40, 40]);
		window_with(&[400, 400]);
		window_with(&[400, 400]);
		assert_eq!(TftPrice::price_history().len(), 3);
		assert_ok!(TftPrice::force_price(gov(), MusdPerTft(45)));
		assert_eq!(events().last(), Some(&Event::EmergencyPriceSet { price: MusdPerTft(45) }));
		let now = Timestamp::get() / 1_000;
		assert_eq!(TftPrice::price_history(), vec![PricePoint::first(now, MusdPerTft(45))]);
		assert_eq!(
			state(),
			PriceState {
				last_price: Some(MusdPerTft(45)),
				last_window: None,
				fed_at: now,
				average: Some(MusdPerTft(45)),
			}
		);
		// Feeders take over from it.
		window_with(&[50, 50]);
		assert_eq!(state().last_price, Some(MusdPerTft(50)));
	});
}

#[test]
fn no_emergency_price_while_the_oracle_is_off() {
	ext_with(None, None).execute_with(|| {
		assert_noop!(TftPrice::force_price(gov(), MusdPerTft(45)), Error::<Test>::NotConfigured);
	});
}
