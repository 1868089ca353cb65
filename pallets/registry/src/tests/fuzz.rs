//! Random call sequences (proptest): after every call all invariants hold, a failed call changes
//! no storage at all, and no TFT is created or destroyed (deposits only move to holds).

use super::*;
use frame::deps::sp_io;
use grid_primitives::registry::{NodeCertification, Power, PublicIpPool};
use proptest::prelude::*;

const ACCOUNTS: [AccountId; 6] = [ALICE, BOB, CHARLIE, NODE1, NODE2, PAUPER];
const NAMES: [&str; 5] = ["aaa", "bbb", "ccc", "x", "AAA"];
const DOMAINS: [&str; 3] = ["gw.grid.tf", "GW.grid.tf", "other.grid.tf"];

#[derive(Clone, Debug)]
enum Op {
	CreateTwin(usize),
	DeleteTwin(usize),
	CreateFarm(usize, usize),
	RenameFarm(usize, u32, usize),
	DeleteFarm(usize, u32),
	SetPolicy(usize, u32, bool),
	Admit(usize, u32, usize),
	Revoke(usize, u32, usize),
	AddIp(usize, u32, u8),
	RemoveIp(usize, u32, u8),
	Reserve(u32, u64, u32),
	Release(u32, u64),
	ForceRelease(u32, u8),
	RegisterNode(usize, u32),
	UpdateNode(usize, u64),
	DeleteNode(usize, u32),
	PowerTarget(usize, u32, bool),
	PowerState(usize, bool),
	Certify(u32, bool),
	PublicConfig(usize, u32, u8, usize),
	ForceRemoveIp(u32, u8),
	ForceRename(u32, usize),
	ProposeTransfer(usize, usize),
	AcceptTransfer(usize, u32),
	SetBusy(u32, bool),
}

fn op() -> impl Strategy<Value = Op> {
	let who = 0..ACCOUNTS.len();
	// Ids 1..=3 exist often; 0 and 4 mostly do not.
	let farm = 0u32..5;
	let node = 0u32..5;
	let name = 0..NAMES.len();
	let host = 2u8..6;
	// Deletions are rarer, so sequences build up state before they tear it down.
	prop_oneof![
		4 => who.clone().prop_map(Op::CreateTwin),
		1 => who.clone().prop_map(Op::DeleteTwin),
		4 => (who.clone(), name.clone()).prop_map(|(w, n)| Op::CreateFarm(w, n)),
		4 => (who.clone(), farm.clone(), name).prop_map(|(w, f, n)| Op::RenameFarm(w, f, n)),
		1 => (who.clone(), farm.clone()).prop_map(|(w, f)| Op::DeleteFarm(w, f)),
		4 => (who.clone(), farm.clone(), any::<bool>()).prop_map(|(w, f, o)| Op::SetPolicy(w, f, o)),
		4 => (who.clone(), farm.clone(), who.clone()).prop_map(|(w, f, n)| Op::Admit(w, f, n)),
		4 => (who.clone(), farm.clone(), who.clone()).prop_map(|(w, f, n)| Op::Revoke(w, f, n)),
		4 => (who.clone(), farm.clone(), host.clone()).prop_map(|(w, f, h)| Op::AddIp(w, f, h)),
		4 => (who.clone(), farm.clone(), host.clone()).prop_map(|(w, f, h)| Op::RemoveIp(w, f, h)),
		4 => (farm.clone(), 1u64..4, 0u32..3).prop_map(|(f, c, n)| Op::Reserve(f, c, n)),
		4 => (farm.clone(), 1u64..4).prop_map(|(f, c)| Op::Release(f, c)),
		4 => (farm.clone(), host).prop_map(|(f, h)| Op::ForceRelease(f, h)),
		4 => (who.clone(), farm.clone()).prop_map(|(w, f)| Op::RegisterNode(w, f)),
		4 => (who.clone(), 0u64..20).prop_map(|(w, c)| Op::UpdateNode(w, c)),
		4 => (who.clone(), node.clone()).prop_map(|(w, n)| Op::DeleteNode(w, n)),
		4 => (who.clone(), node.clone(), any::<bool>()).prop_map(|(w, n, d)| Op::PowerTarget(w, n, d)),
		4 => (who.clone(), any::<bool>()).prop_map(|(w, d)| Op::PowerState(w, d)),
		4 => (node.clone(), any::<bool>()).prop_map(|(n, c)| Op::Certify(n, c)),
		3 => (who.clone(), node.clone(), 2u8..6, 0..DOMAINS.len())
			.prop_map(|(w, n, h, d)| Op::PublicConfig(w, n, h, d)),
		1 => (farm.clone(), 2u8..6).prop_map(|(f, h)| Op::ForceRemoveIp(f, h)),
		1 => (farm.clone(), 0..NAMES.len()).prop_map(|(f, n)| Op::ForceRename(f, n)),
		2 => (who.clone(), who.clone()).prop_map(|(w, t)| Op::ProposeTransfer(w, t)),
		2 => (who, 0u32..6).prop_map(|(w, t)| Op::AcceptTransfer(w, t)),
		2 => (node, any::<bool>()).prop_map(|(n, b)| Op::SetBusy(n, b)),
	]
}

fn power(down: bool) -> Power {
	if down {
		Power::Down
	} else {
		Power::Up
	}
}

