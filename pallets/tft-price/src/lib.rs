//! # TFT price
//!
//! A TFT/USD price oracle fed by several accounts (the validators, on the presets): billing
//! converts USD to TFT with it. A window's price is the median of its feeders' prices, so
//! with three or more of them one wrong key or one bad HTTP answer cannot move it.
//!
//! ## Feeding
//! Governance keeps a bounded set of **feeders**. Time is cut into **windows** of
//! [`PriceParams::window_blocks`] blocks; in each window a feeder may submit one price (mUSD per
//! TFT) with the block it was observed at, with [`Pallet::submit_price`]: an *authorized*
//! general transaction (`#[pallet::authorize]`), free, signed by the feeder's account inside
//! the call. A submission from a non-feeder, a second one in the same window, one for another
//! window, an observation older than [`PriceParams::max_observation_age`] blocks, a price
//! outside the accepted range ([`Config::MinAcceptedPrice`]…[`Config::MaxAcceptedPrice`]) or a
//! bad signature is refused before the pool, so spam never reaches a block. The signature
//! covers the chain's genesis hash, and window numbers never repeat (a new window length
//! continues the count), so a signed price cannot be replayed elsewhere or later.
//!
//! ## The price
//! A window closes in the first block of the next one (`on_initialize`, stamped with the chain
//! time of the window's last block). With at least [`PriceParams::quorum`] submissions its
//! **median**, moved at most [`Config::MaxWindowMove`] from the average, becomes the price
//! ([`Event::WindowPriceSet`]): with a quorum of two, one lying feeder makes the median half its
//! lie, and the bound keeps a run of such windows from dragging the average. With fewer
//! submissions, the last price is kept and [`Event::NoQuorum`] says so. Submissions have a
//! priority above ordinary transactions. The price curve is a series of [`PricePoint`]s (each price
//! holds until the next), kept in a bounded ring ([`Config::MaxHistory`]); each point carries
//! the integral of the curve, so the **time-weighted average** over
//! [`PriceParams::average_span`] (24 h on production presets) is two lookups, whatever the
//! gaps between windows. The genesis price is untrusted and the first price feeders agree on
//! replaces it outright. Billing uses that average clamped to
//! [`PriceParams::min_price`]…[`PriceParams::max_price`]
//! ([`grid_primitives::money::TftPriceOracle`]), and is told whether it is **trustworthy**:
//! feeders agreed at most [`PriceParams::fresh_for`] seconds ago. Billing's charging passes
//! charge nothing at an untrusted price (the time accrues until the price is trusted again);
//! only a contract that changes or ends is settled at it.
//!
//! ## Offchain worker
//! A node whose keystore holds a feeder's sr25519 key under key type `tfpr` ([`KEY_TYPE`])
//! fetches the price once per window from the source configured on that node (an HTTP URL and
//! a JSON path, or a fixed price on dev chains: see [`source`]), with a 2-second deadline, and
//! submits it. Errors are logged and nothing is submitted.
//!
//! ## Governance
//! [`Pallet::add_feeder`], [`Pallet::remove_feeder`] (its submission in the open window is
//! dropped), [`Pallet::set_params`], and [`Pallet::force_price`]: an emergency price that
//! becomes the price and the average at once (the history restarts from it).

#![cfg_attr(not(feature = "std"), no_std)]
// Tests may panic and index: they are not the runtime.
#![cfg_attr(
	test,
	allow(
		clippy::arithmetic_side_effects,
		clippy::unwrap_used,
		clippy::expect_used,
		clippy::indexing_slicing
	)
)]

extern crate alloc;

mod api;
mod feed;
mod governance;
mod invariants;
mod offchain;
pub mod source;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use feed::SubmissionError;
pub use offchain::KEY_TYPE;
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[frame::pallet]
// FRAME's generated code (storage info, error encoding, genesis) does what the lints forbid.
#[allow(
	clippy::arithmetic_side_effects,
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing
)]
pub mod pallet {
	use super::*;
	use frame::{
		deps::{frame_system::offchain::CreateAuthorizedTransaction, sp_core::sr25519},
		prelude::*,
		traits::{IdentifyAccount, UnixTime, Verify},
	};
	use grid_primitives::money::MusdPerTft;

	/// A price submission by one of the runtime's accounts.
	pub type SubmissionOf<T> = PriceSubmission<<T as frame_system::Config>::AccountId>;
	/// The feeder set, bounded by [`Config::MaxFeeders`].
	pub type FeedersOf<T> =
		BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxFeeders>;

