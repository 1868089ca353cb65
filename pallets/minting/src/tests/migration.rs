//! Storage migration 0 → 1: policies get typed rates and a network share (the reference
//! defaults their new network rates, any other traffic rate per GB), node records a timeline
//! from their last report, standby and farm-limit units, receipts their exact capacity reward
//! and unpaid network totals, farm totals lose their mUSD sum.

use super::*;
use crate::migrations::v1::{
	FarmingPolicyV0, MigrateV0ToV1, NodeNetworkTotalsV0, NodeStateV0, PeriodRecordV0,
	PeriodTotalV0, ReceiptV0,
};
use frame::deps::{
	frame_support::{
		traits::{GetStorageVersion, OnRuntimeUpgrade},
		weights::RuntimeDbWeight,
	},
	sp_io::storage,
	sp_runtime::Percent,
};
use grid_primitives::{contracts::PaidNetwork, liveness::Timeline, money::Usd};

const L: u64 = PARAMS.period_length;
/// Traffic bytes and IPv4-seconds in version 0's network totals and receipts.
const TRAFFIC: u128 = 5_000_000_000;
const IPV4_SECONDS: u128 = 7_200;
/// A receipt's reward in version 0: mUSD, capacity and network together.
const OLD_REWARD: Musd = Musd(44_630);
/// The full-period reward of node 1 ([`EXAMPLE`] on the DIY policy), planck.
const PERIOD_TFT: Balance = 5_578_712_250;

fn db() -> RuntimeDbWeight {
	<Test as frame_system::Config>::DbWeight::get()
}

/// A custom policy (3): DIY's capacity rates, 1,000 mUSD of traffic (per GiB in version 0),
/// half of what network payments burn.
fn promo() -> FarmingPolicy {
	FarmingPolicy {
		name: BoundedVec::truncate_from(b"promo".to_vec()),
		nu: Musd(1_000),
		ipv4: Musd(4),
		network_share: Percent::from_percent(50),
		default: false,
		immutable: false,
		..FarmingPolicy::reference_defaults()[0].clone()
	}
}

/// Node 1 closes periods 0 and 1 and reports up to 3,000 s into period 2; node 2 joins at
/// 1,000 s into it on farm 1's limit of `promo` and is asked down at 1,500 s; the clock stops
/// at 3,100 s.
fn grid_state() {
	let node = grid();
	report_every(500, 2 * L + 1_000, 500);
	assert_ok!(Minting::create_policy(gov(), promo()));
	let units = EXAMPLE.cloud_units();
	let limit = FarmPolicyLimit { policy: 3, cu: units.cu, su: units.su, nodes: 1, end: None };
	assert_ok!(Minting::attach_policy_to_farm(gov(), 1, limit));
	let other = register(NODE2, EXAMPLE);
	assert_eq!((state(other).policy, state(other).farm_policy), (Some(3), true));
	report_every(2 * L + 1_500, 2 * L + 1_500, 500);
	assert_ok!(Registry::set_power_target(signed(FARMER), other, Power::Down));
	report_every(2 * L + 2_000, 2 * L + 3_000, 500);
	at(2 * L + 3_100);
	assert_eq!(state(node).period.index, 2);
}

fn policy_v0(p: &FarmingPolicy, nu: u64, ipv4: u64) -> FarmingPolicyV0 {
	FarmingPolicyV0 {
		name: p.name.clone(),
		cu: p.cu.0,
		su: p.su.0,
		nu,
		ipv4,
		minimal_uptime: p.minimal_uptime,
		node_certification: p.node_certification,
		farm_certification: p.farm_certification,
		default: p.default,
		immutable: p.immutable,
		end: p.end,
	}
}

fn node_v0(s: &NodeStateOf<Test>) -> NodeStateV0<AccountId> {
	let p = s.period;
	NodeStateV0 {
		account: s.account,
		farm_id: s.farm_id,
		policy: s.policy,
		farm_policy: s.farm_policy,
		certification: s.certification,
		connection_price: s.connection_price,
		resources: s.resources,
		virtualized: s.virtualized,
		period: PeriodRecordV0 {
			index: p.index,
			start: p.start,
			uptime: p.uptime,
			min_resources: p.min_resources,
			virtualized: p.virtualized,
			violation: p.violation,
			failed_wakes: p.failed_wakes,
			network_at_start: NodeNetworkTotalsV0 {
				traffic_bytes: TRAFFIC,
				ipv4_seconds: IPV4_SECONDS,
			},
		},
		last: s.last,
		up_since: s.last.map(|l| l.boot),
		asked_down: s.asked_down,
		sleep: s.sleep,
		maintenance: s.maintenance.clone(),
		unclaimed: s.unclaimed,
	}
}

