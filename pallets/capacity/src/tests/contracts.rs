//! Node, rent and name contracts, extra fees, providers, grace, and how contracts end.

use super::*;
use grid_primitives::{
	contracts::{BillableKind, ContractLifecycle},
	registry::{NodeUsage, PublicIpPool},
};

fn create(who: AccountId, node: NodeId, h: u8, resources: Resources, ips: u32) -> DispatchResult {
	Capacity::create_node_contract(signed(who), node, hash(h), data(), resources, ips, None)
}

#[test]
fn a_node_contract_reserves_capacity_and_ips() {
	test(|| {
		grid(2);
		let id = assert_create_node_contract(ALICE, 1, 1, QUARTER, 1);
		assert_eq!(Capacity::contract_ips(id)[0].ip, farm_ip(10));
		assert_eq!(Capacity::contracts_of_twin(twin_of(ALICE)), vec![id]);
		assert_eq!(Capacity::contracts_on_node(1), (vec![id], None));
		let free = NODE_CAPACITY.checked_sub(&QUARTER).unwrap();
		assert_eq!(Capacity::node_free_capacity(1), Some(free));
	});
}

#[test]
fn a_node_is_never_sold_beyond_what_it_registered() {
	test(|| {
		grid(0);
		for h in 1..=4 {
			assert_create_node_contract(ALICE, 1, h, QUARTER, 0);
		}
		let one_core = Resources { cru: 1, ..Default::default() };
		assert_refused(|| create(BOB, 1, 9, one_core, 0), Error::<Test>::NotEnoughCapacity);
		// Nor by resizing.
		let id = LastContractId::<Test>::get();
		let bigger = QUARTER.checked_add(&one_core).unwrap();
		assert_refused(
			|| Capacity::update_node_contract(signed(ALICE), id, hash(4), data(), bigger),
			Error::<Test>::NotEnoughCapacity,
		);
		// Nor by a node shrinking under its contracts.
		let smaller = Resources { cru: 7, ..NODE_CAPACITY };
		assert_noop!(
			Registry::update_node(signed(NODE1), spec(smaller)),
			pallet_registry::Error::<Test>::CapacityBelowReserved
		);
		assert_eq!(Capacity::reserved_capacity(1), NODE_CAPACITY);
	});
}

#[test]
fn node_contract_errors() {
	test(|| {
		grid(1);
		assert_refused(|| create(99, 1, 1, QUARTER, 0), Error::<Test>::TwinNotFound);
		assert_refused(|| create(ALICE, 7, 1, QUARTER, 0), Error::<Test>::NodeNotFound);
		assert_refused(|| create(ALICE, 1, 1, QUARTER, 2), Error::<Test>::NotEnoughPublicIps);
		assert_refused(
			|| create(ALICE, 1, 1, QUARTER, MAX_IPS_PER_CONTRACT + 1),
			Error::<Test>::TooManyIps,
		);
		assert_create_node_contract(ALICE, 1, 1, QUARTER, 1);
		assert_refused(|| create(BOB, 1, 1, QUARTER, 0), Error::<Test>::DeploymentHashExists);
		assert_refused(|| create(BOB, 1, 2, QUARTER, 1), Error::<Test>::NotEnoughPublicIps);
		// The same hash on another node is another deployment.
		assert_create_node_contract(BOB, 2, 1, QUARTER, 0);
		let nothing = Resources::default();
		for h in 2..=4 {
			assert_create_node_contract(CHARLIE, 1, h, nothing, 0);
		}
		assert_refused(|| create(CHARLIE, 1, 5, nothing, 0), Error::<Test>::TooManyContractsOnNode);
		assert_create_node_contract(CHARLIE, 2, 2, nothing, 0);
		assert_create_node_contract(CHARLIE, 2, 3, nothing, 0);
		assert_refused(|| create(CHARLIE, 2, 4, nothing, 0), Error::<Test>::TooManyContracts);
		assert_refused(
			|| Capacity::create_node_contract(signed(BOB), 2, hash(9), data(), nothing, 0, Some(1)),
			Error::<Test>::ProviderNotFound,
		);
	});
}

