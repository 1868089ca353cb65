//! # Governance
//!
//! The farmer DAO, and runtime upgrades the council (or the DAO) authorizes.
//!
//! ## The farmer DAO
//!
//! Farmers decide, by the capacity their farms *proved*, whether the chain makes certain calls.
//!
//! 1. **Propose.** [`Pallet::propose`] puts a call up for a vote, with a description, a link to
//!    the discussion and a voting period of [`Config::MinVotingPeriod`] to
//!    [`Config::MaxVotingPeriod`] blocks. A council member proposes freely; any other account
//!    names a farm it owns that has proven capacity, and [`Config::ProposalDeposit`] is held from
//!    it until the proposal is closed, whatever the outcome. At most [`Config::MaxProposals`]
//!    proposals are open at once.
//! 2. **Vote.** Until the voting period ends, a farm's owner votes aye or nay for the farm with
//!    [`Pallet::vote`]. A farm counts once per proposal: voting again on the same side is refused,
//!    voting on the other side moves the farm's vote.
//! 3. **Veto.** Until the proposal is closed, council members may veto it with [`Pallet::veto`].
//!    When [`Config::VetoThreshold`] members have vetoed, the proposal is dead: no more votes,
//!    and it can be closed at once.
//! 4. **Close.** Once the voting period is over (at once when vetoed) **anyone** may close the
//!    proposal with [`Pallet::close`]. It is approved when it was not vetoed, at least
//!    [`Config::MinVoters`] farms voted (the quorum), the farms that voted proved at least
//!    [`Config::MinTurnout`] of all farms' capacity (the turnout), and the aye weight is strictly
//!    above the nay weight (a tie rejects). The proposal, its call and its votes are removed and the deposit
//!    comes back; if approved, its call is dispatched and [`Event::Executed`] tells its result. A
//!    call that fails does not undo the close.
//!
//! ## Vote weight: proven capacity
//!
//! A farm votes with the capacity its nodes proved in the last closed reward period
//! ([`grid_primitives::governance::FarmVoteWeight`], implemented by minting): each node's
//! compute and storage units, scaled by its uptime. A node that was registered but never
//! reported proved nothing, so registering nodes that do not exist buys no votes, and a farm
//! that proved nothing can neither vote nor propose ([`Error::NoProvenCapacity`]). The weight
//! is read when the vote is cast; a farm switching sides votes with its weight at that moment.
//!
//! ## What the DAO may do: an explicit list and its own origin
//!
//! A proposal may only carry a call of the runtime's explicit list ([`Config::DaoCalls`]), no
//! heavier than [`Config::MaxCallWeight`] and no longer than [`Config::MaxCallLength`] encoded
//! bytes: the call is checked when proposed, and again when it is about to be dispatched. An
//! approved call is dispatched with the origin [`RawOrigin::Farmers`] ("an approved farmer-DAO
//! proposal"), **never as root**: the runtime accepts that origin ([`EnsureFarmers`]) only on
//! the calls it chose to put in the DAO's hands.
//!
//! ## Runtime upgrades
//!
//! [`Pallet::authorize_upgrade`] lets [`Config::UpgradeOrigin`] (in the Gridchain runtime: 3/5 of
//! the council, or the DAO) authorize a runtime by its code hash. Anyone may then upload the
//! code with `system.applyAuthorizedUpgrade`; frame_system checks its hash and version.
//!
//! ## Bounds and weights
//!
//! Everything stored is bounded: descriptions, links, calls, vetoes per proposal
//! ([`Config::MaxVetoes`]), farms voting per proposal ([`Config::MaxVoters`]) and open
//! proposals. Voting and proposing charge the farm-weight query
//! ([`grid_primitives::governance::FarmVoteWeight::query_weight`]). A call's weight is fixed
//! when it is proposed; [`Pallet::close`] is given bounds covering that weight and the number of
//! voters, is charged for them up front, and refunds what the close and the call did not use
//! (removing votes costs per farm that voted).
//!
//! ## Code layout
//!
//! `lib.rs` holds the pallet sections; `proposals.rs` proposing, `voting.rs` votes, `veto.rs`
//! vetoes, `closing.rs` closing and dispatching, `upgrade.rs` upgrade authorization,
//! `origin.rs` [`EnsureFarmers`], `types.rs` the [`Proposal`] and its rules, `invariants.rs` the
//! `try_state` checks.

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

