//! # Validator set
//!
//! A proof-of-authority validator set that governance manages. The pallet is the runtime's
//! [`pallet_session::SessionManager`] (which accounts validate), its
//! [`pallet_session::ShouldEndSession`] (when a session ends) and its
//! [`EstimateNextSessionRotation`](frame::traits::EstimateNextSessionRotation).
//!
//! ## Validators
//!
//! - Governance ([`Config::AddRemoveOrigin`]: root or a council majority in the Gridchain runtime)
//!   adds validators with [`Pallet::add_validator`] and removes them with
//!   [`Pallet::remove_validator`]. The set holds at most [`Config::MaxValidators`] accounts.
//! - An account can only be added once it has registered session keys (`session.setKeys`).
//!
//! ## The key rule
//!
//! Only validators that have session keys count. A validator can drop its keys at any time
//! (`session.purgeKeys`), and pallet-session leaves a validator without keys out of consensus.
//! So:
//!
//! - A removal is refused when fewer than [`Config::MinValidators`] validators *with session
//!   keys* would remain ([`Error::TooFewValidatorsWithKeys`]).
//! - At a session boundary pallet-session is handed only the validators that have keys at that
//!   moment, and never an empty set: if none of them has keys, the change is deferred
//!   ([`Event::SetChangeDeferred`]), the current validators stay, and the change is retried at
//!   the next session boundary. A validator left out of a planned set for lack of keys is
//!   included again the next time the set is planned (after the next addition or removal).
//!
//! A validator that purges its own keys leaves consensus, which is no different from stopping its
//! node: the validators can always halt their chain by stopping, and no pallet can prevent that.
//! What this pallet prevents is *governance* creating an empty set.
//!
//! ## Sessions
//!
//! - A change of the set is handed to pallet-session at the next session boundary. pallet-session
//!   keeps a planned set queued for one session, so a change made during session `N` is active
//!   (its validators author blocks and vote in GRANDPA) from session `N + 2`: "two sessions
//!   later". [`Event::NewSetPlanned`] says from which session the planned set is active.
//! - The session length is a storage value ([`Schedule`]), set per genesis preset, bounded by
//!   [`Config::MinSessionLength`]`..=`[`Config::MaxSessionLength`] and changeable by governance
//!   with [`Pallet::set_session_length`].
//! - pallet-session asks every block whether the session ends, which reads [`Schedule`]; the
//!   pallet's `on_initialize` registers the weight of that read.
//!
//! ## Code layout
//!
//! `lib.rs` holds the pallet sections; `validators.rs` adding and removing, `session.rs` the
//! pallet-session traits and the session length, `genesis.rs` the genesis build,
//! `invariants.rs` the `try_state` checks and `types.rs` the [`SessionSchedule`].

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

mod genesis;
mod invariants;
mod session;
pub mod types;
mod validators;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use types::SessionSchedule;
pub use weights::WeightInfo;

