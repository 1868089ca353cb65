//! Windows and prices: median with quorum, no quorum, the time-weighted average across gaps,
//! clamping for billing, freshness and the bounded curve.

use super::*;
use grid_primitives::money::{PriceQuote, TftPriceOracle};

/// Chain time of block `n` (without stalls).
fn time_of(n: u64) -> u64 {
	T0 + BLOCK_SECS * n
}

#[test]
fn a_window_with_quorum_sets_its_median() {
	test(|| {
		run_to(2);
		// Three feeders: the median ignores one liar, however far off.
		window_with(&[40, 90_000, 42]);
		assert_eq!(System::block_number(), 10);
		let closed_at = time_of(9);
		assert_eq!(
			events().last(),
			Some(&Event::WindowPriceSet {
				window: 0,
				median: MusdPerTft(42),
				price: MusdPerTft(42),
				submissions: 3,
				average: MusdPerTft(42),
				billing_price: MusdPerTft(42),
			})
		);
		assert_eq!(
			state(),
			PriceState {
				last_price: Some(MusdPerTft(42)),
				last_window: Some(0),
				fed_at: closed_at,
				average: Some(MusdPerTft(42)),
			}
		);
		assert_eq!(TftPrice::price_history(), vec![PricePoint::first(closed_at, MusdPerTft(42))]);
		// The next window is open and empty.
		assert_eq!(
			OpenWindow::<Test>::get(),
			WindowRoundOf::<Test> { window: 1, start: 10, prices: Default::default() }
		);
		// Two feeders (the quorum): the mean of the two, rounded down.
		window_with(&[50, 61]);
		assert_eq!(state().last_price, Some(MusdPerTft(55)));
	});
}

#[test]
fn a_window_without_quorum_keeps_the_last_price_and_says_so() {
	test(|| {
		window_with(&[40, 40]);
		window_with(&[80]);
		assert_eq!(
			events().last(),
			Some(&Event::NoQuorum {
				window: 1,
				submissions: 1,
				quorum: 2,
				kept: Some(MusdPerTft(40)),
				average: Some(MusdPerTft(40)),
			})
		);
		assert_eq!(state().last_price, Some(MusdPerTft(40)));
		assert_eq!(state().last_window, Some(0));
		assert_eq!(TftPrice::price_history().len(), 1);
		// Nobody at all: the same.
		run_to(30);
		assert!(matches!(events().last(), Some(Event::NoQuorum { window: 2, submissions: 0, .. })));
	});
}

#[test]
fn the_average_weights_prices_by_time_across_gaps() {
	test(|| {
		// Window 0 closes at block 10 (time of block 9): 40 from then on.
		window_with(&[40, 40]);
		let t0 = time_of(9);
		// Window 1 closes at block 20 with 80: 40 held for 60 s.
		window_with(&[80, 80]);
		assert_eq!(state().average, Some(MusdPerTft(40)));
		// Three windows without quorum: 80 carries on for 180 s: (40·60 + 80·180)/240 = 70.
		run_to(50);
		assert_eq!(state().average, Some(MusdPerTft(70)));
		// The chain stalls 20 minutes, then window 5 closes with 10 (at block 60, 54 s after
		// the stall): 80 held through the gap, from t0 + 60 to the close at t0 + 1_500:
		// (40·60 + 80·1_440) / 1_500 = 78.4, rounded half up to 78.
		stall(1_200);
		window_with(&[10, 10]);
		assert_eq!(TftPrice::price_history().last().map(|p| p.at), Some(t0 + 1_500));
		assert_eq!(state().last_price, Some(MusdPerTft(10)));
		assert_eq!(state().average, Some(MusdPerTft(78)));
	});
}

#[test]
fn the_average_covers_only_its_span() {
	test(|| {
		window_with(&[40, 40]);
		window_with(&[80, 80]);
		// An hour of 80 after one minute of 40: the span (3_600 s) no longer reaches the 40.
		run_to(20 + 600);
		assert_eq!(state().average, Some(MusdPerTft(80)));
		// The point of 40 was pruned: it no longer holds anywhere in the span.
		assert_eq!(TftPrice::price_history().len(), 1);
	});
}

#[test]
fn the_curve_keeps_what_the_span_needs() {
	test(|| {
		for i in 0..(MAX_HISTORY + 4) {
			window_with(&[40 + i, 40 + i]);
		}
		// Windows every 60 s, a one-hour span: 61 points hold in it (the oldest from before
		// the span's start), the 7 older ones were pruned.
		let points = TftPrice::price_history();
		assert_eq!(points.len(), 61);
		assert_eq!(points.last().map(|p| p.price), Some(MusdPerTft(40 + MAX_HISTORY + 3)));
		assert_eq!(points.first().map(|p| p.price), Some(MusdPerTft(47)));
		assert_eq!(History::<Test>::iter().count(), 61);
	});
}