#[test]
fn standby_dedicated_and_extra_fee_nodes_refuse_plain_contracts() {
	test(|| {
		grid(0);
		assert_ok!(Registry::set_power_target(signed(FARMER), 1, Power::Down));
		assert_refused(|| create(ALICE, 1, 1, QUARTER, 0), Error::<Test>::NodeOnStandby);
		assert_ok!(Registry::set_power_target(signed(FARMER), 1, Power::Up));
		assert_ok!(Registry::report_power_state(signed(NODE1), Power::Down));
		assert_refused(|| create(ALICE, 1, 1, QUARTER, 0), Error::<Test>::NodeOnStandby);

		assert_ok!(Capacity::set_extra_fee(signed(FARMER), 2, Musd(5_000)));
		assert_eq!(last_event(), Event::ExtraFeeSet { node_id: 2, fee: Musd(5_000) });
		assert_refused(|| create(ALICE, 2, 1, QUARTER, 0), Error::<Test>::NodeRequiresRent);
		assert_ok!(Capacity::set_extra_fee(signed(FARMER), 2, Musd(0)));
		assert!(ExtraFees::<Test>::get(2).is_none());
		assert_create_node_contract(ALICE, 2, 1, QUARTER, 0);

		assert_ok!(Registry::set_farm_dedicated(gov(), 1, true));
		assert_refused(|| create(ALICE, 2, 2, QUARTER, 0), Error::<Test>::NodeRequiresRent);
	});
}

#[test]
fn extra_fee_errors() {
	test(|| {
		grid(0);
		assert_refused(
			|| Capacity::set_extra_fee(signed(FARMER), 9, Musd(1)),
			Error::<Test>::NodeNotFound,
		);
		assert_refused(
			|| Capacity::set_extra_fee(signed(ALICE), 1, Musd(1)),
			Error::<Test>::NotFarmer,
		);
		assert_refused(
			|| Capacity::set_extra_fee(signed(99), 1, Musd(1)),
			Error::<Test>::TwinNotFound,
		);
		assert_create_node_contract(ALICE, 1, 1, QUARTER, 0);
		assert_refused(
			|| Capacity::set_extra_fee(signed(FARMER), 1, Musd(1)),
			Error::<Test>::NodeHasContracts,
		);
	});
}

#[test]
fn update_node_contract() {
	test(|| {
		grid(0);
		let id = assert_create_node_contract(ALICE, 1, 1, QUARTER, 0);
		assert_create_node_contract(BOB, 1, 2, QUARTER, 0);
		let half = QUARTER.checked_add(&QUARTER).unwrap();
		Billed::take();
		assert_ok!(Capacity::update_node_contract(signed(ALICE), id, hash(3), data(), half));
		assert_eq!(Billed::get(), vec![BillingCall::Settle(id)], "billed at the old size first");
		assert_eq!(NodeLoads::<Test>::get(1).reserved, half.checked_add(&QUARTER).unwrap());
		assert!(ContractByHash::<Test>::get(1, hash(1)).is_none());
		assert_eq!(ContractByHash::<Test>::get(1, hash(3)), Some(id));
		assert_eq!(
			last_event(),
			Event::NodeContractUpdated {
				contract_id: id,
				twin_id: twin_of(ALICE),
				node_id: 1,
				deployment_hash: hash(3),
				resources: half,
			}
		);
		// Keeping the hash is fine; taking another contract's is not.
		assert_ok!(Capacity::update_node_contract(signed(ALICE), id, hash(3), data(), QUARTER));
		assert_refused(
			|| Capacity::update_node_contract(signed(ALICE), id, hash(2), data(), QUARTER),
			Error::<Test>::DeploymentHashExists,
		);
		assert_refused(
			|| Capacity::update_node_contract(signed(BOB), id, hash(5), data(), QUARTER),
			Error::<Test>::NotContractOwner,
		);
		assert_refused(
			|| Capacity::update_node_contract(signed(ALICE), 99, hash(5), data(), QUARTER),
			Error::<Test>::ContractNotFound,
		);
		assert_ok!(Capacity::create_name_contract(signed(ALICE), name("gw1")));
		let name_id = LastContractId::<Test>::get();
		assert_refused(
			|| Capacity::update_node_contract(signed(ALICE), name_id, hash(5), data(), QUARTER),
			Error::<Test>::NotANodeContract,
		);
		assert_ok!(<Capacity as ContractLifecycle<_, _>>::start_grace(id));
		assert_refused(
			|| Capacity::update_node_contract(signed(ALICE), id, hash(5), data(), QUARTER),
			Error::<Test>::ContractInGrace,
		);
	});
}

