//! Random feeding (proptest): submissions from feeders and strangers, blocks, chain stalls,
//! feeders added and removed, quorum changes and emergency prices. After every step the
//! invariants hold and a refused step changed nothing; at every window close the price is the
//! median a plain model computes and the average equals a brute-force time-weighted average of
//! the model's price steps (same rounding), so the ring, its pruning and its bound never
//! change the answer.

use super::*;
use proptest::{prelude::*, strategy::ValueTree};

#[derive(Clone, Debug)]
enum Op {
	/// Account `who` (1–3 genesis feeders, 4–5 not yet) submits `price`.
	Submit {
		who: u8,
		price: u32,
	},
	/// `blocks` blocks pass.
	Blocks {
		blocks: u64,
	},
	/// The chain stalls `secs` seconds.
	Stall {
		secs: u64,
	},
	AddFeeder {
		who: u8,
	},
	RemoveFeeder {
		who: u8,
	},
	Quorum {
		quorum: u32,
	},
	Force {
		price: u32,
	},
}

fn op() -> impl Strategy<Value = Op> {
	prop_oneof![
		30 => (1u8..=5, prop_oneof![9 => 30u32..60, 1 => 1u32..3_000])
			.prop_map(|(who, price)| Op::Submit { who, price }),
		15 => (1u64..12).prop_map(|blocks| Op::Blocks { blocks }),
		1 => (0u64..4_000).prop_map(|secs| Op::Stall { secs }),
		1 => (4u8..=5).prop_map(|who| Op::AddFeeder { who }),
		1 => (1u8..=5).prop_map(|who| Op::RemoveFeeder { who }),
		1 => (1u32..=3).prop_map(|quorum| Op::Quorum { quorum }),
		1 => (1u32..2_000).prop_map(|price| Op::Force { price }),
	]
}

/// The price steps `(from, price)` the chain has seen, and the ring bound they live under.
#[derive(Default)]
struct Model {
	steps: Vec<(u64, u32)>,
	open: Vec<(AccountId, u32)>,
	/// The average at the last close, once feeders (or governance) set a price: a window's
	/// median moves at most the bound from it.
	trusted_average: Option<u32>,
}

impl Model {
	/// The time-weighted average over `[now − span, now]`, from the last `MAX_HISTORY` steps
	/// (older ones left the ring), second by second in spirit: Σ price·overlap / length.
	fn average(&self, now: u64, span: u64) -> Option<u32> {
		let kept = &self.steps[self.steps.len().saturating_sub(MAX_HISTORY as usize)..];
		let first = kept.first()?;
		let start = now.saturating_sub(span).max(first.0);
		if now <= start {
			return kept.last().map(|s| s.1);
		}
		let mut area: u128 = 0;
		for (i, (from, price)) in kept.iter().enumerate() {
			let until = kept.get(i + 1).map_or(now, |next| next.0);
			let overlap = until.min(now).saturating_sub((*from).max(start));
			area += u128::from(overlap) * u128::from(*price);
		}
		let length = u128::from(now - start);
		Some(((area + length / 2) / length) as u32)
	}

	fn median(&self) -> u32 {
		let mut prices: Vec<u32> = self.open.iter().map(|(_, p)| *p).collect();
		prices.sort();
		let n = prices.len();
		if n % 2 == 1 {
			prices[n / 2]
		} else {
			((u64::from(prices[n / 2 - 1]) + u64::from(prices[n / 2])) / 2) as u32
		}
	}
}