fn receipt_v0(r: &ReceiptOf<Test>) -> ReceiptV0<AccountId, Balance> {
	ReceiptV0 {
		node_id: r.node_id,
		farm_id: r.farm_id,
		period: r.period,
		uptime: r.uptime,
		registered: r.registered,
		cu: r.cu,
		su: r.su,
		nu_bytes: TRAFFIC,
		ipv4_seconds: IPV4_SECONDS,
		policy: r.policy,
		virtualized: r.virtualized,
		violation: r.violation,
		reward: OLD_REWARD,
		tft: r.tft,
		payout: r.payout,
	}
}

/// Rewrites every policy, node record, receipt and farm total as version 0 stored them: the
/// reference defaults at their old network rates (30 / 38 mUSD per GiB, 5 / 6 per IPv4-hour).
fn as_version_0() {
	for (id, p) in Policies::<Test>::iter().collect::<Vec<_>>() {
		let (nu, ipv4) = match id {
			1 => (30, 5),
			2 => (38, 6),
			_ => (p.nu.0, p.ipv4.0),
		};
		storage::set(&Policies::<Test>::hashed_key_for(id), &policy_v0(&p, nu, ipv4).encode());
	}
	for (id, s) in NodeStates::<Test>::iter().collect::<Vec<_>>() {
		storage::set(&NodeStates::<Test>::hashed_key_for(id), &node_v0(&s).encode());
	}
	for (key, r) in Receipts::<Test>::iter().collect::<Vec<_>>() {
		storage::set(&Receipts::<Test>::hashed_key_for(key), &receipt_v0(&r).encode());
	}
	for (farm, period, t) in FarmTotals::<Test>::iter().collect::<Vec<_>>() {
		let old = PeriodTotalV0 { receipts: t.receipts, reward: OLD_REWARD, tft: t.tft };
		storage::set(&FarmTotals::<Test>::hashed_key_for(farm, period), &old.encode());
	}
	StorageVersion::new(0).put::<Minting>();
}

/// Every record in the new layout with what the doc comment promises, the rest kept; node 1
/// then reports on from its last report.
#[test]
fn v1_rewrites_every_record_in_the_new_layout() {
	test(|| {
		grid_state();
		let (one, two) = (state(1), state(2));
		let receipts: Vec<_> = Receipts::<Test>::iter().collect();
		let totals: Vec<_> = FarmTotals::<Test>::iter().collect();
		assert_eq!((receipts.len(), totals.len()), (2, 2));
		as_version_0();
		let weight = MigrateV0ToV1::<Test>::on_runtime_upgrade();

		let [diy, certified] = FarmingPolicy::reference_defaults();
		assert_eq!(Policies::<Test>::get(1), Some(diy));
		assert_eq!(Policies::<Test>::get(2), Some(certified));
		// 1,000 mUSD per GiB is 931.3 per GB: rounded down. All of what payments burn.
		let network_share = Percent::from_percent(100);
		let promo = FarmingPolicy { nu: Musd(931), network_share, ..promo() };
		assert_eq!(Policies::<Test>::get(3), Some(promo));

		let last = one.last.expect("node 1 reported").at;
		assert_eq!(last, T0 + 2 * L + 3_000);
		let one = NodeState {
			timeline: Timeline::starting(last),
			standby: None,
			policy_units: Default::default(),
			carried: 0,
			..one
		};
		assert_eq!(state(1), one);
		// Node 2 never reported: its timeline starts with its period; asked down, it is on
		// standby from the upgrade; its farm's limit covers its capacity.
		assert_eq!(two.period.start, T0 + 2 * L + 1_000);
		let two = NodeState {
			timeline: Timeline::starting(two.period.start),
			standby: Some(Window::new(T0 + 2 * L + 3_100, u64::MAX)),
			policy_units: EXAMPLE.cloud_units(),
			carried: 0,
			..two
		};
		assert_eq!(state(2), two);

		let network =
			PaidNetwork { traffic_bytes: TRAFFIC, ipv4_seconds: IPV4_SECONDS, paid: 0, burned: 0 };
		for (key, r) in receipts {
			let capacity_usd = Usd::from_musd(OLD_REWARD);
			let new = Receipt { network, capacity_usd, network_usd: Usd::ZERO, ..r };
			assert_eq!(Receipts::<Test>::get(key), Some(new));
		}
		assert_eq!(FarmTotals::<Test>::iter().collect::<Vec<_>>(), totals);
		assert_eq!(FarmTotals::<Test>::get(1, 1), PeriodTotal { receipts: 1, tft: PERIOD_TFT });
		assert_eq!(Minting::on_chain_storage_version(), StorageVersion::new(1));
		// Three policies, two node records (two each: the registry's node too), two receipts,
		// two farm totals, and the storage version.
		let items = 3 + 2 * 2 + 2 + 2 + 1;
		assert_eq!(weight, db().reads_writes(items, items));

		report_at(2 * L + 3_500, -(BOOTED_BEFORE as i64));
		assert_eq!(state(1).timeline.up_between(last, T0 + 2 * L + 3_500), 500);
		assert_eq!(state(1).period.uptime, one.period.uptime + 500);
	});
}

