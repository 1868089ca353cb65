//! The DAO's domain types and their rules, free of storage: a proposal's tally, its vetoes and
//! its outcome.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::prelude::*;
use grid_primitives::governance::VoteWeight;

/// A proposal's number: proposals are numbered from 0 in the order they were made, and a number
/// is never reused.
pub type ProposalIndex = u32;

/// How a closed proposal ended.
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
pub enum Outcome {
	/// Quorum reached and more aye than nay weight: its call was dispatched.
	Approved,
	/// Quorum not reached, or no more aye than nay weight (a tie rejects).
	Rejected,
	/// The council vetoed it.
	Vetoed,
}

/// A farm's vote on a proposal.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Vote<AccountId> {
	/// The account that cast (or last moved) the vote: the farm's owner at the time.
	pub voter: AccountId,
	/// `true` for aye, `false` for nay.
	pub aye: bool,
	/// The capacity the farm had proven when the vote was cast, counted on its side.
	pub weight: VoteWeight,
}

/// A proposal being voted on (or waiting to be closed).
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxDescription, MaxLink, MaxVetoes))]
#[codec(mel_bound(
	AccountId: MaxEncodedLen,
	Balance: MaxEncodedLen,
	Hash: MaxEncodedLen,
	BlockNumber: MaxEncodedLen
))]
// The `NoBound` derives need the bounds on the parameters, the codec derives add theirs.
#[allow(clippy::multiple_bound_locations)]
pub struct Proposal<
	AccountId: Clone + PartialEq + Eq + Debug,
	Balance: Clone + PartialEq + Eq + Debug,
	Hash: Clone + PartialEq + Eq + Debug,
	BlockNumber: Clone + PartialEq + Eq + Debug,
	MaxDescription: Get<u32>,
	MaxLink: Get<u32>,
	MaxVetoes: Get<u32>,
> {
	/// Who proposed it.
	pub proposer: AccountId,
	/// What is held from the proposer until the proposal is closed (0 for a council member).
	pub deposit: Balance,
	/// The hash of the encoded call.
	pub call_hash: Hash,
	/// The call's weight when it was proposed: `close` must be given at least this bound.
	pub call_weight: Weight,
	/// What the proposal is about (UTF-8 by convention).
	pub description: BoundedVec<u8, MaxDescription>,
	/// A link to the discussion (UTF-8 by convention).
	pub link: BoundedVec<u8, MaxLink>,
	/// Voting is open before this block; from it on, anyone may close the proposal.
	pub end: BlockNumber,
	/// The aye weight: the sum of the weights of the farms voting aye.
	pub ayes: VoteWeight,
	/// The nay weight.
	pub nays: VoteWeight,
	/// How many farms voted.
	pub voters: u32,
	/// The council members that vetoed it, distinct, in order.
	pub vetoes: BoundedVec<AccountId, MaxVetoes>,
	/// Killed by enough vetoes: no more votes, and it may be closed at once.
	pub vetoed: bool,
}

/// Why a vote cannot be counted.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TallyError {
	/// The farm already voted on this side.
	AlreadyVoted,
	/// The proposal has as many voters as it may have.
	TooManyVoters,
	/// A tally would leave the range of [`VoteWeight`].
	Overflow,
}

/// Why a veto cannot be counted.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum VetoError {
	/// The proposal is vetoed already.
	Killed,
	/// This member vetoed it already.
	AlreadyVetoed,
	/// The veto list is full.
	TooManyVetoes,
}

impl<AccountId, Balance, Hash, BlockNumber, MaxDescription, MaxLink, MaxVetoes>
	Proposal<AccountId, Balance, Hash, BlockNumber, MaxDescription, MaxLink, MaxVetoes>
