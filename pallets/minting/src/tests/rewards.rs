//! The reference's worked example to the planck, SLA scaling, certification, proration,
//! capacity changes, virtualization and network usage.

use super::*;
use grid_primitives::{
	contracts::{NetworkRevenue, PaidNetwork},
	money::{MicroUsd, Usd, GB},
};

const TFT: u128 = 10_000_000;

fn usd_micro(micro: u64) -> Usd {
	Usd::from_micro(MicroUsd(micro))
}

/// Billionths of a dollar (millionths of a mUSD), exact.
fn nano_usd(nano: u128) -> Usd {
	Usd(Usd::PER_DOLLAR / 1_000_000_000 * nano)
}

/// Closes node 1's period 0 with a report at its end after reports every 500 s from T0 + 500.
fn full_period_up() {
	report_every(500, PARAMS.period_length, 500);
}

#[test]
fn the_worked_example_to_the_planck() {
	test(|| {
		let node = grid();
		full_period_up();
		// By hand, with the formulas of the issue (GiB = 2^30 bytes):
		// CU = min(2·16 = 32, (64 − 1)/4 = 15.75, (10^12 / 2^30)/50 = 18.626…) = 15.75
		//    = 15,750,000 millionths (memory bounds it);
		// SU = (4·10^12)/2^30/1200 + (10^12)/2^30/250 = (5·4·10^12 + 24·10^12)/(6000·2^30)
		//    = 44·10^18 / 6,442,450,944,000 millionths = 6,829,698.8… → 6,829,698;
		// reward = 15,750,000 × 2,400 + 6,829,698 × 1,000 = 44,629,698,000 millionths of a mUSD
		//        = $44.629698 exactly at 1000 ‰ uptime, no traffic, no IPs;
		// TFT    = $44.629698 / $0.08 = 557.871225 TFT = 5,578,712,250 planck, rounded once.
		let r = receipt(node, 0);
		assert_eq!((r.uptime, r.registered), (1000, PARAMS.period_length));
		assert_eq!((r.cu, r.su), (15_750_000, 6_829_698));
		assert_eq!(r.policy, Some(1), "DIY default");
		assert_eq!(r.capacity_usd, usd_micro(44_629_698));
		assert_eq!(r.tft, 5_578_712_250);
		assert_eq!((r.payout, r.violation, r.virtualized), (FARMER, None, false));
		assert!(minting_events().contains(&Event::PeriodClosed { receipt: r.clone() }));
		assert_eq!(Unclaimed::<Test>::get(), 5_578_712_250);
		assert_eq!(FarmTotals::<Test>::get(1, 0).tft, 5_578_712_250);
		assert_eq!(state(node).period.index, 1, "the next period runs");
	});
}

#[test]
fn the_same_node_certified_earns_policy_two() {
	test(|| {
		let node = grid();
		assert_ok!(Registry::set_node_certification(gov(), node, NodeCertification::Certified));
		assert_eq!(state(node).policy, Some(2));
		assert!(
			minting_events().contains(&Event::NodePolicyChanged { node_id: node, policy: Some(2) })
		);
		full_period_up();
		// 15,750,000 × 3,000 + 6,829,698 × 1,250 = 55,787,122,500 millionths of a mUSD
		// = $55.7871225 → 697.33903125 TFT, 6,973,390,312 planck rounded down.
		let r = receipt(node, 0);
		assert_eq!((r.policy, r.tft), (Some(2), 6_973_390_312));
		assert_eq!(r.capacity_usd, nano_usd(55_787_122_500));
	});
}

/// Node 1 up all of period 0 but for one reboot at 5,000 s that loses `down` seconds.
fn period_with_downtime(down: u64) {
	report_every(500, 5_000, 500);
	// Down just after its report at 5,000, back `down` seconds later.
	let back = 5_000 + down;
	report_every_booted(6_000, PARAMS.period_length, 500, back as i64);
}

#[test]
fn ninety_seven_percent_scales_ninety_four_pays_nothing() {
	test(|| {
		let node = grid();
		period_with_downtime(300);
		// 9,700 s of 10,000: 970 ‰ ≥ 950 ‰, the capacity reward × 0.97:
		// 44,629,698,000 × 970 / 1000 = 43,290,807,060 millionths of a mUSD = $43.29080706
		// → 541.13508825 TFT, 5,411,350,882 planck.
		let r = receipt(node, 0);
		assert_eq!((r.uptime, r.tft), (970, 5_411_350_882));
	});
	test(|| {
		let node = grid();
		period_with_downtime(600);
		let r = receipt(node, 0);
		assert_eq!((r.uptime, r.capacity_usd, r.tft), (940, Usd::ZERO, 0), "below the DIY SLA");
	});
}

