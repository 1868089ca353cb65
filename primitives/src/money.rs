//! Money: US dollars in thousandths (mUSD), TFT in planck, and the TFT price between them.
//!
//! Prices and rewards are set in USD and paid in TFT. Every conversion goes through
//! [`MusdPerTft`], which says which way it rounds, so a pallet never divides by a bare integer.

use crate::{tft, Balance};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// An amount of US dollars in thousandths: `Musd(1_000)` is one dollar.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct Musd(pub u64);

/// The price of one TFT in mUSD: `MusdPerTft(80)` is $0.08 per TFT. Zero is not a price: the
/// conversions return `None` for it, and pallets refuse it as input.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct MusdPerTft(pub u32);

impl MusdPerTft {
	/// `Some` for a usable (non-zero) price.
	pub fn new(musd: u32) -> Option<Self> {
		(musd > 0).then_some(Self(musd))
	}

	/// TFT (in planck) worth `amount` at this price, rounded down: what the chain pays out
	/// for a USD amount never exceeds it.
	pub fn planck_for_floor(self, amount: Musd) -> Option<Balance> {
		let (value, price) = self.scaled(amount)?;
		Some(value / price)
	}

	/// TFT (in planck) worth `amount` at this price, rounded up: what a payer is charged for a
	/// USD amount is never less than it.
	pub fn planck_for_ceil(self, amount: Musd) -> Option<Balance> {
		let (value, price) = self.scaled(amount)?;
		Some(value.div_ceil(price))
	}

	/// `amount · UNIT` and the price, both as `u128` (no overflow: 2^64 · 10^7 < 2^128).
	fn scaled(self, amount: Musd) -> Option<(u128, u128)> {
		let price = u128::from(Self::new(self.0)?.0);
		Some((u128::from(amount.0) * tft::UNIT, price))
	}
}

/// The TFT price billing converts USD amounts with, as the price oracle quotes it.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct PriceQuote {
	/// The time-weighted average price, clamped to governance's minimum and maximum.
	pub price: MusdPerTft,
	/// Whether feeders agreed on a price recently enough to trust it (see the oracle's
	/// `fresh_for`); a stale quote still converts, but a careful caller may wait.
	pub trustworthy: bool,
}

/// The TFT/USD price oracle, as billing sees it (implemented by `pallet-tft-price`).
pub trait TftPriceOracle {
	/// The price to convert USD with now; `None` before the oracle has any price.
	fn billing_price() -> Option<PriceQuote>;
	/// The weight of one [`Self::billing_price`].
	fn billing_price_weight() -> sp_runtime::Weight;
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn converts_usd_to_planck_with_explicit_rounding() {
		let price = MusdPerTft(80);
		// $1 at $0.08 is 12.5 TFT exactly.
		assert_eq!(price.planck_for_floor(Musd(1_000)), Some(125_000_000));
		assert_eq!(price.planck_for_ceil(Musd(1_000)), Some(125_000_000));
		// 1 mUSD at $0.03 is 0.0333… TFT: floor and ceil differ by one planck.
		let price = MusdPerTft(30);
		assert_eq!(price.planck_for_floor(Musd(1)), Some(333_333));
		assert_eq!(price.planck_for_ceil(Musd(1)), Some(333_334));
		assert_eq!(price.planck_for_floor(Musd(0)), Some(0));
	}

	#[test]
	fn zero_is_not_a_price_and_extremes_do_not_overflow() {
		assert_eq!(MusdPerTft::new(0), None);
		assert_eq!(MusdPerTft(0).planck_for_floor(Musd(1)), None);
		assert_eq!(MusdPerTft(0).planck_for_ceil(Musd(1)), None);
		let most = MusdPerTft(1).planck_for_floor(Musd(u64::MAX));
		assert_eq!(most, Some(u128::from(u64::MAX) * tft::UNIT));
	}
}
