use super::*;
use grid_primitives::registry::{GridRegistry, NodeCertification, Power, PowerState};

#[test]
fn register_node_into_an_open_farm() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		let node_twin = twin(NODE1);
		assert_ok!(Registry::register_node(signed(NODE1), farm, spec()));
		assert_eq!(
			last_event(),
			Event::NodeRegistered {
				node_id: 1,
				farm_id: farm,
				twin_id: node_twin,
				resources: spec().resources
			}
			.into()
		);
		let node = Nodes::<Test>::get(1).unwrap();
		assert_eq!((node.farm_id, node.twin_id, node.spec.clone()), (farm, node_twin, spec()));
		assert_eq!(
			(node.connection_price, node.created, node.deposit),
			(80, 1_700_000_000, NODE_DEPOSIT)
		);
		assert_eq!(node.certification, NodeCertification::Diy);
		assert_eq!(NodeByTwin::<Test>::get(node_twin), Some(1));
		assert!(FarmNodes::<Test>::contains_key(farm, 1));
		assert_eq!(Farms::<Test>::get(farm).unwrap().nodes, 1);
		assert_eq!(held(NODE1), TWIN_DEPOSIT + NODE_DEPOSIT);
		let info = <Registry as GridRegistry<_, _>>::node(1).unwrap();
		assert_eq!(
			(info.farm_id, info.twin_id, info.resources),
			(farm, node_twin, spec().resources)
		);
	});
}

#[test]
fn a_node_cannot_join_a_farm_that_did_not_admit_it() {
	test(|| {
		twin(ALICE);
		assert_ok!(Registry::create_farm(signed(ALICE), bounded("closed")));
		twin(NODE1);
		twin(NODE2);
		assert_noop!(
			Registry::register_node(signed(NODE1), 1, spec()),
			Error::<Test>::FarmDoesNotAdmitNode
		);
		assert!(!Registry::farm_admits(1, NODE1));
		assert_ok!(Registry::admit_node(signed(ALICE), 1, NodeRef::Account(NODE1)));
		assert!(Registry::farm_admits(1, NODE1));
		assert_ok!(Registry::register_node(signed(NODE1), 1, spec()));
		assert_noop!(
			Registry::register_node(signed(NODE2), 1, spec()),
			Error::<Test>::FarmDoesNotAdmitNode
		);
	});
}

#[test]
fn register_node_errors() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		assert_noop!(
			Registry::register_node(signed(NODE1), farm, spec()),
			Error::<Test>::TwinNotFound
		);
		twin(NODE1);
		assert_noop!(
			Registry::register_node(signed(NODE1), 9, spec()),
			Error::<Test>::FarmNotFound
		);
		let mut s = spec();
		s.resources.cru = 0;
		assert_noop!(Registry::register_node(signed(NODE1), farm, s), Error::<Test>::TooFewCores);
		let mut s = spec();
		s.resources.mru = GIB;
		assert_noop!(
			Registry::register_node(signed(NODE1), farm, s),
			Error::<Test>::TooLittleMemory
		);
		let mut s = spec();
		s.resources.sru = 99 * GIB;
		assert_noop!(Registry::register_node(signed(NODE1), farm, s), Error::<Test>::TooLittleSsd);
		let mut s = spec();
		s.location.country = bounded("B");
		assert_noop!(
			Registry::register_node(signed(NODE1), farm, s),
			Error::<Test>::InvalidCountry
		);
		let mut s = spec();
		s.location.coordinates = Some(Coordinates { latitude: 0, longitude: 181_000_000 });
		assert_noop!(
			Registry::register_node(signed(NODE1), farm, s),
			Error::<Test>::InvalidCoordinates
		);
		let mut s = spec();
		s.serial_number = Some(bounded(""));
		assert_noop!(
			Registry::register_node(signed(NODE1), farm, s),
			Error::<Test>::InvalidSerialNumber
		);
		assert_ok!(Registry::register_node(signed(NODE1), farm, spec()));
		assert_noop!(
			Registry::register_node(signed(NODE1), farm, spec()),
			Error::<Test>::NodeExists
		);
		// A twin that cannot afford the node deposit.
		twin(CHARLIE);
		let spendable = Balances::free_balance(CHARLIE);
		assert_ok!(Balances::transfer_allow_death(signed(CHARLIE), BOB, spendable - 5));
		assert_noop!(
			Registry::register_node(signed(CHARLIE), farm, spec()),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn a_deleted_nodes_twin_can_register_again() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		let node = node_in(NODE1, farm);
		// Deleted by the node itself (the reference chain left the twin → node index behind).
		assert_ok!(Registry::delete_node(signed(NODE1), node));
		assert_ok!(Registry::register_node(signed(NODE1), farm, spec()));
		let again = LastNodeId::<Test>::get();
		assert_eq!(again, node + 1);
		// Deleted by the farmer.
		assert_ok!(Registry::delete_node(signed(ALICE), again));
		assert_ok!(Registry::register_node(signed(NODE1), farm, spec()));
	});
}

