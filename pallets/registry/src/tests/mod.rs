//! Unit tests: every call's success path and each of its errors; each test ends with
//! `try_state` (see [`crate::mock::test`]).

mod farms;
mod fuzz;
mod governance;
mod nodes;
mod twins;

use crate::{mock::*, pallet::*, types::*};
use frame::testing_prelude::*;
use grid_primitives::{
	net::{IpAddr, Ipv4, Ipv4Cidr},
	registry::{FarmId, NodeId},
	resources::{Resources, GIB},
};

pub fn bounded<S: Get<u32>>(s: &str) -> BoundedVec<u8, S> {
	BoundedVec::try_from(s.as_bytes().to_vec()).expect("test string fits")
}

pub fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

pub fn gov() -> RuntimeOrigin {
	RuntimeOrigin::signed(GOVERNANCE)
}

pub fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}

pub fn registry_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Registry(e) => Some(e),
			_ => None,
		})
		.collect()
}

pub fn held(who: AccountId) -> Balance {
	use frame::traits::fungible::InspectHold;
	Balances::total_balance_on_hold(&who)
}

pub fn v4(a: u8, b: u8, c: u8, d: u8) -> Ipv4 {
	Ipv4([a, b, c, d])
}

/// `185.206.122.<host>/24`, gateway `.1`.
pub fn farm_ip(host: u8) -> (Ipv4Cidr, Ipv4) {
	(Ipv4Cidr { ip: v4(185, 206, 122, host), prefix: 24 }, v4(185, 206, 122, 1))
}

pub fn spec() -> NodeSpec {
	NodeSpec {
		resources: Resources { cru: 8, mru: 32 * GIB, sru: 1024 * GIB, hru: 4096 * GIB },
		location: Location {
			city: bounded("Gent"),
			country: bounded("Belgium"),
			coordinates: None,
		},
		interfaces: BoundedVec::truncate_from(vec![Interface {
			name: bounded("zos"),
			mac: [2, 0, 0, 0, 0, 1],
			ips: BoundedVec::truncate_from(vec![IpAddr::V4(v4(10, 0, 0, 2))]),
		}]),
		serial_number: Some(bounded("SN-0001")),
		secure_boot: true,
		virtualized: false,
	}
}

pub fn twin(who: AccountId) -> u32 {
	assert_ok!(Registry::create_twin(signed(who), Default::default(), None));
	TwinByAccount::<Test>::get(who).expect("twin created")
}

/// A farm of `owner` (who gets a twin if needed) with an open node policy.
pub fn open_farm(owner: AccountId, name: &str) -> FarmId {
	if TwinByAccount::<Test>::get(owner).is_none() {
		twin(owner);
	}
	assert_ok!(Registry::create_farm(signed(owner), bounded(name)));
	let farm_id = LastFarmId::<Test>::get();
	assert_ok!(Registry::set_node_policy(signed(owner), farm_id, NodePolicy::Open));
	farm_id
}

/// `node` gets a twin and registers into `farm`.
pub fn node_in(node: AccountId, farm: FarmId) -> NodeId {
	twin(node);
	assert_ok!(Registry::register_node(signed(node), farm, spec()));
	LastNodeId::<Test>::get()
}
