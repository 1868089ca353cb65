//! Uptime reports: the pool's checks, late and lost reports, reboots, clocks, impossible
//! uptimes, cloned identities, farmer-bot sleep, maintenance, and liveness.

use super::*;
use frame::deps::sp_runtime::transaction_validity::{InvalidTransaction, TransactionValidityError};
use grid_primitives::liveness::NodeLiveness;

const BOOT: i64 = -(BOOTED_BEFORE as i64);

fn uptime(node: NodeId) -> u64 {
	state(node).period.uptime
}

#[test]
fn bad_reports_are_refused_before_the_pool_and_change_nothing() {
	test(|| {
		let node = grid();
		report_at(500, BOOT);
		let invalid =
			|code| Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(code)));
		at(900);
		let good = report_of(node, BOOTED_BEFORE + 900, 0);
		assert_eq!(pool(report_of(9, 100, 0), NODE1), invalid(2), "unknown node");
		assert_eq!(
			pool(report_of(node, BOOTED_BEFORE + 900, 61), NODE1),
			invalid(3),
			"hint a minute off"
		);
		assert_eq!(pool(report_of(node, u64::MAX, 0), NODE1), invalid(4), "impossible uptime");
		assert_eq!(
			pool(good, NODE2),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof)),
			"signed by another account"
		);
		at(700);
		assert_eq!(
			pool(report_of(node, BOOTED_BEFORE + 700, 0), NODE1),
			invalid(5),
			"200 s after the last report: too early"
		);
		// Dispatched without the pool's check (a block runs `authorize` again before the call,
		// so only a test can do this): the call still refuses what its state contradicts.
		let before = storage();
		let early = report_of(node, BOOTED_BEFORE + 700, 0);
		let dispatched = Minting::report_uptime(
			frame_system::RawOrigin::Authorized.into(),
			early,
			sign(NODE1, &early),
		);
		assert_eq!(dispatched.map_err(|e| e.error), Err(Error::<Test>::ReportTooEarly.into()));
		assert!(storage() == before);
		at(900);
		// Only the authorized origin may dispatch it.
		assert_noop!(
			Minting::report_uptime(signed(NODE1), good, sign(NODE1, &good)),
			DispatchError::BadOrigin
		);
		assert_eq!(pool(good, NODE1), Ok(()));
		assert_ok!(submit(good, NODE1));
	});
}

#[test]
fn a_report_is_credited_for_what_it_proves() {
	test(|| {
		let node = grid();
		report_at(500, BOOT);
		assert_eq!(uptime(node), 500, "up since before T0: all of [T0, T0+500]");
		report_at(1_000, BOOT);
		assert_eq!(uptime(node), 1_000);
		// Late: 1,100 s after the last (< two intervals of 600 s): all of it.
		report_at(2_100, BOOT);
		assert_eq!(uptime(node), 2_100);
		// Lost: 2,000 s of silence, same boot: the last interval + 60 s only.
		report_at(4_100, BOOT);
		assert_eq!(uptime(node), 2_100 + 660);
		assert!(minting_events().contains(&Event::UptimeReported {
			node_id: node,
			uptime: BOOTED_BEFORE + 4_100,
			credited: 660,
			period_uptime: 2_760,
		}));
	});
}

#[test]
fn a_reboot_loses_only_the_downtime_before_it() {
	test(|| {
		let node = grid();
		report_every(500, 2_000, 500);
		// Down from 2,000 to 2,300, then up: the report at 2,500 proves 200 s.
		report_at(2_500, 2_300);
		assert_eq!(uptime(node), 2_200);
		report_at(3_000, 2_300);
		assert_eq!(uptime(node), 2_700);
		assert_eq!(state(node).last.unwrap().previous_boot, Some(T0 - BOOTED_BEFORE));
	});
}

