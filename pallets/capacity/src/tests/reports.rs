//! Usage reports: signed by the hosting node's account, checked before the pool and again in
//! the block, free, one batch per node per gap, bounded per report and per node, stale and
//! duplicate windows and contracts in grace skipped, owners' caps applied.

use super::*;
use frame::deps::{
	frame_support::{dispatch::GetDispatchInfo, traits::Authorize},
	sp_runtime::transaction_validity::TransactionSource,
};
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

fn at(secs: u64) {
	Timestamp::set_timestamp((GENESIS_SECS + secs) * 1_000);
}

/// Node 1 (NODE1) submits `reports` through the pool and the block.
fn node1_reports(reports: Vec<UsageReport>) -> DispatchResult {
	submit_usage(&usage_batch(1, reports), NODE1)
}

#[test]
fn the_hosting_node_reports_and_totals_accumulate() {
	test(|| {
		grid(0);
		let a = assert_create_node_contract(ALICE, 1, 1, QUARTER, 0);
		let b = assert_create_node_contract(BOB, 1, 2, QUARTER, 0);
		at(3_600);
		assert_eq!(
			assert_report_usage(vec![report(a, 0, 3_600, 1_000), report(b, 0, 3_600, 500)]),
			Event::UsageReported { node_id: 1, accepted: 2, skipped: 0, capped_bytes: 0 }
		);
		assert_eq!(Capacity::contract_traffic(a), 1_000);
		assert_eq!(ContractUsages::<Test>::get(a).unwrap().used, QUARTER);
		assert_eq!(Capacity::contract_traffic(b), 500);
		// The next batch, a gap later: the same window again, and one overlapping it, count
		// nothing; alone they are nothing new and refused.
		at(3_600 + GAP);
		let again = usage_batch(1, vec![report(a, 0, 3_600, 1_000), report(a, 1_800, 3_600, 9)]);
		assert_usage_refused(&again, NODE1, custom(9), Error::<Test>::StaleUsageBatch);
		assert_eq!(
			assert_report_usage(vec![
				report(a, 0, 3_600, 1_000),
				report(a, 1_800, 3_600, 9),
				report(b, 3_600, 3_600 + GAP, 0)
			]),
			Event::UsageReported { node_id: 1, accepted: 1, skipped: 2, capped_bytes: 0 }
		);
		assert_eq!(Capacity::contract_traffic(a), 1_000);
		// A contract that ended meanwhile is skipped, not an error.
		assert_ok!(Capacity::cancel_contract(signed(BOB), b));
		at(7_200);
		assert_eq!(
			assert_report_usage(vec![report(a, 3_600, 7_200, 1), report(b, 3_600 + GAP, 7_200, 1)]),
			Event::UsageReported { node_id: 1, accepted: 1, skipped: 1, capped_bytes: 0 }
		);
		assert_eq!(Capacity::contract_traffic(a), 1_001);
	});
}

/// The call costs the node nothing: it is a general transaction, without an account (no fee
/// is taken in the runtime; `runtime/tests/capacity.rs` checks that), and it writes nothing
/// but the node's records. Only the authorized origin dispatches it.
#[test]
fn a_signed_batch_is_counted_and_only_the_authorized_origin_dispatches_it() {
	test(|| {
		grid(0);
		let a = assert_create_node_contract(ALICE, 1, 1, QUARTER, 0);
		at(3_600);
		let batch = usage_batch(1, vec![report(a, 0, 3_600, 1_000)]);
		for origin in [signed(NODE1), RuntimeOrigin::root(), RuntimeOrigin::none()] {
			let before = state();
			assert_noop!(
				Capacity::report_usage(origin, batch.clone(), sign_batch(NODE1, &batch)),
				DispatchError::BadOrigin
			);
			assert_eq!(state(), before);
		}
		assert_eq!(
			assert_report_usage(batch.reports.to_vec()),
			Event::UsageReported { node_id: 1, accepted: 1, skipped: 0, capped_bytes: 0 }
		);
		assert_eq!(Capacity::contract_traffic(a), 1_000);
		assert_eq!(LastUsageBatch::<Test>::get(1), Some(GENESIS_SECS + 3_600));
	});
}