#[test]
fn cancel_releases_everything_exactly_once() {
	test(|| {
		grid(3);
		let id = assert_create_node_contract(ALICE, 1, 1, QUARTER, 2);
		let bob = assert_create_node_contract(BOB, 1, 2, QUARTER, 1);
		assert_refused(
			|| Capacity::cancel_contract(signed(BOB), id),
			Error::<Test>::NotContractOwner,
		);
		assert_ends(id, EndCause::Owner, || {
			assert_ok!(Capacity::cancel_contract(signed(ALICE), id));
		});
		// tfchain freed IPs twice: Bob's IP must still be his.
		assert_eq!(<Registry as PublicIpPool>::reserved_by(1, bob).len(), 1);
		assert_eq!(free_ips(), 2);
		assert_refused(
			|| Capacity::cancel_contract(signed(ALICE), id),
			Error::<Test>::ContractNotFound,
		);
		// The hash is free again.
		assert_create_node_contract(ALICE, 1, 1, QUARTER, 2);
	});
}

#[test]
fn rent_contract_takes_the_whole_node() {
	test(|| {
		grid(1);
		assert_ok!(Registry::set_power_target(signed(FARMER), 1, Power::Down));
		// Allowed on a node in standby; the renter deploys there, nobody else does.
		assert_ok!(Capacity::create_rent_contract(signed(ALICE), 1, None, Musd(0)));
		let rent = LastContractId::<Test>::get();
		assert_eq!(
			last_event(),
			Event::RentContractCreated { contract_id: rent, twin_id: twin_of(ALICE), node_id: 1 }
		);
		assert_eq!(held(ALICE), 10 + CONTRACT_DEPOSIT);
		assert_refused(|| create(BOB, 1, 1, QUARTER, 0), Error::<Test>::NodeRentedByOther);
		assert_refused(
			|| Capacity::create_rent_contract(signed(BOB), 1, None, Musd(0)),
			Error::<Test>::NodeAlreadyRented,
		);
		let child = assert_create_node_contract(ALICE, 1, 1, QUARTER, 1);
		assert_eq!(Capacity::contracts_on_node(1), (vec![child], Some(rent)));
		// A rented node counts as wholly reserved: it may not shrink at all.
		assert_eq!(<Capacity as NodeUsage>::reserved_capacity(1), NODE_CAPACITY);
		// Billing sees the child pay only IPs and traffic.
		assert_eq!(
			<Capacity as ContractLifecycle<_, _>>::billable(child).map(|b| b.kind),
			Some(BillableKind::Node {
				node_id: 1,
				resources: QUARTER,
				public_ips: 1,
				rented: true
			})
		);
		assert_refused(
			|| Capacity::cancel_contract(signed(ALICE), rent),
			Error::<Test>::RentHasNodeContracts,
		);
		assert_ends(child, EndCause::Owner, || {
			assert_ok!(Capacity::cancel_contract(signed(ALICE), child));
		});
		assert_ends(rent, EndCause::Owner, || {
			assert_ok!(Capacity::cancel_contract(signed(ALICE), rent));
		});
		assert_eq!(held(ALICE), 10, "only the twin deposit is left");
	});
}

#[test]
fn rent_refused_on_a_node_with_contracts() {
	test(|| {
		grid(0);
		assert_create_node_contract(BOB, 1, 1, QUARTER, 0);
		assert_refused(
			|| Capacity::create_rent_contract(signed(ALICE), 1, None, Musd(0)),
			Error::<Test>::NodeHasContracts,
		);
		assert_refused(
			|| Capacity::create_rent_contract(signed(ALICE), 9, None, Musd(0)),
			Error::<Test>::NodeNotFound,
		);
		assert_refused(
			|| Capacity::create_rent_contract(signed(99), 1, None, Musd(0)),
			Error::<Test>::TwinNotFound,
		);
	});
}

