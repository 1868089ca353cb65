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
//! ## Joining: apply, then a council motion
//!
//! An operator who wants to validate does not need a council member to sponsor it: it applies,
//! and the council decides by motion ([`Config::AddRemoveOrigin`]: root or a council majority in
//! the Gridchain runtime; no single member can add anyone).
//!
//! 1. The operator runs a node, generates session keys on it (`author_rotateKeys`) and registers
//!    them from its account: `session.setKeys(keys, 0x)`.
//! 2. It applies: `validatorSet.apply(description, bond)` ([`Pallet::apply`]). `description` is
//!    free text for the council (who runs the node, where, how to reach them), at most
//!    [`Config::MaxDescriptionLength`] bytes; `bond` is at least [`Config::MinBond`] and is held
//!    from its account under [`HoldReason::ValidatorBond`] (with `MinBond` 0 the bond is
//!    optional). At most [`Config::MaxApplications`] applications are pending at a time.
//! 3. A council member proposes the motion `validatorSet.approveApplication(who)`
//!    ([`Pallet::approve_application`]) and the council votes it through. The operator joins the
//!    set ([`Event::ApplicationApproved`], [`Event::ValidatorAdded`]); its keys must still be
//!    registered then. Its bond stays held while it validates.
//! 4. The new set is handed to pallet-session at the next session boundary
//!    ([`Event::NewSetPlanned`]) and the operator authors blocks from the session after that:
//!    two sessions after the motion passed.
//!
//! Until the council decides, the operator may withdraw ([`Pallet::withdraw_application`]); the
//! council may also reject ([`Pallet::reject_application`]). Either way the bond is released in
//! full. When a validator is removed ([`Pallet::remove_validator`]) its bond is released too.
//! Governance can still add an account directly with [`Pallet::add_validator`] (no bond), but
//! not one with a pending application: that one is approved or rejected.
//!
//! ## Inactive validators
//!
//! The pallet is the runtime's `pallet_authorship::EventHandler`: every block it records, for
//! the block's author, the session in which it last authored ([`LastAuthored`], kept for the
//! validators of [`Validators`] only). At each session boundary every validator that authored
//! no block in the last [`Config::InactivityThreshold`] or more sessions that ended is reported
//! with [`Event::ValidatorInactive`], again at every boundary while it stays inactive.
//! Governance can then remove it by motion with [`Pallet::remove_validator`]; the pallet does
//! not remove anyone by itself. A validator counts from the session in which it becomes active
//! (two sessions after it was added), so a newly added validator is not reported before it had
//! [`Config::InactivityThreshold`] sessions to author in. A validator without session keys is
//! left out of consensus, authors nothing and is reported like a stopped one.
//! [`Pallet::idle_sessions`] (a view function) tells how many sessions a validator has gone
//! without a block.
//!
//! ## Code layout
//!
//! `lib.rs` holds the pallet sections; `validators.rs` adding and removing, `onboarding.rs`
//! the applications and the bond, `inactivity.rs` the authorship records and the inactivity
//! reports, `session.rs` the pallet-session traits and the session length, `genesis.rs` the
//! genesis build, `invariants.rs` the `try_state` checks, `migrations.rs` the storage
//! migrations and `types.rs` the [`SessionSchedule`] and the [`Application`].

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
mod inactivity;
mod invariants;
pub mod migrations;
mod onboarding;
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
pub use types::{Application, SessionSchedule};
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
	use alloc::vec::Vec;
	use frame::prelude::*;
	use frame::traits::{fungible, ValidatorRegistration};

	pub(crate) type AccountIdLookupOf<T> =
		<<T as frame_system::Config>::Lookup as frame::traits::StaticLookup>::Source;
	/// An amount of [`Config::Currency`], in planck.
	pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;
	/// An application's description: at most [`Config::MaxDescriptionLength`] bytes.
	pub type DescriptionOf<T> = BoundedVec<u8, <T as Config>::MaxDescriptionLength>;
	/// An application as stored, with the runtime's balance and block number types.
	pub type ApplicationOf<T> = Application<DescriptionOf<T>, BalanceOf<T>, BlockNumberFor<T>>;

	/// The storage layout version: 1 added the applications and the authorship records
	/// ([`crate::migrations::v1`]).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The bond of an applicant ([`Pallet::apply`]), kept while it validates; released when
		/// its application is withdrawn or rejected, or when it is removed from the set.
		ValidatorBond,
	}

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
		/// Holds the applicants' and validators' bonds (pallet-balances).
		type Currency: fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::Mutate<Self::AccountId>;
		/// The runtime's hold reason, which includes this pallet's [`HoldReason`].
		type RuntimeHoldReason: From<HoldReason>;
		/// Smallest bond an application must offer, in planck. 0 makes the bond optional.
		#[pallet::constant]
		type MinBond: Get<BalanceOf<Self>>;
		/// Most applications pending at a time; also the bound of [`Applications`].
		#[pallet::constant]
		type MaxApplications: Get<u32>;
		/// Longest application description, in bytes.
		#[pallet::constant]
		type MaxDescriptionLength: Get<u32>;
		/// Sessions without an authored block after which a validator is reported
		/// ([`Event::ValidatorInactive`]); at least 1. Choose it so that a validator authors
		/// many blocks in that many sessions (session length × threshold well above the number
		/// of validators): Aura gives each validator one slot in `validators` slots.
		#[pallet::constant]
		type InactivityThreshold: Get<u32>;
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

	/// The pending applications, by applicant: at most [`Config::MaxApplications`]. An
	/// applicant is never in [`Validators`]; its bond is held under
	/// [`HoldReason::ValidatorBond`].
	#[pallet::storage]
	pub type Applications<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, T::AccountId, ApplicationOf<T>, OptionQuery>;

	/// The index of the current session, as pallet-session last started one (0 at genesis).
	#[pallet::storage]
	pub type CurrentSession<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// For each validator of [`Validators`], and for them only (so at most
	/// [`Config::MaxValidators`] entries): the last session in which it authored a block or,
	/// until it authors one, the session before the one it becomes active in (the session after
	/// the one it was added in; 0 for the genesis validators). Removed with the validator.
	#[pallet::storage]
	pub type LastAuthored<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, OptionQuery>;

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
		/// An operator applied to validate (by [`Pallet::apply`]); its bond is held.
		ApplicationFiled {
			/// The applicant.
			who: T::AccountId,
			/// The bond held from it, in planck.
			bond: BalanceOf<T>,
		},
		/// An applicant withdrew its application (by [`Pallet::withdraw_application`]); its
		/// bond is released.
		ApplicationWithdrawn {
			/// The former applicant.
			who: T::AccountId,
		},
		/// Governance approved an application (by [`Pallet::approve_application`]): the
		/// applicant joined the set ([`Event::ValidatorAdded`] comes with it) and its bond stays
		/// held while it validates.
		ApplicationApproved {
			/// The new validator.
			who: T::AccountId,
		},
		/// Governance rejected an application (by [`Pallet::reject_application`]); the bond is
		/// released.
		ApplicationRejected {
			/// The former applicant.
			who: T::AccountId,
		},
		/// A validator authored no block in the last `sessions` sessions that ended, at least
		/// [`Config::InactivityThreshold`]. Reported at every session boundary while it stays
		/// inactive; governance may remove it with [`Pallet::remove_validator`].
		ValidatorInactive {
			/// The inactive validator.
			who: T::AccountId,
			/// How many sessions ended since it last authored a block (or since it became
			/// active, if it never did).
			sessions: u32,
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
		/// The account has already applied; it may withdraw its application and apply again.
		AlreadyApplied,
		/// The bond is below [`Config::MinBond`].
		BondTooLow,
		/// [`Config::MaxApplications`] applications are pending; try again once governance has
		/// decided some.
		TooManyApplications,
		/// The description is longer than [`Config::MaxDescriptionLength`] bytes.
		DescriptionTooLong,
		/// The account has no pending application.
		NoApplication,
		/// The account has a pending application: governance approves or rejects it
		/// ([`Pallet::approve_application`], [`Pallet::reject_application`]) rather than adding
		/// the account directly.
		ApplicationPending,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Registers the weight of what other pallets make this pallet do every block without
		/// reporting it:
		/// - pallet-session's `on_initialize` calls `should_end_session`, which reads
		///   [`Schedule`] (1 read; pallet-session reports no weight for it unless the session
		///   ends);
		/// - pallet-authorship's `on_initialize` calls `note_author` for the block's author,
		///   which reads [`CurrentSession`] and the author's [`LastAuthored`] and may write the
		///   latter (2 reads, 1 write; pallet-authorship reports none).
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			T::DbWeight::get().reads_writes(3, 1)
		}

		fn integrity_test() {
			assert!(T::InactivityThreshold::get() >= 1, "InactivityThreshold must be at least 1");
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
		/// No bond is taken. An account that has applied ([`Pallet::apply`]) is approved or
		/// rejected instead.
		///
		/// Errors: `BadOrigin`; [`Error::NoSessionKeys`]; [`Error::ApplicationPending`];
		/// [`Error::AlreadyValidator`]; [`Error::TooManyValidators`]; `CannotLookup` if `who` is
		/// an unknown address.
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
		/// Any bond `who` has held under [`HoldReason::ValidatorBond`] is released (governance
		/// removes validators; it does not confiscate their bonds).
		///
		/// Emits [`Event::ValidatorRemoved`] (and pallet-balances' `Released` for a bond).
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

		/// Apply to become a validator, with a bond.
		///
		/// The origin must be signed by the operator's account: the account that will validate.
		/// It must first register the session keys of its node (`session.setKeys`).
		///
		/// - `description`: free text for the council (who runs the node, where, how to reach
		///   the operator), at most [`Config::MaxDescriptionLength`] bytes.
		/// - `bond`: in planck, at least [`Config::MinBond`]; held from the caller under
		///   [`HoldReason::ValidatorBond`] until the application is withdrawn or rejected, or,
		///   once approved, until the validator is removed.
		///
		/// Governance then approves ([`Pallet::approve_application`]) or rejects
		/// ([`Pallet::reject_application`]) the application by motion.
		///
		/// Emits [`Event::ApplicationFiled`] (and pallet-balances' `Held` for a non-zero bond).
		///
		/// Errors: `BadOrigin`; [`Error::DescriptionTooLong`]; [`Error::NoSessionKeys`];
		/// [`Error::AlreadyValidator`]; [`Error::AlreadyApplied`]; [`Error::BondTooLow`];
		/// [`Error::TooManyApplications`]; `FundsUnavailable` (a token error) if the caller
		/// cannot hold `bond` and keep its existential deposit.
		#[pallet::call_index(3)]
		pub fn apply(
			origin: OriginFor<T>,
			description: Vec<u8>,
			#[pallet::compact] bond: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_apply(who, description, bond)
		}

		/// Withdraw one's pending application; the bond is released in full.
		///
		/// The origin must be signed by the applicant.
		///
		/// Emits [`Event::ApplicationWithdrawn`].
		///
		/// Errors: `BadOrigin`; [`Error::NoApplication`].
		#[pallet::call_index(4)]
		pub fn withdraw_application(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_application(who)
		}

		/// Approve an application: the applicant joins the validator set.
		///
		/// The origin must be [`Config::AddRemoveOrigin`] (in the Gridchain runtime a council
		/// motion or root: no single council member can add a validator).
		///
		/// - `who`: the applicant. It must still have session keys.
		///
		/// The application is removed and `who` is added as by [`Pallet::add_validator`]; its
		/// bond stays held while it validates. The new set is handed to pallet-session at the
		/// next session boundary ([`Event::NewSetPlanned`]) and `who` authors from the session
		/// after that.
		///
		/// Emits [`Event::ValidatorAdded`] and [`Event::ApplicationApproved`].
		///
		/// Errors: `BadOrigin`; [`Error::NoApplication`]; [`Error::NoSessionKeys`] (the
		/// applicant purged its keys since applying); [`Error::TooManyValidators`];
		/// `CannotLookup` if `who` is an unknown address.
		///
		/// Weight: charged for a full set; the part for the validators not in the set is refunded.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::approve_application(T::MaxValidators::get()))]
		pub fn approve_application(
			origin: OriginFor<T>,
			who: AccountIdLookupOf<T>,
		) -> DispatchResultWithPostInfo {
			T::AddRemoveOrigin::ensure_origin(origin)?;
			let size_before = Self::do_approve_application(T::Lookup::lookup(who)?)?;
			Ok(Some(T::WeightInfo::approve_application(size_before)).into())
		}

		/// Reject an application; the applicant's bond is released in full.
		///
		/// The origin must be [`Config::AddRemoveOrigin`].
		///
		/// - `who`: the applicant.
		///
		/// Emits [`Event::ApplicationRejected`].
		///
		/// Errors: `BadOrigin`; [`Error::NoApplication`]; `CannotLookup` if `who` is an unknown
		/// address.
		#[pallet::call_index(6)]
		pub fn reject_application(
			origin: OriginFor<T>,
			who: AccountIdLookupOf<T>,
		) -> DispatchResult {
			T::AddRemoveOrigin::ensure_origin(origin)?;
			Self::do_reject_application(T::Lookup::lookup(who)?)
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// The pending applications with their applicants (at most [`Config::MaxApplications`]).
		pub fn applications() -> Vec<(T::AccountId, ApplicationOf<T>)> {
			Applications::<T>::iter().take(T::MaxApplications::get() as usize).collect()
		}
		/// How many sessions ended since a validator last authored a block (or since it became
		/// active, if it never did); `None` if `who` is not a validator.
		pub fn idle_sessions(who: T::AccountId) -> Option<u32> {
			Self::idle_sessions_of(&who)
		}
	}
}