#[test]
fn delete_node_by_node_or_farmer_cleans_and_notifies() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		let node = node_in(NODE1, farm);
		let node_twin = TwinByAccount::<Test>::get(NODE1).unwrap();
		twin(BOB);
		assert_noop!(Registry::delete_node(signed(BOB), node), Error::<Test>::NotNodeOrFarmer);
		assert_noop!(Registry::delete_node(signed(ALICE), 9), Error::<Test>::NodeNotFound);
		let info = Registry::delete_node(signed(ALICE), node).unwrap();
		// Actual weight = our weight + what the observer reported (7), below the charged max (10).
		assert_eq!(
			info.actual_weight,
			Some(<() as crate::WeightInfo>::delete_node().saturating_add(Weight::from_parts(7, 0)))
		);
		assert_eq!(last_event(), Event::NodeDeleted { node_id: node, farm_id: farm }.into());
		assert_eq!(Observed::get(), vec![Observation::NodeRemoved(node)]);
		assert!(Nodes::<Test>::get(node).is_none());
		assert!(NodeByTwin::<Test>::get(node_twin).is_none());
		assert!(!FarmNodes::<Test>::contains_key(farm, node));
		assert_eq!(Farms::<Test>::get(farm).unwrap().nodes, 0);
		assert_eq!(held(NODE1), TWIN_DEPOSIT);
	});
}

#[test]
fn update_node_and_certified_fallback() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		let node = node_in(NODE1, farm);
		assert_ok!(Registry::set_node_certification(gov(), node, NodeCertification::Certified));
		// Within 1 %: the certificate stays.
		let mut s = spec();
		s.resources.mru += s.resources.mru / 100;
		s.location.city = bounded("Brussels");
		assert_ok!(Registry::update_node(signed(NODE1), s.clone()));
		assert_eq!(
			last_event(),
			Event::NodeUpdated { node_id: node, resources: s.resources }.into()
		);
		let stored = Nodes::<Test>::get(node).unwrap();
		assert_eq!(
			(stored.spec.clone(), stored.certification),
			(s.clone(), NodeCertification::Certified)
		);
		// More than 1 %: back to DIY, and both events.
		let mut bigger = s.clone();
		bigger.resources.cru = 16;
		System::reset_events();
		assert_ok!(Registry::update_node(signed(NODE1), bigger.clone()));
		assert_eq!(
			registry_events(),
			vec![
				Event::NodeCertificationSet {
					node_id: node,
					certification: NodeCertification::Diy
				},
				Event::NodeUpdated { node_id: node, resources: bigger.resources },
			]
		);
		assert_eq!(Nodes::<Test>::get(node).unwrap().certification, NodeCertification::Diy);
		// Errors.
		let mut bad = spec();
		bad.interfaces[0].mac = [0; 6];
		assert_noop!(Registry::update_node(signed(NODE1), bad), Error::<Test>::InvalidMac);
		assert_noop!(Registry::update_node(signed(ALICE), spec()), Error::<Test>::NodeNotFound);
		assert_noop!(Registry::update_node(signed(BOB), spec()), Error::<Test>::TwinNotFound);
	});
}

#[test]
fn public_config_is_set_by_the_farmer() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		let node = node_in(NODE1, farm);
		let (ip, gateway) = farm_ip(40);
		let config = PublicConfig {
			ip4: Ipv4WithGateway { ip, gateway },
			ip6: None,
			domain: Some(bounded("gw.grid.tf")),
		};
		assert_ok!(Registry::set_node_public_config(signed(ALICE), node, Some(config.clone())));
		assert_eq!(
			last_event(),
			Event::NodePublicConfigSet { node_id: node, config: Some(config.clone()) }.into()
		);
		assert_eq!(Nodes::<Test>::get(node).unwrap().public_config, Some(config.clone()));
		assert_noop!(
			Registry::set_node_public_config(signed(NODE1), node, Some(config.clone())),
			Error::<Test>::NotFarmOwner
		);
		assert_noop!(
			Registry::set_node_public_config(signed(ALICE), 9, None),
			Error::<Test>::NodeNotFound
		);
		let private = PublicConfig {
			ip4: Ipv4WithGateway {
				ip: Ipv4Cidr { ip: v4(10, 0, 0, 5), prefix: 24 },
				gateway: v4(10, 0, 0, 1),
			},
			..config.clone()
		};
		assert_noop!(
			Registry::set_node_public_config(signed(ALICE), node, Some(private)),
			Error::<Test>::IpNotPublic
		);
		let bad_domain = PublicConfig { domain: Some(bounded("a..b")), ..config };
		assert_noop!(
			Registry::set_node_public_config(signed(ALICE), node, Some(bad_domain)),
			Error::<Test>::InvalidHostName
		);
		assert_ok!(Registry::set_node_public_config(signed(ALICE), node, None));
		assert_eq!(Nodes::<Test>::get(node).unwrap().public_config, None);
	});
}

