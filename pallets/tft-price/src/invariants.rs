//! `try_state`: feeders sorted and enough for the quorum; the parameters valid; the open
//! window started, and holds only feeders, once each; the ring's live slots hold a curve whose time and integral never go back, and
//! no slot outside it holds a point; the last price and average are in the accepted range.

use crate::{pallet::*, Config};
use frame::{deps::sp_runtime::TryRuntimeError, prelude::*};

impl<T: Config> Pallet<T> {
	/// Checks the oracle's storage invariants (feeders, parameters, open window, price curve,
	/// state); `Err` names the first one broken. Run by `try_state` and the tests.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let feeders = Feeders::<T>::get();
		ensure!(
			feeders.windows(2).all(|w| matches!(w, [a, b] if a < b)),
			"feeders not sorted and distinct"
		);
		if let Some(params) = Params::<T>::get() {
			ensure!(Self::check_params(&params).is_ok(), "parameters invalid for the feeders");
			let n = Self::block_u32(frame_system::Pallet::<T>::block_number());
			let open = OpenWindow::<T>::get();
			ensure!(open.start <= n, "the open window starts in the future");
		}
		let open = OpenWindow::<T>::get();
		for (i, (feeder, price)) in open.prices.iter().enumerate() {
			ensure!(feeders.binary_search(feeder).is_ok(), "a non-feeder's price in the window");
			ensure!(Self::is_accepted(*price), "a price outside the accepted range");
			ensure!(
				open.prices.iter().skip(i.saturating_add(1)).all(|(other, _)| other != feeder),
				"a feeder submitted twice in a window"
			);
		}
		let cap = T::MaxHistory::get();
		let ring = HistoryBounds::<T>::get();
		ensure!(ring.len <= cap && ring.first < cap.max(1), "ring out of its bound");
		let points = Self::history_points();
		ensure!(points.len() as u32 == ring.len, "a live ring slot is empty");
		ensure!(History::<T>::iter_keys().count() as u32 == ring.len, "a dead slot holds a point");
		for pair in points.windows(2) {
			let [a, b] = pair else { continue };
			ensure!(a.at <= b.at, "the curve goes back in time");
			ensure!(
				b.cumulative == a.cumulative_at(b.at),
				"a point's integral does not follow from the previous one"
			);
		}
		let state = State::<T>::get();
		ensure!(state.last_price.is_none_or(Self::is_accepted), "last price out of range");
		ensure!(state.average.is_none_or(Self::is_accepted), "average out of range");
		ensure!(state.average.is_some() != points.is_empty(), "average without a curve");
		Ok(())
	}
}
