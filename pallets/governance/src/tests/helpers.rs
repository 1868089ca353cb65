//! Builders and `assert_*` helpers.
//!
//! Each `assert_<call>` snapshots the pallet's whole storage and the balances of the accounts
//! involved, makes the call, and then checks every delta: exactly the expected storage keys
//! changed, each record holds the expected value, deposits moved between free and held balance
//! to the unit, and the expected events came.

pub use crate::{mock::*, pallet::*, types::*, WeightInfo};
pub use frame::testing_prelude::*;
use frame::traits::fungible::InspectHold;
pub use grid_primitives::{governance::VoteWeight, registry::FarmId};

// ---- builders ----

pub fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

pub fn remark(len: usize) -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: vec![7; len] })
}

pub fn record_call() -> RuntimeCall {
	RuntimeCall::Target(pallet_target::Call::record {})
}

pub fn fail_call() -> RuntimeCall {
	RuntimeCall::Target(pallet_target::Call::fail {})
}

pub fn heavy_call() -> RuntimeCall {
	RuntimeCall::Target(pallet_target::Call::heavy {})
}

pub fn upgrade_call(code_hash: H256) -> RuntimeCall {
	RuntimeCall::Governance(Call::authorize_upgrade { code_hash })
}

pub use frame::deps::sp_core::H256;

/// What is held from `who` for proposal deposits.
pub fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::ProposalDeposit.into(), &who)
}

pub fn proposal(index: ProposalIndex) -> ProposalOf<Test> {
	Proposals::<Test>::get(index).expect("an open proposal")
}

pub fn recorded() -> Vec<u32> {
	pallet_target::Recorded::<Test>::get()
}

/// `who` proposes `call` for `MIN_PERIOD` blocks, naming `farm`.
pub fn propose(who: AccountId, call: RuntimeCall, farm: Option<FarmId>) -> DispatchResult {
	Governance::propose(
		signed(who),
		Box::new(call),
		b"desc".to_vec(),
		b"link".to_vec(),
		MIN_PERIOD,
		farm,
	)
}

/// Moves past the end of `index`'s voting period.
pub fn end_voting(index: ProposalIndex) {
	run_to_block(proposal(index).end);
}

/// Closes `index` with the bounds read from the proposal.
pub fn close(who: AccountId, index: ProposalIndex) -> DispatchResultWithPostInfo {
	let p = proposal(index);
	Governance::close(signed(who), index, p.call_weight, p.voters)
}

// ---- storage snapshots ----

/// The pallet's storage and the balances of some accounts before a call.
pub type Snapshot = grid_test_kit::Snapshot<Test, Balances>;

/// Takes a snapshot of the pallet; `accounts` are those whose balances are checked.
pub fn snapshot(accounts: &[AccountId]) -> Snapshot {
	Snapshot::take(&["Governance"], accounts)
}

/// The pallet's events since a snapshot.
pub trait GovernanceEvents {
	/// The call emitted `expected` governance events, in this order, and no other.
	fn assert_events(&self, expected: Vec<Event<Test>>);
}

impl GovernanceEvents for Snapshot {
	fn assert_events(&self, expected: Vec<Event<Test>>) {
		let new: Vec<Event<Test>> = self
			.new_events()
			.into_iter()
			.filter_map(|e| match e {
				RuntimeEvent::Governance(e) => Some(e),
				_ => None,
			})
			.collect();
		assert_eq!(new, expected);
	}
}

pub fn counter_key() -> Vec<u8> {
	use frame::deps::sp_io::hashing::twox_128;
	[twox_128(b"Governance"), twox_128(b"CounterForProposals")].concat()
}

// ---- assert_* helpers: one call, every delta ----

/// `who` proposes `call` naming `farm`: the proposal, its call, the index and the counter are
/// stored, the deposit (none for a council member) is held, one `Proposed` event.
pub fn assert_propose(who: AccountId, call: RuntimeCall, farm: Option<FarmId>) -> ProposalIndex {
	let index = ProposalCount::<Test>::get();
	let deposit = if Council::get().contains(&who) { 0 } else { DEPOSIT };
	let snap = snapshot(&[who]);
	assert_ok!(propose(who, call.clone(), farm));
	snap.assert_changed(&[
		ProposalCount::<Test>::hashed_key().to_vec(),
		counter_key(),
		Proposals::<Test>::hashed_key_for(index),
		ProposalCalls::<Test>::hashed_key_for(index),
	]);
	let encoded = call.encode();
	let call_hash = <Test as frame_system::Config>::Hashing::hash(&encoded);
	let end = System::block_number() + MIN_PERIOD;
	assert_eq!(
		proposal(index),
		Proposal {
			proposer: who,
			deposit,
			call_hash,
			call_weight: call.get_dispatch_info().call_weight,
			description: BoundedVec::truncate_from(b"desc".to_vec()),
			link: BoundedVec::truncate_from(b"link".to_vec()),
			end,
			ayes: 0,
			nays: 0,
			voters: 0,
			vetoes: Default::default(),
			vetoed: false,
		}
	);
	assert_eq!(ProposalCalls::<Test>::get(index).unwrap().into_inner(), encoded);
	assert_eq!(ProposalCount::<Test>::get(), index + 1);
	snap.assert_held_moved(&who, deposit as i128);
	snap.assert_events(vec![Event::Proposed { index, proposer: who, call_hash, end, deposit }]);
	index
}