where
	AccountId: Clone + PartialEq + Eq + Debug,
	Balance: Clone + PartialEq + Eq + Debug,
	Hash: Clone + PartialEq + Eq + Debug,
	BlockNumber: Clone + PartialEq + Eq + Debug + PartialOrd,
	MaxDescription: Get<u32>,
	MaxLink: Get<u32>,
	MaxVetoes: Get<u32>,
{
	/// A proposal nobody has voted on or vetoed yet.
	pub fn new(
		proposer: AccountId,
		deposit: Balance,
		(call_hash, call_weight): (Hash, Weight),
		description: BoundedVec<u8, MaxDescription>,
		link: BoundedVec<u8, MaxLink>,
		end: BlockNumber,
	) -> Self {
		Proposal {
			proposer,
			deposit,
			call_hash,
			call_weight,
			description,
			link,
			end,
			ayes: 0,
			nays: 0,
			voters: 0,
			vetoes: BoundedVec::new(),
			vetoed: false,
		}
	}

	/// Votes are counted at block `now`: not vetoed, and before the end.
	pub fn voting_open(&self, now: &BlockNumber) -> bool {
		!self.vetoed && *now < self.end
	}

	/// The proposal may be closed at block `now`: vetoed, or voting over.
	pub fn closable(&self, now: &BlockNumber) -> bool {
		self.vetoed || *now >= self.end
	}

	/// How the proposal ends: vetoed; approved with at least `min_voters` farms voting, at
	/// least `min_turnout` weight voting (aye and nay) and strictly more aye than nay weight;
	/// rejected otherwise.
	pub fn outcome(&self, min_voters: u32, min_turnout: VoteWeight) -> Outcome {
		if self.vetoed {
			Outcome::Vetoed
		} else if self.voters >= min_voters
			&& self.ayes.saturating_add(self.nays) >= min_turnout
			&& self.ayes > self.nays
		{
			Outcome::Approved
		} else {
			Outcome::Rejected
		}
	}

	/// Counts a farm's vote of `weight` on side `aye`. `previous` is the farm's vote so far:
	/// none, and the farm is one more voter (at most `max_voters`); on the same side, refused;
	/// on the other side, its old weight leaves the old side. Changes nothing when it fails.
	pub fn count_vote(
		&mut self,
		previous: Option<&Vote<AccountId>>,
		aye: bool,
		weight: VoteWeight,
		max_voters: u32,
	) -> Result<(), TallyError> {
		let (mut ayes, mut nays, mut voters) = (self.ayes, self.nays, self.voters);
		match previous {
			None => {
				voters = voters
					.checked_add(1)
					.filter(|v| *v <= max_voters)
					.ok_or(TallyError::TooManyVoters)?;
			},
			Some(old) if old.aye == aye => return Err(TallyError::AlreadyVoted),
			Some(old) => {
				let side = if old.aye { &mut ayes } else { &mut nays };
				*side = side.checked_sub(old.weight).ok_or(TallyError::Overflow)?;
			},
		}
		let side = if aye { &mut ayes } else { &mut nays };
		*side = side.checked_add(weight).ok_or(TallyError::Overflow)?;
		self.ayes = ayes;
		self.nays = nays;
		self.voters = voters;
		Ok(())
	}

	/// Counts `who`'s veto; `Ok(true)` when it is the one that kills the proposal (the vetoes
	/// reach `threshold`). Changes nothing when it fails.
	pub fn add_veto(&mut self, who: AccountId, threshold: u32) -> Result<bool, VetoError> {
		if self.vetoed {
			return Err(VetoError::Killed);
		}
		if self.vetoes.contains(&who) {
			return Err(VetoError::AlreadyVetoed);
		}
		self.vetoes.try_push(who).map_err(|_| VetoError::TooManyVetoes)?;
		self.vetoed = self.veto_count() >= threshold;
		Ok(self.vetoed)
	}

	/// How many council members vetoed the proposal.
	pub fn veto_count(&self) -> u32 {
		u32::try_from(self.vetoes.len()).unwrap_or(u32::MAX)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	type P = Proposal<u64, u64, u64, u64, ConstU32<8>, ConstU32<8>, ConstU32<3>>;

	fn proposal() -> P {
		Proposal {
			proposer: 1,
			deposit: 10,
			call_hash: 7,
			call_weight: Weight::zero(),
			description: Default::default(),
			link: Default::default(),
			end: 100,
			ayes: 0,
			nays: 0,
			voters: 0,
			vetoes: Default::default(),
			vetoed: false,
		}
	}

	fn vote(aye: bool, weight: VoteWeight) -> Vote<u64> {
		Vote { voter: 1, aye, weight }
	}

	#[test]
	fn voting_is_open_before_the_end_and_closable_from_it() {
		let mut p = proposal();
		assert!(p.voting_open(&99) && !p.closable(&99));
		assert!(!p.voting_open(&100) && p.closable(&100));
		p.vetoed = true;
		assert!(!p.voting_open(&0) && p.closable(&0));
	}

	#[test]
	fn approval_needs_quorum_and_a_strict_aye_majority() {
		let mut p = proposal();
		p.ayes = 10;
		p.nays = 9;
		p.voters = 2;
		assert_eq!(p.outcome(2, 0), Outcome::Approved);
		assert_eq!(p.outcome(3, 0), Outcome::Rejected, "quorum not reached");
		assert_eq!(p.outcome(2, 19), Outcome::Approved, "turnout reached exactly");
		assert_eq!(p.outcome(2, 20), Outcome::Rejected, "turnout not reached");
		p.nays = 10;
		assert_eq!(p.outcome(2, 0), Outcome::Rejected, "a tie rejects");
		p.ayes = 0;
		p.nays = 0;
		assert_eq!(p.outcome(0, 0), Outcome::Rejected, "no weight at all rejects");
		p.ayes = 11;
		p.vetoed = true;
		assert_eq!(p.outcome(0, 0), Outcome::Vetoed);
	}

	#[test]
	fn a_first_vote_adds_a_voter_and_its_weight() {
		let mut p = proposal();
		assert_eq!(p.count_vote(None, true, 30, 2), Ok(()));
		assert_eq!(p.count_vote(None, false, 20, 2), Ok(()));
		assert_eq!((p.ayes, p.nays, p.voters), (30, 20, 2));
		let before = p.clone();
		assert_eq!(p.count_vote(None, true, 5, 2), Err(TallyError::TooManyVoters));
		assert_eq!(p, before);
	}

	#[test]
	fn a_switched_vote_moves_and_a_repeated_one_is_refused() {
		let mut p = proposal();
		p.count_vote(None, true, 30, 5).unwrap();
		let before = p.clone();
		assert_eq!(p.count_vote(Some(&vote(true, 30)), true, 30, 5), Err(TallyError::AlreadyVoted));
		assert_eq!(p, before);
		// The farm's weight is re-read when it switches: 30 leaves the ayes, 40 joins the nays.
		assert_eq!(p.count_vote(Some(&vote(true, 30)), false, 40, 5), Ok(()));
		assert_eq!((p.ayes, p.nays, p.voters), (0, 40, 1));
	}

	#[test]
	fn tallies_never_wrap() {
		let mut p = proposal();
		p.count_vote(None, true, VoteWeight::MAX, 5).unwrap();
		let before = p.clone();
		assert_eq!(p.count_vote(None, true, 1, 5), Err(TallyError::Overflow));
		assert_eq!(p, before);
		// A vote whose weight is not on its side (a broken invariant) is refused, not wrapped.
		assert_eq!(p.count_vote(Some(&vote(false, 1)), true, 1, 5), Err(TallyError::Overflow));
		assert_eq!(p, before);
	}

	#[test]
	fn vetoes_are_distinct_and_kill_at_the_threshold() {
		let mut p = proposal();
		assert_eq!(p.add_veto(7, 2), Ok(false));
		assert_eq!(p.add_veto(7, 2), Err(VetoError::AlreadyVetoed));
		assert_eq!(p.veto_count(), 1);
		assert_eq!(p.add_veto(8, 2), Ok(true));
		assert!(p.vetoed);
		assert_eq!(p.add_veto(9, 2), Err(VetoError::Killed));
		assert_eq!(p.vetoes.to_vec(), vec![7, 8]);
	}

	#[test]
	fn a_full_veto_list_refuses_more() {
		let mut p = proposal();
		for who in 1..=3 {
			assert_eq!(p.add_veto(who, 10), Ok(false));
		}
		let before = p.clone();
		assert_eq!(p.add_veto(4, 10), Err(VetoError::TooManyVetoes));
		assert_eq!(p, before);
	}
}