/// A batch signed by any other account — another node, the node's farmer, the contract's
/// owner — is a bad proof in the pool and changes nothing; so is a signature of another
/// context (the same bytes without the usage context, as an uptime report would sign).
#[test]
fn a_batch_signed_by_another_account_is_a_bad_proof() {
	test(|| {
		grid(0);
		let a = assert_create_node_contract(ALICE, 1, 1, QUARTER, 0);
		at(3_600);
		let batch = usage_batch(1, vec![report(a, 0, 3_600, 1_000)]);
		let bad_proof: TransactionValidityError = InvalidTransaction::BadProof.into();
		for signer in [NODE2, FARMER, ALICE] {
			let before = state();
			assert_eq!(pool_usage(&batch, signer), Err(bad_proof));
			assert_eq!(state(), before);
		}
		let other_context = frame::deps::sp_runtime::testing::TestSignature(NODE1, batch.encode());
		let call = Call::<Test>::report_usage { batch: batch.clone(), signature: other_context };
		assert_eq!(
			call.authorize(TransactionSource::External).expect("authorizes").map(|_| ()),
			Err(bad_proof)
		);
		assert_eq!(Capacity::contract_traffic(a), 0);
		assert_eq!(LastUsageBatch::<Test>::get(1), None);
		// The node's own signature passes.
		assert_ok!(submit_usage(&batch, NODE1));
	});
}

/// One batch per node per gap: a second batch sooner is refused before the pool (custom code
/// 3) and in a block; at the gap it passes. Another node is not held back by it.
#[test]
fn a_node_sends_one_batch_per_gap() {
	test(|| {
		grid(0);
		let a = assert_create_node_contract(ALICE, 1, 1, QUARTER, 0);
		let b = assert_create_node_contract(BOB, 2, 1, QUARTER, 0);
		at(100);
		assert_ok!(node1_reports(vec![report(a, 0, 100, 1)]));
		at(99 + GAP);
		let early = usage_batch(1, vec![report(a, 100, 99 + GAP, 1)]);
		assert_usage_refused(&early, NODE1, custom(3), Error::<Test>::UsageBatchTooEarly);
		assert_ok!(submit_usage(&usage_batch(2, vec![report(b, 0, 99 + GAP, 1)]), NODE2));
		at(100 + GAP);
		assert_ok!(submit_usage(&early, NODE1));
		assert_eq!(LastUsageBatch::<Test>::get(1), Some(GENESIS_SECS + 100 + GAP));
		assert_eq!(Capacity::contract_traffic(a), 2);
		// Governance sets the gap; never to 0.
		assert_refused(
			|| Capacity::set_limits(gov(), Limits { usage_report_gap: 0, ..Limits::default() }),
			Error::<Test>::InvalidLimits,
		);
		let limits = Limits { usage_report_gap: 60, ..Limits::default() };
		assert_ok!(Capacity::set_limits(gov(), limits));
		assert_eq!(last_event(), Event::LimitsSet { limits });
		at(160 + GAP);
		assert_ok!(node1_reports(vec![report(a, 99 + GAP, 160 + GAP, 1)]));
	});
}

#[test]
fn an_unknown_node_and_an_empty_batch_are_refused() {
	test(|| {
		grid(0);
		let a = assert_create_node_contract(ALICE, 1, 1, QUARTER, 0);
		at(100);
		// tfchain's nodes reported as themselves; here the batch names a node: it must exist.
		let unknown = usage_batch(99, vec![report(a, 0, 100, 1)]);
		assert_usage_refused(&unknown, NODE1, custom(1), Error::<Test>::NodeNotFound);
		let empty = usage_batch(1, vec![]);
		assert_usage_refused(&empty, NODE1, custom(2), Error::<Test>::EmptyUsageBatch);
	});
}

#[test]
fn windows_before_the_contract_existed_are_stale() {
	test(|| {
		grid(0);
		at(1_000);
		let a = assert_create_node_contract(ALICE, 1, 1, QUARTER, 0);
		at(2_000);
		// Alone, a stale window is nothing new: refused before the pool.
		let stale = usage_batch(1, vec![report(a, 500, 2_000, 7)]);
		assert_usage_refused(&stale, NODE1, custom(9), Error::<Test>::StaleUsageBatch);
		// Beside a new window it is skipped.
		let b = assert_create_node_contract(BOB, 1, 2, QUARTER, 0);
		at(2_100);
		assert_eq!(
			assert_report_usage(vec![report(a, 500, 2_000, 7), report(b, 2_000, 2_100, 3)]),
			Event::UsageReported { node_id: 1, accepted: 1, skipped: 1, capped_bytes: 0 }
		);
	});
}