/// `who` votes for `farm`: the farm's vote is stored with its current weight, the tally moves
/// (a switched vote leaves its old side), one `Voted` event, no balance moves.
pub fn assert_vote(who: AccountId, index: ProposalIndex, farm: FarmId, aye: bool) {
	let weight = FarmTable::get().iter().find(|f| f.0 == farm).unwrap().2;
	let before = proposal(index);
	let previous = Votes::<Test>::get(index, farm);
	let snap = snapshot(&[who]);
	assert_ok!(Governance::vote(signed(who), index, farm, aye));
	snap.assert_changed(&[
		Proposals::<Test>::hashed_key_for(index),
		Votes::<Test>::hashed_key_for(index, farm),
	]);
	let (mut ayes, mut nays, mut voters) = (before.ayes, before.nays, before.voters);
	match previous {
		None => voters += 1,
		Some(old) if old.aye => ayes -= old.weight,
		Some(old) => nays -= old.weight,
	}
	if aye {
		ayes += weight;
	} else {
		nays += weight;
	}
	assert_eq!(proposal(index), Proposal { ayes, nays, voters, ..before });
	assert_eq!(Votes::<Test>::get(index, farm), Some(Vote { voter: who, aye, weight }));
	snap.assert_balances_unchanged(&[who]);
	snap.assert_events(vec![Event::Voted { index, farm, who, aye, weight, ayes, nays }]);
}

/// Council member `who` vetoes: appended to the vetoes, killed at the threshold.
pub fn assert_veto(who: AccountId, index: ProposalIndex) {
	let before = proposal(index);
	let snap = snapshot(&[who]);
	assert_ok!(Governance::veto(signed(who), index));
	snap.assert_changed(&[Proposals::<Test>::hashed_key_for(index)]);
	let mut vetoes = before.vetoes.to_vec();
	vetoes.push(who);
	let killed = vetoes.len() as u32 >= VETO_THRESHOLD;
	assert_eq!(
		proposal(index),
		Proposal { vetoes: BoundedVec::truncate_from(vetoes.clone()), vetoed: killed, ..before }
	);
	let mut events = vec![Event::Vetoed { index, who, vetoes: vetoes.len() as u32 }];
	if killed {
		events.push(Event::Killed { index });
	}
	snap.assert_events(events);
}

/// `who` closes `index` with the proposal's own bounds: the proposal, its call, its votes and
/// the counter change; the deposit comes back; `Closed` with `outcome`, then `Executed` with
/// `executed` when approved. Returns the weight the close reported.
pub fn assert_close(
	who: AccountId,
	index: ProposalIndex,
	outcome: Outcome,
	executed: Option<DispatchResult>,
) -> Weight {
	let p = proposal(index);
	let mut keys = vec![
		counter_key(),
		Proposals::<Test>::hashed_key_for(index),
		ProposalCalls::<Test>::hashed_key_for(index),
	];
	keys.extend(
		Votes::<Test>::iter_key_prefix(index).map(|f| Votes::<Test>::hashed_key_for(index, f)),
	);
	let snap = snapshot(&[p.proposer, who]);
	let info = close(who, index).expect("close succeeds");
	snap.assert_changed(&keys);
	assert!(!Proposals::<Test>::contains_key(index));
	assert!(!ProposalCalls::<Test>::contains_key(index));
	assert_eq!(Votes::<Test>::iter_prefix(index).count(), 0);
	snap.assert_held_moved(&p.proposer, -(p.deposit as i128));
	if who != p.proposer {
		snap.assert_balances_unchanged(&[who]);
	}
	let mut events =
		vec![Event::Closed { index, outcome, ayes: p.ayes, nays: p.nays, voters: p.voters }];
	if let Some(result) = executed {
		events.push(Event::Executed { index, result });
	}
	snap.assert_events(events);
	info.actual_weight.expect("close reports its weight")
}