#[test]
fn power_target_by_farmer_refuses_down_under_contracts() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		let node = node_in(NODE1, farm);
		BusyNodes::set(vec![node]);
		assert_noop!(
			Registry::set_power_target(signed(ALICE), node, Power::Down),
			Error::<Test>::NodeHasActiveContracts
		);
		assert_ok!(Registry::set_power_target(signed(ALICE), node, Power::Up));
		BusyNodes::set(vec![]);
		assert_ok!(Registry::set_power_target(signed(ALICE), node, Power::Down));
		assert_eq!(
			last_event(),
			Event::PowerTargetChanged { farm_id: farm, node_id: node, target: Power::Down }.into()
		);
		assert_eq!(Nodes::<Test>::get(node).unwrap().power.target, Power::Down);
		assert_eq!(
			Observed::get(),
			vec![
				Observation::PowerTarget(node, Power::Up),
				Observation::PowerTarget(node, Power::Down)
			]
		);
		assert_noop!(
			Registry::set_power_target(signed(NODE1), node, Power::Up),
			Error::<Test>::NotFarmOwner
		);
		assert_noop!(
			Registry::set_power_target(signed(ALICE), 9, Power::Up),
			Error::<Test>::NodeNotFound
		);
	});
}

#[test]
fn power_state_reported_by_the_node_is_free_when_it_changes() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		let node = node_in(NODE1, farm);
		System::set_block_number(5);
		let info = Registry::report_power_state(signed(NODE1), Power::Down).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		let down = PowerState::Down { since: 5 };
		assert_eq!(
			last_event(),
			Event::PowerStateChanged { farm_id: farm, node_id: node, state: down }.into()
		);
		assert_eq!(Nodes::<Test>::get(node).unwrap().power.state, down);
		// Repeating it changes nothing and pays.
		System::reset_events();
		System::set_block_number(9);
		let info = Registry::report_power_state(signed(NODE1), Power::Down).unwrap();
		assert_eq!(info.pays_fee, Pays::Yes);
		assert!(registry_events().is_empty());
		assert_eq!(Nodes::<Test>::get(node).unwrap().power.state, down);
		assert_ok!(Registry::report_power_state(signed(NODE1), Power::Up));
		assert_eq!(Nodes::<Test>::get(node).unwrap().power.state, PowerState::Up);
		assert_eq!(
			Observed::get(),
			vec![
				Observation::PowerState(node, down),
				Observation::PowerState(node, PowerState::Up)
			]
		);
		assert_noop!(
			Registry::report_power_state(signed(ALICE), Power::Up),
			Error::<Test>::NodeNotFound
		);
		assert_noop!(
			Registry::report_power_state(signed(BOB), Power::Up),
			Error::<Test>::TwinNotFound
		);
	});
}

#[test]
fn certification_by_certifiers_or_governance() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		let node = node_in(NODE1, farm);
		assert_noop!(
			Registry::set_node_certification(signed(BOB), node, NodeCertification::Certified),
			Error::<Test>::NotNodeCertifier
		);
		assert_noop!(
			Registry::set_node_certification(
				RuntimeOrigin::none(),
				node,
				NodeCertification::Certified
			),
			DispatchError::BadOrigin
		);
		assert_ok!(Registry::add_node_certifier(gov(), BOB));
		assert_ok!(Registry::set_node_certification(
			signed(BOB),
			node,
			NodeCertification::Certified
		));
		assert_eq!(
			last_event(),
			Event::NodeCertificationSet {
				node_id: node,
				certification: NodeCertification::Certified
			}
			.into()
		);
		assert_eq!(Nodes::<Test>::get(node).unwrap().certification, NodeCertification::Certified);
		assert_ok!(Registry::set_node_certification(gov(), node, NodeCertification::Diy));
		assert_eq!(Nodes::<Test>::get(node).unwrap().certification, NodeCertification::Diy);
		assert_noop!(
			Registry::set_node_certification(signed(BOB), 9, NodeCertification::Diy),
			Error::<Test>::NodeNotFound
		);
	});
}
