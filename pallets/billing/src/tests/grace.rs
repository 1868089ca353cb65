//! Grace, debt, top-ups and running out of funds, with tfchain's billing defects as scenarios
//! that pass here.

use super::*;

/// Per pass (60 s) of a [`SMALL`] contract with one IP.
const PER_PASS: Balance = 25_000;

fn grace_started(twin: TwinId) -> bool {
	billing_events()
		.iter()
		.any(|e| matches!(e, Event::GraceStarted { twin_id, .. } if *twin_id == twin))
}

/// Alice's contract on node 1, her free balance drained to `keep`, charged through block 14:
/// 7,500 at block 4, then 25,000 at block 14.
fn alice_short_of(keep: Balance) -> ContractId {
	grid(2);
	let c = node_contract(ALICE, N1, SMALL, 1);
	standing(ALICE);
	drain(ALICE, keep);
	run_to(14);
	c
}

#[test]
fn a_payer_that_cannot_pay_goes_into_grace_paying_what_it_can() {
	test(|| {
		let c = alice_short_of(10_000);
		assert_eq!(charges(c), vec![(18, 18, 7_500, 7_500, 0), (60, 60, PER_PASS, 2_500, 22_500)]);
		assert!(grace_started(twin_of(ALICE)));
		assert!(matches!(state_of(c), Some(ContractState::GracePeriod { .. })));
		assert_eq!(Billing::contract_billing(c).unwrap().debt.total(), 22_500);
		// Still owing: the debt grows, the contract stays in grace.
		run_to(24);
		assert_eq!(charges(c).last().unwrap().4, 22_500 + PER_PASS);
		assert!(matches!(state_of(c), Some(ContractState::GracePeriod { .. })));
	});
}

#[test]
fn a_top_up_by_plain_transfer_pays_the_debt_first_and_resumes_at_the_next_charge() {
	// tfchain left contracts in grace after a top-up; here the next charge resumes them.
	test(|| {
		let c = alice_short_of(10_000);
		let farmer = free(FARMER);
		assert_ok!(Balances::transfer_allow_death(signed(BOB), ALICE, 100_000));
		run_to(24);
		let last = *charges(c).last().unwrap();
		assert_eq!((last.2, last.3, last.4), (PER_PASS, 22_500 + PER_PASS, 0));
		assert_eq!(state_of(c), Some(ContractState::Created));
		assert!(billing_events().contains(&Event::GraceEnded { twin_id: twin_of(ALICE) }));
		// The farmer got his share of the old debt too.
		assert_eq!(free(FARMER), farmer + (22_500 + PER_PASS) * 40 / 100);
	});
}

#[test]
fn pay_debt_resumes_at_once_or_changes_nothing() {
	test(|| {
		let c = alice_short_of(10_000);
		assert_noop!(Billing::pay_debt(signed(ALICE)), Error::<Test>::CannotPayDebt);
		assert_noop!(Billing::pay_debt(signed(BOB)), Error::<Test>::NotAPayer);
		assert_ok!(Balances::transfer_allow_death(signed(BOB), ALICE, 30_000));
		assert_ok!(Billing::pay_debt(signed(ALICE)));
		assert_eq!(state_of(c), Some(ContractState::Created));
		assert_eq!(charges(c).last().unwrap(), &(0, 0, 0, 22_500, 0));
		assert_eq!(Billing::contract_billing(c).unwrap().grace_since, None);
		assert_noop!(Billing::pay_debt(signed(ALICE)), Error::<Test>::NoDebt);
	});
}

#[test]
fn committing_tft_pays_the_debt_at_once() {
	test(|| {
		let c = alice_short_of(10_000);
		// Her deposit's TFT is held; give her some to commit.
		assert_ok!(Balances::transfer_allow_death(signed(BOB), ALICE, 40_000));
		assert_ok!(Billing::commit(signed(ALICE), 30_000));
		assert_eq!(state_of(c), Some(ContractState::Created));
		assert_eq!(Billing::contract_billing(c).unwrap().debt, Due::default());
	});
}

#[test]
fn after_the_grace_period_the_contracts_end_and_their_deposit_pays_the_debt() {
	test(|| {
		let c = alice_short_of(10_000);
		let (farmer, deposit_back) = (free(FARMER), free(ALICE) + CONTRACT_DEPOSIT);
		let since = 14;
		run_to(since + GRACE as u64 - 1);
		assert!(state_of(c).is_some());
		let mut end = since + GRACE as u64 - 1;
		while state_of(c).is_some() && end < since + GRACE as u64 + 10 {
			end += 1;
			run_to(end);
		}
		assert_eq!(state_of(c), None);
		// Ending it settled nothing again: charged exactly the time it lived, once.
		assert_eq!(charged_seconds(c), secs_at(end) - secs_at(1));
		let events = billing_events();
		assert!(events.contains(&Event::OutOfFunds { twin_id: twin_of(ALICE), contracts: 1 }));
		assert!(!events.iter().any(|e| matches!(e, Event::DebtWrittenOff { .. })));
		assert!(Billing::contract_billing(c).is_none());
		assert!(Payers::<Test>::iter().next().is_none(), "nothing owed: nothing kept");
		// Her deposit came back and paid all she owed; the farmer got his share of it.
		let paid: Balance = charges(c).iter().map(|c| c.3).sum();
		let owed = paid - 7_500 - 2_500;
		assert_eq!(free(ALICE), deposit_back - owed);
		assert!(free(FARMER) > farmer);
	});
}