#[test]
fn a_skewed_clock_within_a_minute_is_tolerated() {
	test(|| {
		let node = grid();
		report_at(500, BOOT);
		// The node's clock runs 50 s fast, then 50 s slow: the boot seems to move 100 s.
		at(1_000);
		assert_ok!(submit(report_of(node, BOOTED_BEFORE + 1_000, 50), NODE1));
		at(1_500);
		assert_ok!(submit(report_of(node, BOOTED_BEFORE + 1_500, -50), NODE1));
		assert_eq!(uptime(node), 1_500);
		assert_eq!(state(node).period.violation, None);
	});
}

#[test]
fn an_impossible_uptime_voids_the_period() {
	test(|| {
		let node = grid();
		report_at(500, BOOT);
		// Claims to have booted an hour before the boot it reported.
		report_at(1_000, BOOT - 3_600);
		assert_eq!(state(node).period.violation, Some(Violation::UptimeTooHigh));
		assert!(minting_events().contains(&Event::ViolationRecorded {
			node_id: node,
			period: 0,
			violation: Violation::UptimeTooHigh
		}));
		report_every(1_500, PARAMS.period_length, 500);
		let r = receipt(node, 0);
		assert_eq!((r.violation, r.tft), (Some(Violation::UptimeTooHigh), 0));
		// The next period is clean.
		assert_eq!(state(node).period.violation, None);
	});
}

#[test]
fn an_uptime_too_low_for_a_reboot_after_the_last_report_is_a_violation() {
	test(|| {
		let node = grid();
		report_at(500, BOOT);
		// Booted at 200 by its own account, though its report at 500 said otherwise.
		report_at(1_000, 200);
		assert_eq!(state(node).period.violation, Some(Violation::UptimeTooLow));
	});
}

#[test]
fn a_cloned_identity_is_detected() {
	test(|| {
		let node = grid();
		report_at(500, BOOT);
		// Machine B (a copy of the boot disk) boots at 700 and reports: a reboot, as far as
		// anyone can tell...
		report_at(1_000, 700);
		assert_eq!(state(node).period.violation, None);
		// ... until machine A reports again with its old boot time.
		report_at(1_500, BOOT);
		assert_eq!(state(node).period.violation, Some(Violation::DuplicateIdentity));
		assert_eq!(uptime(node), 500 + 300, "nothing credited for the clone's report");
	});
}

/// The farmer powers node 1 down at `down`; it sleeps from `down + 100`; the farmer wakes it
/// at `wake`; it boots at `boot` and reports at `boot + 300`.
fn sleep_cycle(down: u64, wake: u64, boot: u64) {
	at(down);
	assert_ok!(Registry::set_power_target(signed(FARMER), 1, Power::Down));
	at(down + 100);
	assert_ok!(Registry::report_power_state(signed(NODE1), Power::Down));
	at(wake);
	assert_ok!(Registry::set_power_target(signed(FARMER), 1, Power::Up));
	at(boot + 10);
	assert_ok!(Registry::report_power_state(signed(NODE1), Power::Up));
	report_at(boot + 300, boot as i64);
}

#[test]
fn a_sleep_the_farmer_asked_for_counts_when_the_node_wakes_in_time() {
	test(|| {
		let node = grid();
		report_every(500, 1_000, 500);
		sleep_cycle(1_050, 3_000, 3_600);
		assert!(minting_events().contains(&Event::NodeAsleep { node_id: node }));
		assert!(minting_events().contains(&Event::NodeWoke { node_id: node, sleep_credited: true }));
		// Everything from the last report (1,000) to the wake-up report (3,900) but the 10 s
		// between its boot and its report that it is up again.
		assert_eq!(uptime(node), 3_890);
		assert_eq!(state(node).sleep, None);
	});
}

#[test]
fn a_late_wake_up_is_not_credited_and_two_void_the_period() {
	test(|| {
		let node = grid();
		report_every(500, 1_000, 500);
		// Boots 2,000 s after the request: more than 30 minutes.
		sleep_cycle(1_050, 3_000, 5_000);
		assert!(
			minting_events().contains(&Event::NodeWoke { node_id: node, sleep_credited: false })
		);
		assert_eq!(uptime(node), 1_000 + 50 + 290, "up until asked down, and since it is up again");
		assert_eq!(state(node).period.failed_wakes, 1);
		assert_eq!(state(node).period.violation, None, "one failed wake is allowed");
		sleep_cycle(5_400, 6_000, 8_000);
		assert_eq!(state(node).period.violation, Some(Violation::BootRequestExpired));
	});
}

