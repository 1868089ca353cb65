use super::*;
use grid_primitives::{
	money::MusdPerTft,
	registry::{GridRegistry, NodeCertification},
};

#[test]
fn register_node_into_an_open_farm() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		let node_twin = twin(NODE1);
		let node_id = assert_register_node(NODE1, farm, spec());
		let node = Nodes::<Test>::get(node_id).unwrap();
		assert_eq!((node.connection_price, node.created), (MusdPerTft(80), 1_700_000_000));
		assert_eq!(held(NODE1), TWIN_DEPOSIT + NODE_DEPOSIT);
		let info = <Registry as GridRegistry<_, _>>::node(node_id).unwrap();
		assert_eq!(
			(info.farm_id, info.twin_id, info.resources, info.certification),
			(farm, node_twin, spec().resources, NodeCertification::Diy)
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
		s.resources.hru = 0;
		assert_noop!(
			Registry::register_node(signed(NODE1), farm, s),
			Error::<Test>::TooLittleStorage
		);
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
		assert_set_public_config(ALICE, node, Some(public_config(40, "gw.grid.tf")));
		assert_delete_node(ALICE, node);
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
			(stored.spec.clone(), stored.certificate.level()),
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
		assert_eq!(Nodes::<Test>::get(node).unwrap().certificate, NodeCertificate::Diy);
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
		assert_eq!(
			Nodes::<Test>::get(node).unwrap().certificate,
			NodeCertificate::Certified { capacity: spec().resources }
		);
		assert_ok!(Registry::set_node_certification(gov(), node, NodeCertification::Diy));
		assert_eq!(Nodes::<Test>::get(node).unwrap().certificate, NodeCertificate::Diy);
		assert_noop!(
			Registry::set_node_certification(signed(BOB), 9, NodeCertification::Diy),
			Error::<Test>::NodeNotFound
		);
	});
}

#[test]
fn certification_cannot_creep_one_percent_at_a_time() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		let node = node_in(NODE1, farm);
		assert_ok!(Registry::set_node_certification(gov(), node, NodeCertification::Certified));
		// Each update is within 1 % of the previous one; the second is 2 % above the certified
		// capacity, so the certificate lapses there (it never did on the reference chain).
		let mut s = spec();
		s.resources.mru += s.resources.mru / 100;
		assert_ok!(Registry::update_node(signed(NODE1), s.clone()));
		assert_eq!(
			Nodes::<Test>::get(node).unwrap().certificate.level(),
			NodeCertification::Certified
		);
		s.resources.mru += s.resources.mru / 100;
		assert_ok!(Registry::update_node(signed(NODE1), s.clone()));
		assert_eq!(Nodes::<Test>::get(node).unwrap().certificate, NodeCertificate::Diy);
		System::assert_has_event(
			Event::NodeCertificationSet { node_id: node, certification: NodeCertification::Diy }
				.into(),
		);
	});
}

#[test]
fn implausible_hardware_is_refused_and_hdd_only_nodes_are_welcome() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		twin(NODE1);
		let absurd = Resources { cru: u64::MAX, mru: u64::MAX, sru: u64::MAX, hru: u64::MAX };
		assert_noop!(
			Registry::register_node(signed(NODE1), farm, spec_with(absurd)),
			Error::<Test>::TooManyCores
		);
		let max = Resources::PLAUSIBLE_MAX;
		for (resources, error) in [
			(Resources { mru: max.mru + 1, ..spec().resources }, Error::<Test>::TooMuchMemory),
			(Resources { sru: max.sru + 1, ..spec().resources }, Error::<Test>::TooMuchSsd),
			(Resources { hru: max.hru + 1, ..spec().resources }, Error::<Test>::TooMuchHdd),
		] {
			assert_noop!(Registry::register_node(signed(NODE1), farm, spec_with(resources)), error);
		}
		// An HDD-only storage node (no SSD, 1 TiB of HDD) registers.
		let node = assert_register_node(NODE1, farm, spec_with(Resources::MINIMUM_HDD_ONLY));
		// Governance lowers the maximum: the next update must fit.
		let lower = Resources { cru: 4, ..max };
		assert_ok!(Registry::set_max_node_resources(gov(), lower));
		assert_eq!(last_event(), Event::MaxNodeResourcesSet { max: lower }.into());
		assert_noop!(
			Registry::update_node(
				signed(NODE1),
				spec_with(Resources { cru: 5, ..Resources::MINIMUM_HDD_ONLY })
			),
			Error::<Test>::TooManyCores
		);
		assert_ok!(Registry::update_node(
			signed(NODE1),
			spec_with(Resources { cru: 4, ..Resources::MINIMUM_HDD_ONLY })
		));
		assert!(Nodes::<Test>::contains_key(node));
	});
}

#[test]
fn a_busy_node_cannot_shrink_below_what_contracts_reserve() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		let node = node_in(NODE1, farm);
		let reserved = Resources { cru: 6, mru: 16 * GIB, sru: 500 * GIB, hru: 0 };
		Reserved::set(vec![(node, reserved)]);
		let too_small = Resources { cru: 5, ..spec().resources };
		assert_noop!(
			Registry::update_node(signed(NODE1), spec_with(too_small)),
			Error::<Test>::CapacityBelowReserved
		);
		let no_hdd_needed = Resources { hru: 0, ..spec().resources };
		assert_ok!(Registry::update_node(signed(NODE1), spec_with(no_hdd_needed)));
		let exactly = Resources { cru: 6, mru: 16 * GIB, sru: 500 * GIB, hru: 0 };
		assert_ok!(Registry::update_node(signed(NODE1), spec_with(exactly)));
	});
}

#[test]
fn a_farmer_cannot_delete_a_node_under_its_users_but_the_node_can_leave() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		let node = node_in(NODE1, farm);
		BusyNodes::set(vec![node]);
		// The same rule as powering it down.
		assert_noop!(
			Registry::delete_node(signed(ALICE), node),
			Error::<Test>::NodeHasActiveContracts
		);
		// The machine itself leaving ends its contracts through the observer.
		assert_delete_node(NODE1, node);
		let again = assert_register_node(NODE1, farm, spec());
		BusyNodes::set(vec![]);
		assert_delete_node(ALICE, again);
	});
}

#[test]
fn a_count_that_disagrees_with_its_index_refuses_the_call_and_fails_try_state() {
	new_test_ext().execute_with(|| {
		let farm = open_farm(ALICE, "farm");
		let node = node_in(NODE1, farm);
		// Corrupt the farm's node count (a bug elsewhere would look like this).
		Farms::<Test>::mutate(farm, |f| f.as_mut().unwrap().nodes = 0);
		assert!(Registry::do_try_state().is_err());
		assert_noop!(Registry::delete_node(signed(NODE1), node), Error::<Test>::InconsistentCount);
		Farms::<Test>::mutate(farm, |f| f.as_mut().unwrap().nodes = 1);
		Registry::do_try_state().unwrap();
	});
}
