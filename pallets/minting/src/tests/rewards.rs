//! The reference's worked example to the planck, SLA scaling, certification, proration,
//! capacity changes, virtualization and network usage.

use super::*;

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
		//        → 44,629 mUSD ($44.629) at 1000 ‰ uptime, no traffic, no IPs;
		// TFT    = 44,629 mUSD / 80 mUSD per TFT = 557.8625 TFT = 5,578,625,000 planck.
		let r = receipt(node, 0);
		assert_eq!((r.uptime, r.registered), (1000, PARAMS.period_length));
		assert_eq!((r.cu, r.su), (15_750_000, 6_829_698));
		assert_eq!(r.policy, Some(1), "DIY default");
		assert_eq!(r.reward, Musd(44_629));
		assert_eq!(r.tft, 5_578_625_000);
		assert_eq!((r.payout, r.violation, r.virtualized), (FARMER, None, false));
		assert!(minting_events().contains(&Event::PeriodClosed { receipt: r.clone() }));
		assert_eq!(Unclaimed::<Test>::get(), 5_578_625_000);
		assert_eq!(FarmTotals::<Test>::get(1, 0).tft, 5_578_625_000);
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
		// 15,750,000 × 3,000 + 6,829,698 × 1,250 = 55,787,122,500 → 55,787 mUSD
		// → 55,787 / 80 TFT = 697.3375 TFT = 6,973,375,000 planck.
		let r = receipt(node, 0);
		assert_eq!((r.policy, r.reward, r.tft), (Some(2), Musd(55_787), 6_973_375_000));
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
		// 44,629,698,000 × 970 / 1000 = 43,290,807,060 → 43,290 mUSD → 5,411,250,000 planck.
		let r = receipt(node, 0);
		assert_eq!((r.uptime, r.reward, r.tft), (970, Musd(43_290), 5_411_250_000));
	});
	test(|| {
		let node = grid();
		period_with_downtime(600);
		let r = receipt(node, 0);
		assert_eq!((r.uptime, r.reward, r.tft), (940, Musd(0), 0), "below the DIY SLA");
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
		// 44,629,698,000 × 1000/1000 × 2,500/10,000 = 11,157,424,500 → 11,157 mUSD.
		let r = receipt(node, 0);
		assert_eq!((r.uptime, r.registered, r.reward), (1000, 2_500, Musd(11_157)));
		assert_eq!(r.tft, 11_157 * 10_000_000 / 80);
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
fn traffic_and_ips_of_the_period_are_paid() {
	test(|| {
		farm();
		// Capacity's running totals when the node registers: counted from here.
		set_network(1, NodeNetworkTotals { traffic_bytes: 5 * u128::from(GIB), ipv4_seconds: 0 });
		let node = register(NODE1, EXAMPLE);
		full_period_up_for(node, NODE1);
		let net = NodeNetworkTotals { traffic_bytes: 15 * u128::from(GIB), ipv4_seconds: 36_000 };
		set_network(node, net);
		report_at(PARAMS.period_length + 500, -(BOOTED_BEFORE as i64));
		// 10 GiB × 30 mUSD + 10 IPv4-hours × 5 mUSD on top of the capacity reward.
		let r = receipt(node, 0);
		assert_eq!((r.nu_bytes, r.ipv4_seconds), (10 * u128::from(GIB), 36_000));
		assert_eq!(r.reward, Musd(44_629 + 300 + 50));
		assert_eq!(state(node).period.network_at_start, net, "the next period counts from here");
	});
}

/// `account`'s node reports every 500 s of period 0 until just before its end.
fn full_period_up_for(node: NodeId, account: AccountId) {
	let mut t = 500;
	while t < PARAMS.period_length {
		at(t);
		assert_ok!(submit(report_of(node, BOOTED_BEFORE + t, 0), account));
		t += 500;
	}
}