#[test]
fn a_sleep_longer_than_a_day_is_not_credited() {
	test(|| {
		farm();
		let node = register(NODE1, EXAMPLE);
		// A longer period so that the day fits in it.
		Params::<Test>::mutate(|p| p.as_mut().unwrap().period_length = 200_000);
		report_every(500, 1_000, 500);
		sleep_cycle(1_050, 90_000, 90_100);
		assert!(
			minting_events().contains(&Event::NodeWoke { node_id: node, sleep_credited: false })
		);
		assert_eq!(uptime(node), 1_000 + 50 + 290);
	});
}

#[test]
fn a_node_waking_on_its_own_gets_no_sleep_credit() {
	test(|| {
		let node = grid();
		report_every(500, 1_000, 500);
		at(1_050);
		assert_ok!(Registry::set_power_target(signed(FARMER), 1, Power::Down));
		at(1_100);
		assert_ok!(Registry::report_power_state(signed(NODE1), Power::Down));
		report_at(2_300, 2_000);
		assert_eq!(uptime(node), 1_050, "still on standby: its uptime since boot earns nothing");
		assert_eq!(state(node).period.failed_wakes, 0, "nobody asked: not a failed wake");
	});
}

#[test]
fn maintenance_counts_neither_as_uptime_nor_downtime() {
	test(|| {
		let node = grid();
		report_every(500, 1_000, 500);
		assert_ok!(Minting::declare_maintenance(signed(FARMER), node, T0 + 2_000, T0 + 3_000));
		let window = Window { start: T0 + 2_000, end: T0 + 3_000 };
		assert!(minting_events().contains(&Event::MaintenanceDeclared { node_id: node, window }));
		report_every(1_500, 2_000, 500);
		// Down for the whole window, booted at its end.
		report_at(3_500, 3_000);
		assert_eq!(uptime(node), 2_500);
		report_every_booted(4_000, PARAMS.period_length, 500, 3_000);
		// 9,000 s credited of 9,000 s eligible.
		let r = receipt(node, 0);
		assert_eq!((r.uptime, r.tft), (1000, 5_578_712_250));
		assert_eq!(state(node).maintenance.len(), 0, "past windows are dropped at the close");
	});
}

#[test]
fn maintenance_windows_are_bounded_and_announced() {
	test(|| {
		let node = grid();
		let declare = |who, start: u64, end: u64| {
			Minting::declare_maintenance(signed(who), node, T0 + start, T0 + end)
		};
		assert_refused(|| declare(NODE1, 1_000, 1_500), Error::NotFarmer);
		assert_refused(|| declare(FARMER, 100, 500), Error::WindowTooSoon);
		assert_refused(|| declare(FARMER, 2_000, 2_000), Error::InvalidWindow);
		assert_refused(|| declare(FARMER, 9_000, 11_000), Error::InvalidWindow);
		assert_refused(|| declare(FARMER, 30_000, 30_500), Error::InvalidWindow);
		assert_refused(|| declare(FARMER, 1_000, 3_500), Error::MaintenanceExceeded);
		assert_ok!(declare(FARMER, 2_000, 3_000));
		assert_refused(|| declare(FARMER, 2_500, 3_500), Error::OverlappingWindow);
		assert_refused(|| declare(FARMER, 3_000, 4_500), Error::MaintenanceExceeded);
		assert_ok!(declare(FARMER, 1_000, 1_500));
		assert_refused(|| declare(FARMER, 5_000, 5_100), Error::TooManyWindows);
		// The next period has its own allowance.
		assert_ok!(declare(FARMER, 12_000, 14_000));
		let starts: Vec<u64> = state(node).maintenance.iter().map(|w| w.start - T0).collect();
		assert_eq!(starts, vec![1_000, 2_000, 12_000]);
	});
}

