use super::*;
use grid_primitives::{
	money::MusdPerTft,
	registry::{FarmCertification, GridRegistry},
};

#[test]
fn node_certifiers_list() {
	test(|| {
		assert_ok!(Registry::add_node_certifier(gov(), BOB));
		assert_eq!(last_event(), Event::NodeCertifierAdded { who: BOB }.into());
		assert_noop!(Registry::add_node_certifier(gov(), BOB), Error::<Test>::AlreadyCertifier);
		assert_ok!(Registry::add_node_certifier(gov(), CHARLIE));
		assert_noop!(Registry::add_node_certifier(gov(), ALICE), Error::<Test>::TooManyCertifiers);
		assert_noop!(Registry::add_node_certifier(signed(BOB), ALICE), DispatchError::BadOrigin);
		assert_ok!(Registry::remove_node_certifier(gov(), BOB));
		assert_eq!(last_event(), Event::NodeCertifierRemoved { who: BOB }.into());
		assert_eq!(NodeCertifiers::<Test>::get().into_inner(), vec![CHARLIE]);
		assert_noop!(Registry::remove_node_certifier(gov(), BOB), Error::<Test>::NotNodeCertifier);
		assert_noop!(
			Registry::remove_node_certifier(signed(CHARLIE), CHARLIE),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn connection_price_is_copied_into_new_nodes() {
	test(|| {
		assert_eq!(ConnectionPrice::<Test>::get(), MusdPerTft(80));
		let farm = open_farm(ALICE, "farm");
		let first = node_in(NODE1, farm);
		assert_ok!(Registry::set_connection_price(gov(), MusdPerTft(120)));
		assert_eq!(last_event(), Event::ConnectionPriceSet { price: MusdPerTft(120) }.into());
		let second = node_in(NODE2, farm);
		assert_eq!(Nodes::<Test>::get(first).unwrap().connection_price, MusdPerTft(80));
		assert_eq!(Nodes::<Test>::get(second).unwrap().connection_price, MusdPerTft(120));
		assert_noop!(
			Registry::set_connection_price(gov(), MusdPerTft(0)),
			Error::<Test>::InvalidConnectionPrice
		);
		assert_noop!(
			Registry::set_connection_price(signed(ALICE), MusdPerTft(1)),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn zos_version() {
	test(|| {
		assert_ok!(Registry::set_zos_version(gov(), bounded("v3.14.2")));
		assert_eq!(last_event(), Event::ZosVersionSet { version: bounded("v3.14.2") }.into());
		assert_eq!(CurrentZosVersion::<Test>::get(), bounded::<ConstU32<64>>("v3.14.2"));
		assert_noop!(
			Registry::set_zos_version(gov(), bounded("v3 14")),
			Error::<Test>::InvalidZosVersion
		);
		assert_noop!(
			Registry::set_zos_version(gov(), bounded("")),
			Error::<Test>::InvalidZosVersion
		);
		assert_noop!(
			Registry::set_zos_version(signed(ALICE), bounded("v4")),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn genesis_seeds_twins_farms_ips_nodes_and_knobs() {
	let (ip, gw) = farm_ip(10);
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		balances: pallet_balances::GenesisConfig {
			balances: vec![(ALICE, INITIAL_BALANCE), (NODE1, INITIAL_BALANCE)],
			..Default::default()
		},
		registry: crate::GenesisConfig {
			twins: vec![ALICE, NODE1],
			farms: vec![(ALICE, "demo-farm".into(), true)],
			farm_ips: vec![(1, ip, gw)],
			nodes: vec![(NODE1, 1, Resources::MINIMUM)],
			node_certifiers: vec![BOB],
			connection_price: Some(MusdPerTft(90)),
			max_node_resources: Some(Resources { cru: 64, ..Resources::PLAUSIBLE_MAX }),
			zos_version: "v3.15.0".into(),
		},
	}
	.build_storage()
	.unwrap();
	TestState::new(storage).execute_with(|| {
		assert_eq!(TwinByAccount::<Test>::get(NODE1), Some(2));
		let farm = Farms::<Test>::get(1).unwrap();
		assert_eq!(
			(farm.name, farm.policy, farm.twin_id),
			(bounded("demo-farm"), NodePolicy::Open, 1)
		);
		assert_eq!(IpOwner::<Test>::get(ip.ip), Some(IpHolder::Farm(1)));
		assert_eq!(MaxNodeResources::<Test>::get().cru, 64);
		let node = <Registry as GridRegistry<_, _>>::node(1).unwrap();
		assert_eq!(
			(node.farm_id, node.twin_id, node.resources, node.connection_price),
			(1, 2, Resources::MINIMUM, MusdPerTft(90))
		);
		assert_eq!(
			<Registry as GridRegistry<_, _>>::farm(1).unwrap().certification,
			FarmCertification::NotCertified
		);
		assert_eq!(Nodes::<Test>::get(1).unwrap().created, 0, "genesis has no wall clock");
		assert_eq!(NodeCertifiers::<Test>::get().into_inner(), vec![BOB]);
		assert_eq!(CurrentZosVersion::<Test>::get(), bounded::<ConstU32<64>>("v3.15.0"));
		assert_eq!(held(ALICE), TWIN_DEPOSIT + FARM_DEPOSIT);
		Registry::do_try_state().unwrap();
	});
}

#[test]
#[should_panic(expected = "registry genesis: node")]
fn genesis_refuses_a_node_without_a_twin() {
	let _ = RuntimeGenesisConfig {
		system: Default::default(),
		balances: pallet_balances::GenesisConfig {
			balances: vec![(ALICE, INITIAL_BALANCE)],
			..Default::default()
		},
		registry: crate::GenesisConfig {
			twins: vec![ALICE],
			farms: vec![(ALICE, "demo-farm".into(), true)],
			nodes: vec![(NODE1, 1, Resources::MINIMUM)],
			..Default::default()
		},
	}
	.build_storage();
}

#[test]
fn try_state_catches_a_broken_index() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		node_in(NODE1, farm);
		assert_ok!(Registry::do_try_state());
		// Simulate the reference chain's defect: a node deleted without its twin index.
		Nodes::<Test>::remove(1);
		assert!(Registry::do_try_state().is_err());
		Nodes::<Test>::insert(1, {
			let twin_id = TwinByAccount::<Test>::get(NODE1).unwrap();
			Node {
				farm_id: farm,
				twin_id,
				spec: spec(),
				public_config: None,
				certificate: Default::default(),
				power: Default::default(),
				free_power_changes: Default::default(),
				connection_price: MusdPerTft(80),
				created: 1_700_000_000,
				deposit: NODE_DEPOSIT,
			}
		});
		assert_ok!(Registry::do_try_state());
		// A deposit that is not held.
		FarmByName::<Test>::insert(bounded::<_>("ghost"), 9);
		assert!(Registry::do_try_state().is_err());
		FarmByName::<Test>::remove(bounded::<_>("ghost"));
	});
}

#[test]
fn try_state_catches_a_hold_left_behind_by_a_deletion() {
	test(|| {
		// A twin, farm and node deleted without releasing their deposits (a removed
		// `release_deposit` would look like this): the records are gone, the holds stay.
		let farm = open_farm(ALICE, "farm");
		let node = node_in(NODE1, farm);
		assert_ok!(Registry::do_try_state());
		Nodes::<Test>::remove(node);
		NodeByTwin::<Test>::remove(TwinByAccount::<Test>::get(NODE1).unwrap());
		FarmNodes::<Test>::remove(farm, node);
		Farms::<Test>::mutate(farm, |f| f.as_mut().unwrap().nodes = 0);
		assert_eq!(
			Registry::do_try_state(),
			Err("held deposit differs from the recorded deposits".into())
		);
		// Releasing the leftover hold restores the invariant.
		use frame::traits::{fungible::MutateHold, tokens::Precision};
		assert_ok!(<Balances as MutateHold<_>>::release(
			&RuntimeHoldReason::Registry(HoldReason::NodeDeposit),
			&NODE1,
			NODE_DEPOSIT,
			Precision::Exact
		));
	});
}

#[test]
fn max_node_resources_must_admit_the_smallest_node() {
	test(|| {
		assert_eq!(MaxNodeResources::<Test>::get(), Resources::PLAUSIBLE_MAX);
		assert_noop!(
			Registry::set_max_node_resources(signed(ALICE), Resources::PLAUSIBLE_MAX),
			DispatchError::BadOrigin
		);
		let no_hdd_only =
			Resources { hru: Resources::MIN_HRU_HDD_ONLY - 1, ..Resources::PLAUSIBLE_MAX };
		assert_noop!(
			Registry::set_max_node_resources(gov(), no_hdd_only),
			Error::<Test>::InvalidMaxResources
		);
		assert_noop!(
			Registry::set_max_node_resources(gov(), Resources::MINIMUM),
			Error::<Test>::InvalidMaxResources
		);
		let smallest = Resources { hru: Resources::MIN_HRU_HDD_ONLY, ..Resources::MINIMUM };
		assert_ok!(Registry::set_max_node_resources(gov(), smallest));
	});
}