#[test]
fn a_certified_node_needs_98_percent() {
	test(|| {
		let node = grid();
		assert_ok!(Registry::set_node_certification(gov(), node, NodeCertification::Certified));
		period_with_downtime(300);
		let r = receipt(node, 0);
		assert_eq!((r.uptime, r.policy, r.tft), (970, Some(2), 0));
	});
}

#[test]
fn the_first_period_is_prorated() {
	test(|| {
		farm();
		at(7_500);
		let node = register(NODE1, EXAMPLE);
		assert_eq!(state(node).period.start, T0 + 7_500);
		report_every(8_000, PARAMS.period_length, 500);
		// Registered for 2,500 s and up all of them: 1000 ‰ of a quarter period.
		// 44,629,698,000 × 1000/1000 × 2,500/10,000 = 11,157,424,500 millionths of a mUSD
		// = $11.1574245 → 139.46780625 TFT.
		let r = receipt(node, 0);
		assert_eq!((r.uptime, r.registered), (1000, 2_500));
		assert_eq!(r.tft, 1_394_678_062);
	});
}

#[test]
fn the_period_pays_its_minimum_capacity() {
	test(|| {
		let node = grid();
		report_every(500, 5_000, 500);
		let smaller = Resources { mru: 32 * GIB, ..EXAMPLE };
		assert_ok!(Registry::update_node(signed(NODE1), spec(smaller)));
		assert_ok!(Registry::update_node(signed(NODE1), spec(EXAMPLE)));
		report_every(5_500, PARAMS.period_length, 500);
		// CU = (32 − 1)/4 = 7.75 for period 0, whatever came back later.
		assert_eq!(receipt(node, 0).cu, 7_750_000);
		assert_eq!(state(node).period.min_resources, EXAMPLE, "period 1 starts from today's");
	});
}

#[test]
fn virtualized_nodes_earn_nothing_for_the_period() {
	test(|| {
		let node = grid();
		report_every(500, 5_000, 500);
		let mut vm = spec(EXAMPLE);
		vm.virtualized = true;
		assert_ok!(Registry::update_node(signed(NODE1), vm));
		assert_ok!(Registry::update_node(signed(NODE1), spec(EXAMPLE)));
		report_every(5_500, PARAMS.period_length, 500);
		let r = receipt(node, 0);
		assert!(r.virtualized, "once a VM in the period, a VM for the period");
		assert_eq!((r.uptime, r.tft), (1000, 0));
	});
}

#[test]
fn only_network_usage_users_paid_for_is_rewarded_within_the_share() {
	test(|| {
		let node = grid();
		report_every(500, 5_000, 500);
		// Billing collected 10 GB and 10 IPv4-hours, for which users paid 20 TFT, half of it
		// burned.
		let usage = |paid| PaidNetwork {
			traffic_bytes: 10 * u128::from(GB),
			ipv4_seconds: 36_000,
			paid,
			burned: paid / 2,
		};
		<Minting as NetworkRevenue>::collected(node, usage(10 * TFT));
		<Minting as NetworkRevenue>::collected(node, usage(10 * TFT));
		report_every(5_500, PARAMS.period_length, 500);
		// 20 GB × 1 mUSD + 20 IPv4-hours × 2 mUSD = 60 mUSD = 0.75 TFT, below the 10 TFT burned.
		let r = receipt(node, 0);
		let both = PaidNetwork {
			traffic_bytes: 20 * u128::from(GB),
			ipv4_seconds: 72_000,
			paid: 20 * TFT,
			burned: 10 * TFT,
		};
		assert_eq!(r.network, both);
		assert_eq!(r.network_usd, Usd::from_musd(Musd(60)));
		assert_eq!(r.tft, 5_578_712_250 + 7_500_000);
		assert_eq!(
			PaidNetworks::<Test>::get(node),
			PaidNetwork::default(),
			"the next period starts at 0"
		);
	});
}

#[test]
fn network_rewards_never_exceed_what_the_payments_burned() {
	test(|| {
		let node = grid();
		report_every(500, 5_000, 500);
		// A farmer's sock puppet pays 10 planck for a petabyte of its own traffic: 4 come back
		// to the farmer, 1 goes to the treasury, 5 are burned.
		let usage = PaidNetwork { traffic_bytes: 1 << 50, ipv4_seconds: 0, paid: 10, burned: 5 };
		<Minting as NetworkRevenue>::collected(node, usage);
		report_every(5_500, PARAMS.period_length, 500);
		let r = receipt(node, 0);
		assert!(r.network_usd > Usd::from_musd(Musd(1_000_000)), "over $1,000 at the rate");
		assert_eq!(r.tft, 5_578_712_250 + 5, "the burn minted back, no more: 9 of 10 return");
	});
}

#[test]
fn an_untracked_node_collects_nothing() {
	test(|| {
		grid();
		<Minting as NetworkRevenue>::collected(9, PaidNetwork { paid: 5, ..Default::default() });
		assert_eq!(PaidNetworks::<Test>::iter().count(), 0);
	});
}