#[test]
fn should_the_ring_fill_anyway_the_oldest_point_goes() {
	test(|| {
		// Parameters `set_params` refuses (a day of one-minute windows in 64 points), written
		// directly: the ring stays bounded and consistent.
		Params::<Test>::put(PriceParams { average_span: 86_400, ..PARAMS });
		for i in 0..(MAX_HISTORY + 4) {
			window_with(&[40 + i, 40 + i]);
		}
		let points = TftPrice::price_history();
		assert_eq!(points.len() as u32, MAX_HISTORY);
		assert_eq!(points.first().map(|p| p.price), Some(MusdPerTft(44)));
		assert_eq!(History::<Test>::iter().count() as u32, MAX_HISTORY);
		Params::<Test>::put(PARAMS);
	});
}

#[test]
fn a_long_stall_prunes_the_whole_curve_but_the_last_point() {
	test(|| {
		for price in [40, 50, 60, 70] {
			window_with(&[price, price]);
		}
		stall(10 * 3_600);
		window_with(&[80, 80]);
		// Only 70 held during the last hour (80 starts at the close): 40, 50 and 60 are pruned.
		let points = TftPrice::price_history();
		assert_eq!(points.iter().map(|p| p.price.0).collect::<Vec<_>>(), vec![70, 80]);
		assert_eq!(state().average, Some(MusdPerTft(70)));
	});
}

#[test]
fn billing_gets_the_average_clamped_and_told_whether_to_trust_it() {
	test(|| {
		assert_eq!(TftPrice::billing_price(), None);
		// Above the maximum (1_000 mUSD): billing uses 1_000, the event says both.
		window_with(&[5_000, 5_000]);
		assert!(matches!(
			events().last(),
			Some(Event::WindowPriceSet {
				average: MusdPerTft(5_000),
				billing_price: MusdPerTft(1_000),
				..
			})
		));
		assert_eq!(
			TftPrice::billing_price(),
			Some(PriceQuote { price: MusdPerTft(1_000), trustworthy: true })
		);
		// Below the minimum (10 mUSD) after governance resets it.
		assert_ok!(TftPrice::force_price(gov(), MusdPerTft(3)));
		assert_eq!(TftPrice::billing_price().map(|q| q.price), Some(MusdPerTft(10)));
		// Ten minutes (`fresh_for`) without quorum: still trusted; one more window: not.
		run_to(System::block_number() + 100);
		assert_eq!(TftPrice::billing_price().map(|q| q.trustworthy), Some(true));
		run_to(System::block_number() + 10);
		assert_eq!(
			TftPrice::billing_price(),
			Some(PriceQuote { price: MusdPerTft(10), trustworthy: false })
		);
		let info = TftPrice::price_info();
		assert_eq!((info.billing_price, info.trustworthy), (Some(MusdPerTft(10)), false));
	});
}

#[test]
fn a_genesis_price_is_used_but_not_trusted_until_feeders_agree() {
	ext_with(Some(PARAMS), Some(MusdPerTft(50))).execute_with(|| {
		assert_eq!(
			TftPrice::billing_price(),
			Some(PriceQuote { price: MusdPerTft(50), trustworthy: false })
		);
		// The first price feeders agree on replaces it outright: what billing trusts is theirs.
		window_with(&[60, 60]);
		assert_eq!(
			TftPrice::billing_price(),
			Some(PriceQuote { price: MusdPerTft(60), trustworthy: true })
		);
		assert_eq!(TftPrice::price_history().len(), 1);
		window_with(&[70, 70]);
		assert_eq!(state().average, Some(MusdPerTft(60)), "70 has held for 0 s");
		TftPrice::do_try_state().unwrap();
	});
}

/// Item 9 of issue 21: with three feeders and a quorum of two, one feeder submitting $100 for
/// 30 windows while another is silent moves the billing price by no more than the bound.
#[test]
fn a_lying_feeder_with_a_silent_one_cannot_drag_the_price() {
	test(|| {
		MaxMove::set(frame::deps::sp_runtime::Percent::from_percent(10));
		// An hour of honest windows at $0.08.
		for _ in 0..36 {
			window_with(&[80, 80, 80]);
		}
		assert_eq!(state().average, Some(MusdPerTft(80)));
		// Feeder 3 is silent; feeder 2 says $100 (the most accepted): each median is $50.04.
		for _ in 0..30 {
			window_with(&[80, MAX_ACCEPTED]);
			let Some(Event::WindowPriceSet { median, price, .. }) = events().last().cloned() else {
				panic!("a window with quorum")
			};
			assert_eq!(median, MusdPerTft((80 + MAX_ACCEPTED) / 2));
			assert!(price.0 <= 96, "a window moves at most 10 % of the average: {price:?}");
		}
		let billing = TftPrice::billing_price().unwrap().price;
		assert!(billing.0 <= 88, "within 10 % of $0.08: {billing:?}");
		// Submissions outrank ordinary transactions in the pool.
		let s = submission(1, 80);
		let call =
			Call::<Test>::submit_price { submission: s.clone(), signature: sign("Feeder1", &s) };
		let (valid, _) = call.authorize(TransactionSource::External).unwrap().unwrap();
		assert!(valid.priority >= TransactionPriority::MAX / 2);
	});
}