/// Anyone can wrap a node's signed batch in a new transaction. Replayed once the gap has
/// passed, a batch the chain already took would take the node's slot and traffic allowance
/// and starve its real reports; it is refused before the pool instead.
#[test]
fn a_replayed_batch_takes_nothing_from_the_node() {
	test(|| {
		grid(0);
		let a = assert_create_node_contract(ALICE, 1, 1, QUARTER, 0);
		at(100);
		let taken = usage_batch(1, vec![report(a, 0, 100, 1_000)]);
		assert_ok!(submit_usage(&taken, NODE1));
		at(100 + GAP);
		let allowance = NodeNetworks::<Test>::get(1);
		assert_usage_refused(&taken, NODE1, custom(9), Error::<Test>::StaleUsageBatch);
		assert_eq!(LastUsageBatch::<Test>::get(1), Some(GENESIS_SECS + 100));
		assert_eq!(NodeNetworks::<Test>::get(1), allowance);
		// The node's own next batch goes through.
		assert_ok!(submit_usage(&usage_batch(1, vec![report(a, 100, 100 + GAP, 5)]), NODE1));
		assert_eq!(Capacity::contract_traffic(a), 1_005);
	});
}

/// A report for another node's contract or for a contract that is no node contract refuses
/// the whole batch, the valid reports in it too.
#[test]
fn another_nodes_contract_or_a_non_node_contract_refuses_the_batch() {
	test(|| {
		grid(0);
		let a = assert_create_node_contract(ALICE, 1, 1, QUARTER, 0);
		let b = assert_create_node_contract(BOB, 2, 1, QUARTER, 0);
		at(100);
		// tfchain let any node report for any contract.
		let theirs = usage_batch(1, vec![report(a, 0, 100, 1), report(b, 0, 100, 1)]);
		assert_usage_refused(&theirs, NODE1, custom(7), Error::<Test>::NotContractNode);
		// Node 2 signing a batch for node 1's contract as itself is refused alike.
		let as_node2 = usage_batch(2, vec![report(a, 0, 100, 1)]);
		assert_usage_refused(&as_node2, NODE2, custom(7), Error::<Test>::NotContractNode);
		assert_ok!(Capacity::create_name_contract(signed(ALICE), name("gw1")));
		let name_id = LastContractId::<Test>::get();
		let named = usage_batch(1, vec![report(a, 0, 100, 1), report(name_id, 0, 100, 1)]);
		assert_usage_refused(&named, NODE1, custom(6), Error::<Test>::NotANodeContract);
		assert_ok!(Capacity::cancel_contract(signed(BOB), b));
		assert_ok!(Capacity::create_rent_contract(signed(CHARLIE), 2, None, Musd(0)));
		let rent = LastContractId::<Test>::get();
		let rented = usage_batch(2, vec![report(rent, 0, 100, 1)]);
		assert_usage_refused(&rented, NODE2, custom(6), Error::<Test>::NotANodeContract);
		assert_eq!(Capacity::contract_traffic(a), 0);
	});
}

#[test]
fn bad_windows_and_false_traffic_are_refused() {
	test(|| {
		grid(0);
		let a = assert_create_node_contract(ALICE, 1, 1, QUARTER, 0);
		at(100);
		for bad in [report(a, 50, 50, 1), report(a, 60, 50, 1), report(a, 50, 101, 1)] {
			let batch = usage_batch(1, vec![report(a, 0, 50, 1), bad]);
			assert_usage_refused(&batch, NODE1, custom(4), Error::<Test>::InvalidWindow);
		}
		let most = 100 * MAX_BYTES_PER_SECOND;
		let batch = usage_batch(1, vec![report(a, 0, 100, most + 1)]);
		assert_usage_refused(&batch, NODE1, custom(5), Error::<Test>::ImplausibleTraffic);
		assert_ok!(node1_reports(vec![report(a, 0, 100, most)]));
	});
}