#[test]
fn a_rent_ended_by_governance_ends_its_node_contracts_and_leaves_nothing_locked() {
	test(|| {
		grid(2);
		assert_ok!(Capacity::create_rent_contract(signed(ALICE), 1, None, Musd(0)));
		let rent = LastContractId::<Test>::get();
		let a = assert_create_node_contract(ALICE, 1, 1, QUARTER, 1);
		let b = assert_create_node_contract(ALICE, 1, 2, QUARTER, 1);
		assert_noop!(Capacity::force_end_contract(signed(ALICE), rent), DispatchError::BadOrigin);
		assert_noop!(Capacity::force_end_contract(gov(), 99), Error::<Test>::ContractNotFound);
		assert_ok!(Capacity::force_end_contract(gov(), rent));
		for id in [a, b, rent] {
			assert_ended(id, twin_of(ALICE), Some(1), EndCause::Governance);
		}
		// tfchain left IPs and capacity behind when a rent contract ended.
		assert_eq!(free_ips(), 2);
		assert_eq!(NodeLoads::<Test>::get(1), NodeLoad::default());
		assert_eq!(held(ALICE), 10, "only the twin deposit is left");
		assert!(RentOf::<Test>::get(1).is_none());
		assert_eq!(TwinContractCount::<Test>::get(twin_of(ALICE)), 0);
	});
}

#[test]
fn name_contracts() {
	test(|| {
		grid(0);
		assert_ok!(Capacity::create_name_contract(signed(ALICE), name("my-gw_1")));
		let id = LastContractId::<Test>::get();
		assert_eq!(
			last_event(),
			Event::NameContractCreated {
				contract_id: id,
				twin_id: twin_of(ALICE),
				name: name("my-gw_1")
			}
		);
		assert_eq!(Capacity::name_contract(name("my-gw_1")), Some(id));
		assert_refused(
			|| Capacity::create_name_contract(signed(BOB), name("my-gw_1")),
			Error::<Test>::NameTaken,
		);
		for bad in ["gw", "My-gw", "gw.tf", ""] {
			assert_refused(
				|| Capacity::create_name_contract(signed(BOB), name(bad)),
				Error::<Test>::InvalidName,
			);
		}
		assert_refused(
			|| Capacity::create_name_contract(signed(99), name("free-name")),
			Error::<Test>::TwinNotFound,
		);
		assert_ends(id, EndCause::Owner, || {
			assert_ok!(Capacity::cancel_contract(signed(ALICE), id));
		});
		assert_ok!(Capacity::create_name_contract(signed(BOB), name("my-gw_1")));
	});
}

#[test]
fn grace_is_driven_by_billing_and_a_rent_carries_its_node_contracts() {
	test(|| {
		grid(0);
		assert_ok!(Capacity::create_rent_contract(signed(ALICE), 1, None, Musd(0)));
		let rent = LastContractId::<Test>::get();
		let child = assert_create_node_contract(ALICE, 1, 1, QUARTER, 0);
		System::set_block_number(5);
		type Lifecycle = Capacity;
		assert_ok!(<Lifecycle as ContractLifecycle<_, _>>::start_grace(rent));
		for id in [rent, child] {
			assert_eq!(
				Contracts::<Test>::get(id).unwrap().state,
				ContractState::GracePeriod { since: 5 }
			);
			assert!(capacity_events().contains(&Event::ContractGraceStarted {
				contract_id: id,
				twin_id: twin_of(ALICE),
				node_id: Some(1),
				since: 5,
			}));
		}
		assert_noop!(
			<Lifecycle as ContractLifecycle<_, _>>::start_grace(rent),
			Error::<Test>::ContractInGrace
		);
		assert_ok!(<Lifecycle as ContractLifecycle<_, _>>::end_grace(rent));
		for id in [rent, child] {
			assert_eq!(Contracts::<Test>::get(id).unwrap().state, ContractState::Created);
		}
		assert_eq!(
			last_event(),
			Event::ContractGraceEnded {
				contract_id: child,
				twin_id: twin_of(ALICE),
				node_id: Some(1)
			}
		);
		assert_noop!(
			<Lifecycle as ContractLifecycle<_, _>>::end_grace(rent),
			Error::<Test>::ContractNotInGrace
		);
		assert_noop!(
			<Lifecycle as ContractLifecycle<_, _>>::start_grace(99),
			Error::<Test>::ContractNotFound
		);
		// Out of funds: the rent ends and takes its child along.
		assert_ok!(<Lifecycle as ContractLifecycle<_, _>>::end_contract(
			rent,
			EndCause::OutOfFunds
		));
		assert!(Contracts::<Test>::get(child).is_none());
		assert!(Billed::get().contains(&BillingCall::Ended(child, EndCause::OutOfFunds)));
	});
}