/// Item 3: grace is credit. A payer keeps its contracts in grace only while they owe no more
/// than its charges ever paid (up to a month of its contracts), so squatting through grace
/// lasts no longer than the squatter paid; in grace it creates nothing.
#[test]
fn grace_is_credit_that_lasts_no_longer_than_what_was_paid() {
	test(|| {
		grid(2);
		let c = node_contract(ALICE, N1, SMALL, 1);
		run_to(14);
		// Paid at 4 and 14: 7,500 + 25,000 of standing.
		assert_eq!(Billing::ledger(twin_of(ALICE)).unwrap().credit, 32_500);
		drain(ALICE, 0);
		run_to(24);
		assert!(grace_started(twin_of(ALICE)), "owing 25,000: within its standing");
		assert!(matches!(state_of(c), Some(ContractState::GracePeriod { .. })));
		let name = BoundedVec::truncate_from(b"squat".to_vec());
		assert_ok!(Balances::transfer_allow_death(signed(BOB), ALICE, 10 * TFT));
		assert_noop!(
			Capacity::create_name_contract(signed(ALICE), name),
			Error::<Test>::PayerInGrace
		);
		drain(ALICE, 0);
		// Owing 50,000 at 34, more than it ever paid: out of funds, 20 blocks before the grace
		// period would have ended.
		run_to(34);
		assert_eq!(state_of(c), None);
		assert!(34 < 24 + u64::from(GRACE));
	});
}

#[test]
fn a_rent_contracts_grace_carries_its_node_contracts() {
	test(|| {
		grid(2);
		let rent = rent_contract(ALICE, N2);
		let child = node_contract(ALICE, N2, SMALL, 1);
		standing(ALICE);
		drain(ALICE, 0);
		run_to(4);
		for c in [rent, child] {
			assert!(matches!(state_of(c), Some(ContractState::GracePeriod { .. })), "contract {c}");
		}
		assert_ok!(Balances::transfer_allow_death(signed(BOB), ALICE, 10 * TFT));
		run_to(14);
		assert_eq!(state_of(rent), Some(ContractState::Created));
		assert_eq!(state_of(child), Some(ContractState::Created));
		drain(ALICE, 0);
		run_to(24 + GRACE as u64 + 10);
		assert_eq!((state_of(rent), state_of(child)), (None, None));
	});
}

#[test]
fn a_contract_that_costs_nothing_now_still_settles_its_debt() {
	// tfchain skipped contracts with nothing to bill, so their debt was never settled.
	test(|| {
		grid(2);
		let c = node_contract(ALICE, N1, SMALL, 0);
		standing(ALICE);
		drain(ALICE, 0);
		run_to(14);
		let debt = charges(c).last().unwrap().4;
		assert_eq!(debt, planck_for(SMALL_HOURLY, 18) + planck_for(SMALL_HOURLY, 60));
		// The node goes down: the contract costs nothing any more, and Alice tops up.
		node_goes_down(N1, secs_at(14));
		assert_ok!(Balances::transfer_allow_death(signed(BOB), ALICE, 100_000));
		run_to(24);
		let last = *charges(c).last().unwrap();
		assert_eq!((last.1, last.2, last.3, last.4), (0, 0, debt, 0));
		assert_eq!(state_of(c), Some(ContractState::Created));
	});
}

#[test]
fn traffic_is_not_charged_again_in_every_grace_cycle() {
	// tfchain re-added the unbilled traffic at each cycle while in grace (overbilling).
	test(|| {
		grid(2);
		let c = node_contract(ALICE, N1, Resources::default(), 0);
		standing(ALICE);
		drain(ALICE, 0);
		let report = pallet_capacity::UsageReport {
			contract_id: c,
			window_start: secs_at(1),
			window_end: secs_at(2),
			used: Resources::default(),
			public_traffic_bytes: 1_000_000_000,
		};
		run_to(2);
		assert_ok!(report_usage(NODE1, N1, report));
		// Runs at 4 (grace starts), 14, 24; at 34 the grace period is over.
		run_to(24);
		let amounts: Vec<_> = charges(c).iter().map(|c| c.2).collect();
		assert_eq!(amounts, vec![1_500 * PLANCK_PER_MICRO_USD, 0, 0]);
		assert_eq!(charges(c).last().unwrap().4, 1_500 * PLANCK_PER_MICRO_USD);
	});
}

#[test]
fn cancelling_in_grace_settles_from_the_deposit_and_writes_off_the_rest() {
	test(|| {
		ContractDepositAmount::set(10_000);
		let c = alice_short_of(0);
		run_to(17);
		assert_ok!(Capacity::cancel_contract(signed(ALICE), c));
		let charged: Vec<_> = charges(c);
		let (amount, paid): (Balance, Balance) =
			charged.iter().fold((0, 0), |(a, p), c| (a + c.2, p + c.3));
		// Its 10,000-planck deposit paid what it could, at the settlement.
		assert_eq!(charged.last().unwrap().3, 10_000);
		let written_off = billing_events().into_iter().find_map(|e| match e {
			Event::DebtWrittenOff { contract_id, amount, .. } if contract_id == c => Some(amount),
			_ => None,
		});
		assert_eq!(written_off, Some(amount - paid));
		let ledger = Billing::payer_outlook(twin_of(ALICE)).expect("kept: it owes");
		assert_eq!((ledger.contracts, ledger.debt), (0, amount - paid));
	});
}
