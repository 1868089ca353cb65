//! Random report sequences (proptest): random gaps, reboots, clock noise, sleeps, closes and
//! claims over several periods for two nodes. After every step both pallets' invariants hold
//! (credited uptime never exceeds the time that passed in any period); over the whole run the
//! uptime credited never exceeds the time elapsed, and total issuance rises by exactly the
//! receipts paid.

use super::*;
use proptest::prelude::*;

const NODES: [AccountId; 2] = [NODE1, NODE2];

#[derive(Clone, Debug)]
enum Op {
	/// Time passes, then the node reports (maybe after a reboot `reboot_ago` s before).
	Report { node: usize, gap: u64, reboot_ago: Option<u64>, skew: i64 },
	/// The farmer powers the node down; the node sleeps.
	Sleep { node: usize, gap: u64 },
	/// The farmer wakes the node.
	Wake { node: usize, gap: u64 },
	/// Someone closes a node's period.
	Close { node: usize, gap: u64 },
	/// Someone claims the farm's receipts.
	Claim,
}

fn op() -> impl Strategy<Value = Op> {
	let node = 0..NODES.len();
	let gap = 0u64..3_000;
	prop_oneof![
		12 => (node.clone(), gap.clone(), proptest::option::weighted(0.15, 0u64..2_000), -60i64..=60)
			.prop_map(|(node, gap, reboot_ago, skew)| Op::Report { node, gap, reboot_ago, skew }),
		1 => (node.clone(), gap.clone()).prop_map(|(node, gap)| Op::Sleep { node, gap }),
		1 => (node.clone(), gap.clone()).prop_map(|(node, gap)| Op::Wake { node, gap }),
		1 => (node, 0u64..20_000).prop_map(|(node, gap)| Op::Close { node, gap }),
		1 => Just(Op::Claim),
	]
}

/// Boot times per node (Unix seconds), as the machines know them.
struct Machines {
	boot: [u64; 2],
}

fn run(ops: Vec<Op>) {
	test(|| {
		farm();
		let nodes = [register(NODE1, EXAMPLE), register(NODE2, EXAMPLE)];
		let mut machines = Machines { boot: [T0 - BOOTED_BEFORE; 2] };
		let start_issuance = issuance();
		let mut credited = [0u64; 2];
		let mut paid: Balance = 0;
		for op in ops {
			let before = storage();
			let result = match op {
				Op::Report { node, gap, reboot_ago, skew } => {
					at(now() + gap);
					let chain = T0 + now();
					if let Some(ago) = reboot_ago {
						machines.boot[node] = chain.saturating_sub(ago).max(machines.boot[node]);
					}
					let hint = chain.saturating_add_signed(skew);
					let uptime = hint.saturating_sub(machines.boot[node]);
					let report = UptimeReport { node_id: nodes[node], uptime, timestamp_hint: hint };
					submit(report, NODES[node])
				},
				Op::Sleep { node, gap } => {
					at(now() + gap);
					Registry::set_power_target(signed(FARMER), nodes[node], Power::Down).and_then(
						|_| Registry::report_power_state(signed(NODES[node]), Power::Down).map(|_| ()).map_err(|e| e.error),
					)
				},
				Op::Wake { node, gap } => {
					at(now() + gap);
					machines.boot[node] = T0 + now();
					Registry::set_power_target(signed(FARMER), nodes[node], Power::Up).and_then(
						|_| Registry::report_power_state(signed(NODES[node]), Power::Up).map(|_| ()).map_err(|e| e.error),
					)
				},
				Op::Close { node, gap } => {
					at(now() + gap);
					Minting::close_period(signed(BOB), nodes[node])
				},
				Op::Claim => Minting::claim_farm(signed(BOB), 1).map(|_| ()).map_err(|e| e.error),
			};
			if result.is_err() {
				assert!(storage() == before, "a refused step changed storage: {result:?}");
			}
			check_invariants();
		}
		for e in minting_events() {
			match e {
				Event::UptimeReported { node_id, credited: c, .. } => {
					credited[(node_id - 1) as usize] += c;
				},
				Event::ReceiptPaid { amount, .. } => paid += amount,
				_ => {},
			}
		}
		for c in credited {
			assert!(c <= now(), "credited {c} s in {} s", now());
		}
		assert_eq!(issuance() - start_issuance, paid, "issuance rose by exactly the payments");
		assert_eq!(TotalMinted::<Test>::get(), paid);
	});
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
	#[test]
	fn random_reports_never_credit_more_than_time_and_mint_exactly(
		ops in proptest::collection::vec(op(), 1..120)
	) {
		run(ops);
	}
}
