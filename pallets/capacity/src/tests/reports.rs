//! Usage reports: by the hosting node only, bounded per report and per node, stale and
//! duplicate windows and contracts in grace skipped, owners' caps applied.

use super::*;
use grid_primitives::contracts::{ContractLifecycle, NetworkUsage};

fn report(contract_id: ContractId, start: u64, end: u64, bytes: u64) -> UsageReport {
	UsageReport {
		contract_id,
		window_start: GENESIS_SECS + start,
		window_end: GENESIS_SECS + end,
		used: QUARTER,
		public_traffic_bytes: bytes,
	}
}

fn batch(reports: Vec<UsageReport>) -> UsageReports<Test> {
	BoundedVec::truncate_from(reports)
}

fn at(secs: u64) {
	Timestamp::set_timestamp((GENESIS_SECS + secs) * 1_000);
}

#[test]
fn the_hosting_node_reports_and_totals_accumulate() {
	test(|| {
		grid(0);
		let a = assert_create_node_contract(ALICE, 1, 1, QUARTER, 0);
		let b = assert_create_node_contract(BOB, 1, 2, QUARTER, 0);
		at(3_600);
		assert_ok!(Capacity::report_usage(
			signed(NODE1),
			batch(vec![report(a, 0, 3_600, 1_000), report(b, 0, 3_600, 500)])
		));
		assert_eq!(
			last_event(),
			Event::UsageReported { node_id: 1, accepted: 2, skipped: 0, capped_bytes: 0 }
		);
		assert_eq!(Capacity::contract_traffic(a), 1_000);
		assert_eq!(ContractUsages::<Test>::get(a).unwrap().used, QUARTER);
		assert_eq!(Capacity::contract_traffic(b), 500);
		// The same window again, and one overlapping it, count nothing.
		assert_ok!(Capacity::report_usage(
			signed(NODE1),
			batch(vec![report(a, 0, 3_600, 1_000), report(a, 1_800, 3_600, 9)])
		));
		assert_eq!(
			last_event(),
			Event::UsageReported { node_id: 1, accepted: 0, skipped: 2, capped_bytes: 0 }
		);
		assert_eq!(Capacity::contract_traffic(a), 1_000);
		// A contract that ended meanwhile is skipped, not an error.
		assert_ok!(Capacity::cancel_contract(signed(BOB), b));
		at(7_200);
		assert_ok!(Capacity::report_usage(
			signed(NODE1),
			batch(vec![report(a, 3_600, 7_200, 1), report(b, 3_600, 7_200, 1)])
		));
		assert_eq!(
			last_event(),
			Event::UsageReported { node_id: 1, accepted: 1, skipped: 1, capped_bytes: 0 }
		);
		assert_eq!(Capacity::contract_traffic(a), 1_001);
	});
}

#[test]
fn windows_before_the_contract_existed_are_stale() {
	test(|| {
		grid(0);
		at(1_000);
		let a = assert_create_node_contract(ALICE, 1, 1, QUARTER, 0);
		at(2_000);
		assert_ok!(Capacity::report_usage(signed(NODE1), batch(vec![report(a, 500, 2_000, 7)])));
		assert_eq!(
			last_event(),
			Event::UsageReported { node_id: 1, accepted: 0, skipped: 1, capped_bytes: 0 }
		);
	});
}

#[test]
fn another_nodes_contract_refuses_the_batch() {
	test(|| {
		grid(0);
		let a = assert_create_node_contract(ALICE, 1, 1, QUARTER, 0);
		let b = assert_create_node_contract(BOB, 2, 1, QUARTER, 0);
		at(100);
		// tfchain let any node report for any contract.
		assert_refused(
			|| {
				Capacity::report_usage(
					signed(NODE1),
					batch(vec![report(a, 0, 100, 1), report(b, 0, 100, 1)]),
				)
			},
			Error::<Test>::NotContractNode,
		);
		assert_refused(
			|| Capacity::report_usage(signed(ALICE), batch(vec![report(a, 0, 100, 1)])),
			Error::<Test>::NodeNotFound,
		);
		assert_refused(
			|| Capacity::report_usage(signed(99), batch(vec![report(a, 0, 100, 1)])),
			Error::<Test>::TwinNotFound,
		);
		assert_ok!(Capacity::create_name_contract(signed(ALICE), name("gw1")));
		let name_id = LastContractId::<Test>::get();
		assert_refused(
			|| Capacity::report_usage(signed(NODE1), batch(vec![report(name_id, 0, 100, 1)])),
			Error::<Test>::NotANodeContract,
		);
	});
}

