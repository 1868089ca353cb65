//! What other pallets see: the billing price ([`TftPriceOracle`]).

use crate::{pallet::*, Config};
use frame::prelude::*;
use grid_primitives::money::{PriceQuote, TftPriceOracle};

impl<T: Config> TftPriceOracle for Pallet<T> {
	fn billing_price() -> Option<PriceQuote> {
		Self::quote()
	}

	/// Parameters and state (the clock is read by every block's timestamp already).
	fn billing_price_weight() -> Weight {
		T::DbWeight::get().reads(2)
	}
}
