use super::*;
use grid_primitives::registry::{FarmCertification, PublicIpPool};

#[test]
fn add_farm_ip_validates_and_is_unique_across_the_chain() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		let other = open_farm(BOB, "other");
		let (ip, gw) = farm_ip(10);
		assert_add_farm_ip(ALICE, farm, ip, gw);
		assert_eq!(IpOwner::<Test>::get(ip.ip), Some(IpHolder::Farm(farm)));
		assert_eq!(Registry::farm_public_ips(farm).len(), 1);
		assert_noop!(Registry::add_farm_ip(signed(ALICE), farm, ip, gw), Error::<Test>::IpExists);
		assert_noop!(Registry::add_farm_ip(signed(BOB), other, ip, gw), Error::<Test>::IpExists);
		assert_noop!(
			Registry::add_farm_ip(signed(BOB), farm, farm_ip(11).0, gw),
			Error::<Test>::NotFarmOwner
		);
		let private = Ipv4Cidr { ip: v4(192, 168, 1, 10), prefix: 24 };
		assert_noop!(
			Registry::add_farm_ip(signed(ALICE), farm, private, v4(192, 168, 1, 1)),
			Error::<Test>::IpNotPublic
		);
		let outside = v4(185, 206, 123, 1);
		assert_noop!(
			Registry::add_farm_ip(signed(ALICE), farm, farm_ip(11).0, outside),
			Error::<Test>::InvalidGateway
		);
		let bad_prefix = Ipv4Cidr { prefix: 40, ..farm_ip(11).0 };
		assert_noop!(
			Registry::add_farm_ip(signed(ALICE), farm, bad_prefix, gw),
			Error::<Test>::InvalidIpPrefix
		);
		let network = Ipv4Cidr { ip: v4(185, 206, 122, 0), prefix: 24 };
		assert_noop!(
			Registry::add_farm_ip(signed(ALICE), farm, network, gw),
			Error::<Test>::IpNotAHost
		);
	});
}

#[test]
fn farm_ip_pool_is_bounded() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		for i in 0..MAX_FARM_IPS {
			let ip = Ipv4Cidr {
				ip: Ipv4([185, 10 + (i / 250) as u8, 0, 2 + (i % 250) as u8]),
				prefix: 16,
			};
			assert_ok!(Registry::add_farm_ip(
				signed(ALICE),
				farm,
				ip,
				v4(185, 10 + (i / 250) as u8, 0, 1)
			));
		}
		let one_more = Ipv4Cidr { ip: v4(185, 20, 0, 2), prefix: 16 };
		assert_noop!(
			Registry::add_farm_ip(signed(ALICE), farm, one_more, v4(185, 20, 0, 1)),
			Error::<Test>::TooManyIps
		);
	});
}

#[test]
fn reserved_ips_cannot_be_removed_until_released() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		for host in [10, 11, 12] {
			let (ip, gw) = farm_ip(host);
			assert_ok!(Registry::add_farm_ip(signed(ALICE), farm, ip, gw));
		}
		let assigned = Registry::reserve_ips(farm, 7, 2).unwrap();
		assert_eq!(
			assigned.iter().map(|a| a.ip).collect::<Vec<_>>(),
			vec![farm_ip(10).0, farm_ip(11).0]
		);
		assert_eq!(
			last_event(),
			Event::PublicIpsReserved { farm_id: farm, contract_id: 7, count: 2 }.into()
		);
		// All or none.
		assert_eq!(Registry::reserve_ips(farm, 8, 2), Err(Error::<Test>::NotEnoughFreeIps.into()));
		assert_eq!(Registry::reserve_ips(99, 8, 1), Err(Error::<Test>::FarmNotFound.into()));
		assert_eq!(
			Registry::farm_public_ips(farm)
				.ips
				.iter()
				.filter(|p| p.contract.is_none())
				.count(),
			1
		);
		assert_noop!(
			Registry::remove_farm_ip(signed(ALICE), farm, farm_ip(10).0.ip),
			Error::<Test>::IpReserved
		);
		assert_noop!(Registry::delete_farm(signed(ALICE), farm), Error::<Test>::FarmIpsInUse);
		assert_eq!(Registry::release_ips(farm, 7), 2);
		assert_eq!(
			last_event(),
			Event::PublicIpsReleased { farm_id: farm, contract_id: 7, count: 2 }.into()
		);
		assert_eq!(Registry::release_ips(farm, 7), 0);
		assert_eq!(
			Registry::release_ips(99, 7),
			0,
			"unknown farm: nothing, and no storage written"
		);
		assert_ok!(Registry::remove_farm_ip(signed(ALICE), farm, farm_ip(10).0.ip));
		assert_eq!(
			last_event(),
			Event::FarmIpRemoved { farm_id: farm, ip: farm_ip(10).0.ip }.into()
		);
		assert!(IpOwner::<Test>::get(farm_ip(10).0.ip).is_none());
		assert_noop!(
			Registry::remove_farm_ip(signed(ALICE), farm, farm_ip(10).0.ip),
			Error::<Test>::IpNotFound
		);
		twin(BOB);
		assert_noop!(
			Registry::remove_farm_ip(signed(BOB), farm, farm_ip(11).0.ip),
			Error::<Test>::NotFarmOwner
		);
	});
}

