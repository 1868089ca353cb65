//! The oracle's domain types and their rules, free of storage: parameters, submissions, the
//! median of a window, and the time-weighted average over price points.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::prelude::*;
use grid_primitives::money::MusdPerTft;
use serde::{Deserialize, Serialize};

/// A window's index: block `n` is in window `n / window_blocks`.
pub type WindowIndex = u32;

/// The longest span the average may cover: 30 days.
pub const MAX_AVERAGE_SPAN: u64 = 30 * 24 * 3600;

/// What governance sets (genesis, then [`crate::Pallet::set_params`]).
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
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct PriceParams {
	/// Blocks per window; each feeder submits at most one price per window.
	pub window_blocks: u32,
	/// Fresh submissions a window needs for its median to become the price.
	pub quorum: u32,
	/// Seconds the time-weighted average covers (24 h on production presets).
	pub average_span: u64,
	/// What billing is clamped to: never below `min_price`…
	pub min_price: MusdPerTft,
	/// …and never above `max_price`.
	pub max_price: MusdPerTft,
	/// A submission's observation may be at most this many blocks old when it is included
	/// (1 ≤ age ≤ `window_blocks`: a worker's observation is a block old at the earliest).
	pub max_observation_age: u32,
	/// The price is trustworthy while the last window with quorum (or governance's emergency
	/// price) is at most this many seconds old.
	pub fresh_for: u64,
}

/// Why parameters are refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ParamsError {
	/// `window_blocks` is zero.
	Window,
	/// `quorum` is zero or above the number of feeders.
	Quorum,
	/// `average_span` is zero or above [`MAX_AVERAGE_SPAN`].
	Span,
	/// `min_price` is zero, above `max_price`, or either is outside the accepted range.
	Bounds,
	/// `max_observation_age` is zero or longer than a window.
	ObservationAge,
	/// `fresh_for` is zero.
	Freshness,
}

/// What parameters are checked against: the runtime's bounds and the feeders there are.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Limits {
	/// How many feeders there are: the quorum may not exceed it.
	pub feeders: u32,
	/// The accepted range of submitted prices, mUSD.
	pub accepted: (u32, u32),
	/// Most price points kept.
	pub max_points: u32,
	/// The shortest time between blocks, seconds: windows are at least `window_blocks` times
	/// this long, so a span of `(max_points − 1)` of them always fits the ring.
	pub block_secs: u64,
}

impl PriceParams {
	/// Production: one-minute windows (10 blocks of 6 s), a 24-hour average, billing clamped to
	/// $0.01 … $1 as ThreeFold's chain does, a price trusted for an hour.
	pub const fn production(quorum: u32) -> Self {
		Self {
			window_blocks: 10,
			quorum,
			average_span: 24 * 3600,
			min_price: MusdPerTft(10),
			max_price: MusdPerTft(1_000),
			max_observation_age: 10,
			fresh_for: 3600,
		}
	}

	/// Checks the parameters against the feeders and the runtime's bounds: among them, the
	/// span must fit in the ring however fast blocks come.
	pub fn check(&self, limits: &Limits) -> Result<(), ParamsError> {
		ensure!(self.window_blocks > 0, ParamsError::Window);
		ensure!(self.quorum > 0 && self.quorum <= limits.feeders, ParamsError::Quorum);
		let shortest_window = u64::from(self.window_blocks).saturating_mul(limits.block_secs);
		let coverable =
			u64::from(limits.max_points.saturating_sub(1)).saturating_mul(shortest_window);
		ensure!(
			self.average_span > 0
				&& self.average_span <= MAX_AVERAGE_SPAN
				&& self.average_span <= coverable,
			ParamsError::Span
		);
		let (lo, hi) = limits.accepted;
		let (min, max) = (self.min_price.0, self.max_price.0);
		ensure!(min > 0 && min <= max && lo <= min && max <= hi, ParamsError::Bounds);
		ensure!(
			(1..=self.window_blocks).contains(&self.max_observation_age),
			ParamsError::ObservationAge
		);
		ensure!(self.fresh_for > 0, ParamsError::Freshness);
		Ok(())
	}

	/// `price` clamped to `[min_price, max_price]`.
	pub fn clamp(&self, price: MusdPerTft) -> MusdPerTft {
		MusdPerTft(price.0.clamp(self.min_price.0, self.max_price.0.max(self.min_price.0)))
	}
}

/// One feeder's price for one window, signed by the feeder's account inside the call.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct PriceSubmission<AccountId> {
	/// The feeder's account, which signs the submission.
	pub feeder: AccountId,
	/// The window the price is for: the window of the block that includes it.
	pub window: WindowIndex,
	/// The price observed.
	pub price: MusdPerTft,
	/// The block at which the feeder observed it.
	pub observed_at: u32,
}