/// One block: closes a window when one ends, checking price and average against the model.
fn block(model: &mut Model, closes: &mut u32) {
	let b = System::block_number() + 1;
	System::reset_events();
	System::set_block_number(b);
	let now = Timestamp::get() / 1_000;
	TftPrice::on_initialize(b);
	let params = Params::<Test>::get().expect("configured");
	for e in events() {
		match e {
			Event::WindowPriceSet { median, price, average, .. } => {
				assert!(model.open.len() as u32 >= params.quorum);
				assert_eq!(median.0, model.median(), "median of {:?}", model.open);
				let bounded = match model.trusted_average {
					Some(avg) => {
						let step = MaxMove::get().mul_ceil(avg).max(1);
						median.0.clamp(avg.saturating_sub(step).max(1), avg + step)
					},
					None => median.0,
				};
				assert_eq!(price.0, bounded, "moved at most the bound from the average");
				model.steps.push((now, price.0));
				assert_eq!(Some(average.0), model.average(now, params.average_span));
				model.trusted_average = Some(average.0);
				*closes += 1;
			},
			Event::NoQuorum { average, submissions, .. } => {
				assert_eq!(submissions, model.open.len() as u32);
				assert!(submissions < params.quorum);
				assert_eq!(average.map(|a| a.0), model.average(now, params.average_span));
				if model.trusted_average.is_some() {
					model.trusted_average = average.map(|a| a.0);
				}
			},
			_ => {},
		}
	}
	if OpenWindow::<Test>::get().prices.is_empty() {
		model.open.clear();
	}
	Timestamp::set_timestamp(Timestamp::get() + BLOCK_SECS * 1_000);
}

/// Runs `op`; a refusal must leave storage as it was.
fn apply(op: &Op, model: &mut Model, closes: &mut u32) {
	let root = sp_io::storage::root(StateVersion::V1);
	let governance = |result: DispatchResult| {
		if result.is_err() {
			assert_eq!(sp_io::storage::root(StateVersion::V1), root, "{op:?} refused but wrote");
		}
		result
	};
	match *op {
		Op::Submit { who, price } => {
			if submit(who, price).is_ok() {
				model.open.push((f(who), price));
			}
		},
		Op::Blocks { blocks } => (0..blocks).for_each(|_| block(model, closes)),
		Op::Stall { secs } => stall(secs),
		Op::AddFeeder { who } => {
			let _ = governance(TftPrice::add_feeder(gov(), f(who)));
		},
		Op::RemoveFeeder { who } => {
			if governance(TftPrice::remove_feeder(gov(), f(who))).is_ok() {
				model.open.retain(|(feeder, _)| *feeder != f(who));
			}
		},
		Op::Quorum { quorum } => {
			let params = PriceParams { quorum, ..Params::<Test>::get().expect("configured") };
			if governance(TftPrice::set_params(gov(), params)).is_ok() {
				model.open.clear();
			}
		},
		Op::Force { price } => {
			let forced =
				TftPrice::force_price(gov(), MusdPerTft(price)).map(|_| ()).map_err(|e| e.error);
			if governance(forced).is_ok() {
				// The history restarts from it.
				model.steps = vec![(Timestamp::get() / 1_000, price)];
				model.trusted_average = Some(price);
			}
		},
	}
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

	#[test]
	fn random_feeding_agrees_with_a_plain_model(ops in proptest::collection::vec(op(), 1..200)) {
		let mut closes = 0;
		test(|| {
			MaxMove::set(frame::deps::sp_runtime::Percent::from_percent(10));
			let mut model = Model::default();
			for op in &ops {
				apply(op, &mut model, &mut closes);
				TftPrice::do_try_state().expect("invariants after every step");
			}
			// Force the last window closed.
			(0..10).for_each(|_| block(&mut model, &mut closes));
		});
	}
}

/// The generator reaches what the model checks: windows with quorum, a long curve, pruning,
/// stalls, emergency prices.
#[test]
fn one_long_run_reaches_every_case() {
	let mut runner = proptest::test_runner::TestRunner::deterministic();
	let ops = proptest::collection::vec(op(), 400..401)
		.new_tree(&mut runner)
		.unwrap()
		.current();
	let (mut closes, mut longest, mut pruned) = (0, 0, false);
	test(|| {
		let mut model = Model::default();
		for op in &ops {
			apply(op, &mut model, &mut closes);
			TftPrice::do_try_state().expect("invariants");
			let kept = HistoryBounds::<Test>::get().len;
			longest = longest.max(kept);
			pruned |= kept < model.steps.len() as u32;
		}
	});
	assert!(longest >= 10 && pruned, "a long curve ({longest} points), pruned: {pruned}");
	assert!(closes >= 10, "windows with quorum: {closes}");
	assert!(ops.iter().any(|o| matches!(o, Op::Force { .. })));
	assert!(ops.iter().any(|o| matches!(o, Op::Stall { secs } if *secs > 3_600)));
}
