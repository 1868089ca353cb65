use super::*;
use grid_primitives::registry::{FarmCertification, PublicIpPool};

#[test]
fn create_farm_holds_deposit_and_defaults_to_allow_list() {
	test(|| {
		let alice = twin(ALICE);
		assert_ok!(Registry::create_farm(signed(ALICE), bounded("alice-farm")));
		assert_eq!(
			last_event(),
			Event::FarmCreated { farm_id: 1, twin_id: alice, name: bounded("alice-farm") }.into()
		);
		let farm = Farms::<Test>::get(1).unwrap();
		assert_eq!(farm.payout, ALICE);
		assert_eq!(farm.policy, NodePolicy::AllowList);
		assert_eq!(farm.certification, FarmCertification::NotCertified);
		assert_eq!(FarmByName::<Test>::get(bounded::<_>("alice-farm")), Some(1));
		assert_eq!(Twins::<Test>::get(alice).unwrap().farms, 1);
		assert_eq!(held(ALICE), TWIN_DEPOSIT + FARM_DEPOSIT);
	});
}

#[test]
fn create_farm_errors() {
	test(|| {
		assert_noop!(
			Registry::create_farm(signed(ALICE), bounded("farm")),
			Error::<Test>::TwinNotFound
		);
		twin(ALICE);
		twin(BOB);
		assert_noop!(
			Registry::create_farm(signed(ALICE), bounded("ab")),
			Error::<Test>::InvalidFarmName
		);
		assert_noop!(
			Registry::create_farm(signed(ALICE), bounded("my farm")),
			Error::<Test>::InvalidFarmName
		);
		assert_ok!(Registry::create_farm(signed(ALICE), bounded("farm")));
		assert_noop!(
			Registry::create_farm(signed(BOB), bounded("farm")),
			Error::<Test>::FarmNameTaken
		);
		// A 41-byte name does not even decode into the call's argument type.
		assert!(FarmName::try_from(vec![b'a'; 41]).is_err());
	});
}

#[test]
fn rename_farm_reindexes_the_name() {
	test(|| {
		let farm = open_farm(ALICE, "old-name");
		open_farm(BOB, "bobs");
		assert_ok!(Registry::rename_farm(signed(ALICE), farm, bounded("new-name")));
		assert_eq!(
			last_event(),
			Event::FarmRenamed { farm_id: farm, name: bounded("new-name") }.into()
		);
		assert_eq!(FarmByName::<Test>::get(bounded::<_>("new-name")), Some(farm));
		assert!(FarmByName::<Test>::get(bounded::<_>("old-name")).is_none());
		// Same name: nothing to do.
		assert_ok!(Registry::rename_farm(signed(ALICE), farm, bounded("new-name")));
		assert_noop!(
			Registry::rename_farm(signed(ALICE), farm, bounded("bobs")),
			Error::<Test>::FarmNameTaken
		);
		assert_noop!(
			Registry::rename_farm(signed(ALICE), farm, bounded("x")),
			Error::<Test>::InvalidFarmName
		);
		assert_noop!(
			Registry::rename_farm(signed(BOB), farm, bounded("mine")),
			Error::<Test>::NotFarmOwner
		);
		assert_noop!(
			Registry::rename_farm(signed(CHARLIE), farm, bounded("mine")),
			Error::<Test>::TwinNotFound
		);
		assert_noop!(
			Registry::rename_farm(signed(ALICE), 9, bounded("mine")),
			Error::<Test>::FarmNotFound
		);
	});
}

#[test]
fn payout_and_policy_are_the_farmers_choice() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		twin(BOB);
		assert_ok!(Registry::set_farm_payout(signed(ALICE), farm, CHARLIE));
		assert_eq!(last_event(), Event::FarmPayoutSet { farm_id: farm, payout: CHARLIE }.into());
		assert_eq!(Farms::<Test>::get(farm).unwrap().payout, CHARLIE);
		assert_noop!(
			Registry::set_farm_payout(signed(BOB), farm, BOB),
			Error::<Test>::NotFarmOwner
		);
		assert_ok!(Registry::set_node_policy(signed(ALICE), farm, NodePolicy::AllowList));
		assert_eq!(
			last_event(),
			Event::FarmNodePolicySet { farm_id: farm, policy: NodePolicy::AllowList }.into()
		);
		assert_noop!(
			Registry::set_node_policy(signed(BOB), farm, NodePolicy::Open),
			Error::<Test>::NotFarmOwner
		);
	});
}

