use super::*;
use grid_primitives::registry::FarmCertification;

#[test]
fn create_farm_holds_deposit_and_defaults_to_allow_list() {
	test(|| {
		twin(ALICE);
		let farm_id = assert_create_farm(ALICE, "alice-farm");
		let farm = Farms::<Test>::get(farm_id).unwrap();
		assert_eq!(farm.certification, FarmCertification::NotCertified);
		assert_eq!(Registry::farm_by_name(bounded("alice-farm")), Some(farm_id));
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
		// Another case is the same name: no farm impersonates another.
		assert_noop!(
			Registry::create_farm(signed(BOB), bounded("FARM")),
			Error::<Test>::FarmNameTaken
		);
		// A twin owns at most MAX_FARMS_PER_TWIN farms.
		for name in ["farm-2", "farm-3"] {
			assert_ok!(Registry::create_farm(signed(ALICE), bounded(name)));
		}
		assert_noop!(
			Registry::create_farm(signed(ALICE), bounded("farm-4")),
			Error::<Test>::TooManyFarms
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
		// Another case of its own name: the display name changes, the key stays.
		assert_ok!(Registry::rename_farm(signed(ALICE), farm, bounded("New-Name")));
		assert_eq!(Farms::<Test>::get(farm).unwrap().name, bounded::<ConstU32<40>>("New-Name"));
		assert_eq!(Registry::farm_by_name(bounded("NEW-name")), Some(farm));
		assert_noop!(
			Registry::rename_farm(signed(ALICE), farm, bounded("BOBS")),
			Error::<Test>::FarmNameTaken
		);
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
		assert!(!FarmsOfTwin::<Test>::contains_key(1, farm));
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

#[test]
fn governance_renames_a_squatting_farm() {
	test(|| {
		let squatter = open_farm(BOB, "threefold");
		assert_noop!(
			Registry::force_rename_farm(signed(BOB), squatter, bounded("bob-farm")),
			DispatchError::BadOrigin
		);
		assert_ok!(Registry::force_rename_farm(gov(), squatter, bounded("bob-farm")));
		assert_eq!(
			last_event(),
			Event::FarmRenamed { farm_id: squatter, name: bounded("bob-farm") }.into()
		);
		// The name is free for its rightful owner.
		open_farm(ALICE, "ThreeFold");
		assert_noop!(
			Registry::force_rename_farm(gov(), squatter, bounded("threefold")),
			Error::<Test>::FarmNameTaken
		);
		assert_noop!(
			Registry::force_rename_farm(gov(), 9, bounded("whatever")),
			Error::<Test>::FarmNotFound
		);
		assert_noop!(
			Registry::force_rename_farm(gov(), squatter, bounded("no way")),
			Error::<Test>::InvalidFarmName
		);
	});
}