#[test]
fn billable_view_of_each_kind() {
	test(|| {
		grid(1);
		assert_ok!(Capacity::set_extra_fee(signed(FARMER), 2, Musd(3_000)));
		assert_ok!(Capacity::create_rent_contract(signed(BOB), 2, None, Musd(3_000)));
		let rent = LastContractId::<Test>::get();
		let node = assert_create_node_contract(ALICE, 1, 1, QUARTER, 1);
		assert_ok!(Capacity::create_name_contract(signed(ALICE), name("gw1")));
		let name_id = LastContractId::<Test>::get();
		let kind = |id| <Capacity as ContractLifecycle<_, _>>::billable(id).map(|b| b.kind);
		assert_eq!(
			kind(node),
			Some(BillableKind::Node {
				node_id: 1,
				resources: QUARTER,
				public_ips: 1,
				rented: false
			})
		);
		assert_eq!(
			kind(rent),
			Some(BillableKind::Rent {
				node_id: 2,
				resources: NODE_CAPACITY,
				extra_fee: grid_primitives::contracts::ExtraFee::agreed(Musd(3_000))
			})
		);
		assert_eq!(kind(name_id), Some(BillableKind::Name));
		assert_eq!(kind(99), None);
		let billable = <Capacity as ContractLifecycle<_, _>>::billable(node).unwrap();
		assert_eq!((billable.payer, billable.twin_id), (ALICE, twin_of(ALICE)));
	});
}

