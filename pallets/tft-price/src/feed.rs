//! Feeding: checking and recording submissions, closing windows into prices, and the price
//! curve with its time-weighted average.

use crate::{pallet::*, types::*, weights::WeightInfo, Config};
use frame::traits::Zero;
use frame::{
	deps::sp_runtime::transaction_validity::{
		InvalidTransaction, TransactionValidityError, TransactionValidityWithRefund,
		ValidTransaction,
	},
	prelude::*,
	traits::{UnixTime, Verify},
};
use grid_primitives::money::MusdPerTft;

/// Why a submission is refused (in the pool and in a block alike).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SubmissionError {
	/// The oracle has no parameters (it is off).
	NotConfigured,
	/// The submitter is not a feeder.
	NotFeeder,
	/// The price is outside [`Config::MinAcceptedPrice`]…[`Config::MaxAcceptedPrice`].
	OutOfRange,
	/// The submission is not for the window of the current block.
	WrongWindow,
	/// The observation is older than `max_observation_age` blocks, or in the future.
	StaleObservation,
	/// The feeder has submitted a price in this window already.
	AlreadySubmitted,
	/// The signature does not verify against the feeder's account.
	BadSignature,
}

impl SubmissionError {
	/// The pool's reason: a bad signature is a bad proof, another window or an old observation
	/// is stale; the others are custom codes 1 (oracle off), 2 (not a feeder), 3 (price out of
	/// range), 4 (already submitted in this window).
	pub fn validity(self) -> TransactionValidityError {
		let code = match self {
			Self::BadSignature => return InvalidTransaction::BadProof.into(),
			Self::WrongWindow | Self::StaleObservation => return InvalidTransaction::Stale.into(),
			Self::NotConfigured => 1,
			Self::NotFeeder => 2,
			Self::OutOfRange => 3,
			Self::AlreadySubmitted => 4,
		};
		InvalidTransaction::Custom(code).into()
	}
}

impl<T: Config> From<SubmissionError> for Error<T> {
	fn from(e: SubmissionError) -> Self {
		match e {
			SubmissionError::NotConfigured => Error::NotConfigured,
			SubmissionError::NotFeeder => Error::NotFeeder,
			SubmissionError::OutOfRange => Error::PriceOutOfRange,
			SubmissionError::WrongWindow => Error::WrongWindow,
			SubmissionError::StaleObservation => Error::StaleObservation,
			SubmissionError::AlreadySubmitted => Error::AlreadySubmitted,
			SubmissionError::BadSignature => Error::BadSignature,
		}
	}
}

impl<T: Config> Pallet<T> {
	pub(crate) fn now_secs() -> u64 {
		T::TimeProvider::now().as_secs()
	}

	pub(crate) fn block_u32(n: BlockNumberFor<T>) -> u32 {
		n.unique_saturated_into()
	}

	fn current_block() -> u32 {
		Self::block_u32(frame_system::Pallet::<T>::block_number())
	}

