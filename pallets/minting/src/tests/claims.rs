//! Receipts and claims: paid once, to the payout account at claim time, by anyone; issuance
//! rises by exactly what is paid; the unclaimed bound; deleted nodes.

use super::*;

/// Node 1 up for all of period `k` (reports every 500 s, the last one closes it).
fn up_through(k: u64) {
	let from = k * PARAMS.period_length + 500;
	report_every(from, (k + 1) * PARAMS.period_length, 500);
}

#[test]
fn a_claim_mints_the_receipt_once() {
	test(|| {
		let node = grid();
		up_through(0);
		let owed = receipt(node, 0).tft;
		let (issuance0, farmer0) = (issuance(), balance(FARMER));
		let snap = grid_test_kit::Snapshot::<Test, Balances>::take(&["Minting"], &[FARMER]);
		assert_ok!(Minting::claim_node(signed(FARMER), 1, node));
		snap.assert_conserved();
		assert_eq!(issuance() - issuance0, owed, "issuance rises by exactly the receipt");
		assert_eq!(balance(FARMER) - farmer0, owed);
		assert!(minting_events().contains(&Event::ReceiptPaid {
			farm_id: 1,
			node_id: node,
			period: 0,
			payout: FARMER,
			amount: owed
		}));
		assert_eq!((Unclaimed::<Test>::get(), state(node).unclaimed), (0, 0));
		assert_eq!(TotalMinted::<Test>::get(), owed);
		assert_refused(
			|| Minting::claim_node(signed(FARMER), 1, node).map(|_| ()).map_err(|e| e.error),
			Error::NothingToClaim,
		);
		assert_refused(
			|| Minting::claim_farm(signed(FARMER), 1).map(|_| ()).map_err(|e| e.error),
			Error::NothingToClaim,
		);
		assert_eq!(FarmTotals::<Test>::get(1, 0).tft, owed, "the farm's total stays");
	});
}

#[test]
fn anyone_may_claim_for_the_farmer() {
	test(|| {
		let node = grid();
		up_through(0);
		let owed = receipt(node, 0).tft;
		let (bob, farmer) = (balance(BOB), balance(FARMER));
		assert_ok!(Minting::claim_farm(signed(BOB), 1));
		assert_eq!((balance(BOB), balance(FARMER) - farmer), (bob, owed));
	});
}

#[test]
fn the_payout_account_at_claim_time_is_paid() {
	test(|| {
		let node = grid();
		report_every(500, 5_000, 500);
		assert_ok!(Registry::set_farm_payout(signed(FARMER), 1, ALICE));
		report_every(5_500, PARAMS.period_length, 500);
		assert_eq!(receipt(node, 0).payout, ALICE);
		assert_ok!(Registry::set_farm_payout(signed(FARMER), 1, BOB));
		let (alice, bob) = (balance(ALICE), balance(BOB));
		assert_ok!(Minting::claim_node(signed(ALICE), 1, node));
		assert_eq!(balance(ALICE), alice);
		assert_eq!(balance(BOB) - bob, receipt_amount(&minting_events()));
	});
}

fn receipt_amount(events: &[Event<Test>]) -> Balance {
	events
		.iter()
		.find_map(|e| match e {
			Event::ReceiptPaid { amount, .. } => Some(*amount),
			_ => None,
		})
		.expect("paid")
}

#[test]
fn a_node_deleted_mid_period_keeps_a_claimable_receipt() {
	test(|| {
		let node = grid();
		report_every(500, 4_000, 500);
		assert_ok!(Registry::delete_node(signed(NODE1), node));
		assert!(NodeStates::<Test>::get(node).is_none());
		// Registered 4,000 s and up all of them: 1000 ‰ of 40 % of the period.
		let r = receipt(node, 0);
		assert_eq!((r.uptime, r.registered), (1000, 4_000));
		// $44.629698 × 40 % = $17.8518792 = 223.14849 TFT.
		assert_eq!(r.tft, 2_231_484_900);
		let farmer = balance(FARMER);
		assert_ok!(Minting::claim_node(signed(BOB), 1, node));
		assert_eq!(balance(FARMER) - farmer, r.tft);
	});
}

#[test]
fn beyond_the_unclaimed_bound_rewards_are_paid_at_once() {
	test(|| {
		let node = grid();
		for k in 0..u64::from(MAX_UNCLAIMED) {
			up_through(k);
		}
		assert_eq!(state(node).unclaimed, MAX_UNCLAIMED);
		let farmer = balance(FARMER);
		System::reset_events();
		up_through(u64::from(MAX_UNCLAIMED));
		let paid = receipt_amount(&minting_events());
		assert_eq!(paid, 5_578_712_250);
		assert_eq!(balance(FARMER) - farmer, paid, "paid, not lost");
		assert_eq!(Receipts::<Test>::iter().count(), MAX_UNCLAIMED as usize);
		// A farm claim pays at most MAX_CLAIM_BATCH receipts per call.
		let issuance0 = issuance();
		assert_ok!(Minting::claim_farm(signed(BOB), 1));
		assert_eq!(issuance() - issuance0, 3 * 5_578_712_250);
		assert_eq!(FarmTotals::<Test>::get(1, 3).receipts, 1);
	});
}

#[test]
fn claims_are_batched_per_farm() {
	test(|| {
		farm();
		let nodes: Vec<NodeId> =
			[NODE1, NODE2, ALICE].iter().map(|&a| register(a, EXAMPLE)).collect();
		for t in (500..=2 * PARAMS.period_length).step_by(500) {
			at(t);
			for (node, account) in nodes.iter().zip([NODE1, NODE2, ALICE]) {
				assert_ok!(submit(report_of(*node, BOOTED_BEFORE + t, 0), account));
			}
		}
		assert_eq!(Receipts::<Test>::iter().count(), 6);
		assert_ok!(Minting::claim_farm(signed(BOB), 1));
		assert_eq!(Receipts::<Test>::iter().count(), 6 - MAX_CLAIM_BATCH as usize);
		assert_ok!(Minting::claim_farm(signed(BOB), 1));
		assert_eq!(Receipts::<Test>::iter().count(), 0);
		assert_eq!(Minting::farm_period_total(1, 1).receipts, 3);
	});
}

#[test]
fn views_show_the_period_so_far_and_the_receipts() {
	test(|| {
		let node = grid();
		report_every(500, 5_000, 500);
		let view = Minting::period_so_far(node).expect("tracked");
		assert_eq!((view.period, view.uptime, view.uptime_permille), (0, 5_000, 1000));
		let usd =
			grid_primitives::money::Usd::from_micro(grid_primitives::money::MicroUsd(44_629_698));
		assert_eq!(view.projected_usd, usd);
		assert_eq!(view.projected_tft, 5_578_712_250);
		report_every(5_500, PARAMS.period_length, 500);
		assert_eq!(Minting::unclaimed_receipts(1), vec![receipt(node, 0)]);
		assert_eq!(Minting::farm_period_total(1, 0).tft, 5_578_712_250);
		assert_eq!(Minting::period_at(T0 + 12_345), Some((1, T0 + 10_000, T0 + 20_000)));
	});
}
