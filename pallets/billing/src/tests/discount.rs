//! The holding discount on committed TFT: tiers, edges, release with notice, and why the same
//! tokens cannot discount twice.

use super::*;

/// A month of Alice's [`SMALL`] contract with one IP at $0.10: 15,000 µUSD/h × 720 h.
const MONTHLY: Balance = 15_000 * 720 * PLANCK_PER_MICRO_USD;

fn discount_at_next_charge(committed: Balance) -> Percent {
	let c = node_contract(ALICE, N1, SMALL, 1);
	if committed > 0 {
		assert_ok!(Billing::commit(signed(ALICE), committed));
	}
	let start = System::block_number();
	run_to(start + PASS as u64);
	let e = billing_events().into_iter().rev().find_map(|e| match e {
		Event::Charged { contract_id, discount, amount, seconds, .. } if contract_id == c => {
			Some((discount, amount, seconds))
		},
		_ => None,
	});
	let (discount, amount, seconds) = e.expect("charged");
	let full = planck_for(SMALL_HOURLY + IP_HOURLY, seconds);
	let per_micro = Usd::from_micro(MicroUsd(1)).0;
	let expected = (per_micro * (SMALL_HOURLY + IP_HOURLY) * seconds as u128 / 3_600)
		* (100 - discount.deconstruct() as u128)
		/ 100;
	assert_eq!(amount, (expected * 10_000_000).div_ceil(per_micro * 100_000));
	assert!(amount <= full);
	discount
}

#[test]
fn each_tier_and_its_edges() {
	let cases = [
		(0, 0),
		(MONTHLY * 15 / 10 - 1, 0),
		(MONTHLY * 15 / 10, 20),
		(MONTHLY * 3 - 1, 20),
		(MONTHLY * 3, 30),
		(MONTHLY * 6, 40),
		(MONTHLY * 18 - 1, 40),
		(MONTHLY * 18, 60),
	];
	for (committed, percent) in cases {
		test(|| {
			grid(2);
			let _ = Balances::force_set_balance(RuntimeOrigin::root(), ALICE, 100_000 * TFT);
			assert_eq!(
				discount_at_next_charge(committed),
				Percent::from_percent(percent),
				"{committed}"
			);
		});
	}
}

#[test]
fn commit_holds_and_refuses_bad_amounts() {
	test(|| {
		grid(0);
		assert_noop!(Billing::commit(signed(ALICE), 0), Error::<Test>::ZeroAmount);
		assert_noop!(Billing::commit(signed(GOVERNANCE), 5), Error::<Test>::NoTwin);
		assert_noop!(
			Billing::commit(signed(ALICE), 2 * INITIAL_BALANCE),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Billing::commit(signed(ALICE), 7 * TFT));
		assert_eq!(committed(ALICE), 7 * TFT);
		let twin_id = twin_of(ALICE);
		assert!(billing_events().contains(&Event::Committed {
			twin_id,
			amount: 7 * TFT,
			committed: 7 * TFT
		}));
	});
}

#[test]
fn a_release_stops_counting_at_once_and_frees_after_the_notice() {
	test(|| {
		grid(2);
		assert_ok!(Billing::commit(signed(ALICE), MONTHLY * 3));
		assert_noop!(
			Billing::request_release(signed(ALICE), MONTHLY * 4),
			Error::<Test>::ReleaseTooLarge
		);
		assert_noop!(Billing::release(signed(ALICE)), Error::<Test>::NothingToRelease);
		assert_ok!(Billing::request_release(signed(ALICE), MONTHLY * 2));
		assert_noop!(Billing::request_release(signed(ALICE), 1), Error::<Test>::ReleasePending);
		// Only one month counts now: no discount.
		assert_eq!(discount_at_next_charge(0), Percent::zero());
		assert_noop!(Billing::release(signed(ALICE)), Error::<Test>::NoticeNotOver);
		let before = free(ALICE);
		System::reset_events();
		run_to(1 + NOTICE as u64);
		assert_ok!(Billing::release(signed(ALICE)));
		let paid: Balance = billing_events()
			.into_iter()
			.filter_map(|e| match e {
				Event::Charged { paid, .. } => Some(paid),
				_ => None,
			})
			.sum();
		assert_eq!(free(ALICE), before + MONTHLY * 2 - paid);
		assert_eq!(committed(ALICE), MONTHLY);
	});
}

#[test]
fn charges_take_the_commitment_when_the_free_balance_runs_out() {
	test(|| {
		grid(2);
		let c = node_contract(ALICE, N1, SMALL, 1);
		assert_ok!(Billing::commit(signed(ALICE), 100_000));
		drain(ALICE, 1_000);
		run_to(14);
		// 7,500 + 25,000: 1,000 from the free balance, the rest from the commitment.
		assert_eq!(paid_total(c), 32_500);
		assert_eq!(committed(ALICE), 100_000 - 31_500);
		assert_eq!(
			Payers::<Test>::get(twin_of(ALICE) % PASS, twin_of(ALICE)).unwrap().committed,
			68_500
		);
	});
}

#[test]
fn committed_tft_cannot_discount_another_twin_or_move() {
	// tfchain's stash: one balance bonded to many twins gave all of them the top tier.
	test(|| {
		grid(2);
		let _ = Balances::force_set_balance(RuntimeOrigin::root(), ALICE, MONTHLY * 18 + 10 * TFT);
		assert_ok!(Billing::commit(signed(ALICE), MONTHLY * 18));
		// The committed TFT cannot be sent to Bob to commit again.
		assert!(Balances::transfer_allow_death(signed(ALICE), BOB, MONTHLY * 18).is_err());
		assert_eq!(discount_at_next_charge(0), Percent::from_percent(60));
		// Bob holds nothing committed: no discount for him.
		let c = node_contract(BOB, N2, SMALL, 1);
		run_to(System::block_number() + PASS as u64);
		let bob = billing_events().into_iter().rev().find_map(|e| match e {
			Event::Charged { contract_id, discount, .. } if contract_id == c => Some(discount),
			_ => None,
		});
		assert_eq!(bob, Some(Percent::zero()));
	});
}
