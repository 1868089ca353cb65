//! Farming policies: governance only, immutability, bounds, farm limits, certification.

use super::*;
use grid_primitives::registry::FarmCertification;

fn policy(name: &[u8], default: bool) -> FarmingPolicy {
	FarmingPolicy {
		name: BoundedVec::truncate_from(name.to_vec()),
		cu: Musd(5_000),
		su: Musd(2_000),
		nu: Musd(0),
		ipv4: Musd(0),
		network_share: frame::deps::sp_runtime::Percent::from_percent(50),
		minimal_uptime: 900,
		node_certification: NodeCertification::Diy,
		farm_certification: FarmCertification::NotCertified,
		default,
		immutable: false,
		end: None,
	}
}

#[test]
fn governance_manages_policies_within_bounds() {
	test(|| {
		assert_noop!(
			Minting::create_policy(signed(ALICE), policy(b"p", false)),
			DispatchError::BadOrigin
		);
		assert_ok!(Minting::create_policy(gov(), policy(b"promo", false)));
		assert_eq!(LastPolicyId::<Test>::get(), 3);
		assert!(minting_events()
			.contains(&Event::PolicyCreated { policy_id: 3, policy: policy(b"promo", false) }));
		assert_refused(
			|| Minting::create_policy(gov(), policy(b"", false)),
			Error::InvalidPolicyName,
		);
		let mut bad = policy(b"x", false);
		bad.minimal_uptime = 1_001;
		assert_refused(|| Minting::create_policy(gov(), bad), Error::InvalidMinimalUptime);
		assert_refused(
			|| Minting::update_policy(gov(), 1, policy(b"diy", true)),
			Error::PolicyImmutable,
		);
		assert_refused(
			|| Minting::update_policy(gov(), 9, policy(b"x", true)),
			Error::PolicyNotFound,
		);
		let mut frozen = policy(b"promo", false);
		frozen.immutable = true;
		assert_ok!(Minting::update_policy(gov(), 3, frozen.clone()));
		assert_refused(
			|| Minting::update_policy(gov(), 3, policy(b"promo", false)),
			Error::PolicyImmutable,
		);
		assert_ok!(Minting::create_policy(gov(), policy(b"four", false)));
		assert_ok!(Minting::create_policy(gov(), policy(b"five", false)));
		assert_refused(
			|| Minting::create_policy(gov(), policy(b"six", false)),
			Error::TooManyPolicies,
		);
	});
}

#[test]
fn a_farm_policy_covers_nodes_within_its_limits() {
	test(|| {
		farm();
		assert_ok!(Minting::create_policy(gov(), policy(b"promo", false)));
		let units = EXAMPLE.cloud_units();
		let limit =
			FarmPolicyLimit { policy: 3, cu: units.cu * 2, su: units.su * 2, nodes: 1, end: None };
		assert_noop!(
			Minting::attach_policy_to_farm(signed(FARMER), 1, limit),
			DispatchError::BadOrigin
		);
		assert_refused(|| Minting::attach_policy_to_farm(gov(), 9, limit), Error::FarmNotFound);
		assert_refused(
			|| Minting::attach_policy_to_farm(gov(), 1, FarmPolicyLimit { policy: 9, ..limit }),
			Error::PolicyNotFound,
		);
		assert_ok!(Minting::attach_policy_to_farm(gov(), 1, limit));
		let first = register(NODE1, EXAMPLE);
		assert_eq!((state(first).policy, state(first).farm_policy), (Some(3), true));
		let left = FarmPolicies::<Test>::get(1).unwrap();
		assert_eq!((left.nodes, left.cu), (0, units.cu));
		// The node count is spent: the next node gets the default.
		let second = register(NODE2, EXAMPLE);
		assert_eq!(state(second).policy, Some(1));
		// A farm policy stays through a certification change.
		assert_ok!(Registry::set_node_certification(gov(), first, NodeCertification::Certified));
		assert_eq!(state(first).policy, Some(3));
		assert_ok!(Minting::detach_policy_from_farm(gov(), 1));
		assert_refused(|| Minting::detach_policy_from_farm(gov(), 1), Error::NoFarmPolicy);
		assert_eq!(state(first).policy, Some(3), "detaching does not take it from the node");
	});
}

#[test]
fn an_ended_policy_gives_way_to_a_default_at_the_close() {
	test(|| {
		let node = grid();
		let mut ending = policy(b"ending", true);
		ending.end = Some(T0 + 5_000);
		// A default as specific as DIY but newer: chosen over it while active.
		assert_ok!(Minting::create_policy(gov(), ending));
		assert_eq!(
			Minting::best_default(NodeCertification::Diy, FarmCertification::NotCertified, T0),
			Some(3)
		);
		assert_ok!(Registry::set_node_certification(gov(), node, NodeCertification::Certified));
		assert_ok!(Registry::set_node_certification(gov(), node, NodeCertification::Diy));
		assert_eq!(state(node).policy, Some(3));
		report_every(500, PARAMS.period_length, 500);
		assert_eq!(receipt(node, 0).policy, Some(3), "the policy at the close pays");
		assert_eq!(state(node).policy, Some(1));
		assert!(
			minting_events().contains(&Event::NodePolicyChanged { node_id: node, policy: Some(1) })
		);
	});
}