/// Gives an account session keys in benchmarks, in whatever way the runtime stores them
/// (benchmarks cannot sign a key ownership proof).
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Registers session keys for `who`: afterwards `Config::KeysRegistration` reports `who` as
	/// registered.
	fn register_keys(who: &AccountId);
}

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
	use frame::prelude::*;
	use frame::traits::ValidatorRegistration;

	pub(crate) type AccountIdLookupOf<T> =
		<<T as frame_system::Config>::Lookup as frame::traits::StaticLookup>::Source;

	/// The storage layout version (no migration so far).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Who may add and remove validators and change the session length (root or a council
		/// majority in the Gridchain runtime).
		type AddRemoveOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Answers whether an account has registered session keys (pallet-session).
		type KeysRegistration: ValidatorRegistration<Self::AccountId>;
		/// Most validators the set may hold; also the bound of [`Validators`]. Keep it at most
		/// the consensus engines' `MaxAuthorities`.
		#[pallet::constant]
		type MaxValidators: Get<u32>;
		/// Fewest validators *with session keys* that removals may leave (at least 1: a chain
		/// without authors halts).
		#[pallet::constant]
		type MinValidators: Get<u32>;
		/// Shortest session governance may configure, in blocks (at least 1).
		#[pallet::constant]
		type MinSessionLength: Get<BlockNumberFor<Self>>;
		/// Longest session governance may configure, in blocks.
		#[pallet::constant]
		type MaxSessionLength: Get<BlockNumberFor<Self>>;
		/// Weights of the calls, measured by the benchmarks in `benchmarking.rs`.
		type WeightInfo: WeightInfo;
		/// Registers session keys for an account in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AccountId>;
	}

	/// The validators governance has chosen, in the order they were added: distinct, at most
	/// [`Config::MaxValidators`]. Those with session keys are handed to pallet-session at the
	/// first session boundary after a change.
	#[pallet::storage]
	pub type Validators<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

	/// `true` when [`Validators`] changed since pallet-session was last handed a set: set by
	/// every addition and removal, cleared when the changed set is planned, kept while the
	/// change is deferred ([`Event::SetChangeDeferred`]).
	#[pallet::storage]
	pub type SetChanged<T: Config> = StorageValue<_, bool, ValueQuery>;

	/// The session length in blocks and the block at which the current session started. Read by
	/// pallet-session every block to decide whether the session ends.
	#[pallet::storage]
	pub type Schedule<T: Config> = StorageValue<_, SessionSchedule<BlockNumberFor<T>>, ValueQuery>;

	/// The first validators and the session length.
	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The first validators: distinct, at most [`Config::MaxValidators`] and, unless empty
		/// (test configs only), at least [`Config::MinValidators`]. Each needs session keys in
		/// `session.keys` of the same genesis.
		pub initial_validators: alloc::vec::Vec<T::AccountId>,
		/// Session length in blocks, within
		/// [`Config::MinSessionLength`]`..=`[`Config::MaxSessionLength`].
		pub session_length: BlockNumberFor<T>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self {
				initial_validators: Default::default(),
				session_length: T::MinSessionLength::get(),
			}
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::build_genesis(&self.initial_validators, self.session_length);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A validator was added to the set (by [`Pallet::add_validator`]). It is handed to
		/// pallet-session at the next session boundary and authors from the session after.
		ValidatorAdded {
			/// The added validator.
			who: T::AccountId,
		},
		/// A validator was removed from the set (by [`Pallet::remove_validator`]). It stops
		/// authoring from the session after next.
		ValidatorRemoved {
			/// The removed validator.
			who: T::AccountId,
		},
		/// The changed set was handed to pallet-session at a session boundary.
		NewSetPlanned {
			/// The session from which the planned set is active (the one after the session
			/// that has just started).
			session: u32,
			/// How many validators the planned set has: those of [`Validators`] that had session
			/// keys at the boundary.
			count: u32,
		},
		/// The changed set could not be planned because none of its validators has session keys.
		/// The current validators stay and the change is retried at the next session boundary.
		SetChangeDeferred {
			/// The session the set would have been active from.
			session: u32,
		},
		/// Governance changed the session length (by [`Pallet::set_session_length`]).
		SessionLengthSet {
			/// The new length in blocks; it applies to the current session already.
			length: BlockNumberFor<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already in the validator set.
		AlreadyValidator,
		/// The account is not in the validator set.
		NotValidator,
		/// The set is full ([`Config::MaxValidators`]).
		TooManyValidators,
		/// Removing would leave fewer than [`Config::MinValidators`] validators.
		TooFewValidators,
		/// The account has not registered session keys: it must call `session.setKeys` first.
		NoSessionKeys,
		/// The session length is outside
		/// [`Config::MinSessionLength`]`..=`[`Config::MaxSessionLength`].
		SessionLengthOutOfBounds,
		/// Removing would leave fewer than [`Config::MinValidators`] validators that have session
		/// keys: some of the remaining validators have purged theirs. They must register keys
		/// again (`session.setKeys`) before this validator can be removed.
		TooFewValidatorsWithKeys,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// pallet-session's `on_initialize` calls this pallet's `should_end_session` every block,
		/// which reads [`Schedule`], and reports no weight for it unless the session ends. The
		/// read is this pallet's doing, so the pallet registers it here.
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			T::DbWeight::get().reads(1)
		}

		fn integrity_test() {
			assert!(T::MinValidators::get() >= 1, "MinValidators must be at least 1");
			assert!(T::MinValidators::get() <= T::MaxValidators::get());
			assert!(!T::MinSessionLength::get().is_zero(), "MinSessionLength must be > 0");
			assert!(T::MinSessionLength::get() <= T::MaxSessionLength::get());
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
		/// Add a validator to the set.
		///
		/// The origin must be [`Config::AddRemoveOrigin`].
		///
		/// - `who`: the account to add. It must have registered session keys
		///   (`session.setKeys`).
		///
		/// The new set is handed to pallet-session at the next session boundary
		/// ([`Event::NewSetPlanned`]) and `who` authors from the session after that.
		///
		/// Emits [`Event::ValidatorAdded`].
		///
		/// Errors: `BadOrigin`; [`Error::NoSessionKeys`]; [`Error::AlreadyValidator`];
		/// [`Error::TooManyValidators`]; `CannotLookup` if `who` is an unknown address.
		///
		/// Weight: charged for a full set; the part for the validators not in the set is refunded.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_validator(T::MaxValidators::get()))]
		pub fn add_validator(
			origin: OriginFor<T>,
			who: AccountIdLookupOf<T>,
		) -> DispatchResultWithPostInfo {
			T::AddRemoveOrigin::ensure_origin(origin)?;
			let size_before = Self::do_add_validator(T::Lookup::lookup(who)?)?;
			Ok(Some(T::WeightInfo::add_validator(size_before)).into())
		}

		/// Remove a validator from the set.
		///
		/// The origin must be [`Config::AddRemoveOrigin`].
		///
		/// - `who`: the validator to remove.
		///
		/// At least [`Config::MinValidators`] validators with session keys must remain. The new
		/// set is handed to pallet-session at the next session boundary
		/// ([`Event::NewSetPlanned`]) and `who` stops authoring from the session after that.
		///
		/// Emits [`Event::ValidatorRemoved`].
		///
		/// Errors: `BadOrigin`; [`Error::NotValidator`]; [`Error::TooFewValidators`];
		/// [`Error::TooFewValidatorsWithKeys`]; `CannotLookup` if `who` is an unknown address.
		///
		/// Weight: charged for a full set; the part for the validators not in the set is refunded.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_validator(T::MaxValidators::get()))]
		pub fn remove_validator(
			origin: OriginFor<T>,
			who: AccountIdLookupOf<T>,
		) -> DispatchResultWithPostInfo {
			T::AddRemoveOrigin::ensure_origin(origin)?;
			let size_before = Self::do_remove_validator(T::Lookup::lookup(who)?)?;
			Ok(Some(T::WeightInfo::remove_validator(size_before)).into())
		}

		/// Set how long sessions last.
		///
		/// The origin must be [`Config::AddRemoveOrigin`].
		///
		/// - `length`: the session length in blocks, within
		///   [`Config::MinSessionLength`]`..=`[`Config::MaxSessionLength`]. It applies to the
		///   current session already: it ends `length` blocks after it started, or at the next
		///   block if that is already past.
		///
		/// Emits [`Event::SessionLengthSet`].
		///
		/// Errors: `BadOrigin`; [`Error::SessionLengthOutOfBounds`].
		#[pallet::call_index(2)]
		pub fn set_session_length(
			origin: OriginFor<T>,
			length: BlockNumberFor<T>,
		) -> DispatchResult {
			T::AddRemoveOrigin::ensure_origin(origin)?;
			Self::do_set_session_length(length)
		}
	}
}
