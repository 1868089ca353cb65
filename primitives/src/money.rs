//! Money: US dollars, TFT in planck, and the one conversion between them.
//!
//! Prices and rewards are set in USD and paid in TFT. Three USD types, one per use:
//! - [`Musd`], thousandths of a dollar: rates and fees people set (farming policy rates, a
//!   node's monthly extra fee) and the TFT price ([`MusdPerTft`]);
//! - [`MicroUsd`], millionths: billing's prices (a gateway name costs a fraction of a mUSD an
//!   hour);
//! - [`Usd`], an exact amount: what a contract cost or a reward is worth, before it becomes
//!   TFT. Its unit is fine enough that every price × quantity × seconds (or bytes) of billing is a
//!   whole number of units, so nothing is rounded before the conversion.
//!
//! [`MusdPerTft::to_planck`] is the only USD → TFT conversion; its caller says which way it
//! rounds ([`Rounding`]): down for what the chain pays out, up for what a payer is charged.
//! One declared [`GB`] and one declared [`MONTH`] serve billing and minting alike.

use crate::{tft, Balance};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::{helpers_128bit::multiply_by_rational_with_rounding, Percent};

/// One gigabyte of traffic, for prices and rewards per GB: 10⁹ bytes (decimal, as network
/// traffic is counted), the same for billing and minting.
pub const GB: u64 = 1_000_000_000;
/// One hour, seconds.
pub const HOUR: u64 = 3_600;
/// One month, seconds: 30 days. Monthly fees and "per month" quotes use it (minting's reward
/// periods are the chain's parameters, not months).
pub const MONTH: u64 = 30 * 24 * HOUR;

/// Which way a conversion rounds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Rounding {
	/// Toward zero: what the chain pays out never exceeds the USD amount.
	Down,
	/// Away from zero: what a payer is charged is never less than the USD amount.
	Up,
}

impl Rounding {
	fn arithmetic(self) -> sp_runtime::Rounding {
		match self {
			Rounding::Down => sp_runtime::Rounding::Down,
			Rounding::Up => sp_runtime::Rounding::Up,
		}
	}
}

/// `a · b / c` rounded as asked, with a 256-bit intermediate; `None` for `c = 0` or a result
/// beyond `u128`.
pub fn mul_div(a: u128, b: u128, c: u128, rounding: Rounding) -> Option<u128> {
	if c == 0 {
		return None;
	}
	multiply_by_rational_with_rounding(a, b, c, rounding.arithmetic())
}

