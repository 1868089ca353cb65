//! Random report sequences (proptest): random gaps, reboots, clock noise, sleeps, closes,
//! claims and nodes growing and shrinking over several periods for two nodes. After every step both pallets' invariants hold
//! (credited uptime never exceeds the time that passed in any period); over the whole run the
//! uptime credited never exceeds the time elapsed, and total issuance rises by exactly the
//! receipts paid.

use super::*;
use proptest::prelude::*;

const NODES: [AccountId; 2] = [NODE1, NODE2];

#[derive(Clone, Debug)]
enum Op {
	/// `gap` seconds pass (the node reboots after `reboot`% of them, if set; a negative share
	/// is a reboot before the previous step, which may contradict its last report), then the
	/// node reports with its clock `skew` seconds off.
	Report { node: usize, gap: u64, reboot: Option<i64>, skew: i64 },
	/// The farmer powers the node down; the node sleeps.
	Sleep { node: usize, gap: u64 },
	/// The farmer wakes the node.
	Wake { node: usize, gap: u64 },
	/// Someone closes a node's period.
	Close { node: usize, gap: u64 },
	/// Someone claims the farm's receipts.
	Claim,
	/// The node declares `percent` % of the example's capacity (it grows or shrinks).
	Resize { node: usize, percent: u64 },
}

fn node_strategy() -> impl Strategy<Value = usize> {
	0..NODES.len()
}

fn op() -> impl Strategy<Value = Op> {
	let node = 0..NODES.len();
	// Mostly on the node's cadence (a report every 600 s between two nodes), sometimes late
	// or lost.
	let gap = prop_oneof![99 => 100u64..250, 1 => 0u64..3_000];
	prop_oneof![
		16 => (node.clone(), gap.clone(), proptest::option::weighted(0.03, -100i64..100), -60i64..=60)
			.prop_map(|(node, gap, reboot, skew)| Op::Report { node, gap, reboot, skew }),
		1 => (node.clone(), gap.clone()).prop_map(|(node, gap)| Op::Sleep { node, gap }),
		1 => (node.clone(), gap).prop_map(|(node, gap)| Op::Wake { node, gap }),
		1 => (node, 0u64..600).prop_map(|(node, gap)| Op::Close { node, gap }),
		2 => Just(Op::Claim),
		1 => (node_strategy(), 50u64..200).prop_map(|(node, percent)| Op::Resize { node, percent }),
	]
}

/// Boot times per node (Unix seconds), as the machines know them.
struct Machines {
	boot: [u64; 2],
}

/// What one run reached: receipts issued, receipts paid, violations, sleeps credited.
#[derive(Default, Debug)]
struct Reached {
	receipts: u32,
	paying_receipts: u32,
	paid: u32,
	violations: u32,
	sleeps_credited: u32,
}

fn run(ops: Vec<Op>) -> Reached {
	let mut reached = Reached::default();
	test(|| {
		farm();
		let nodes = [register(NODE1, EXAMPLE), register(NODE2, EXAMPLE)];
		let mut machines = Machines { boot: [T0 - BOOTED_BEFORE; 2] };
		let start_issuance = issuance();
		let mut credited = [0u64; 2];
		let mut paid: Balance = 0;
		let mut asleep = [false; 2];
		for op in ops {
			let before = storage();
			let result = match op {
				// A sleeping machine is off: it reports nothing until it is woken (a node that
				// keeps reporting while asked down is the exploit tests' business).
				Op::Report { node, .. } if asleep[node] => continue,
				Op::Report { node, gap, reboot, skew } => {
					if let Some(percent) = reboot {
						let at = (T0 + now()).saturating_add_signed(gap as i64 * percent / 100);
						machines.boot[node] = at;
					}
					at(now() + gap);
					let chain = T0 + now();
					let hint = chain.saturating_add_signed(skew);
					let uptime = hint.saturating_sub(machines.boot[node]);
					let report =
						UptimeReport { node_id: nodes[node], uptime, timestamp_hint: hint };
					submit(report, NODES[node])
				},
				Op::Sleep { node, gap } => {
					at(now() + gap);
					asleep[node] = true;
					Registry::set_power_target(signed(FARMER), nodes[node], Power::Down).and_then(
						|_| {
							Registry::report_power_state(signed(NODES[node]), Power::Down)
								.map(|_| ())
								.map_err(|e| e.error)
						},
					)
				},
				Op::Wake { node, gap } => {
					at(now() + gap);
					machines.boot[node] = T0 + now();
					asleep[node] = false;
					Registry::set_power_target(signed(FARMER), nodes[node], Power::Up).and_then(
						|_| {
							Registry::report_power_state(signed(NODES[node]), Power::Up)
								.map(|_| ())
								.map_err(|e| e.error)
						},
					)
				},
				Op::Close { node, gap } => {
					at(now() + gap);
					Minting::close_period(signed(BOB), nodes[node])
				},
				Op::Claim => Minting::claim_farm(signed(BOB), 1).map(|_| ()).map_err(|e| e.error),
				Op::Resize { node, percent } => {
					let scaled = |v: u64| v / 100 * percent;
					let resources = Resources {
						cru: (EXAMPLE.cru * percent / 100).max(1),
						mru: scaled(EXAMPLE.mru),
						sru: scaled(EXAMPLE.sru),
						hru: scaled(EXAMPLE.hru),
					};
					Registry::update_node(signed(NODES[node]), spec(resources))
				},
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
				Event::ReceiptPaid { amount, .. } => {
					paid += amount;
					reached.paid += 1;
				},
				Event::PeriodClosed { receipt } => {
					reached.receipts += 1;
					reached.paying_receipts += u32::from(receipt.tft > 0);
				},
				Event::ViolationRecorded { .. } => reached.violations += 1,
				Event::NodeWoke { sleep_credited: true, .. } => reached.sleeps_credited += 1,
				_ => {},
			}
		}
		for c in credited {
			assert!(c <= now(), "credited {c} s in {} s", now());
		}
		assert_eq!(issuance() - start_issuance, paid, "issuance rose by exactly the payments");
		assert_eq!(TotalMinted::<Test>::get(), paid);
	});
	reached
}

#[test]
fn random_reports_never_credit_more_than_time_and_mint_exactly() {
	use proptest::test_runner::{Config, TestRunner};
	let mut runner = TestRunner::new(Config { cases: 64, ..Config::default() });
	let total = std::cell::RefCell::new(Reached::default());
	runner
		.run(&proptest::collection::vec(op(), 1..300), |ops| {
			let r = run(ops);
			let mut total = total.borrow_mut();
			total.receipts += r.receipts;
			total.paying_receipts += r.paying_receipts;
			total.paid += r.paid;
			total.violations += r.violations;
			total.sleeps_credited += r.sleeps_credited;
			Ok(())
		})
		.unwrap();
	let total = total.into_inner();
	// The sequences reach real states, not only refusals.
	println!("reached: {total:?}");
	assert!(total.paying_receipts > 4 && total.paid > 10, "{total:?}");
	assert!(total.violations > 0 && total.sleeps_credited > 0, "{total:?}");
}
