//! `close`: when, the outcome, the dispatch with the farmers' origin, and the weight.

use super::*;

/// Alice's proposal of `call`, with Alice and Bob voting `ayes`/`nays` as given.
fn voted(call: RuntimeCall, alice: Option<bool>, bob: Option<bool>) -> ProposalIndex {
	let index = assert_propose(ALICE, call, Some(ALICE_FARM));
	if let Some(aye) = alice {
		assert_vote(ALICE, index, ALICE_FARM, aye);
	}
	if let Some(aye) = bob {
		assert_vote(BOB, index, BOB_FARM, aye);
	}
	index
}

#[test]
fn close_before_the_end_is_refused() {
	test(|| {
		let index = voted(record_call(), Some(true), Some(true));
		run_to_block(proposal(index).end - 1);
		assert_noop!(close(EVE, index), Error::<Test>::VotingNotEnded);
		assert_noop!(close_unchecked(9), Error::<Test>::UnknownProposal);
		assert_noop!(
			Governance::close(RuntimeOrigin::root(), index, MAX_CALL_WEIGHT, 10),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn an_approved_call_is_dispatched_with_the_farmers_origin() {
	test(|| {
		let index = voted(record_call(), Some(true), Some(false));
		end_voting(index);
		// Anyone closes; the call ran with `Farmers { proposal: index }`.
		assert_close(EVE, index, Outcome::Approved, Some(Ok(())));
		assert_eq!(recorded(), vec![index]);
		assert_eq!(held(ALICE), 0);
		assert_eq!(Balances::free_balance(ALICE), INITIAL_BALANCE);
	});
}

#[test]
fn the_farmers_origin_cannot_be_forged() {
	test(|| {
		assert_noop!(Target::record(signed(ALICE)), DispatchError::BadOrigin);
		assert_noop!(Target::record(RuntimeOrigin::root()), DispatchError::BadOrigin);
		assert_ok!(Target::record(RawOrigin::Farmers { proposal: 3 }.into()));
		assert_eq!(recorded(), vec![3]);
	});
}

#[test]
fn the_dao_is_not_a_signed_account() {
	test(|| {
		// `remark_with_event` needs a signed origin: the DAO's call fails, the close stands.
		let call = RuntimeCall::System(frame_system::Call::remark_with_event { remark: vec![1] });
		let index = voted(call, Some(true), Some(true));
		end_voting(index);
		assert_close(EVE, index, Outcome::Approved, Some(Err(DispatchError::BadOrigin)));
	});
}

#[test]
fn a_failing_call_does_not_undo_the_close() {
	test(|| {
		let index = voted(fail_call(), Some(true), Some(true));
		end_voting(index);
		let failed: DispatchError = pallet_target::Error::<Test>::Failed.into();
		assert_close(EVE, index, Outcome::Approved, Some(Err(failed)));
		// What the call wrote before failing was undone; the proposal is gone, the deposit back.
		assert_eq!(recorded(), Vec::<u32>::new());
		assert_eq!(held(ALICE), 0);
		assert_eq!(ProposalCalls::<Test>::iter().count(), 0);
		assert_eq!(Votes::<Test>::iter().count(), 0);
	});
}

#[test]
fn without_quorum_a_proposal_is_rejected() {
	test(|| {
		// One farm, however heavy, is not the quorum of two.
		let index = voted(record_call(), Some(true), None);
		end_voting(index);
		assert_close(EVE, index, Outcome::Rejected, None);
		assert_eq!(recorded(), Vec::<u32>::new());
		assert_eq!(held(ALICE), 0);
	});
}

#[test]
fn a_tie_is_rejected() {
	test(|| {
		set_farm_weight(BOB_FARM, ALICE_WEIGHT);
		let index = voted(record_call(), Some(true), Some(false));
		end_voting(index);
		let p = proposal(index);
		assert_eq!(p.ayes, p.nays);
		assert_close(EVE, index, Outcome::Rejected, None);
		assert_eq!(recorded(), Vec::<u32>::new());
	});
}

#[test]
fn a_nay_majority_is_rejected() {
	test(|| {
		let index = voted(record_call(), Some(false), Some(true));
		end_voting(index);
		assert_close(BOB, index, Outcome::Rejected, None);
	});
}

#[test]
fn bounds_must_cover_the_call_and_the_voters() {
	test(|| {
		let index = voted(record_call(), Some(true), Some(true));
		end_voting(index);
		assert_noop!(
			Governance::close(signed(EVE), index, RECORD_WEIGHT, 1),
			Error::<Test>::WrongBound
		);
		assert_noop!(
			Governance::close(signed(EVE), index, RECORD_WEIGHT - Weight::from_parts(1, 0), 2),
			Error::<Test>::WrongBound
		);
		assert_ok!(Governance::close(signed(EVE), index, RECORD_WEIGHT, 2));
		assert_eq!(recorded(), vec![index]);
	});
}

#[test]
fn close_is_charged_for_the_voters_and_the_call_it_really_had() {
	test(|| {
		let index = voted(record_call(), Some(true), Some(true));
		end_voting(index);
		let (bound, voters_bound) = (MAX_CALL_WEIGHT, 500);
		let declared =
			RuntimeCall::Governance(Call::close { index, call_weight_bound: bound, voters_bound })
				.get_dispatch_info()
				.call_weight;
		assert_eq!(declared, <() as WeightInfo>::close(voters_bound) + bound);
		let info = Governance::close(signed(EVE), index, bound, voters_bound).unwrap();
		// Two voters and what `record` reported using, not its declared weight.
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::close(2) + RECORD_USED));
	});
}

#[test]
fn a_rejected_close_is_charged_for_its_voters_only() {
	test(|| {
		let index = voted(record_call(), Some(true), None);
		end_voting(index);
		let weight = assert_close(EVE, index, Outcome::Rejected, None);
		assert_eq!(weight, <() as WeightInfo>::close(1));
	});
}

#[test]
fn a_call_taken_off_the_list_is_not_dispatched() {
	test(|| {
		let index = voted(record_call(), Some(true), Some(true));
		end_voting(index);
		TargetListed::set(false);
		let weight = assert_close(
			EVE,
			index,
			Outcome::Approved,
			Some(Err(Error::<Test>::CallNotAllowed.into())),
		);
		assert_eq!(recorded(), Vec::<u32>::new());
		assert_eq!(weight, <() as WeightInfo>::close(2));
	});
}

#[test]
fn a_call_that_no_longer_decodes_is_reported_and_the_close_stands() {
	test(|| {
		let index = voted(record_call(), Some(true), Some(true));
		end_voting(index);
		// As if an upgrade had removed the call.
		ProposalCalls::<Test>::insert(index, BoundedVec::truncate_from(vec![0xff, 0xff]));
		assert_close(
			EVE,
			index,
			Outcome::Approved,
			Some(Err(Error::<Test>::UndecodableCall.into())),
		);
		assert_eq!(recorded(), Vec::<u32>::new());
	});
}

#[test]
fn a_call_heavier_than_allowed_at_close_is_not_dispatched() {
	test(|| {
		let index = voted(record_call(), Some(true), Some(true));
		end_voting(index);
		// As if an upgrade had made the call heavier than the DAO may dispatch.
		ProposalCalls::<Test>::insert(index, BoundedVec::truncate_from(heavy_call().encode()));
		assert_close(EVE, index, Outcome::Approved, Some(Err(Error::<Test>::CallTooHeavy.into())));
	});
}

#[test]
fn a_call_heavier_than_the_closers_bound_needs_a_higher_bound() {
	test(|| {
		let index = voted(remark(1), Some(true), Some(true));
		end_voting(index);
		// As if an upgrade had made the call heavier (still within the limit).
		ProposalCalls::<Test>::insert(index, BoundedVec::truncate_from(record_call().encode()));
		let stored = proposal(index).call_weight;
		assert!(stored.all_lt(RECORD_WEIGHT));
		assert_noop!(Governance::close(signed(EVE), index, stored, 2), Error::<Test>::WrongBound);
		assert_ok!(Governance::close(signed(EVE), index, RECORD_WEIGHT, 2));
		assert_eq!(recorded(), vec![index]);
	});
}

#[test]
fn a_closed_proposal_is_gone() {
	test(|| {
		let index = voted(record_call(), Some(true), Some(true));
		end_voting(index);
		assert_close(EVE, index, Outcome::Approved, Some(Ok(())));
		assert_noop!(close_unchecked(index), Error::<Test>::UnknownProposal);
		assert_noop!(
			Governance::vote(signed(CHARLIE), index, CHARLIE_FARM, true),
			Error::<Test>::UnknownProposal
		);
		assert_noop!(Governance::veto(signed(C1), index), Error::<Test>::UnknownProposal);
	});
}

fn close_unchecked(index: ProposalIndex) -> DispatchResultWithPostInfo {
	Governance::close(signed(EVE), index, MAX_CALL_WEIGHT, 10)
}

#[test]
fn approval_needs_the_turnout_of_all_farms_proven_capacity() {
	test(|| {
		// All farms proved 190; at 80 %, 152 must vote (rounded up).
		MinTurnout::set(Perbill::from_percent(80));
		let short = voted(record_call(), Some(true), Some(true));
		let enough = voted(record_call(), Some(true), Some(true));
		// A nay raises the turnout past it, and the ayes still win.
		assert_vote(CHARLIE, enough, CHARLIE_FARM, false);
		end_voting(enough);
		assert_close(EVE, short, Outcome::Rejected, None);
		assert_close(EVE, enough, Outcome::Approved, Some(Ok(())));
		assert_eq!(recorded(), vec![enough]);
	});
}