mod closing;
mod invariants;
mod origin;
mod proposals;
pub mod types;
mod upgrade;
mod veto;
mod voting;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use origin::EnsureFarmers;
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

/// The depth to which a stored call is decoded (that of extrinsics).
pub const MAX_CALL_DEPTH: u32 = 256;

/// What the benchmarks need from the runtime. Council members are made with
/// `SortedMembers::add` (pallet-membership implements it for benchmarks).
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<T: Config> {
	/// Creates a farm owned by `owner` whose [`Config::Farms`] `voter_weight` is `weight`,
	/// funding `owner` as the farm needs.
	fn farm_with_weight(
		owner: &T::AccountId,
		weight: grid_primitives::governance::VoteWeight,
	) -> grid_primitives::registry::FarmId;

	/// A call in [`Config::DaoCalls`] whose encoding is at most `encoded_len` bytes and close to
	/// it. By default `system.remark` (a text-only proposal); override it when the runtime's
	/// list does not allow remarks.
	fn dao_call(encoded_len: u32) -> <T as Config>::RuntimeCall {
		// Two bytes of indexes and up to four of length prefix.
		let len = encoded_len.saturating_sub(6) as usize;
		frame::prelude::frame_system::Call::<T>::remark { remark: alloc::vec![0u8; len] }.into()
	}
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
	use alloc::{boxed::Box, vec::Vec};
	use frame::{
		prelude::*,
		traits::{fungible, SortedMembers},
	};
	use grid_primitives::{
		governance::{FarmVoteWeight, VoteWeight},
		registry::FarmId,
	};

	/// The balance of [`Config::Currency`].
	pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;

	/// A [`Proposal`] with the runtime's types and bounds.
	pub type ProposalOf<T> = Proposal<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		<T as frame_system::Config>::Hash,
		BlockNumberFor<T>,
		<T as Config>::MaxDescriptionLength,
		<T as Config>::MaxLinkLength,
		<T as Config>::MaxVetoes,
	>;

	/// A [`Vote`] with the runtime's account type.
	pub type VoteOf<T> = Vote<<T as frame_system::Config>::AccountId>;

	/// A proposal's encoded call.
	pub type CallBytesOf<T> = BoundedVec<u8, <T as Config>::MaxCallLength>;

	/// The storage layout version (no migration so far).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The runtime's call: what a proposal carries.
		type RuntimeCall: Parameter
			+ Dispatchable<
				RuntimeOrigin = <Self as Config>::RuntimeOrigin,
				PostInfo = PostDispatchInfo,
			> + GetDispatchInfo
			+ From<frame_system::Call<Self>>;
		/// The runtime's origin: approved calls are dispatched with [`RawOrigin::Farmers`].
		type RuntimeOrigin: From<RawOrigin>;
		/// TFT: a farmer's proposal deposit is held.
		type Currency: fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::Mutate<Self::AccountId>;
		/// The runtime's hold reason: this pallet's [`HoldReason`] becomes one.
		type RuntimeHoldReason: From<HoldReason>;
		/// The council: its members propose without a deposit and may veto.
		type Council: SortedMembers<Self::AccountId>;
		/// Who votes for a farm, and with what weight (minting's proven capacity).
		type Farms: FarmVoteWeight<Self::AccountId>;
		/// The calls a proposal may carry: the runtime's explicit list.
		type DaoCalls: Contains<<Self as Config>::RuntimeCall>;
		/// Who may authorize a runtime upgrade (3/5 of the council or the DAO in the Gridchain
		/// runtime).
		type UpgradeOrigin: EnsureOrigin<<Self as frame_system::Config>::RuntimeOrigin>;
		/// Held from a proposer who is not a council member until its proposal is closed.
		#[pallet::constant]
		type ProposalDeposit: Get<BalanceOf<Self>>;
		/// Most proposals open at once.
		#[pallet::constant]
		type MaxProposals: Get<u32>;
		/// Longest description, in bytes.
		#[pallet::constant]
		type MaxDescriptionLength: Get<u32>;
		/// Longest link, in bytes.
		#[pallet::constant]
		type MaxLinkLength: Get<u32>;
		/// Longest call a proposal may carry, in encoded bytes.
		#[pallet::constant]
		type MaxCallLength: Get<u32>;
		/// Shortest voting period, in blocks (at least 1).
		#[pallet::constant]
		type MinVotingPeriod: Get<BlockNumberFor<Self>>;
		/// Longest voting period, in blocks.
		#[pallet::constant]
		type MaxVotingPeriod: Get<BlockNumberFor<Self>>;
		/// The quorum: fewest farms that must vote for a proposal to be approved (at least 1).
		#[pallet::constant]
		type MinVoters: Get<u32>;
		/// The turnout: the share of all farms' proven capacity
		/// ([`FarmVoteWeight::total_weight`](grid_primitives::governance::FarmVoteWeight::total_weight),
		/// read at close) that must have voted, aye and nay together, for a proposal to be
		/// approved. A small farm alone cannot pass a proposal nobody else noticed.
		#[pallet::constant]
		type MinTurnout: Get<Perbill>;
		/// This many council vetoes kill a proposal (at least 1).
		#[pallet::constant]
		type VetoThreshold: Get<u32>;
		/// Most vetoes a proposal stores (at least [`Config::VetoThreshold`]).
		#[pallet::constant]
		type MaxVetoes: Get<u32>;
		/// Most farms that may vote on one proposal (at least [`Config::MinVoters`]).
		#[pallet::constant]
		type MaxVoters: Get<u32>;
		/// Heaviest call a proposal may carry.
		#[pallet::constant]
		type MaxCallWeight: Get<Weight>;
		/// Weights of the calls, from the benchmarks.
		type WeightInfo: WeightInfo;
		/// Makes farms (and DAO calls) for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self>;
	}

	/// Why this pallet holds TFT.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of an open proposal, held from its proposer until it is closed.
		ProposalDeposit,
	}

	/// Who dispatched a call: an approved farmer-DAO proposal.
	#[derive(
		Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
	)]
	pub enum RawOrigin {
		/// The farmer DAO approved proposal `proposal`, which carried the call.
		Farmers {
			/// The approved proposal.
			proposal: ProposalIndex,
		},
	}

	/// The pallet's origin: [`RawOrigin`].
	#[pallet::origin]
	pub type Origin = RawOrigin;

	/// The index the next proposal gets.
	#[pallet::storage]
	pub type ProposalCount<T> = StorageValue<_, ProposalIndex, ValueQuery>;

	/// The open proposals: being voted on, or waiting to be closed.
	#[pallet::storage]
	pub type Proposals<T: Config> =
		CountedStorageMap<_, Twox64Concat, ProposalIndex, ProposalOf<T>>;

	/// Each open proposal's call, SCALE-encoded.
	#[pallet::storage]
	pub type ProposalCalls<T: Config> = StorageMap<_, Twox64Concat, ProposalIndex, CallBytesOf<T>>;

	/// The votes on each open proposal, one per farm.
	#[pallet::storage]
	pub type Votes<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ProposalIndex, Twox64Concat, FarmId, VoteOf<T>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A proposal was made (by [`Pallet::propose`]).
		Proposed {
			/// Its index.
			index: ProposalIndex,
			/// Who proposed it.
			proposer: T::AccountId,
			/// The hash of its encoded call.
			call_hash: T::Hash,
			/// Voting is open before this block.
			end: BlockNumberFor<T>,
			/// Held from the proposer until it is closed (0 for a council member).
			deposit: BalanceOf<T>,
		},
		/// A farm voted (by [`Pallet::vote`]), or moved its vote to the other side.
		Voted {
			/// The proposal.
			index: ProposalIndex,
			/// The farm voting.
			farm: FarmId,
			/// The farm's owner, who cast the vote.
			who: T::AccountId,
			/// `true` for aye.
			aye: bool,
			/// The farm's proven capacity, counted on its side.
			weight: VoteWeight,
			/// The aye weight now.
			ayes: VoteWeight,
			/// The nay weight now.
			nays: VoteWeight,
		},
		/// A council member vetoed a proposal (by [`Pallet::veto`]).
		Vetoed {
			/// The proposal.
			index: ProposalIndex,
			/// The council member.
			who: T::AccountId,
			/// How many members have vetoed it now.
			vetoes: u32,
		},
		/// A proposal reached [`Config::VetoThreshold`] vetoes: no more votes, and it may be
		/// closed at once.
		Killed {
			/// The proposal.
			index: ProposalIndex,
		},
		/// A proposal was closed (by [`Pallet::close`]): removed with its call and votes, its
		/// deposit released.
		Closed {
			/// The proposal.
			index: ProposalIndex,
			/// Approved (its call follows in [`Event::Executed`]), rejected or vetoed.
			outcome: Outcome,
			/// The final aye weight.
			ayes: VoteWeight,
			/// The final nay weight.
			nays: VoteWeight,
			/// How many farms voted.
			voters: u32,
		},
		/// An approved proposal's call was dispatched with [`RawOrigin::Farmers`], or could not
		/// be (no longer decodable, no longer listed, heavier than allowed).
		Executed {
			/// The proposal.
			index: ProposalIndex,
			/// What the call returned.
			result: DispatchResult,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No open proposal has this index.
		UnknownProposal,
		/// The call is not one the DAO may make ([`Config::DaoCalls`]).
		CallNotAllowed,
		/// The encoded call is longer than [`Config::MaxCallLength`].
		CallTooLong,
		/// The call weighs more than [`Config::MaxCallWeight`].
		CallTooHeavy,
		/// The description is longer than [`Config::MaxDescriptionLength`].
		DescriptionTooLong,
		/// The link is longer than [`Config::MaxLinkLength`].
		LinkTooLong,
		/// The voting period is outside
		/// [`Config::MinVotingPeriod`]`..=`[`Config::MaxVotingPeriod`].
		BadVotingPeriod,
		/// [`Config::MaxProposals`] proposals are open already (or every index is used).
		TooManyProposals,
		/// Only council members propose without naming a farm: name a farm you own.
		FarmRequired,
		/// No farm has this id.
		UnknownFarm,
		/// The caller does not own the farm.
		NotFarmOwner,
		/// The farm proved no capacity in the last reward period (nodes that never reported
		/// weigh nothing): it can neither vote nor propose.
		NoProvenCapacity,
		/// The proposal was vetoed: no more votes or vetoes.
		Vetoed,
		/// The voting period is over.
		VotingEnded,
		/// The farm already voted on this side.
		AlreadyVoted,
		/// [`Config::MaxVoters`] farms voted already.
		TooManyVoters,
		/// A tally would leave the range of a vote weight.
		TallyOverflow,
		/// The caller is not a council member.
		NotCouncilMember,
		/// This member vetoed the proposal already.
		AlreadyVetoed,
		/// [`Config::MaxVetoes`] members vetoed already.
		TooManyVetoes,
		/// The voting period is not over and the proposal is not vetoed.
		VotingNotEnded,
		/// `call_weight_bound` is below the call's weight or `voters_bound` below the number of
		/// farms that voted: read them from the proposal and try again.
		WrongBound,
		/// The stored call no longer decodes (the runtime changed since it was proposed).
		UndecodableCall,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxProposals::get() >= 1, "MaxProposals must be at least 1");
			assert!(!T::MinVotingPeriod::get().is_zero(), "MinVotingPeriod must be > 0");
			assert!(T::MinVotingPeriod::get() <= T::MaxVotingPeriod::get());
			assert!(T::MinVoters::get() >= 1, "MinVoters must be at least 1");
			assert!(T::MinVoters::get() <= T::MaxVoters::get(), "MaxVoters below the quorum");
			assert!(T::VetoThreshold::get() >= 1, "VetoThreshold must be at least 1");
			assert!(T::VetoThreshold::get() <= T::MaxVetoes::get(), "MaxVetoes below threshold");
			// The heaviest close (every voter, the heaviest call) must fit in one extrinsic.
			let weights = <T as frame_system::Config>::BlockWeights::get();
			let normal = weights.get(DispatchClass::Normal);
			let limit = normal.max_extrinsic.unwrap_or(weights.max_block);
			let close =
				T::WeightInfo::close(T::MaxVoters::get()).saturating_add(T::MaxCallWeight::get());
			assert!(close.all_lte(limit), "the heaviest close must fit in an extrinsic");
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
		/// Put a call up for the farmers' vote.
		///
		/// - Origin: signed. A council member proposes without a deposit; anyone else names a
		///   `farm` it owns, with proven capacity, and [`Config::ProposalDeposit`] is held from it
		///   until the proposal is closed.
		/// - `call`: a call of [`Config::DaoCalls`], at most [`Config::MaxCallLength`] encoded
		///   bytes and [`Config::MaxCallWeight`]. If approved it is dispatched with
		///   [`RawOrigin::Farmers`].
		/// - `description`: at most [`Config::MaxDescriptionLength`] bytes; `link`: at most
		///   [`Config::MaxLinkLength`] bytes.
		/// - `voting_period`: blocks of voting, within
		///   [`Config::MinVotingPeriod`]`..=`[`Config::MaxVotingPeriod`].
		/// - `farm`: the proposer's farm (required unless a council member; checked if given).
		///
		/// Emits [`Event::Proposed`].
		///
		/// Errors: [`Error::DescriptionTooLong`], [`Error::LinkTooLong`],
		/// [`Error::CallNotAllowed`], [`Error::CallTooLong`], [`Error::CallTooHeavy`],
		/// [`Error::BadVotingPeriod`], [`Error::TooManyProposals`], [`Error::FarmRequired`],
		/// [`Error::UnknownFarm`], [`Error::NotFarmOwner`], [`Error::NoProvenCapacity`], a
		/// `Token` error when the deposit cannot be held.
		///
		/// Weight: linear in the call's encoded length, plus the farm-weight query.
		#[pallet::call_index(0)]
		#[pallet::weight(
			T::WeightInfo::propose(u32::try_from(call.encoded_size()).unwrap_or(u32::MAX))
				.saturating_add(T::Farms::query_weight())
		)]
		pub fn propose(
			origin: OriginFor<T>,
			call: Box<<T as Config>::RuntimeCall>,
			description: Vec<u8>,
			link: Vec<u8>,
			voting_period: BlockNumberFor<T>,
			farm: Option<FarmId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_propose(who, *call, description, link, voting_period, farm)
		}

		/// Vote for a farm on a proposal, or move the farm's vote to the other side.
		///
		/// - Origin: signed, by the farm's owner.
		/// - `index`: the proposal; its voting period must not be over, and it must not be
		///   vetoed.
		/// - `farm`: the farm voting. It votes with the capacity it proved in the last reward
		///   period, read now, and counts once: voting again on the same side is refused, on
		///   the other side the farm's previous weight leaves that side.
		/// - `aye`: `true` for aye, `false` for nay.
		///
		/// Emits [`Event::Voted`].
		///
		/// Errors: [`Error::UnknownProposal`], [`Error::Vetoed`], [`Error::VotingEnded`],
		/// [`Error::UnknownFarm`], [`Error::NotFarmOwner`], [`Error::NoProvenCapacity`],
		/// [`Error::AlreadyVoted`], [`Error::TooManyVoters`], [`Error::TallyOverflow`].
		///
		/// Weight: constant, plus the farm-weight query.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::vote().saturating_add(T::Farms::query_weight()))]
		pub fn vote(
			origin: OriginFor<T>,
			index: ProposalIndex,
			farm: FarmId,
			aye: bool,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_vote(who, index, farm, aye)
		}

		/// Veto a proposal. At [`Config::VetoThreshold`] vetoes it is killed: no more votes, and
		/// anyone may close it at once (rejected as vetoed, the deposit released).
		///
		/// - Origin: signed, by a council member.
		/// - `index`: an open proposal, not vetoed yet (its voting period may be over).
		///
		/// Emits [`Event::Vetoed`], and [`Event::Killed`] at the threshold.
		///
		/// Errors: [`Error::NotCouncilMember`], [`Error::UnknownProposal`], [`Error::Vetoed`],
		/// [`Error::AlreadyVetoed`], [`Error::TooManyVetoes`].
		#[pallet::call_index(2)]
		pub fn veto(origin: OriginFor<T>, index: ProposalIndex) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_veto(who, index)
		}

		/// Close a proposal whose voting period is over, or a vetoed one at any time, and
		/// dispatch its call if approved.
		///
		/// - Origin: signed, by anyone.
		/// - `index`: the proposal.
		/// - `call_weight_bound`: at least the proposal's `call_weight`.
		/// - `voters_bound`: at least the proposal's `voters`.
		///
		/// Approved when not vetoed, at least [`Config::MinVoters`] farms voted, their weight
		/// (aye and nay) is at least [`Config::MinTurnout`] of all farms' proven capacity, and
		/// the aye weight is above the nay weight. The proposal, its call and its votes are removed and
		/// the deposit released, whatever the outcome. An approved call is dispatched with
		/// [`RawOrigin::Farmers`]; if it fails (or no longer decodes, is no longer listed, or
		/// is now heavier than [`Config::MaxCallWeight`]) the close stands and
		/// [`Event::Executed`] carries the error.
		///
		/// Emits [`Event::Closed`], then [`Event::Executed`] when approved.
		///
		/// Errors: [`Error::UnknownProposal`], [`Error::VotingNotEnded`], [`Error::WrongBound`]
		/// (also when the call now weighs more than `call_weight_bound`).
		///
		/// Weight: charged for `voters_bound` farms and `call_weight_bound`; the farms that did
		/// not vote and what the call did not use are refunded.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::close(*voters_bound).saturating_add(*call_weight_bound))]
		pub fn close(
			origin: OriginFor<T>,
			index: ProposalIndex,
			call_weight_bound: Weight,
			voters_bound: u32,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let (voters, call_weight) = Self::do_close(index, call_weight_bound, voters_bound)?;
			Ok(Some(T::WeightInfo::close(voters).saturating_add(call_weight)).into())
		}

		/// Authorize a runtime upgrade by its code hash (with the version check). Anyone may
		/// then apply it with `system.applyAuthorizedUpgrade(code)`.
		///
		/// - Origin: [`Config::UpgradeOrigin`].
		/// - `code_hash`: the hash of the new runtime's Wasm code; it replaces any earlier
		///   authorization.
		///
		/// frame_system emits `UpgradeAuthorized`.
		///
		/// Errors: `BadOrigin`.
		#[pallet::call_index(4)]
		pub fn authorize_upgrade(origin: OriginFor<T>, code_hash: T::Hash) -> DispatchResult {
			T::UpgradeOrigin::ensure_origin(origin)?;
			Self::do_authorize_upgrade(code_hash);
			Ok(())
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// An open proposal: its call's hash and weight, texts, end, tally and vetoes.
		pub fn proposal(index: ProposalIndex) -> Option<ProposalOf<T>> {
			Proposals::<T>::get(index)
		}
		/// A farm's vote on an open proposal.
		pub fn vote_of(index: ProposalIndex, farm: FarmId) -> Option<VoteOf<T>> {
			Votes::<T>::get(index, farm)
		}
	}

	impl<T: Config> Pallet<T> {
		pub(crate) fn now() -> BlockNumberFor<T> {
			frame_system::Pallet::<T>::block_number()
		}

		/// The weight `who` votes with for `farm`: its proven capacity, above zero.
		pub(crate) fn farm_weight(
			who: &T::AccountId,
			farm: FarmId,
		) -> Result<VoteWeight, Error<T>> {
			use grid_primitives::governance::VoterError;
			let weight = T::Farms::voter_weight(who, farm).map_err(|e| match e {
				VoterError::UnknownFarm => Error::<T>::UnknownFarm,
				VoterError::NotFarmOwner => Error::<T>::NotFarmOwner,
			})?;
			ensure!(weight > 0, Error::<T>::NoProvenCapacity);
			Ok(weight)
		}
	}
}
