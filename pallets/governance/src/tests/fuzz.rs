//! Random sequences (proptest) of proposals, votes, vetoes, closes, capacity changes and blocks
//! passing, by several accounts and farms. After every step: every invariant holds (`try_state`:
//! no farm counted twice, tallies are the sums of the votes), a refused call changed no storage
//! at all, each account holds exactly the deposits of its open proposals, and no TFT appeared or
//! vanished. After closing everything, no vote, call or deposit is left.

use super::*;
use frame::deps::sp_io;
use proptest::prelude::*;

/// Farmers (who own farms 1–5) and council members.
const ACCOUNTS: [AccountId; 8] = [ALICE, BOB, CHARLIE, DAVE, PAUPER, C1, C2, EVE];
const COUNCIL: [AccountId; 3] = [C1, C2, C3];

#[derive(Clone, Debug)]
enum Op {
	Propose { who: usize, call: u8, farm: Option<FarmId>, period: u64 },
	Vote { who: usize, index: u32, farm: FarmId, aye: bool },
	Veto { member: usize, index: u32 },
	Close { who: usize, index: u32, exact: bool },
	Advance(u64),
	SetWeight(FarmId, VoteWeight),
}

fn op() -> impl Strategy<Value = Op> {
	let who = 0..ACCOUNTS.len();
	// Mostly one of the open proposals (see `pick`); farm 6 does not exist.
	let index = 0u32..10;
	let farm = 1u32..7;
	prop_oneof![
		3 => (who.clone(), 0u8..4, proptest::option::of(farm.clone()), 3u64..12)
			.prop_map(|(who, call, farm, period)| Op::Propose { who, call, farm, period }),
		10 => (who.clone(), index.clone(), farm.clone(), any::<bool>())
			.prop_map(|(who, index, farm, aye)| Op::Vote { who, index, farm, aye }),
		1 => (0..COUNCIL.len(), index.clone()).prop_map(|(member, index)| Op::Veto { member, index }),
		2 => (who, index, any::<bool>()).prop_map(|(who, index, exact)| Op::Close { who, index, exact }),
		2 => (1u64..4).prop_map(Op::Advance),
		1 => (farm, 0u64..200).prop_map(|(f, w)| Op::SetWeight(f, w)),
	]
}

/// `choice` below 8 picks one of the open proposals (if any); above, an index likely unknown.
fn pick(choice: u32) -> ProposalIndex {
	let open: Vec<ProposalIndex> = Proposals::<Test>::iter_keys().collect();
	match open.len() {
		0 => choice,
		n if choice < 8 => open[choice as usize % n],
		_ => choice,
	}
}

fn call(kind: u8) -> RuntimeCall {
	match kind {
		0 => record_call(),
		1 => fail_call(),
		2 => remark(3),
		_ => upgrade_call(H256::repeat_byte(9)),
	}
}

/// Applies one step; `Err` when the call was refused.
fn apply(op: &Op) -> Result<(), DispatchError> {
	let o = |i: usize| signed(ACCOUNTS[i]);
	match op.clone() {
		Op::Propose { who, call: kind, farm, period } => {
			// Mostly the account's own farm (council members: none), so proposals succeed as
			// well as fail.
			let own = FarmTable::get().iter().find(|f| f.1 == ACCOUNTS[who]).map(|f| f.0);
			let farm = if period % 3 == 0 { farm } else { own };
			Governance::propose(o(who), Box::new(call(kind)), b"d".to_vec(), vec![], period, farm)
		},
		Op::Vote { who, index, farm, aye } => {
			let index = pick(index);
			// Mostly the farm's owner, so votes succeed as well as fail.
			let owner = FarmTable::get().iter().find(|f| f.0 == farm).map(|f| f.1);
			let origin = owner.filter(|_| who % 4 != 0).map_or_else(|| o(who), signed);
			Governance::vote(origin, index, farm, aye)
		},
		Op::Veto { member, index } => Governance::veto(signed(COUNCIL[member]), pick(index)),
		Op::Close { who, index, exact } => {
			let index = pick(index);
			let (weight, voters) = match Proposals::<Test>::get(index) {
				Some(p) if exact => (p.call_weight, p.voters),
				// Sometimes too low a bound.
				Some(p) => (MAX_CALL_WEIGHT, p.voters.saturating_sub(who as u32 % 2)),
				None => (MAX_CALL_WEIGHT, 10),
			};
			Governance::close(o(who), index, weight, voters)
				.map(|_| ())
				.map_err(|e| e.error)
		},
		Op::Advance(n) => {
			run_to_block(System::block_number() + n);
			Ok(())
		},
		Op::SetWeight(farm, weight) => {
			set_farm_weight(farm, weight);
			Ok(())
		},
	}
}

/// Every account holds exactly the deposits of its open proposals (none when it has none).
fn deposits_match() -> Result<(), TestCaseError> {
	for who in ACCOUNTS.into_iter().chain(COUNCIL) {
		let open: Balance = Proposals::<Test>::iter_values()
			.filter(|p| p.proposer == who)
			.map(|p| p.deposit)
			.sum();
		prop_assert_eq!(held(who), open, "account {}'s held deposits", who);
	}
	Ok(())
}

fn total_balance() -> Balance {
	use frame::traits::fungible::Inspect;
	ACCOUNTS.iter().chain(COUNCIL.iter()).map(Balances::total_balance).sum()
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

	#[test]
	fn random_sequences_keep_every_invariant(ops in proptest::collection::vec(op(), 1..80)) {
		new_test_ext().execute_with(|| {
			let money = total_balance();
			for op in &ops {
				let before = sp_io::storage::root(frame::deps::sp_runtime::StateVersion::V1);
				let events_before = System::event_count();
				let result = apply(op);
				if result.is_err() {
					let after = sp_io::storage::root(frame::deps::sp_runtime::StateVersion::V1);
					prop_assert_eq!(before, after, "refused {:?} changed storage", op);
					prop_assert_eq!(events_before, System::event_count());
				}
				if let Err(e) = Governance::do_try_state() {
					prop_assert!(false, "invariant broken after {:?} ({:?}): {:?}", op, result, e);
				}
				deposits_match()?;
				prop_assert_eq!(total_balance(), money, "TFT created or destroyed by {:?}", op);
			}
			// Everything closes once its voting period is over, with the proposal's own bounds.
			run_to_block(System::block_number() + MAX_PERIOD);
			let open: Vec<ProposalIndex> = Proposals::<Test>::iter_keys().collect();
			for index in open {
				let p = proposal(index);
				prop_assert!(Governance::close(signed(EVE), index, MAX_CALL_WEIGHT, p.voters).is_ok());
			}
			prop_assert_eq!(Proposals::<Test>::count(), 0);
			prop_assert_eq!(Votes::<Test>::iter().count(), 0);
			prop_assert_eq!(ProposalCalls::<Test>::iter().count(), 0);
			deposits_match()?;
			prop_assert!(Governance::do_try_state().is_ok());
			Ok(())
		})?;
	}
}