/// The call and the pool's check both weigh by the batch's length.
#[test]
fn the_weights_grow_with_the_batch() {
	let call = |n: usize| {
		let batch = usage_batch(1, vec![report(1, 0, 1, 0); n]);
		usage_call(&batch, NODE1)
	};
	let (one, most) = (call(1), call(MAX_USAGE_REPORTS as usize));
	assert!(one.get_dispatch_info().call_weight.all_lt(most.get_dispatch_info().call_weight));
	assert!(one.weight_of_authorize().all_lt(most.weight_of_authorize()));
	assert_eq!(
		most.weight_of_authorize(),
		<() as crate::WeightInfo>::authorize_report_usage(MAX_USAGE_REPORTS)
	);
}

/// The pool keeps one batch per node: every batch of a node provides the same tag, another
/// node's another; batches are propagated and live a short while.
#[test]
fn the_pool_keeps_one_batch_per_node() {
	test(|| {
		grid(0);
		let a = assert_create_node_contract(ALICE, 1, 1, QUARTER, 0);
		let b = assert_create_node_contract(BOB, 2, 1, QUARTER, 0);
		at(100);
		let validity = |batch: &UsageBatchOf<Test>, signer| {
			usage_call(batch, signer)
				.authorize(TransactionSource::External)
				.expect("authorizes")
				.expect("valid")
				.0
		};
		let first = validity(&usage_batch(1, vec![report(a, 0, 100, 1)]), NODE1);
		let second = validity(&usage_batch(1, vec![report(a, 0, 99, 2)]), NODE1);
		let other = validity(&usage_batch(2, vec![report(b, 0, 100, 1)]), NODE2);
		assert_eq!(first.provides, second.provides);
		assert_eq!(first.provides.len(), 1);
		assert_ne!(first.provides, other.provides);
		assert!(first.requires.is_empty());
		assert!(first.propagate);
		assert_eq!(first.longevity, 10);
	});
}

/// Deleting a node forgets when it last reported (`try_state` checks that every record
/// belongs to a node).
#[test]
fn a_deleted_node_leaves_no_last_batch() {
	test(|| {
		grid(0);
		let a = assert_create_node_contract(ALICE, 1, 1, QUARTER, 0);
		at(100);
		assert_ok!(node1_reports(vec![report(a, 0, 100, 1)]));
		assert!(LastUsageBatch::<Test>::contains_key(1));
		assert_ok!(Registry::delete_node(signed(NODE1), 1));
		assert!(!LastUsageBatch::<Test>::contains_key(1));
		assert!(!NodeNetworks::<Test>::contains_key(1));
		// Its batches are refused now: the node is unknown.
		at(100 + GAP);
		let batch = usage_batch(1, vec![report(a, 100, 100 + GAP, 1)]);
		assert_usage_refused(&batch, NODE1, custom(1), Error::<Test>::NodeNotFound);
	});
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
			Limits { node_traffic_per_second: 1_000, usage_report_gap: 100, ..Limits::default() }
		));
		at(3_600);
		// Each report is plausible alone (3.6 MB in an hour is far below 10 Gbit/s), but four
		// of them are above the node's hour of 1,000 bytes a second.
		let batch_of =
			|bytes| usage_batch(1, contracts.iter().map(|c| report(*c, 0, 3_600, bytes)).collect());
		assert_usage_refused(
			&batch_of(1_000_000),
			NODE1,
			custom(8),
			Error::<Test>::NodeTrafficExceeded,
		);
		assert_ok!(submit_usage(&batch_of(900_000), NODE1));
		// The hour's allowance is spent: more waits for it to refill.
		at(3_700);
		let more = usage_batch(1, vec![report(contracts[0], 3_600, 3_700, 200_000)]);
		assert_usage_refused(&more, NODE1, custom(8), Error::<Test>::NodeTrafficExceeded);
		at(3_900);
		assert_ok!(submit_usage(&more, NODE1));
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
		assert_eq!(
			assert_report_usage(vec![report(a, 0, 3_600, 1_000)]),
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
		assert_eq!(
			assert_report_usage(vec![report(a, 0, 7_200, 5_000_000)]),
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
