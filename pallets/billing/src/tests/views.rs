//! The view functions: quotes, a contract's billing, a payer's outlook.

use super::*;

#[test]
fn a_quote_prices_a_prospective_contract_with_the_callers_discount() {
	test(|| {
		grid(2);
		let node = Prospective::Node { node_id: N1, resources: SMALL, public_ips: 1 };
		let q = Billing::quote(node.clone(), None).expect("a quote");
		assert_eq!(q.usd_per_hour, MicroUsd(15_000));
		assert_eq!(q.usd_per_month, MicroUsd(15_000 * 720));
		assert_eq!(q.tft_per_hour, 15_000 * PLANCK_PER_MICRO_USD);
		assert_eq!(q.tft_per_month, 15_000 * 720 * PLANCK_PER_MICRO_USD);
		assert_eq!(
			(q.discount, q.price),
			(Percent::zero(), grid_primitives::money::MusdPerTft(100))
		);
		// Alice commits 3 months of it: 30 % off.
		assert_ok!(Billing::commit(signed(ALICE), 3 * 15_000 * 720 * PLANCK_PER_MICRO_USD));
		let q = Billing::quote(node, Some(twin_of(ALICE))).expect("a quote");
		assert_eq!(q.discount, Percent::from_percent(30));
		assert_eq!(q.tft_per_hour, 15_000 * PLANCK_PER_MICRO_USD * 70 / 100);
		assert_eq!(Billing::quote(Prospective::Name, None).unwrap().usd_per_hour, MicroUsd(250));
		assert!(Billing::quote(Prospective::Rent { node_id: 9 }, None).is_none());
		OraclePrice::set(None);
		assert!(Billing::quote(Prospective::Name, None).is_none());
		OraclePrice::set(Some(100));
	});
}

#[test]
fn a_contracts_billing_and_a_payers_outlook() {
	test(|| {
		grid(2);
		let c = node_contract(ALICE, N1, SMALL, 1);
		let b = Billing::contract_billing(c).expect("billing");
		assert_eq!(
			(b.twin_id, b.charged_until, b.debt, b.grace_since),
			(twin_of(ALICE), GENESIS_SECS, Due::default(), None)
		);
		run_to(4);
		assert_eq!(Billing::contract_billing(c).unwrap().charged_until, secs_at(4));
		let o = Billing::payer_outlook(twin_of(ALICE)).expect("outlook");
		let monthly = 15_000 * 720 * PLANCK_PER_MICRO_USD;
		assert_eq!(
			(o.contracts, o.usd_per_month, o.tft_per_month),
			(1, MicroUsd(15_000 * 720), monthly)
		);
		assert_eq!(o.runway_days, Some(u64::try_from(o.free * 30 / monthly).unwrap()));
		assert!(Billing::payer_outlook(twin_of(BOB)).is_none());
		assert!(Billing::contract_billing(99).is_none());
	});
}