macro_rules! money_type {
	($(#[$doc:meta])* $name:ident($inner:ty)) => {
		$(#[$doc])*
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
		pub struct $name(pub $inner);
	};
}

money_type! {
	/// US dollars in thousandths: `Musd(1_000)` is one dollar.
	Musd(u64)
}

money_type! {
	/// US dollars in millionths: `MicroUsd(1_000_000)` is one dollar (1,000 per mUSD).
	MicroUsd(u64)
}

money_type! {
	/// An exact amount of US dollars in units of 1/[`Usd::PER_DOLLAR`] of a dollar.
	Usd(u128)
}

const _: () = assert!(
	Usd::PER_MICRO_USD.is_multiple_of(HOUR as u128 * 1_000_000)
		&& Usd::PER_MUSD.is_multiple_of(MONTH as u128)
		&& Usd::PER_MICRO_USD.is_multiple_of(GB as u128)
);

impl Usd {
	/// A month of seconds times 10¹²: an hourly price in µUSD times seconds, a monthly fee in
	/// mUSD times seconds, a per-GB price in µUSD times bytes, and any of them times millionths
	/// of a cloud unit, are all whole numbers of units. One unit is 3.9 · 10⁻¹⁹ USD; a `u128`
	/// holds 1.3 · 10²⁰ USD.
	pub const PER_DOLLAR: u128 = MONTH as u128 * 1_000_000_000_000;
	const PER_MUSD: u128 = Self::PER_DOLLAR / 1_000;
	const PER_MICRO_USD: u128 = Self::PER_DOLLAR / 1_000_000;
	// Units per second of a µUSD-per-hour price (720,000,000), per millionth of that, per second
	// of a mUSD-per-month fee and per byte of a µUSD-per-GB price: each division is exact
	// (checked at compile time below), so these prices lose nothing.
	const PER_MICRO_USD_HOUR: u128 = Self::PER_MICRO_USD / HOUR as u128;
	const PER_MICRO_USD_HOUR_MILLIONTH: u128 = Self::PER_MICRO_USD_HOUR / 1_000_000;
	const PER_MUSD_MONTH: u128 = Self::PER_MUSD / MONTH as u128;
	const PER_MICRO_USD_GB: u128 = Self::PER_MICRO_USD / GB as u128;

	/// Nothing.
	pub const ZERO: Usd = Usd(0);

	/// A whole-mUSD amount, exactly.
	pub fn from_musd(amount: Musd) -> Usd {
		Usd(u128::from(amount.0).saturating_mul(Self::PER_MUSD))
	}

	/// A whole-µUSD amount, exactly.
	pub fn from_micro(amount: MicroUsd) -> Usd {
		Usd(u128::from(amount.0).saturating_mul(Self::PER_MICRO_USD))
	}

	/// `price` per hour for each of `quantity` things during `seconds`: exact.
	pub fn hourly(price: MicroUsd, quantity: u128, seconds: u64) -> Usd {
		Usd(u128::from(price.0)
			.saturating_mul(quantity)
			.saturating_mul(u128::from(seconds))
			.saturating_mul(Self::PER_MICRO_USD_HOUR))
	}

	/// `price` per unit and hour for `millionths` of a unit during `seconds`: exact.
	pub fn hourly_per_unit(price: MicroUsd, millionths: u64, seconds: u64) -> Usd {
		Usd(u128::from(price.0)
			.saturating_mul(u128::from(millionths))
			.saturating_mul(u128::from(seconds))
			.saturating_mul(Self::PER_MICRO_USD_HOUR_MILLIONTH))
	}

	/// A monthly `fee` for `seconds`: exact.
	pub fn monthly(fee: Musd, seconds: u64) -> Usd {
		Usd(u128::from(fee.0)
			.saturating_mul(u128::from(seconds))
			.saturating_mul(Self::PER_MUSD_MONTH))
	}

	/// `price` per [`GB`] for `bytes`: exact.
	pub fn per_gb(price: MicroUsd, bytes: u128) -> Usd {
		Usd(u128::from(price.0).saturating_mul(bytes).saturating_mul(Self::PER_MICRO_USD_GB))
	}

	/// This amount times `numerator / denominator`, rounded as asked (`None`: zero
	/// denominator or overflow).
	pub fn mul_ratio(self, numerator: u128, denominator: u128, rounding: Rounding) -> Option<Usd> {
		mul_div(self.0, numerator, denominator, rounding).map(Usd)
	}

	/// `percent` of this amount, rounded down (in units far below a planck).
	pub fn percent(self, percent: Percent) -> Usd {
		Usd(self.0.saturating_mul(u128::from(percent.deconstruct())) / 100)
	}

	/// Both amounts (saturating).
	pub fn plus(self, other: Usd) -> Usd {
		Usd(self.0.saturating_add(other.0))
	}

	/// No amount.
	pub fn is_zero(self) -> bool {
		self.0 == 0
	}

	/// Whole µUSD, rounded down: for display (what is paid is [`MusdPerTft::to_planck`]).
	pub fn micro_usd(self) -> MicroUsd {
		MicroUsd(u64::try_from(self.0 / Self::PER_MICRO_USD).unwrap_or(u64::MAX))
	}
}

/// The price of one TFT in mUSD: `MusdPerTft(80)` is $0.08 per TFT. Zero is not a price: the
/// conversion returns `None` for it, and pallets refuse it as input.
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

	/// TFT (in planck) worth `amount` at this price, rounded as `rounding` says: the only
	/// conversion from USD to TFT. `None` for a zero price (or an amount beyond 10²⁰ USD).
	pub fn to_planck(self, amount: Usd, rounding: Rounding) -> Option<Balance> {
		let price = Self::new(self.0)?;
		// planck = amount / PER_DOLLAR · 1,000 / price · UNIT.
		let per_planck = Usd::PER_DOLLAR.checked_mul(u128::from(price.0))?;
		mul_div(amount.0, tft::UNIT.checked_mul(1_000)?, per_planck, rounding)
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
	/// `fresh_for`). Billing's charging passes charge nothing at an untrusted price: the time
	/// accrues and is charged once the price is trusted again (a contract that changes or ends
	/// meanwhile is settled at it: its last charge under its terms).
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
		let dollar = Usd::from_musd(Musd(1_000));
		assert_eq!(price.to_planck(dollar, Rounding::Down), Some(125_000_000));
		assert_eq!(price.to_planck(dollar, Rounding::Up), Some(125_000_000));
		// One unit more rounds up to one planck more, and down to none more.
		assert_eq!(price.to_planck(Usd(dollar.0 + 1), Rounding::Up), Some(125_000_001));
		assert_eq!(price.to_planck(Usd(dollar.0 + 1), Rounding::Down), Some(125_000_000));
		// 1 mUSD at $0.03 is 0.0333… TFT: floor and ceil differ by one planck.
		let price = MusdPerTft(30);
		let milli = Usd::from_musd(Musd(1));
		assert_eq!(price.to_planck(milli, Rounding::Down), Some(333_333));
		assert_eq!(price.to_planck(milli, Rounding::Up), Some(333_334));
		assert_eq!(price.to_planck(Usd::ZERO, Rounding::Up), Some(0));
	}

	#[test]
	fn zero_is_not_a_price_and_extremes_do_not_overflow() {
		assert_eq!(MusdPerTft::new(0), None);
		assert_eq!(MusdPerTft(0).to_planck(Usd(1), Rounding::Down), None);
		assert_eq!(MusdPerTft(0).to_planck(Usd(1), Rounding::Up), None);
		let most = MusdPerTft(1).to_planck(Usd::from_musd(Musd(u64::MAX)), Rounding::Down);
		assert_eq!(most, Some(u128::from(u64::MAX) * tft::UNIT));
		assert!(MusdPerTft(u32::MAX).to_planck(Usd(u128::MAX), Rounding::Up).is_some());
	}

	#[test]
	fn prices_times_time_and_bytes_are_exact() {
		let hour = Usd::hourly(MicroUsd(10_000), 1, HOUR);
		assert_eq!(hour, Usd::from_micro(MicroUsd(10_000)), "$0.01 an hour for an hour");
		// $0.00025 an hour for one second is 250/3,600 µUSD: still whole units.
		assert_eq!(Usd::hourly(MicroUsd(250), 1, 1).0 * 3_600, Usd::from_micro(MicroUsd(250)).0);
		// Half a cloud unit (500,000 millionths) for an hour at $0.01 per unit-hour.
		assert_eq!(
			Usd::hourly_per_unit(MicroUsd(10_000), 500_000, HOUR),
			Usd::from_micro(MicroUsd(5_000))
		);
		// $72 a month is $0.1 an hour.
		assert_eq!(Usd::monthly(Musd(72_000), HOUR), Usd::from_micro(MicroUsd(100_000)));
		// 2 GB at $0.0015 per GB; one byte is a whole number of units too.
		assert_eq!(
			Usd::per_gb(MicroUsd(1_500), 2 * u128::from(GB)),
			Usd::from_micro(MicroUsd(3_000))
		);
		assert_eq!(Usd::per_gb(MicroUsd(1), 1).0, 2_592);
		assert_eq!(Usd::from_micro(MicroUsd(32_000)).micro_usd(), MicroUsd(32_000));
	}

	#[test]
	fn ratios_and_percentages_round_as_asked() {
		let third = Usd(10).mul_ratio(1, 3, Rounding::Down);
		assert_eq!(third, Some(Usd(3)));
		assert_eq!(Usd(10).mul_ratio(1, 3, Rounding::Up), Some(Usd(4)));
		assert_eq!(Usd(10).mul_ratio(1, 0, Rounding::Up), None);
		// No overflow in the intermediate product.
		assert_eq!(
			Usd(u128::MAX).mul_ratio(u128::MAX, u128::MAX, Rounding::Down),
			Some(Usd(u128::MAX))
		);
		assert_eq!(Usd(999).percent(Percent::from_percent(50)), Usd(499));
	}
}