#[test]
fn governance_flags_and_force_release() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		let (ip, gw) = farm_ip(10);
		assert_ok!(Registry::add_farm_ip(signed(ALICE), farm, ip, gw));
		assert_ok!(Registry::set_farm_certification(gov(), farm, FarmCertification::Gold));
		assert_eq!(
			last_event(),
			Event::FarmCertificationSet { farm_id: farm, certification: FarmCertification::Gold }
				.into()
		);
		assert_ok!(Registry::set_farm_dedicated(gov(), farm, true));
		assert_eq!(last_event(), Event::FarmDedicatedSet { farm_id: farm, dedicated: true }.into());
		let f = Farms::<Test>::get(farm).unwrap();
		assert_eq!((f.certification, f.dedicated), (FarmCertification::Gold, true));
		for origin in [signed(ALICE), RuntimeOrigin::none()] {
			assert_noop!(
				Registry::set_farm_certification(origin.clone(), farm, FarmCertification::Gold),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Registry::set_farm_dedicated(origin.clone(), farm, false),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Registry::force_release_farm_ip(origin, farm, ip.ip),
				DispatchError::BadOrigin
			);
		}
		assert_noop!(
			Registry::set_farm_certification(gov(), 9, FarmCertification::Gold),
			Error::<Test>::FarmNotFound
		);
		assert_noop!(Registry::set_farm_dedicated(gov(), 9, true), Error::<Test>::FarmNotFound);
		assert_noop!(
			Registry::force_release_farm_ip(gov(), farm, ip.ip),
			Error::<Test>::IpNotReserved
		);
		assert_noop!(
			Registry::force_release_farm_ip(gov(), farm, v4(1, 1, 1, 1)),
			Error::<Test>::IpNotFound
		);
		assert_noop!(Registry::force_release_farm_ip(gov(), 9, ip.ip), Error::<Test>::FarmNotFound);
		Registry::reserve_ips(farm, 42, 1).unwrap();
		assert_ok!(Registry::force_release_farm_ip(gov(), farm, ip.ip));
		assert_eq!(
			last_event(),
			Event::FarmIpForceReleased { farm_id: farm, ip: ip.ip, contract_id: 42 }.into()
		);
		assert_eq!(Observed::get(), vec![Observation::IpForceReleased(farm, ip.ip, 42)]);
		assert!(Registry::farm_public_ips(farm).ips[0].contract.is_none());
	});
}

