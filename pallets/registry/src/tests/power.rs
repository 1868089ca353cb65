use super::*;
use grid_primitives::registry::{Power, PowerState};

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
		assert_report_power(NODE1, Power::Down, true);
		let down = PowerState::Down { since: 5 };
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
fn a_node_cannot_fill_blocks_with_free_power_flips() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		node_in(NODE1, farm);
		System::set_block_number(10);
		// Down→Up→Down… always changes the state; only FREE_POWER_CHANGES per window are free.
		let mut state = Power::Down;
		for flip in 0..6 {
			assert_report_power(NODE1, state, flip < FREE_POWER_CHANGES);
			state = if state == Power::Down { Power::Up } else { Power::Down };
		}
		// The window that began at block 10 ends at 10 + POWER_CHANGE_WINDOW: free again.
		System::set_block_number(10 + POWER_CHANGE_WINDOW - 1);
		assert_report_power(NODE1, state, false);
		System::set_block_number(10 + POWER_CHANGE_WINDOW);
		state = if state == Power::Down { Power::Up } else { Power::Down };
		assert_report_power(NODE1, state, true);
	});
}

#[test]
fn calls_charge_the_weight_bounds_of_the_hooks_they_trigger() {
	use crate::{Call, WeightInfo};
	use frame::deps::frame_support::dispatch::GetDispatchInfo;
	let weight = |call: Call<Test>| call.get_dispatch_info().call_weight;
	let ip = v4(185, 206, 122, 10);
	assert_eq!(
		weight(Call::set_power_target { node_id: 1, target: Power::Down }),
		<() as WeightInfo>::set_power_target() + USAGE_QUERY + POWER_CHANGED_MAX
	);
	assert_eq!(
		weight(Call::report_power_state { state: Power::Down }),
		<() as WeightInfo>::report_power_state() + POWER_CHANGED_MAX
	);
	assert_eq!(
		weight(Call::force_release_farm_ip { farm_id: 1, ip }),
		<() as WeightInfo>::force_release_farm_ip(MAX_FARM_IPS) + IP_RELEASED_MAX
	);
	assert_eq!(
		weight(Call::force_remove_farm_ip { farm_id: 1, ip }),
		<() as WeightInfo>::force_remove_farm_ip(MAX_FARM_IPS) + IP_RELEASED_MAX
	);
	assert_eq!(
		weight(Call::delete_node { node_id: 1 }),
		<() as WeightInfo>::delete_node() + USAGE_QUERY + NODE_REMOVED_MAX
	);
	assert_eq!(weight(Call::delete_twin {}), <() as WeightInfo>::delete_twin() + USAGE_QUERY);
	assert_eq!(
		weight(Call::update_node { spec: spec() }),
		<() as WeightInfo>::update_node() + USAGE_QUERY
	);
	assert_eq!(
		weight(Call::accept_twin_transfer { twin_id: 1 }),
		<() as WeightInfo>::accept_twin_transfer(MAX_FARMS_PER_TWIN) + USAGE_QUERY
	);
}