/// What a feeder signs: a domain tag, so no other signed message can pass for a price.
pub const SIGNING_CONTEXT: &[u8] = b"gridchain/tft-price/v1";

impl<AccountId: Encode> PriceSubmission<AccountId> {
	/// The bytes the feeder signs: `("gridchain/tft-price/v1", genesis hash, submission)`,
	/// SCALE-encoded. The genesis hash keeps a price of one chain from being replayed on
	/// another whose feeders share keys (the presets' dev keys); window numbers never repeat
	/// on one chain, so a price cannot be replayed into another window.
	pub fn signing_payload(&self, genesis: &impl Encode) -> alloc::vec::Vec<u8> {
		(SIGNING_CONTEXT, genesis, self).encode()
	}
}

/// The median of `prices`: the middle one, or for an even count the mean of the two middle
/// ones **rounded down**. `None` for no prices. Sorts `prices`. With `2f + 1` or more prices,
/// `f` wrong ones cannot move it outside the range of the right ones; with two, it is their
/// mean.
pub fn median(prices: &mut [MusdPerTft]) -> Option<MusdPerTft> {
	prices.sort_unstable();
	let n = prices.len();
	let upper = *prices.get(n / 2)?;
	if n % 2 == 1 {
		return Some(upper);
	}
	let lower = *prices.get((n / 2).checked_sub(1)?)?;
	// (a + b) / 2 without overflow: both are u32.
	Some(MusdPerTft((u64::from(lower.0).saturating_add(upper.0.into()) / 2) as u32))
}

/// `price` moved at most `max` away from `average` (at least one mUSD either way, so a
/// price can always move): a window's median with one lying feeder among two cannot drag the
/// price, only nudge it. Without an average (the first agreed price), `price` as it is.
pub fn bounded_move(
	price: MusdPerTft,
	average: Option<MusdPerTft>,
	max: frame::deps::sp_runtime::Percent,
) -> MusdPerTft {
	let Some(average) = average else { return price };
	let step = max.mul_ceil(average.0).max(1);
	MusdPerTft(
		price
			.0
			.clamp(average.0.saturating_sub(step).max(1), average.0.saturating_add(step)),
	)
}

/// A price that holds from `at` until the next point: a step of the price curve, with the
/// integral of the curve up to it (price·seconds) so that any average is two lookups.
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
	Serialize,
	Deserialize,
)]
pub struct PricePoint {
	/// Chain time (Unix seconds) from which `price` holds.
	pub at: u64,
	/// The price from `at` until the next point, mUSD per TFT.
	pub price: MusdPerTft,
	/// Σ price·seconds of the curve from the first point ever up to `at`.
	pub cumulative: u128,
}

impl PricePoint {
	/// The first point of a curve.
	pub fn first(at: u64, price: MusdPerTft) -> Self {
		Self { at, price, cumulative: 0 }
	}

	/// The integral up to `t` (≥ `at`), this price holding since `at`.
	pub fn cumulative_at(&self, t: u64) -> u128 {
		let held = u128::from(t.saturating_sub(self.at));
		self.cumulative.saturating_add(held.saturating_mul(self.price.0.into()))
	}

	/// The point that follows this one: `price` from `t` on.
	pub fn then(&self, t: u64, price: MusdPerTft) -> Self {
		Self { at: t.max(self.at), price, cumulative: self.cumulative_at(t) }
	}
}

/// The time-weighted average of the curve over `[now − span, now]`, rounded half up.
///
/// `oldest` must hold at `now − span` (no later point starts at or before it), or the curve
/// starts later and the average covers `[oldest.at, now]`; `newest` is the curve's last point.
/// With no time elapsed it is `newest`'s price.
pub fn time_weighted_average(
	oldest: &PricePoint,
	newest: &PricePoint,
	now: u64,
	span: u64,
) -> MusdPerTft {
	let start = now.saturating_sub(span).max(oldest.at);
	let Some(elapsed) = now.checked_sub(start).filter(|e| *e > 0) else {
		return newest.price;
	};
	let area = newest.cumulative_at(now).saturating_sub(oldest.cumulative_at(start));
	let elapsed = u128::from(elapsed);
	let average = area.saturating_add(elapsed / 2).checked_div(elapsed).unwrap_or_default();
	MusdPerTft(u32::try_from(average).unwrap_or(u32::MAX))
}

/// A ring of `cap` storage slots: `len` live slots starting at `first`, oldest first.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Ring {
	/// The slot of the oldest live entry.
	pub first: u32,
	/// How many slots are live (at most the ring's capacity).
	pub len: u32,
}

impl Ring {
	/// The slot of the `i`-th live entry (0 = oldest).
	pub fn slot(&self, i: u32, cap: u32) -> u32 {
		u64::from(self.first)
			.saturating_add(u64::from(i))
			.checked_rem(u64::from(cap))
			.unwrap_or_default() as u32
	}