#[test]
fn solution_providers() {
	test(|| {
		grid(0);
		let shares = |s: Vec<(AccountId, u8)>| BoundedVec::truncate_from(s);
		let description = BoundedVec::truncate_from(b"a dapp".to_vec());
		assert_refused(
			|| {
				Capacity::create_solution_provider(
					signed(CHARLIE),
					description.clone(),
					shares(vec![(1, 200), (2, 100)]),
				)
			},
			Error::<Test>::InvalidProviderShares,
		);
		assert_refused(
			|| {
				Capacity::create_solution_provider(
					signed(CHARLIE),
					description.clone(),
					shares(vec![(1, 10), (1, 10)]),
				)
			},
			Error::<Test>::DuplicateProviderAccount,
		);
		assert_ok!(Capacity::create_solution_provider(
			signed(CHARLIE),
			description,
			shares(vec![(CHARLIE, 30), (BOB, 20)])
		));
		assert_eq!(last_event(), Event::SolutionProviderCreated { provider_id: 1, owner: CHARLIE });
		assert_eq!(held(CHARLIE), 10 + PROVIDER_DEPOSIT);
		// Not approved yet.
		assert_refused(
			|| {
				Capacity::create_node_contract(
					signed(ALICE),
					1,
					hash(1),
					data(),
					QUARTER,
					0,
					Some(1),
				)
			},
			Error::<Test>::ProviderNotApproved,
		);
		assert_noop!(
			Capacity::approve_solution_provider(signed(ALICE), 1, true),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Capacity::approve_solution_provider(gov(), 9, true),
			Error::<Test>::ProviderNotFound
		);
		assert_ok!(Capacity::approve_solution_provider(gov(), 1, true));
		assert_eq!(
			last_event(),
			Event::SolutionProviderApproved { provider_id: 1, approved: true }
		);
		assert_ok!(Capacity::create_node_contract(
			signed(ALICE),
			1,
			hash(1),
			data(),
			QUARTER,
			0,
			Some(1)
		));
		let with = LastContractId::<Test>::get();
		assert_eq!(Contracts::<Test>::get(with).unwrap().solution_provider, Some(1));
		assert!(capacity_events().contains(&Event::SolutionProviderAttached {
			contract_id: with,
			twin_id: twin_of(ALICE),
			node_id: Some(1),
			provider_id: 1,
		}));
		assert_eq!(
			<Capacity as ContractLifecycle<_, _>>::provider_shares(1),
			vec![(CHARLIE, Percent::from_percent(30)), (BOB, Percent::from_percent(20))]
		);
		// Attached later, once.
		let without = assert_create_node_contract(ALICE, 1, 2, QUARTER, 0);
		assert_refused(
			|| Capacity::attach_solution_provider(signed(BOB), without, 1),
			Error::<Test>::NotContractOwner,
		);
		assert_refused(
			|| Capacity::attach_solution_provider(signed(ALICE), without, 9),
			Error::<Test>::ProviderNotFound,
		);
		assert_ok!(Capacity::attach_solution_provider(signed(ALICE), without, 1));
		assert_eq!(
			last_event(),
			Event::SolutionProviderAttached {
				contract_id: without,
				twin_id: twin_of(ALICE),
				node_id: Some(1),
				provider_id: 1,
			}
		);
		assert_refused(
			|| Capacity::attach_solution_provider(signed(ALICE), without, 1),
			Error::<Test>::ProviderAlreadyAttached,
		);
		// Withdrawn approval: no new attachments, no shares paid.
		assert_ok!(Capacity::approve_solution_provider(gov(), 1, false));
		assert!(<Capacity as ContractLifecycle<_, _>>::provider_shares(1).is_empty());
		let third = assert_create_node_contract(ALICE, 1, 3, QUARTER, 0);
		assert_refused(
			|| Capacity::attach_solution_provider(signed(ALICE), third, 1),
			Error::<Test>::ProviderNotApproved,
		);
	});
}

#[test]
fn a_node_deleting_itself_ends_everything_on_it() {
	test(|| {
		grid(2);
		assert_ok!(Capacity::create_rent_contract(signed(ALICE), 1, None, Musd(0)));
		let rent = LastContractId::<Test>::get();
		let child = assert_create_node_contract(ALICE, 1, 1, QUARTER, 2);
		let elsewhere = assert_create_node_contract(BOB, 2, 1, QUARTER, 0);
		// The farmer may not pull the node from under its users.
		assert_noop!(
			Registry::delete_node(signed(FARMER), 1),
			pallet_registry::Error::<Test>::NodeHasActiveContracts
		);
		assert_noop!(
			Registry::set_power_target(signed(FARMER), 1, Power::Down),
			pallet_registry::Error::<Test>::NodeHasActiveContracts
		);
		assert_ok!(Registry::delete_node(signed(NODE1), 1));
		for id in [child, rent] {
			assert_ended(id, twin_of(ALICE), Some(1), EndCause::NodeRemoved);
		}
		assert_eq!(free_ips(), 2);
		assert_eq!(held(ALICE), 10);
		assert!(Contracts::<Test>::get(elsewhere).is_some(), "other nodes are untouched");
		assert_eq!(NodeNetworks::<Test>::get(1), NodeNetwork::default());
	});
}

#[test]
fn a_force_released_ip_ends_its_contract_and_frees_the_rest_once() {
	test(|| {
		grid(3);
		let id = assert_create_node_contract(ALICE, 1, 1, QUARTER, 2);
		let bob = assert_create_node_contract(BOB, 1, 2, QUARTER, 1);
		assert_ok!(Registry::force_release_farm_ip(gov(), 1, Ipv4([185, 206, 122, 10])));
		assert_ended(id, twin_of(ALICE), Some(1), EndCause::Farmer);
		assert_eq!(free_ips(), 2);
		assert_eq!(<Registry as PublicIpPool>::reserved_by(1, bob).len(), 1);
		// Removing a held IP from the pool ends its contract too.
		let bobs_ip = <Registry as PublicIpPool>::reserved_by(1, bob)[0].ip.ip;
		assert_ok!(Registry::force_remove_farm_ip(gov(), 1, bobs_ip));
		assert_ended(bob, twin_of(BOB), Some(1), EndCause::Farmer);
		assert_eq!(free_ips(), 2);
	});
}