/// Only the reference defaults with version 0's exact rates get the new network rates: a
/// mutable `diy`, or a `certified` at other rates, is converted like any other policy.
#[test]
fn only_the_reference_defaults_as_version_0_had_them_get_the_new_rates() {
	test(|| {
		let [diy, certified] = FarmingPolicy::reference_defaults();
		let diy = FarmingPolicy { immutable: false, ..diy };
		storage::set(&Policies::<Test>::hashed_key_for(1), &policy_v0(&diy, 30, 5).encode());
		storage::set(&Policies::<Test>::hashed_key_for(2), &policy_v0(&certified, 60, 6).encode());
		StorageVersion::new(0).put::<Minting>();
		#[cfg(feature = "try-runtime")]
		assert_ok!(MigrateV0ToV1::<Test>::try_on_runtime_upgrade(true));
		#[cfg(not(feature = "try-runtime"))]
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		// 30 and 60 mUSD per GiB are 27.9 and 55.9 per GB.
		let diy = FarmingPolicy { nu: Musd(27), ipv4: Musd(5), ..diy };
		assert_eq!(Policies::<Test>::get(1), Some(diy));
		let certified = FarmingPolicy { nu: Musd(55), ipv4: Musd(6), ..certified };
		assert_eq!(Policies::<Test>::get(2), Some(certified));
	});
}

/// A second run only reads the storage version and changes nothing.
#[test]
fn v1_runs_once() {
	test(|| {
		grid_state();
		as_version_0();
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		let root = storage::root(StateVersion::V1);
		assert_eq!(MigrateV0ToV1::<Test>::on_runtime_upgrade(), db().reads(1));
		assert_eq!(storage::root(StateVersion::V1), root);
		assert_eq!(Minting::on_chain_storage_version(), StorageVersion::new(1));
	});
}

/// A chain started at version 1 (a new chain's genesis) skips it.
#[test]
fn v1_is_skipped_on_a_chain_started_at_version_1() {
	test(|| {
		grid_state();
		assert_eq!(Minting::on_chain_storage_version(), StorageVersion::new(1));
		let root = storage::root(StateVersion::V1);
		assert_eq!(MigrateV0ToV1::<Test>::on_runtime_upgrade(), db().reads(1));
		assert_eq!(storage::root(StateVersion::V1), root);
	});
}

/// The pre-checks decode every version 0 record exactly, the post-checks find the same
/// counts, TFT, units and what is owed, and the reference defaults' new rates.
#[cfg(feature = "try-runtime")]
#[test]
fn the_checks_pass_before_and_after() {
	test(|| {
		grid_state();
		as_version_0();
		assert_ok!(MigrateV0ToV1::<Test>::try_on_runtime_upgrade(true));
		assert_eq!(Policies::<Test>::get(3).map(|p| p.nu), Some(Musd(931)));
		assert_eq!(Minting::on_chain_storage_version(), StorageVersion::new(1));
	});
}