	/// The newest live slot.
	pub fn newest(&self, cap: u32) -> Option<u32> {
		self.len.checked_sub(1).map(|i| self.slot(i, cap))
	}

	/// Frees the oldest slot and returns it.
	pub fn pop_oldest(&mut self, cap: u32) -> Option<u32> {
		let oldest = (self.len > 0).then_some(self.first)?;
		self.first = self.slot(1, cap);
		self.len = self.len.saturating_sub(1);
		Some(oldest)
	}

	/// Takes the slot after the newest; `None` when all `cap` are live.
	pub fn push(&mut self, cap: u32) -> Option<u32> {
		(self.len < cap).then(|| {
			self.len = self.len.saturating_add(1);
			self.slot(self.len.saturating_sub(1), cap)
		})
	}
}

/// What the oracle says now.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct PriceState {
	/// The price of the last window with quorum (or governance's emergency price).
	pub last_price: Option<MusdPerTft>,
	/// The window that set `last_price` (`None`: genesis or governance set it).
	pub last_window: Option<WindowIndex>,
	/// Chain time (Unix seconds) when feeders last agreed or governance set a price; 0 never.
	pub fed_at: u64,
	/// The time-weighted average over the span, as of the last window close (unclamped).
	pub average: Option<MusdPerTft>,
}

impl PriceState {
	/// Whether the last agreed price is at most `fresh_for` seconds old at `now`.
	pub fn is_fresh(&self, now: u64, fresh_for: u64) -> bool {
		self.fed_at > 0 && now.saturating_sub(self.fed_at) <= fresh_for
	}
}

/// Everything a client wants to know about the price (view function `price_info`).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct PriceInfo<AccountId> {
	/// The parameters; `None` while the oracle is off.
	pub params: Option<PriceParams>,
	/// The last price, its window and time, and the average.
	pub state: PriceState,
	/// The average clamped to the bounds: what billing converts with.
	pub billing_price: Option<MusdPerTft>,
	/// Whether billing may trust it (see [`PriceParams::fresh_for`]).
	pub trustworthy: bool,
	/// The window now collecting prices, and who has fed it so far.
	pub window: WindowIndex,
	/// The feeders that submitted to `window` so far, with their prices in mUSD per TFT.
	pub fed: alloc::vec::Vec<(AccountId, MusdPerTft)>,
	/// All the accounts that may submit prices, sorted.
	pub feeders: alloc::vec::Vec<AccountId>,
}

#[cfg(test)]
mod tests {
	use super::*;

	fn prices(v: &[u32]) -> alloc::vec::Vec<MusdPerTft> {
		v.iter().copied().map(MusdPerTft).collect()
	}

	#[test]
	fn median_of_odd_and_even_counts() {
		assert_eq!(median(&mut prices(&[])), None);
		assert_eq!(median(&mut prices(&[42])), Some(MusdPerTft(42)));
		assert_eq!(median(&mut prices(&[90, 10, 50])), Some(MusdPerTft(50)));
		// Even: the mean of the middle two, rounded down (50 and 61 → 55).
		assert_eq!(median(&mut prices(&[61, 10, 50, 1_000])), Some(MusdPerTft(55)));
		assert_eq!(median(&mut prices(&[u32::MAX, u32::MAX])), Some(MusdPerTft(u32::MAX)));
		// One liar among three cannot move the price outside the honest ones.
		assert_eq!(median(&mut prices(&[40, 41, 1_000_000])), Some(MusdPerTft(41)));
	}

	#[test]
	fn a_window_moves_the_price_at_most_the_bound_from_the_average() {
		use frame::deps::sp_runtime::Percent;
		let ten = Percent::from_percent(10);
		// A liar's $100 with an honest $0.08 has a median of $50.04: it moves the price by 8 mUSD.
		assert_eq!(bounded_move(MusdPerTft(50_040), Some(MusdPerTft(80)), ten), MusdPerTft(88));
		assert_eq!(bounded_move(MusdPerTft(1), Some(MusdPerTft(80)), ten), MusdPerTft(72));
		assert_eq!(bounded_move(MusdPerTft(83), Some(MusdPerTft(80)), ten), MusdPerTft(83));
		assert_eq!(bounded_move(MusdPerTft(9), None, ten), MusdPerTft(9), "no average yet");
		// At least one mUSD a window, never to zero.
		assert_eq!(bounded_move(MusdPerTft(5), Some(MusdPerTft(2)), ten), MusdPerTft(3));
		assert_eq!(bounded_move(MusdPerTft(1), Some(MusdPerTft(1)), ten), MusdPerTft(1));
	}