#[test]
fn allow_list_by_account_or_twin() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		let node2_twin = twin(NODE2);
		assert_ok!(Registry::admit_node(signed(ALICE), farm, NodeRef::Account(NODE1)));
		assert_eq!(last_event(), Event::NodeAdmitted { farm_id: farm, who: NODE1 }.into());
		assert_ok!(Registry::admit_node(signed(ALICE), farm, NodeRef::Twin(node2_twin)));
		assert!(Admitted::<Test>::contains_key(farm, NODE2));
		assert_eq!(Farms::<Test>::get(farm).unwrap().admitted, 2);
		assert_noop!(
			Registry::admit_node(signed(ALICE), farm, NodeRef::Account(NODE1)),
			Error::<Test>::AlreadyAdmitted
		);
		assert_noop!(
			Registry::admit_node(signed(ALICE), farm, NodeRef::Twin(77)),
			Error::<Test>::TwinNotFound
		);
		assert_ok!(Registry::admit_node(signed(ALICE), farm, NodeRef::Account(50)));
		assert_noop!(
			Registry::admit_node(signed(ALICE), farm, NodeRef::Account(51)),
			Error::<Test>::TooManyAdmitted
		);
		twin(BOB);
		assert_noop!(
			Registry::admit_node(signed(BOB), farm, NodeRef::Account(51)),
			Error::<Test>::NotFarmOwner
		);
		assert_ok!(Registry::revoke_node(signed(ALICE), farm, NodeRef::Account(NODE1)));
		assert_eq!(last_event(), Event::NodeAdmissionRevoked { farm_id: farm, who: NODE1 }.into());
		assert_noop!(
			Registry::revoke_node(signed(ALICE), farm, NodeRef::Account(NODE1)),
			Error::<Test>::NotAdmitted
		);
		assert_eq!(Farms::<Test>::get(farm).unwrap().admitted, 2);
	});
}

#[test]
fn add_farm_ip_validates_and_is_unique_across_the_chain() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		let other = open_farm(BOB, "other");
		let (ip, gw) = farm_ip(10);
		assert_ok!(Registry::add_farm_ip(signed(ALICE), farm, ip, gw));
		assert_eq!(last_event(), Event::FarmIpAdded { farm_id: farm, ip, gateway: gw }.into());
		assert_eq!(IpOwner::<Test>::get(ip.ip), Some(farm));
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
			Registry::farm_public_ips(farm).iter().filter(|p| p.contract.is_none()).count(),
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
		assert!(Registry::farm_public_ips(farm)[0].contract.is_none());
	});
}

#[test]
fn delete_farm_cleans_every_index() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		let (ip, gw) = farm_ip(10);
		assert_ok!(Registry::add_farm_ip(signed(ALICE), farm, ip, gw));
		assert_ok!(Registry::admit_node(signed(ALICE), farm, NodeRef::Account(NODE2)));
		let node = node_in(NODE1, farm);
		assert_noop!(Registry::delete_farm(signed(ALICE), farm), Error::<Test>::FarmHasNodes);
		assert_ok!(Registry::delete_node(signed(NODE1), node));
		twin(BOB);
		assert_noop!(Registry::delete_farm(signed(BOB), farm), Error::<Test>::NotFarmOwner);
		assert_ok!(Registry::delete_farm(signed(ALICE), farm));
		assert_eq!(last_event(), Event::FarmDeleted { farm_id: farm }.into());
		assert!(Farms::<Test>::get(farm).is_none());
		assert!(FarmByName::<Test>::get(bounded::<_>("farm")).is_none());
		assert!(IpOwner::<Test>::get(ip.ip).is_none());
		assert!(!FarmPublicIps::<Test>::contains_key(farm));
		assert_eq!(Admitted::<Test>::iter_prefix(farm).count(), 0);
		assert_eq!(Twins::<Test>::get(1).unwrap().farms, 0);
		assert_eq!(held(ALICE), TWIN_DEPOSIT);
		assert_noop!(Registry::delete_farm(signed(ALICE), farm), Error::<Test>::FarmNotFound);
		// The name and the IP are free again.
		let again = open_farm(ALICE, "farm");
		assert_ok!(Registry::add_farm_ip(signed(ALICE), again, ip, gw));
	});
}