	/// What a feeder signs for `s` on this chain ([`PriceSubmission::signing_payload`]).
	pub fn signing_payload(s: &SubmissionOf<T>) -> alloc::vec::Vec<u8> {
		s.signing_payload(&frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero()))
	}

	/// The window block `n` is in (`None` while the oracle is off).
	pub fn window_at(n: u32) -> Option<WindowIndex> {
		let params = Params::<T>::get()?;
		Some(OpenWindow::<T>::get().window_at(params.window_blocks, n).0)
	}

	/// Checks parameters against the feeders there are and the runtime's bounds.
	pub(crate) fn check_params(params: &PriceParams) -> Result<(), ParamsError> {
		params.check(&Limits {
			feeders: Feeders::<T>::decode_len().unwrap_or_default() as u32,
			accepted: Self::accepted_range(),
			max_points: T::MaxHistory::get(),
			block_secs: T::BlockTime::get(),
		})
	}

	/// The hard sanity bounds of a submitted price, mUSD.
	pub(crate) fn accepted_range() -> (u32, u32) {
		(T::MinAcceptedPrice::get(), T::MaxAcceptedPrice::get())
	}

	pub(crate) fn is_accepted(price: MusdPerTft) -> bool {
		let (lo, hi) = Self::accepted_range();
		(lo..=hi).contains(&price.0)
	}

	/// Every check of a submission against the current block; verifies the signature when
	/// given one. The pool and the block run it with the signature (`authorize`), the call
	/// itself without (its authorized origin proves that check passed on the same state).
	/// Returns the parameters and the open window's record.
	pub(crate) fn check_submission(
		s: &SubmissionOf<T>,
		signature: Option<&T::Signature>,
	) -> Result<(PriceParams, WindowRoundOf<T>), SubmissionError> {
		let params = Params::<T>::get().ok_or(SubmissionError::NotConfigured)?;
		ensure!(Feeders::<T>::get().binary_search(&s.feeder).is_ok(), SubmissionError::NotFeeder);
		ensure!(Self::is_accepted(s.price), SubmissionError::OutOfRange);
		let n = Self::current_block();
		let open = OpenWindow::<T>::get();
		ensure!(
			s.window == open.window_at(params.window_blocks, n).0,
			SubmissionError::WrongWindow
		);
		let age = n.checked_sub(s.observed_at).ok_or(SubmissionError::StaleObservation)?;
		ensure!(age <= params.max_observation_age, SubmissionError::StaleObservation);
		// In the pool the block's `on_initialize` has not run: a record of an older window is
		// about to be closed, so nobody has submitted to this one yet.
		let submitted = open.window == s.window && open.prices.iter().any(|(f, _)| *f == s.feeder);
		ensure!(!submitted, SubmissionError::AlreadySubmitted);
		if signature.is_some_and(|sig| !sig.verify(&Self::signing_payload(s)[..], &s.feeder)) {
			return Err(SubmissionError::BadSignature);
		}
		Ok((params, open))
	}

	/// `#[pallet::authorize]` of `submit_price`: valid submissions enter the pool, one per
	/// feeder and window, and leave it when their window ends.
	pub(crate) fn authorize_submission(
		_source: TransactionSource,
		s: &SubmissionOf<T>,
		signature: &T::Signature,
	) -> TransactionValidityWithRefund {
		let (params, open) =
			Self::check_submission(s, Some(signature)).map_err(SubmissionError::validity)?;
		let n = Self::current_block();
		let (_, start) = open.window_at(params.window_blocks, n);
		let longevity = start.saturating_add(params.window_blocks).saturating_sub(n).max(1);
		// Above ordinary transactions: tipped spam cannot starve the price out of blocks.
		let valid = ValidTransaction::with_tag_prefix("TftPrice")
			.priority(TransactionPriority::MAX / 2)
			.and_provides((&s.feeder, s.window))
			.longevity(longevity.into())
			.propagate(true)
			.build()?;
		Ok((valid, Weight::zero()))
	}

	pub(crate) fn do_submit_price(s: SubmissionOf<T>) -> DispatchResult {
		let (_, mut open) = Self::check_submission(&s, None).map_err(Error::<T>::from)?;
		// `on_initialize` opened this block's window, so a passing submission is for it.
		ensure!(open.window == s.window, Error::<T>::WrongWindow);
		open.prices
			.try_push((s.feeder.clone(), s.price))
			.map_err(|_| Error::<T>::TooManyFeeders)?;
		OpenWindow::<T>::put(open);
		Self::deposit_event(Event::PriceSubmitted {
			feeder: s.feeder,
			window: s.window,
			price: s.price,
		});
		Ok(())
	}

	/// `on_initialize`: in the first block of a window, closes the previous one.
	pub(crate) fn on_block(n: u32) -> Weight {
		let Some(params) = Params::<T>::get() else {
			return T::WeightInfo::block_without_close();
		};
		let open = OpenWindow::<T>::get();
		let (window, start) = open.window_at(params.window_blocks, n);
		if window <= open.window {
			return T::WeightInfo::block_without_close();
		}
		let submissions = open.prices.len() as u32;
		let removed = Self::close_window(&params, open);
		OpenWindow::<T>::put(WindowRoundOf::<T>::opening(window, start));
		T::WeightInfo::close_window(submissions, removed)
	}

	/// Closes a window at the chain time of its last block: its median becomes the price
	/// with quorum; the average moves on either way. Returns how many points it removed.
	fn close_window(params: &PriceParams, open: WindowRoundOf<T>) -> u32 {
		let now = Self::now_secs();
		let submissions = open.prices.len() as u32;
		let mut prices: alloc::vec::Vec<_> = open.prices.into_iter().map(|(_, p)| p).collect();
		let median = (submissions >= params.quorum).then(|| median(&mut prices)).flatten();
		let mut state = State::<T>::get();
		// Bounded from the average feeders agreed on (the genesis price is replaced outright).
		let trusted_average = (state.fed_at > 0).then_some(state.average).flatten();
		let agreed = median.map(|m| bounded_move(m, trusted_average, T::MaxWindowMove::get()));
		let before = HistoryBounds::<T>::get();
		let mut ring = before;
		let mut removed = 0;
		if let Some(price) = agreed {
			// The first price feeders agree on replaces the genesis price outright: billing
			// trusts it from now on, so the average must be theirs.
			removed = removed.saturating_add(match state.fed_at {
				0 => Self::restart_history(&mut ring, price, now),
				_ => Self::append_point(&mut ring, price, now),
			});
			state.last_price = Some(price);
			state.last_window = Some(open.window);
			state.fed_at = now;
		}
		removed = removed.saturating_add(Self::prune(&mut ring, now, params.average_span));
		if ring != before {
			HistoryBounds::<T>::put(ring);
		}
		state.average = Self::average(&ring, now, params.average_span);
		State::<T>::put(state);
		match (agreed.zip(median), state.average) {
			(Some((price, median)), Some(average)) => Self::deposit_event(Event::WindowPriceSet {
				window: open.window,
				median,
				price,
				submissions,
				average,
				billing_price: params.clamp(average),
			}),
			_ => Self::deposit_event(Event::NoQuorum {
				window: open.window,
				submissions,
				quorum: params.quorum,
				kept: state.last_price,
				average: state.average,
			}),
		}
		removed
	}

	fn point(ring: &Ring, i: u32) -> Option<PricePoint> {
		(i < ring.len)
			.then(|| History::<T>::get(ring.slot(i, T::MaxHistory::get())))
			.flatten()
	}

	/// Adds `price` to the curve from `now` on; the oldest point goes when the ring is full.
	/// Returns the points removed (0 or 1).
	fn append_point(ring: &mut Ring, price: MusdPerTft, now: u64) -> u32 {
		let cap = T::MaxHistory::get();
		let point = match Self::point(ring, ring.len.saturating_sub(1)) {
			Some(last) => last.then(now, price),
			None => PricePoint::first(now, price),
		};
		let mut removed = 0;
		if ring.len >= cap {
			if let Some(slot) = ring.pop_oldest(cap) {
				History::<T>::remove(slot);
				removed = 1;
			}
		}
		if let Some(slot) = ring.push(cap) {
			History::<T>::insert(slot, point);
		}
		removed
	}

	/// Drops the points the average no longer needs: those followed by a point that starts
	/// at or before `now − span`. At most [`Config::MaxHistory`] (after a long stall).
	fn prune(ring: &mut Ring, now: u64, span: u64) -> u32 {
		let horizon = now.saturating_sub(span);
		let mut pruned = 0;
		while Self::point(ring, 1).is_some_and(|second| second.at <= horizon) {
			if let Some(slot) = ring.pop_oldest(T::MaxHistory::get()) {
				History::<T>::remove(slot);
				pruned = pruned.saturating_add(1);
			}
		}
		pruned
	}

	/// The time-weighted average over `[now − span, now]` (over the curve where it is shorter).
	fn average(ring: &Ring, now: u64, span: u64) -> Option<MusdPerTft> {
		let oldest = Self::point(ring, 0)?;
		let newest = Self::point(ring, ring.len.saturating_sub(1))?;
		Some(time_weighted_average(&oldest, &newest, now, span))
	}

	/// Replaces the curve in `ring` with one point: `price` from `now` on. Returns the points
	/// removed (the genesis point, or at most [`Config::MaxHistory`] for an emergency price).
	pub(crate) fn restart_history(ring: &mut Ring, price: MusdPerTft, now: u64) -> u32 {
		let cap = T::MaxHistory::get();
		let mut removed = 0;
		while let Some(slot) = ring.pop_oldest(cap) {
			History::<T>::remove(slot);
			removed = removed.saturating_add(1);
		}
		History::<T>::insert(0, PricePoint::first(now, price));
		*ring = Ring { first: 0, len: 1 };
		removed
	}

	/// Restarts the stored curve from `price` at `now` and makes it the average (genesis and
	/// emergency prices). Returns the points removed.
	pub(crate) fn reset_to(price: MusdPerTft, now: u64) -> u32 {
		let mut ring = HistoryBounds::<T>::get();
		let removed = Self::restart_history(&mut ring, price, now);
		HistoryBounds::<T>::put(ring);
		State::<T>::mutate(|s| {
			s.last_price = Some(price);
			s.average = Some(price);
		});
		removed
	}

	/// The price billing converts with, and whether to trust it.
	pub(crate) fn quote() -> Option<grid_primitives::money::PriceQuote> {
		Self::quote_of(&Params::<T>::get()?, &State::<T>::get())
	}

	fn quote_of(
		params: &PriceParams,
		state: &PriceState,
	) -> Option<grid_primitives::money::PriceQuote> {
		Some(grid_primitives::money::PriceQuote {
			price: params.clamp(state.average?),
			trustworthy: state.is_fresh(Self::now_secs(), params.fresh_for),
		})
	}

	pub(crate) fn info() -> PriceInfo<T::AccountId> {
		let params = Params::<T>::get();
		let state = State::<T>::get();
		let quote = params.as_ref().and_then(|p| Self::quote_of(p, &state));
		let open = OpenWindow::<T>::get();
		PriceInfo {
			params,
			state,
			billing_price: quote.map(|q| q.price),
			trustworthy: quote.is_some_and(|q| q.trustworthy),
			window: open.window,
			fed: open.prices.into_inner(),
			feeders: Feeders::<T>::get().into_inner(),
		}
	}

	pub(crate) fn history_points() -> alloc::vec::Vec<PricePoint> {
		let ring = HistoryBounds::<T>::get();
		(0..ring.len).filter_map(|i| Self::point(&ring, i)).collect()
	}
}