#[test]
fn liveness_is_the_settled_timeline() {
	test(|| {
		let node = grid();
		let up = |from: u64, to: u64| {
			Minting::timeline(node).expect("tracked").up_between(T0 + from, T0 + to)
		};
		assert_eq!(up(0, 10_000), 0, "nothing is settled before a report");
		report_at(500, BOOT);
		report_at(1_000, 800);
		assert_eq!(up(0, 1_000), 500 + 200, "down from the report at 500 to the reboot at 800");
		// Silent for 1,500 s: only the last interval and the tolerance are up.
		report_at(2_500, 800);
		assert_eq!(up(1_000, 2_500), 660);
		assert_eq!(up(0, 2_500), uptime(node), "minting credits what billing may charge");
		assert_eq!(Minting::settle_delay(), 2 * 600 + 60);
		// Asked down and down: neither up nor billable while it sleeps.
		at(2_600);
		assert_ok!(Registry::set_power_target(signed(FARMER), 1, Power::Down));
		assert_ok!(Registry::report_power_state(signed(NODE1), Power::Down));
		assert_eq!(up(2_500, 2_600), 100, "settled as it went down, as if it had reported");
		at(2_700);
		assert_eq!(up(2_600, 2_700), 0, "asleep");
		assert!(state(node).standby.is_some());
	});
}

#[test]
fn a_period_nobody_closes_can_be_closed_by_anyone_after_the_grace() {
	test(|| {
		let node = grid();
		report_every(500, 9_500, 500);
		at(PARAMS.period_length + PARAMS.close_grace - 1);
		assert_refused(|| Minting::close_period(signed(BOB), node), Error::PeriodNotOver);
		at(PARAMS.period_length + PARAMS.close_grace);
		assert_ok!(Minting::close_period(signed(BOB), node));
		assert_eq!(receipt(node, 0).uptime, 950);
		assert_refused(|| Minting::close_period(signed(BOB), node), Error::PeriodNotOver);
		assert_refused(|| Minting::close_period(signed(BOB), 7), Error::NodeNotTracked);
		// The node comes back: credited from the new period's start only.
		report_at(PARAMS.period_length + 1_100, BOOT);
		assert_eq!(uptime(node), 660, "the silence lost a report: one interval + 60 s");
	});
}

#[test]
fn a_silent_node_skips_whole_periods_without_receipts() {
	test(|| {
		let node = grid();
		report_every(500, 1_000, 500);
		report_at(3 * PARAMS.period_length + 200, BOOT);
		assert_eq!(receipt(node, 0).uptime, 100, "1,000 s of 10,000");
		assert_eq!(Receipts::<Test>::iter().count(), 1, "periods 1 and 2: no receipts");
		assert_eq!(state(node).period.index, 3);
		assert_eq!(uptime(node), 200);
	});
}

#[test]
fn a_node_older_than_minting_is_tracked_at_its_first_report() {
	test(|| {
		farm();
		// Registered while minting had no parameters (e.g. at genesis).
		let params = Params::<Test>::take();
		let node = register(NODE1, EXAMPLE);
		assert!(NodeStates::<Test>::get(node).is_none());
		Params::<Test>::set(params);
		report_at(2_000, BOOT);
		assert!(minting_events().contains(&Event::NodeTracked {
			node_id: node,
			period: 0,
			policy: Some(1)
		}));
		assert_eq!((state(node).period.start, uptime(node)), (T0 + 2_000, 0));
	});
}

#[test]
fn a_credited_sleep_does_not_credit_a_silence_before_it() {
	test(|| {
		let node = grid();
		report_at(500, BOOT);
		// Silent from 500 to 4,000 (lost reports), then powered down by its farmer.
		sleep_cycle(4_000, 5_000, 5_200);
		assert!(minting_events().contains(&Event::NodeWoke { node_id: node, sleep_credited: true }));
		// 500 + one interval (+ 60 s) before it went down, less the 100 s it was asked down
		// already; the sleep from the request to the boot, and the time since it is up again.
		assert_eq!(uptime(node), 500 + 560 + 1_200 + 290);
	});
}
