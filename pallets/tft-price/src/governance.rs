//! Governance: feeders, parameters and the emergency price.

use crate::{pallet::*, types::*, Config};
use frame::prelude::*;
use grid_primitives::money::MusdPerTft;

impl<T: Config> From<ParamsError> for Error<T> {
	fn from(e: ParamsError) -> Self {
		match e {
			ParamsError::Window => Error::InvalidWindow,
			ParamsError::Quorum => Error::InvalidQuorum,
			ParamsError::Span => Error::InvalidSpan,
			ParamsError::Bounds => Error::InvalidBounds,
			ParamsError::ObservationAge => Error::InvalidObservationAge,
			ParamsError::Freshness => Error::InvalidFreshness,
		}
	}
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_add_feeder(feeder: T::AccountId) -> DispatchResult {
		let mut feeders = Feeders::<T>::get();
		let at = feeders.binary_search(&feeder).err().ok_or(Error::<T>::AlreadyFeeder)?;
		feeders.try_insert(at, feeder.clone()).map_err(|_| Error::<T>::TooManyFeeders)?;
		Feeders::<T>::put(feeders);
		Self::deposit_event(Event::FeederAdded { feeder });
		Ok(())
	}

	pub(crate) fn do_remove_feeder(feeder: T::AccountId) -> DispatchResult {
		let mut feeders = Feeders::<T>::get();
		let at = feeders.binary_search(&feeder).map_err(|_| Error::<T>::NotFeeder)?;
		if let Some(params) = Params::<T>::get() {
			ensure!(feeders.len() as u32 > params.quorum, Error::<T>::QuorumUnreachable);
		}
		feeders.remove(at);
		Feeders::<T>::put(feeders);
		let mut open = OpenWindow::<T>::get();
		let dropped = open.prices.iter().position(|(f, _)| *f == feeder);
		let dropped = dropped.map(|i| open.prices.remove(i).1);
		if dropped.is_some() {
			OpenWindow::<T>::put(open);
		}
		Self::deposit_event(Event::FeederRemoved { feeder, dropped });
		Ok(())
	}

	pub(crate) fn do_set_params(params: PriceParams) -> DispatchResult {
		Self::check_params(&params).map_err(Error::<T>::from)?;
		Params::<T>::put(params);
		// A new window opens now under the new length; its number follows the open one's, so
		// no signed price of an earlier window can be replayed into it.
		let n = Self::block_u32(frame_system::Pallet::<T>::block_number());
		let open = OpenWindow::<T>::get();
		let discarded = open.prices.len() as u32;
		OpenWindow::<T>::put(WindowRoundOf::<T>::opening(open.window.saturating_add(1), n));
		Self::deposit_event(Event::ParamsSet { params, discarded });
		Ok(())
	}

	/// Returns the history points removed.
	pub(crate) fn do_force_price(price: MusdPerTft) -> Result<u32, DispatchError> {
		ensure!(Params::<T>::get().is_some(), Error::<T>::NotConfigured);
		ensure!(Self::is_accepted(price), Error::<T>::PriceOutOfRange);
		let now = Self::now_secs();
		let removed = Self::reset_to(price, now);
		State::<T>::mutate(|s| {
			s.last_window = None;
			s.fed_at = now;
		});
		Self::deposit_event(Event::EmergencyPriceSet { price });
		Ok(removed)
	}
}