#[test]
fn bad_windows_and_false_traffic_are_refused() {
	test(|| {
		grid(0);
		let a = assert_create_node_contract(ALICE, 1, 1, QUARTER, 0);
		at(100);
		for bad in [report(a, 50, 50, 1), report(a, 60, 50, 1), report(a, 50, 101, 1)] {
			assert_refused(
				|| Capacity::report_usage(signed(NODE1), batch(vec![bad.clone()])),
				Error::<Test>::InvalidWindow,
			);
		}
		let most = 100 * MAX_BYTES_PER_SECOND;
		assert_refused(
			|| Capacity::report_usage(signed(NODE1), batch(vec![report(a, 0, 100, most + 1)])),
			Error::<Test>::ImplausibleTraffic,
		);
		assert_ok!(Capacity::report_usage(signed(NODE1), batch(vec![report(a, 0, 100, most)])));
	});
}

#[test]
fn report_weight_grows_with_the_batch() {
	use frame::deps::frame_support::dispatch::GetDispatchInfo;
	let call = |n: usize| {
		RuntimeCall::Capacity(Call::report_usage { reports: batch(vec![report(1, 0, 1, 0); n]) })
			.get_dispatch_info()
			.call_weight
	};
	assert!(call(1).all_lt(call(MAX_USAGE_REPORTS as usize)));
}

/// Item 1: a node's traffic is bounded over all its contracts, not per contract: many
/// contracts each at the per-report maximum cannot add up beyond the node's allowance.
#[test]
fn a_nodes_traffic_is_bounded_over_all_its_contracts() {
	test(|| {
		grid(0);
		let small = Resources { cru: 1, mru: GIB, sru: GIB, hru: 0 };
		let contracts: Vec<_> = (0..4u8)
			.map(|i| {
				assert_ok!(Capacity::create_node_contract(
					signed(ALICE),
					1,
					[i; 32],
					Default::default(),
					small,
					0,
					None
				));
				LastContractId::<Test>::get()
			})
			.collect();
		assert_ok!(Capacity::set_limits(
			gov(),
			Limits { node_traffic_per_second: 1_000, ..Limits::default() }
		));
		at(3_600);
		// Each report is plausible alone (3.6 MB in an hour is far below 10 Gbit/s), but four
		// of them are above the node's hour of 1,000 bytes a second.
		let batch_of =
			|bytes| batch(contracts.iter().map(|c| report(*c, 0, 3_600, bytes)).collect());
		assert_refused(
			|| Capacity::report_usage(signed(NODE1), batch_of(1_000_000)),
			Error::<Test>::NodeTrafficExceeded,
		);
		assert_ok!(Capacity::report_usage(signed(NODE1), batch_of(900_000)));
		// The hour's allowance is spent: more waits for it to refill.
		at(3_700);
		let more = batch(vec![report(contracts[0], 3_600, 3_700, 200_000)]);
		assert_refused(
			|| Capacity::report_usage(signed(NODE1), more.clone()),
			Error::<Test>::NodeTrafficExceeded,
		);
		at(3_900);
		assert_ok!(Capacity::report_usage(signed(NODE1), more));
	});
}

/// Item 1: a contract in grace has its workloads paused: traffic reported for it is not
/// counted (nobody would pay for it).
#[test]
fn traffic_of_a_contract_in_grace_is_not_counted() {
	test(|| {
		grid(0);
		let a = assert_create_node_contract(ALICE, 1, 1, QUARTER, 0);
		assert_ok!(<Capacity as ContractLifecycle<_, _>>::start_grace(a));
		at(3_600);
		assert_ok!(Capacity::report_usage(signed(NODE1), batch(vec![report(a, 0, 3_600, 1_000)])));
		assert_eq!(
			last_event(),
			Event::UsageReported { node_id: 1, accepted: 0, skipped: 1, capped_bytes: 0 }
		);
		assert_eq!(Capacity::contract_traffic(a), 0);
	});
}

/// Item 1: a user caps what a node may bill it for traffic; only its owner may.
#[test]
fn an_owner_caps_the_traffic_its_node_may_bill() {
	test(|| {
		grid(0);
		let a = assert_create_node_contract(ALICE, 1, 1, QUARTER, 0);
		assert_refused(
			|| Capacity::set_traffic_limit(signed(BOB), a, Some(1)),
			Error::<Test>::NotContractOwner,
		);
		assert_ok!(Capacity::set_traffic_limit(signed(ALICE), a, Some(1_000_000)));
		assert_eq!(
			last_event(),
			Event::TrafficLimitSet {
				contract_id: a,
				twin_id: twin_of(ALICE),
				limit: Some(1_000_000)
			}
		);
		at(7_200);
		assert_ok!(Capacity::report_usage(
			signed(NODE1),
			batch(vec![report(a, 0, 7_200, 5_000_000)])
		));
		assert_eq!(
			last_event(),
			Event::UsageReported { node_id: 1, accepted: 1, skipped: 0, capped_bytes: 3_000_000 }
		);
		assert_eq!(Capacity::contract_traffic(a), 2_000_000, "two hours of the cap");
		assert_ok!(Capacity::create_name_contract(signed(ALICE), name("gw1")));
		let name_id = LastContractId::<Test>::get();
		assert_refused(
			|| Capacity::set_traffic_limit(signed(ALICE), name_id, None),
			Error::<Test>::NotANodeContract,
		);
	});
}