	#[test]
	fn average_weights_each_price_by_how_long_it_held() {
		// 40 for 300 s, then 100 for 100 s: (40·300 + 100·100) / 400 = 55.
		let a = PricePoint::first(1_000, MusdPerTft(40));
		let b = a.then(1_300, MusdPerTft(100));
		assert_eq!(b.cumulative, 12_000);
		assert_eq!(time_weighted_average(&a, &b, 1_400, 10_000), MusdPerTft(55));
		// A span shorter than the history: only [1_200, 1_400] counts: (40·100 + 100·100)/200.
		assert_eq!(time_weighted_average(&a, &b, 1_400, 200), MusdPerTft(70));
		// A gap (no new point for a long time) carries the last price through it:
		// (40·300 + 100·1_000) / 1_300 = 86.2.
		assert_eq!(time_weighted_average(&a, &b, 2_300, 10_000), MusdPerTft(86));
		// No time elapsed: the newest price.
		assert_eq!(time_weighted_average(&a, &a, 1_000, 60), MusdPerTft(40));
	}

	#[test]
	fn average_rounds_half_up() {
		// 1 for 1 s and 2 for 1 s: 1.5 → 2; 1 for 3 s and 2 for 1 s: 1.25 → 1.
		let a = PricePoint::first(0, MusdPerTft(1));
		assert_eq!(time_weighted_average(&a, &a.then(1, MusdPerTft(2)), 2, 10), MusdPerTft(2));
		assert_eq!(time_weighted_average(&a, &a.then(3, MusdPerTft(2)), 4, 10), MusdPerTft(1));
	}

	#[test]
	fn params_are_checked() {
		let ok = PriceParams::production(2);
		let limits =
			Limits { feeders: 3, accepted: (1, 100_000), max_points: 1_500, block_secs: 6 };
		assert_eq!(ok.check(&limits), Ok(()));
		assert_eq!(ok.check(&Limits { feeders: 1, ..limits }), Err(ParamsError::Quorum));
		// 24 h of 1-minute windows needs 1,441 points.
		assert_eq!(ok.check(&Limits { max_points: 1_440, ..limits }), Err(ParamsError::Span));
		assert_eq!(ok.check(&Limits { max_points: 1_441, ..limits }), Ok(()));
		let bad = |f: fn(&mut PriceParams)| {
			let mut p = ok;
			f(&mut p);
			p.check(&limits)
		};
		assert_eq!(bad(|p| p.window_blocks = 9), Err(ParamsError::Span));
		assert_eq!(bad(|p| p.max_observation_age = 0), Err(ParamsError::ObservationAge));
		assert_eq!(bad(|p| p.max_observation_age = 11), Err(ParamsError::ObservationAge));
		assert_eq!(bad(|p| p.window_blocks = 0), Err(ParamsError::Window));
		assert_eq!(bad(|p| p.quorum = 0), Err(ParamsError::Quorum));
		assert_eq!(bad(|p| p.average_span = 0), Err(ParamsError::Span));
		assert_eq!(bad(|p| p.average_span = MAX_AVERAGE_SPAN + 1), Err(ParamsError::Span));
		assert_eq!(bad(|p| p.min_price = MusdPerTft(0)), Err(ParamsError::Bounds));
		assert_eq!(bad(|p| p.min_price = MusdPerTft(2_000)), Err(ParamsError::Bounds));
		assert_eq!(bad(|p| p.max_price = MusdPerTft(100_001)), Err(ParamsError::Bounds));
		assert_eq!(bad(|p| p.fresh_for = 0), Err(ParamsError::Freshness));
	}

	#[test]
	fn the_ring_wraps_around_its_slots() {
		let mut ring = Ring::default();
		assert_eq!((ring.newest(3), ring.pop_oldest(3)), (None, None));
		assert_eq!(
			[ring.push(3), ring.push(3), ring.push(3), ring.push(3)],
			[Some(0), Some(1), Some(2), None]
		);
		assert_eq!((ring.pop_oldest(3), ring.push(3), ring.newest(3)), (Some(0), Some(0), Some(0)));
		assert_eq!((ring.slot(0, 3), ring.slot(2, 3)), (1, 0));
		assert_eq!(ring, Ring { first: 1, len: 3 });
	}

	#[test]
	fn clamps_to_bounds_and_counts_windows() {
		let p = PriceParams::production(1);
		assert_eq!(p.clamp(MusdPerTft(5)), MusdPerTft(10));
		assert_eq!(p.clamp(MusdPerTft(500)), MusdPerTft(500));
		assert_eq!(p.clamp(MusdPerTft(5_000)), MusdPerTft(1_000));
		let state = PriceState { fed_at: 1_000, ..Default::default() };
		assert!(state.is_fresh(4_600, 3_600) && !state.is_fresh(4_601, 3_600));
		assert!(!PriceState::default().is_fresh(0, 3_600));
	}
}