	/// The storage layout version: 0, the first one (no migrations yet).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config + CreateAuthorizedTransaction<Call<Self>> {
		/// Wall-clock time: the average is weighted by seconds.
		type TimeProvider: UnixTime;
		/// Manages feeders and parameters, and sets emergency prices.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// What feeders sign with (the chain's account signature; the offchain worker signs
		/// with sr25519).
		type Signature: Verify<Signer: IdentifyAccount<AccountId = Self::AccountId> + From<sr25519::Public>>
			+ From<sr25519::Signature>
			+ Parameter;
		/// Most feeders.
		#[pallet::constant]
		type MaxFeeders: Get<u32>;
		/// Most price points kept. Parameters are refused unless their span fits; should the
		/// ring fill anyway, the oldest point goes.
		#[pallet::constant]
		type MaxHistory: Get<u32>;
		/// The most a window's price may move from the average feeders agreed on: with one
		/// lying feeder among the two of a quorum of two, the median is half its lie; this
		/// bounds what it does to the price (governance's emergency price is not bounded).
		#[pallet::constant]
		type MaxWindowMove: Get<frame::deps::sp_runtime::Percent>;
		/// The lowest price a feeder may submit, mUSD (a hard sanity bound).
		#[pallet::constant]
		type MinAcceptedPrice: Get<u32>;
		/// The highest price a feeder may submit, mUSD (a hard sanity bound).
		#[pallet::constant]
		type MaxAcceptedPrice: Get<u32>;
		/// The shortest time between two blocks, seconds (the slot duration): an average span
		/// must fit in `MaxHistory` windows of this pace.
		#[pallet::constant]
		type BlockTime: Get<u64>;
		/// Weights of the calls and hooks, from the benchmarks.
		type WeightInfo: WeightInfo;
		/// Signs submissions and moves the clock, for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: grid_primitives::benchmarking::BenchmarkTime
			+ grid_primitives::benchmarking::BenchmarkSigner<Self::AccountId, Self::Signature>;
	}

	/// Windows, quorum, average span, bounds (the oracle is off without them).
	#[pallet::storage]
	pub type Params<T> = StorageValue<_, PriceParams>;

	/// The accounts that may submit prices, sorted.
	#[pallet::storage]
	pub type Feeders<T: Config> = StorageValue<_, FeedersOf<T>, ValueQuery>;

	/// The window collecting prices now, and the prices submitted in it.
	#[pallet::storage]
	pub type OpenWindow<T: Config> = StorageValue<_, WindowRoundOf<T>, ValueQuery>;

	/// The price curve: points by ring slot (`HistoryBounds` says which are live).
	#[pallet::storage]
	pub type History<T> = StorageMap<_, Twox64Concat, u32, PricePoint>;

	/// The ring of [`History`]: the oldest live slot and how many points are live.
	#[pallet::storage]
	pub type HistoryBounds<T> = StorageValue<_, Ring, ValueQuery>;

	/// The last price, its window and time, and the average.
	#[pallet::storage]
	pub type State<T> = StorageValue<_, PriceState, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame::prelude::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// `None` leaves the oracle off.
		pub params: Option<PriceParams>,
		/// The first feeders (the validators' accounts on the presets).
		pub feeders: alloc::vec::Vec<T::AccountId>,
		/// A price to start from; not trustworthy until feeders agree.
		pub initial_price: Option<MusdPerTft>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let mut feeders = self.feeders.clone();
			feeders.sort();
			feeders.dedup();
			let feeders = FeedersOf::<T>::try_from(feeders).expect("more feeders than MaxFeeders");
			Feeders::<T>::put(feeders);
			if let Some(params) = self.params {
				assert_eq!(Pallet::<T>::check_params(&params), Ok(()), "invalid price parameters");
				Params::<T>::put(params);
			}
			if let Some(price) = self.initial_price {
				assert!(
					Pallet::<T>::is_accepted(price),
					"initial price outside the accepted range"
				);
				Pallet::<T>::reset_to(price, Pallet::<T>::now_secs());
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A feeder submitted a price for the open window.
		PriceSubmitted {
			/// The feeder that submitted.
			feeder: T::AccountId,
			/// The window the price is for.
			window: WindowIndex,
			/// The submitted price, mUSD per TFT.
			price: MusdPerTft,
		},
		/// A window closed with quorum: its `median`, moved at most
		/// [`Config::MaxWindowMove`] from the average, is the `price`. `average` is the new
		/// time-weighted average and `billing_price` that average clamped to the bounds.
		WindowPriceSet {
			/// The window that closed.
			window: WindowIndex,
			/// The median of its submissions, mUSD per TFT.
			median: MusdPerTft,
			/// The new price, mUSD per TFT: the median after the move bound.
			price: MusdPerTft,
			/// How many feeders submitted in the window.
			submissions: u32,
			/// The time-weighted average over the span, mUSD per TFT (unclamped).
			average: MusdPerTft,
			/// The average clamped to the bounds, mUSD per TFT: what billing converts with.
			billing_price: MusdPerTft,
		},
		/// A window closed without quorum: the last price (`kept`) holds on.
		NoQuorum {
			/// The window that closed.
			window: WindowIndex,
			/// How many feeders submitted in the window.
			submissions: u32,
			/// How many submissions the window needed.
			quorum: u32,
			/// The price that holds on, mUSD per TFT; `None` if there never was one.
			kept: Option<MusdPerTft>,
			/// The time-weighted average, mUSD per TFT (unclamped); `None` without a curve.
			average: Option<MusdPerTft>,
		},
		/// Governance added a feeder.
		FeederAdded {
			/// The new feeder.
			feeder: T::AccountId,
		},
		/// Governance removed a feeder; `dropped` is its submission to the open window, if any.
		FeederRemoved {
			/// The removed feeder.
			feeder: T::AccountId,
			/// Its price in the open window, mUSD per TFT, now discarded; `None` if it had not
			/// submitted.
			dropped: Option<MusdPerTft>,
		},
		/// Governance set the parameters; submissions to the open window were discarded.
		ParamsSet {
			/// The new parameters.
			params: PriceParams,
			/// How many submissions of the open window were discarded.
			discarded: u32,
		},
		/// Governance set an emergency price: it is the price and the average from now on.
		EmergencyPriceSet {
			/// The emergency price, mUSD per TFT.
			price: MusdPerTft,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The oracle has no parameters (genesis left it off).
		NotConfigured,
		// -- submissions (refused in the pool too) --
		/// The submitter is not a feeder.
		NotFeeder,
		/// The price is outside the accepted range.
		PriceOutOfRange,
		/// The submission is not for the window open now.
		WrongWindow,
		/// The observation is older than `max_observation_age` blocks, or in the future.
		StaleObservation,
		/// The feeder has submitted a price in this window already.
		AlreadySubmitted,
		/// The submission is not signed by the feeder's account.
		BadSignature,
		// -- governance --
		/// The account is a feeder already.
		AlreadyFeeder,
		/// [`Config::MaxFeeders`] feeders exist.
		TooManyFeeders,
		/// Removing the feeder would leave fewer feeders than the quorum: lower it first.
		QuorumUnreachable,
		/// Blocks per window must be above 0.
		InvalidWindow,
		/// The quorum must be at least 1 and at most the number of feeders.
		InvalidQuorum,
		/// The average span must be 1 s … 30 days, and fit in [`Config::MaxHistory`] windows.
		InvalidSpan,
		/// The observation age must be 1 … `window_blocks` blocks.
		InvalidObservationAge,
		/// Minimum and maximum must be in the accepted range, with minimum ≤ maximum.
		InvalidBounds,
		/// `fresh_for` must be above 0.
		InvalidFreshness,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			Self::on_block(Self::block_u32(n))
		}

		fn offchain_worker(n: BlockNumberFor<T>) {
			Self::run_offchain_worker(Self::block_u32(n));
		}

		fn integrity_test() {
			assert!(T::MaxFeeders::get() > 0, "MaxFeeders must be > 0");
			assert!(T::MaxHistory::get() >= 2, "MaxHistory must be ≥ 2");
			let (lo, hi) = Self::accepted_range();
			assert!(lo > 0 && lo <= hi, "accepted price range must be 0 < min ≤ max");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight = <T as Config>::WeightInfo)]
	impl<T: Config> Pallet<T> {
		/// Submit a feeder's price for the open window. Free; refused before the pool unless
		/// valid. Offchain workers of feeding nodes send it; anyone can relay a signed one.
		///
		/// - Origin: none — submit as a general (unsigned, authorized) transaction; the
		///   feeder's account signs `submission` inside the call.
		/// - `submission`: the feeder, the window (of the block that will include it), the price
		///   in mUSD per TFT, and the block at which it was observed.
		/// - `signature`: the feeder's signature of `("gridchain/tft-price/v1", genesis hash,
		///   submission)` SCALE-encoded ([`PriceSubmission::signing_payload`]).
		///
		/// Emits [`Event::PriceSubmitted`]. Refused in the pool (`InvalidTransaction::BadProof`
		/// for a bad signature, `Stale` for another window or an old observation, else
		/// `Custom`: 1 oracle off, 2 not a feeder, 3 price out of range, 4 already submitted)
		/// and, if dispatched anyway, with [`Error::NotConfigured`], [`Error::NotFeeder`],
		/// [`Error::PriceOutOfRange`], [`Error::WrongWindow`], [`Error::StaleObservation`],
		/// [`Error::AlreadySubmitted`], [`Error::BadSignature`].
		#[pallet::call_index(0)]
		#[pallet::authorize(Pallet::<T>::authorize_submission)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_submit_price())]
		pub fn submit_price(
			origin: OriginFor<T>,
			submission: SubmissionOf<T>,
			signature: T::Signature,
		) -> DispatchResult {
			ensure_authorized(origin)?;
			// `authorize_submission` verified the signature in this block.
			let _ = signature;
			Self::do_submit_price(submission)
		}

		/// Add a feeder.
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::FeederAdded`]. Errors: [`Error::AlreadyFeeder`],
		/// [`Error::TooManyFeeders`].
		#[pallet::call_index(10)]
		pub fn add_feeder(origin: OriginFor<T>, feeder: T::AccountId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_add_feeder(feeder)
		}

		/// Remove a feeder; its submission to the open window no longer counts.
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::FeederRemoved`]. Errors: [`Error::NotFeeder`],
		/// [`Error::QuorumUnreachable`].
		#[pallet::call_index(11)]
		pub fn remove_feeder(origin: OriginFor<T>, feeder: T::AccountId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_remove_feeder(feeder)
		}

		/// Set the parameters (window, quorum, average span, billing bounds, observation age,
		/// freshness). A new window opens under them (window numbers never repeat); the open
		/// one's submissions are discarded.
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::ParamsSet`]. Errors: [`Error::InvalidWindow`],
		/// [`Error::InvalidQuorum`], [`Error::InvalidSpan`], [`Error::InvalidBounds`],
		/// [`Error::InvalidObservationAge`], [`Error::InvalidFreshness`].
		#[pallet::call_index(12)]
		pub fn set_params(origin: OriginFor<T>, params: PriceParams) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_params(params)
		}

		/// Emergency: make `price` the price and the average now (the history restarts from
		/// it) and trust it for [`PriceParams::fresh_for`]. Feeders take over at the next
		/// window with quorum.
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::EmergencyPriceSet`]. Errors: [`Error::PriceOutOfRange`],
		/// [`Error::NotConfigured`].
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::force_price(T::MaxHistory::get()))]
		pub fn force_price(origin: OriginFor<T>, price: MusdPerTft) -> DispatchResultWithPostInfo {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let removed = Self::do_force_price(price)?;
			Ok(Some(T::WeightInfo::force_price(removed)).into())
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// The last window price, the average, what billing uses and whether to trust it, the
		/// bounds, and who fed the open window.
		pub fn price_info() -> PriceInfo<T::AccountId> {
			Self::info()
		}
		/// The price curve kept: points oldest first (at most [`Config::MaxHistory`]).
		pub fn price_history() -> alloc::vec::Vec<PricePoint> {
			Self::history_points()
		}
	}

	/// The open window and the prices submitted to it.
	#[derive(
		CloneNoBound,
		PartialEqNoBound,
		EqNoBound,
		DebugNoBound,
		DefaultNoBound,
		Encode,
		Decode,
		DecodeWithMemTracking,
		MaxEncodedLen,
		TypeInfo,
	)]
	#[scale_info(skip_type_params(MaxFeeders))]
	pub struct WindowRound<
		AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
		MaxFeeders: Get<u32>,
	> {
		/// The window's number; numbers only grow, also across window length changes.
		pub window: WindowIndex,
		/// The window's first block: later windows are counted from it.
		pub start: u32,
		/// The feeders that submitted, with their prices in mUSD per TFT, in submission order.
		pub prices: BoundedVec<(AccountId, MusdPerTft), MaxFeeders>,
	}

	impl<A: Clone + PartialEq + Eq + core::fmt::Debug, M: Get<u32>> WindowRound<A, M> {
		/// The window block `n` (not before this one's start) is in, with its first block:
		/// windows of `window_blocks` blocks follow this one. Window numbers only grow, also
		/// across changes of the window length.
		pub fn window_at(&self, window_blocks: u32, n: u32) -> (WindowIndex, u32) {
			let passed =
				n.saturating_sub(self.start).checked_div(window_blocks).unwrap_or_default();
			let start = self.start.saturating_add(passed.saturating_mul(window_blocks));
			(self.window.saturating_add(passed), start)
		}

		/// An empty window `window` starting at block `start`.
		pub fn opening(window: WindowIndex, start: u32) -> Self {
			Self { window, start, prices: Default::default() }
		}
	}
	/// The open window record of a runtime.
	pub type WindowRoundOf<T> =
		WindowRound<<T as frame_system::Config>::AccountId, <T as Config>::MaxFeeders>;
}
