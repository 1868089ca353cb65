//! # Validator set
//!
//! A proof-of-authority validator set that governance manages, acting as the
//! [`pallet_session::SessionManager`] of the runtime.
//!
//! - Governance (`AddRemoveOrigin`: root or a council majority) adds and removes validators.
//! - An account can only be added once it has registered session keys
//!   (`session.setKeys`), so a validator never enters the set without keys.
//! - Changes are handed to pallet-session at the next session boundary. pallet-session queues a
//!   planned set for one session, so a change made during session `N` is active from session
//!   `N + 2`; [`Event::NewSetPlanned`] says which session it is planned for.
//! - The session length is a storage value (set per genesis preset, bounded by
//!   [`Config::MinSessionLength`]..=[`Config::MaxSessionLength`] and changeable by governance).
//!   The pallet is also the runtime's `ShouldEndSession` and `EstimateNextSessionRotation`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod functions;
mod session;
pub mod types;
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

#[frame::pallet]
pub mod pallet {
	use super::*;
	use frame::prelude::*;
	use frame::traits::ValidatorRegistration;

	pub(crate) type AccountIdLookupOf<T> =
		<<T as frame_system::Config>::Lookup as frame::traits::StaticLookup>::Source;

	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Who may add and remove validators and change the session length.
		type AddRemoveOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Answers whether an account has registered session keys (pallet-session).
		type KeysRegistration: ValidatorRegistration<Self::AccountId>;
		/// Upper bound of the set; also the bound of the storage vector.
		#[pallet::constant]
		type MaxValidators: Get<u32>;
		/// The set never shrinks below this (at least 1: a chain without authors halts).
		#[pallet::constant]
		type MinValidators: Get<u32>;
		/// Shortest session governance may configure, in blocks.
		#[pallet::constant]
		type MinSessionLength: Get<BlockNumberFor<Self>>;
		/// Longest session governance may configure, in blocks.
		#[pallet::constant]
		type MaxSessionLength: Get<BlockNumberFor<Self>>;
		type WeightInfo: WeightInfo;
		/// Registers session keys for an account in benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	/// The validators governance has chosen; handed to pallet-session when it changes.
	#[pallet::storage]
	pub type Validators<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

	/// `true` when [`Validators`] changed since pallet-session was last given a set.
	#[pallet::storage]
	pub type SetChanged<T: Config> = StorageValue<_, bool, ValueQuery>;

	/// Session length and the block the current session started at.
	#[pallet::storage]
	pub type Schedule<T: Config> = StorageValue<_, SessionSchedule<BlockNumberFor<T>>, ValueQuery>;

	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The first validators. Each needs session keys in `session.keys` of the same genesis.
		pub initial_validators: alloc::vec::Vec<T::AccountId>,
		/// Session length in blocks.
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
			// Genesis cannot return an error: a bad preset must abort chain-spec building.
			assert!(
				self.initial_validators.len() as u32 <= T::MaxValidators::get(),
				"genesis: more initial validators than MaxValidators"
			);
			let validators =
				BoundedVec::<_, T::MaxValidators>::truncate_from(self.initial_validators.clone());
			// An empty set is only for the default (test) config; a chain spec that lists
			// validators must list enough.
			assert!(
				validators.is_empty() || validators.len() as u32 >= T::MinValidators::get(),
				"genesis: fewer initial validators than MinValidators"
			);
			assert!(Pallet::<T>::all_distinct(&validators), "genesis: duplicate initial validator");
			let schedule = SessionSchedule::new(self.session_length, Zero::zero());
			assert!(
				Pallet::<T>::length_allowed(&schedule),
				"genesis: session_length outside MinSessionLength..=MaxSessionLength"
			);
			Validators::<T>::put(validators);
			Schedule::<T>::put(schedule);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` joins the set from the session after next.
		ValidatorAdded { who: T::AccountId },
		/// `who` leaves the set from the session after next.
		ValidatorRemoved { who: T::AccountId },
		/// A changed set of `count` validators was handed to pallet-session; it is active from
		/// session `session`.
		NewSetPlanned { session: u32, count: u32 },
		/// Sessions now last `length` blocks (from the current session on).
		SessionLengthSet { length: BlockNumberFor<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already in the validator set.
		AlreadyValidator,
		/// The account is not in the validator set.
		NotValidator,
		/// The set is full (`MaxValidators`).
		TooManyValidators,
		/// Removing would leave fewer than `MinValidators` validators.
		TooFewValidators,
		/// The account has not registered session keys: it must call `session.setKeys` first.
		NoSessionKeys,
		/// The session length is outside `MinSessionLength..=MaxSessionLength`.
		SessionLengthOutOfBounds,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
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
		/// Add `who` to the validator set. `who` must have registered session keys.
		///
		/// Charged for a full set; the unused part is refunded.
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

		/// Remove `who` from the validator set.
		///
		/// Charged for a full set; the unused part is refunded.
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

		/// Set the session length in blocks; the current session ends `length` blocks after it
		/// started (or at the next block if that is already past).
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