/// Applies one call; `Err` when the call was refused.
fn apply(op: &Op) -> Result<(), DispatchError> {
	let o = |i: usize| signed(ACCOUNTS[i]);
	let ip = |h: u8| farm_ip(h);
	match op.clone() {
		Op::CreateTwin(w) => Registry::create_twin(o(w), Default::default(), None),
		Op::DeleteTwin(w) => Registry::delete_twin(o(w)),
		Op::CreateFarm(w, n) => Registry::create_farm(o(w), bounded(NAMES[n])),
		Op::RenameFarm(w, f, n) => Registry::rename_farm(o(w), f, bounded(NAMES[n])),
		Op::DeleteFarm(w, f) => Registry::delete_farm(o(w), f).map(|_| ()).map_err(|e| e.error),
		Op::SetPolicy(w, f, open) => Registry::set_node_policy(
			o(w),
			f,
			if open { NodePolicy::Open } else { NodePolicy::AllowList },
		),
		Op::Admit(w, f, n) => Registry::admit_node(o(w), f, NodeRef::Account(ACCOUNTS[n])),
		// Often the farm's owner revoking an account it did admit, so revocations succeed
		// as well as fail.
		Op::Revoke(w, f, n) => {
			let admitted = Admitted::<Test>::iter_key_prefix(f).next().unwrap_or(ACCOUNTS[n]);
			let owner = Registry::farm_owner_account(f).filter(|_| n % 2 == 0);
			let origin = owner.map_or_else(|| o(w), signed);
			Registry::revoke_node(origin, f, NodeRef::Account(admitted))
		},
		Op::AddIp(w, f, h) => Registry::add_farm_ip(o(w), f, ip(h).0, ip(h).1),
		Op::RemoveIp(w, f, h) => Registry::remove_farm_ip(o(w), f, ip(h).0.ip),
		Op::Reserve(f, c, n) => Registry::reserve_ips(f, c, n).map(|_| ()),
		Op::Release(f, c) => {
			Registry::release_ips(f, c);
			Ok(())
		},
		Op::ForceRelease(f, h) => Registry::force_release_farm_ip(gov(), f, ip(h).0.ip),
		Op::RegisterNode(w, f) => Registry::register_node(o(w), f, spec()),
		Op::UpdateNode(w, cru) => {
			Registry::update_node(o(w), spec_with(Resources { cru, ..spec().resources }))
		},
		Op::DeleteNode(w, n) => Registry::delete_node(o(w), n).map(|_| ()).map_err(|e| e.error),
		Op::PowerTarget(w, n, down) => Registry::set_power_target(o(w), n, power(down)),
		Op::PowerState(w, down) => {
			Registry::report_power_state(o(w), power(down)).map(|_| ()).map_err(|e| e.error)
		},
		Op::Certify(n, certified) => Registry::set_node_certification(
			gov(),
			n,
			if certified { NodeCertification::Certified } else { NodeCertification::Diy },
		),
		Op::PublicConfig(w, n, h, d) => {
			Registry::set_node_public_config(o(w), n, Some(public_config(h, DOMAINS[d])))
		},
		Op::ForceRemoveIp(f, h) => Registry::force_remove_farm_ip(gov(), f, ip(h).0.ip),
		Op::ForceRename(f, n) => Registry::force_rename_farm(gov(), f, bounded(NAMES[n])),
		Op::ProposeTransfer(w, t) => Registry::propose_twin_transfer(o(w), ACCOUNTS[t]),
		// Often the account an offer names, accepting it.
		Op::AcceptTransfer(w, t) => {
			let (twin, to) = TwinTransfers::<Test>::iter()
				.next()
				.filter(|_| t % 3 != 0)
				.unwrap_or((t, ACCOUNTS[w]));
			Registry::accept_twin_transfer(signed(to), twin)
				.map(|_| ())
				.map_err(|e| e.error)
		},
		Op::SetBusy(n, busy) => {
			// The usage oracle changes (contracts come and go); no call, no storage.
			BusyNodes::mutate(|b| {
				b.retain(|x| *x != n);
				if busy {
					b.push(n);
				}
			});
			Ok(())
		},
	}
}

/// Twins for four accounts, an open farm of Alice with two IPs (one reserved by contract 1) and
/// node 1 (Node1's account), and Bob's allow-list farm, so short random sequences reach nodes,
/// power, reservations and deletions.
fn seed() {
	// Thread-local test switches outlive a proptest case: start each case from none.
	BusyNodes::set(vec![]);
	BusyTwins::set(vec![]);
	for who in [ALICE, BOB, NODE1, NODE2] {
		twin(who);
	}
	open_farm(ALICE, "seed-a");
	assert_ok!(Registry::create_farm(signed(BOB), bounded("seed-b")));
	for host in [2, 3] {
		assert_ok!(Registry::add_farm_ip(signed(ALICE), 1, farm_ip(host).0, farm_ip(host).1));
	}
	assert_ok!(Registry::reserve_ips(1, 1, 1));
	assert_ok!(Registry::register_node(signed(NODE1), 1, spec()));
}

fn total_balance() -> Balance {
	use frame::traits::fungible::Inspect;
	ACCOUNTS.iter().map(Balances::total_balance).sum()
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

	#[test]
	fn random_call_sequences_keep_every_invariant(ops in proptest::collection::vec(op(), 1..60)) {
		new_test_ext().execute_with(|| {
			seed();
			let money = total_balance();
			for op in &ops {
				let before = sp_io::storage::root(frame::deps::sp_runtime::StateVersion::V1);
				let events_before = System::event_count();
				let result = apply(op);
				if result.is_err() {
					let after = sp_io::storage::root(frame::deps::sp_runtime::StateVersion::V1);
					prop_assert_eq!(before, after, "refused {:?} changed storage", op);
					prop_assert_eq!(events_before, System::event_count());
				}
				if let Err(e) = Registry::do_try_state() {
					prop_assert!(false, "invariant broken after {:?} ({:?}): {:?}", op, result, e);
				}
				prop_assert_eq!(total_balance(), money, "TFT created or destroyed by {:?}", op);
			}
			Ok(())
		})?;
	}
}
