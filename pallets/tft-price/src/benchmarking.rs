//! Benchmarks of every call and of the window close at their worst cases: the most feeders
//! (the duplicate check and the median scan them), a full open window, and a price curve with
//! the most points to prune or remove. Submissions are signed by a real key of the runtime.

// Benchmarks set up state with `expect`s and plain arithmetic: they are not the runtime.
#![allow(
	clippy::arithmetic_side_effects,
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing
)]

use super::*;
use frame::{
	benchmarking::prelude::*,
	deps::{frame_support::traits::Authorize, sp_runtime::transaction_validity::TransactionSource},
};
use grid_primitives::benchmarking::{BenchmarkSigner, BenchmarkTime};
use grid_primitives::money::MusdPerTft;

const NOW: u64 = 1_800_000_000;

/// Production parameters with a one-hour span (every runtime's ring holds that).
fn params(quorum: u32) -> PriceParams {
	PriceParams { quorum, average_span: 3_600, ..PriceParams::production(1) }
}

/// The `i`-th price: inside the accepted range of every runtime (10 mUSD and up).
fn price(i: u32) -> MusdPerTft {
	MusdPerTft(10 + i)
}

/// `MaxFeeders` feeders (the benchmark key among them unless `without_key`); returns the others.
fn feeders<R: Config>(without_key: bool) -> alloc::vec::Vec<R::AccountId> {
	let key = R::BenchmarkHelper::key();
	let mut all: alloc::vec::Vec<R::AccountId> = (0..R::MaxFeeders::get().saturating_sub(1))
		.map(|i| account("feeder", i, 0))
		.collect();
	let others = all.clone();
	if !without_key {
		all.push(key);
	}
	all.sort();
	Feeders::<R>::put(FeedersOf::<R>::truncate_from(all));
	others
}

/// The open window of block `n` with `count` of `others`' prices in it.
fn open_window<R: Config>(n: u32, others: &[R::AccountId], count: u32) {
	let window = Pallet::<R>::window_at(n).expect("set");
	let prices = others
		.iter()
		.take(count as usize)
		.enumerate()
		.map(|(i, f)| (f.clone(), price(i as u32)));
	let prices = BoundedVec::truncate_from(prices.collect::<alloc::vec::Vec<_>>());
	let start = n - n % Params::<R>::get().expect("set").window_blocks;
	OpenWindow::<R>::put(WindowRoundOf::<R> { window, start, prices });
}

/// A curve of `points` points, one per minute, ending a day before [`NOW`].
fn curve<R: Config>(points: u32) {
	let cap = R::MaxHistory::get();
	let start = NOW - 86_400 - u64::from(points) * 60;
	let mut ring = Ring::default();
	let mut last: Option<PricePoint> = None;
	for i in 0..points {
		let at = start + u64::from(i) * 60;
		let point = match last {
			Some(p) => p.then(at, price(i)),
			None => PricePoint::first(at, price(i)),
		};
		History::<R>::insert(ring.push(cap).expect("points ≤ MaxHistory"), point);
		last = Some(point);
	}
	HistoryBounds::<R>::put(ring);
	// Fed before: a close appends to the curve (the first ever would restart it).
	State::<R>::mutate(|s| {
		s.average = last.map(|p| p.price);
		s.fed_at = start;
	});
}

/// The benchmark key's signed submission for block `n`'s window.
fn signed<R: Config>(n: u32) -> (SubmissionOf<R>, R::Signature) {
	let feeder = R::BenchmarkHelper::key();
	let window = Pallet::<R>::window_at(n).expect("set");
	let submission = PriceSubmission { feeder, window, price: price(7), observed_at: n - 1 };
	let signature =
		R::BenchmarkHelper::sign(&submission.feeder, &Pallet::<R>::signing_payload(&submission));
	(submission, signature)
}

fn setup<R: Config>(n: u32) -> alloc::vec::Vec<R::AccountId> {
	R::BenchmarkHelper::set_unix_time(NOW);
	frame_system::Pallet::<R>::set_block_number(n.into());
	Params::<R>::put(params(1));
	feeders::<R>(false)
}

#[benchmarks]
mod benches {
	use super::*;

	#[benchmark]
	fn authorize_submit_price() {
		let others = setup::<T>(105);
		open_window::<T>(105, &others, others.len() as u32);
		let (submission, signature) = signed::<T>(105);
		let call = Call::<T>::submit_price { submission, signature };
		#[block]
		{
			call.authorize(TransactionSource::External).expect("authorizes").expect("valid");
		}
	}

	#[benchmark]
	fn submit_price() {
		let others = setup::<T>(105);
		open_window::<T>(105, &others, others.len() as u32);
		let (submission, signature) = signed::<T>(105);
		#[extrinsic_call]
		_(RawOrigin::Authorized, submission, signature);
		assert_eq!(OpenWindow::<T>::get().prices.len() as u32, T::MaxFeeders::get());
	}

	#[benchmark]
	fn block_without_close() {
		let others = setup::<T>(105);
		open_window::<T>(105, &others, 1);
		#[block]
		{
			Pallet::<T>::on_block(106);
		}
		assert_eq!(OpenWindow::<T>::get().prices.len(), 1);
	}

	/// Closes a window of `s` prices (quorum 1: a median) while `p` points expire.
	#[benchmark]
	fn close_window(
		s: Linear<1, { T::MaxFeeders::get() }>,
		p: Linear<0, { T::MaxHistory::get() - 2 }>,
	) {
		let mut others = setup::<T>(100);
		others.push(T::BenchmarkHelper::key());
		open_window::<T>(99, &others, s);
		curve::<T>(p + 1);
		#[block]
		{
			Pallet::<T>::on_block(100);
		}
		assert_eq!(HistoryBounds::<T>::get().len, 2);
		assert!(State::<T>::get().last_window.is_some());
	}

	#[benchmark]
	fn add_feeder() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		setup::<T>(1);
		feeders::<T>(true);
		let new: T::AccountId = account("new", 0, 0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, new.clone());
		assert!(Feeders::<T>::get().contains(&new));
		Ok(())
	}

	#[benchmark]
	fn remove_feeder() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let others = setup::<T>(105);
		open_window::<T>(105, &others, others.len() as u32);
		let gone = others.last().cloned().expect("MaxFeeders > 1");
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, gone.clone());
		assert!(!Feeders::<T>::get().contains(&gone));
		Ok(())
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let others = setup::<T>(105);
		open_window::<T>(105, &others, others.len() as u32);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params(2));
		assert!(OpenWindow::<T>::get().prices.is_empty());
		Ok(())
	}

	#[benchmark]
	fn force_price(p: Linear<0, { T::MaxHistory::get() }>) -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		setup::<T>(1);
		curve::<T>(p);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, price(3));
		assert_eq!(HistoryBounds::<T>::get().len, 1);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