#[test]
fn a_twin_with_contracts_cannot_be_deleted() {
	test(|| {
		grid(0);
		assert_ok!(Capacity::create_name_contract(signed(ALICE), name("gw1")));
		assert_noop!(
			Registry::delete_twin(signed(ALICE)),
			pallet_registry::Error::<Test>::TwinHasContracts
		);
		assert_ok!(Capacity::cancel_contract(signed(ALICE), LastContractId::<Test>::get()));
		assert_ok!(Registry::delete_twin(signed(ALICE)));
	});
}

#[test]
fn a_payer_who_cannot_afford_the_deposit_gets_nothing() {
	test(|| {
		grid(1);
		let poor = 50;
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), poor, 12));
		twin(poor);
		let before = state();
		assert!(create(poor, 1, 1, QUARTER, 1).is_err());
		assert_eq!(state(), before, "no IP, no capacity, no id taken");
	});
}

#[test]
fn a_provider_is_removed_by_its_owner_only_and_gets_its_deposit_back() {
	test(|| {
		grid(0);
		let shares = BoundedVec::truncate_from(vec![(CHARLIE, 10u8)]);
		assert_ok!(Capacity::create_solution_provider(signed(CHARLIE), Default::default(), shares));
		assert_ok!(Capacity::approve_solution_provider(gov(), 1, true));
		assert_ok!(Capacity::create_node_contract(
			signed(ALICE),
			1,
			hash(1),
			data(),
			QUARTER,
			0,
			Some(1)
		));
		assert_refused(
			|| Capacity::remove_solution_provider(signed(ALICE), 1),
			Error::<Test>::NotProviderOwner,
		);
		assert_refused(
			|| Capacity::remove_solution_provider(signed(CHARLIE), 2),
			Error::<Test>::ProviderNotFound,
		);
		assert_ok!(Capacity::remove_solution_provider(signed(CHARLIE), 1));
		assert_eq!(last_event(), Event::SolutionProviderRemoved { provider_id: 1 });
		assert_eq!(held(CHARLIE), 10, "only the twin deposit is left");
		// The contract keeps the id; billing finds no shares.
		let contract = LastContractId::<Test>::get();
		assert_eq!(Contracts::<Test>::get(contract).unwrap().solution_provider, Some(1));
		assert!(<Capacity as ContractLifecycle<_, _>>::provider_shares(1).is_empty());
	});
}

#[test]
fn nothing_new_on_a_rented_node_while_the_rent_is_in_grace() {
	test(|| {
		grid(0);
		assert_ok!(Capacity::create_rent_contract(signed(ALICE), 1, None, Musd(0)));
		let rent = LastContractId::<Test>::get();
		assert_ok!(<Capacity as ContractLifecycle<_, _>>::start_grace(rent));
		assert_refused(|| create(ALICE, 1, 1, QUARTER, 0), Error::<Test>::ContractInGrace);
		assert_ok!(<Capacity as ContractLifecycle<_, _>>::end_grace(rent));
		assert_create_node_contract(ALICE, 1, 1, QUARTER, 0);
	});
}

#[test]
fn a_failed_end_changes_nothing_even_outside_a_transaction() {
	test(|| {
		grid(1);
		assert_ok!(Capacity::create_rent_contract(signed(ALICE), 1, None, Musd(0)));
		let rent = LastContractId::<Test>::get();
		assert_create_node_contract(ALICE, 1, 1, QUARTER, 1);
		// Corrupt the renter's count so ending the rent itself fails after its child ended.
		TwinContractCount::<Test>::insert(twin_of(ALICE), 1);
		let before = state();
		assert_noop!(
			<Capacity as ContractLifecycle<_, _>>::end_contract(rent, EndCause::OutOfFunds),
			Error::<Test>::InconsistentState
		);
		assert_eq!(state(), before, "the child's end was rolled back too");
		TwinContractCount::<Test>::insert(twin_of(ALICE), 2);
	});
}