#[test]
fn governance_removes_a_squatted_ip() {
	test(|| {
		let alice = open_farm(ALICE, "alice-farm");
		let bob = open_farm(BOB, "bob-farm");
		// Bob puts Alice's address in his pool first: she cannot add it.
		let (ip, gw) = farm_ip(33);
		assert_add_farm_ip(BOB, bob, ip, gw);
		assert_noop!(Registry::add_farm_ip(signed(ALICE), alice, ip, gw), Error::<Test>::IpExists);
		assert_noop!(
			Registry::force_remove_farm_ip(signed(ALICE), bob, ip.ip),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::force_remove_farm_ip(gov(), alice, ip.ip),
			Error::<Test>::IpNotFound
		);
		assert_noop!(Registry::force_remove_farm_ip(gov(), 9, ip.ip), Error::<Test>::FarmNotFound);
		assert_ok!(Registry::force_remove_farm_ip(gov(), bob, ip.ip));
		assert_eq!(
			last_event(),
			Event::FarmIpForceRemoved { farm_id: bob, ip: ip.ip, contract_id: None }.into()
		);
		assert!(Observed::get().is_empty(), "no contract held it");
		assert_add_farm_ip(ALICE, alice, ip, gw);
		// Removing a reserved IP tells the contract holding it.
		let (other, gw) = farm_ip(34);
		assert_add_farm_ip(BOB, bob, other, gw);
		assert_ok!(Registry::reserve_ips(bob, 5, 1));
		assert_ok!(Registry::force_remove_farm_ip(gov(), bob, other.ip));
		assert_eq!(Observed::get(), vec![Observation::IpForceReleased(bob, other.ip, 5)]);
		assert_eq!(
			last_event(),
			Event::FarmIpForceRemoved { farm_id: bob, ip: other.ip, contract_id: Some(5) }.into()
		);
		assert!(Registry::farm_public_ips(bob).is_empty());
		assert!(IpOwner::<Test>::get(other.ip).is_none());
	});
}

#[test]
fn node_public_addresses_are_unique_on_the_chain() {
	test(|| {
		let farm = open_farm(ALICE, "alice-farm");
		let first = node_in(NODE1, farm);
		let second = node_in(NODE2, farm);
		// An address of a farm's pool is not a node's address.
		let (pool_ip, gw) = farm_ip(10);
		assert_add_farm_ip(ALICE, farm, pool_ip, gw);
		assert_noop!(
			Registry::set_node_public_config(
				signed(ALICE),
				first,
				Some(public_config(10, "gw1.grid.tf"))
			),
			Error::<Test>::IpExists
		);
		// The first node takes .40 and gw1.grid.tf.
		let mut config = public_config(40, "gw1.grid.tf");
		config.ip6 = Some(Ipv6WithGateway {
			ip: grid_primitives::net::Ipv6Cidr {
				ip: grid_primitives::net::Ipv6([
					0x2a, 2, 0x18, 2, 0, 0x5e, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x33,
				]),
				prefix: 64,
			},
			gateway: grid_primitives::net::Ipv6([
				0x2a, 2, 0x18, 2, 0, 0x5e, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
			]),
		});
		assert_set_public_config(ALICE, first, Some(config.clone()));
		// Setting the same again changes nothing but the event.
		assert_set_public_config(ALICE, first, Some(config.clone()));
		// The second node can take none of them, whatever the domain's case.
		let taken_ip =
			PublicConfig { domain: Some(bounded("gw2.grid.tf")), ip6: None, ..config.clone() };
		assert_noop!(
			Registry::set_node_public_config(signed(ALICE), second, Some(taken_ip)),
			Error::<Test>::IpExists
		);
		let taken_v6 =
			PublicConfig { ip4: public_config(41, "x.tf").ip4, domain: None, ..config.clone() };
		assert_noop!(
			Registry::set_node_public_config(signed(ALICE), second, Some(taken_v6)),
			Error::<Test>::IpExists
		);
		assert_noop!(
			Registry::set_node_public_config(
				signed(ALICE),
				second,
				Some(public_config(41, "GW1.grid.tf"))
			),
			Error::<Test>::DomainTaken
		);
		// Nor can a farm put the node's address in its pool.
		assert_noop!(
			Registry::add_farm_ip(signed(ALICE), farm, farm_ip(40).0, gw),
			Error::<Test>::IpExists
		);
		// The first node moves to .42: .40 is free again.
		assert_set_public_config(ALICE, first, Some(public_config(42, "gw1.grid.tf")));
		assert_add_farm_ip(ALICE, farm, farm_ip(40).0, gw);
		// Governance clears a squatting config; its domain is free for the second node.
		assert_noop!(
			Registry::force_clear_node_public_config(signed(ALICE), first),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::force_clear_node_public_config(gov(), 9),
			Error::<Test>::NodeNotFound
		);
		assert_ok!(Registry::force_clear_node_public_config(gov(), first));
		assert_eq!(
			last_event(),
			Event::NodePublicConfigSet { node_id: first, config: None }.into()
		);
		assert_set_public_config(ALICE, second, Some(public_config(42, "gw1.grid.tf")));
		// A deleted node's addresses are free.
		assert_delete_node(NODE2, second);
		assert_set_public_config(ALICE, first, Some(public_config(42, "gw1.grid.tf")));
	});
}
