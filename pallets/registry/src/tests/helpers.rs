//! Builders and `assert_*` helpers.
//!
//! Each `assert_<call>` snapshots the registry's whole storage and the balances of the accounts
//! involved, makes the call, and then checks every delta: exactly the expected storage keys
//! changed (nothing else in the pallet was touched), each record holds the expected value,
//! deposits moved between free and held balance to the unit, and the expected event came last.

pub use crate::{mock::*, pallet::*, types::*};
pub use frame::testing_prelude::*;
use frame::traits::fungible::InspectHold;
pub use grid_primitives::{
	net::{IpAddr, Ipv4, Ipv4Cidr},
	registry::{FarmId, NodeId, Power, PowerState, TwinId},
	resources::{Resources, GIB},
};

// ---- builders ----

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
	Balances::total_balance_on_hold(&who)
}

pub fn free(who: AccountId) -> Balance {
	Balances::free_balance(who)
}

pub fn v4(a: u8, b: u8, c: u8, d: u8) -> Ipv4 {
	Ipv4([a, b, c, d])
}

/// `185.206.122.<host>/24`, gateway `.1`.
pub fn farm_ip(host: u8) -> (Ipv4Cidr, Ipv4) {
	(Ipv4Cidr { ip: v4(185, 206, 122, host), prefix: 24 }, v4(185, 206, 122, 1))
}

/// A gateway node's public config at `185.206.122.<host>` with `domain`.
pub fn public_config(host: u8, domain: &str) -> PublicConfig {
	let (ip, gateway) = farm_ip(host);
	PublicConfig { ip4: Ipv4WithGateway { ip, gateway }, ip6: None, domain: Some(bounded(domain)) }
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

pub fn spec_with(resources: Resources) -> NodeSpec {
	NodeSpec { resources, ..spec() }
}

pub fn twin(who: AccountId) -> TwinId {
	assert_create_twin(who)
}

/// A farm of `owner` (who gets a twin if needed) with an open node policy.
pub fn open_farm(owner: AccountId, name: &str) -> FarmId {
	if TwinByAccount::<Test>::get(owner).is_none() {
		twin(owner);
	}
	let farm_id = assert_create_farm(owner, name);
	assert_ok!(Registry::set_node_policy(signed(owner), farm_id, NodePolicy::Open));
	farm_id
}

/// `node` gets a twin and registers into `farm`.
pub fn node_in(node: AccountId, farm: FarmId) -> NodeId {
	twin(node);
	assert_register_node(node, farm, spec())
}

// ---- storage snapshots ----

/// The registry's storage and the balances of some accounts before a call (the shared kit's
/// snapshot, watching the registry).
pub type Snapshot = grid_test_kit::Snapshot<Test, Balances>;

/// Takes a snapshot of the registry; `accounts` are those whose balances are checked.
pub fn snapshot(accounts: &[AccountId]) -> Snapshot {
	Snapshot::take(&["Registry"], accounts)
}

/// The registry events since a snapshot.
pub trait RegistryEvents {
	/// The call emitted `expected` registry events, in this order, and no other (the balance
	/// events of its holds are checked through the balances).
	fn assert_events(&self, expected: Vec<Event<Test>>);
}

impl RegistryEvents for Snapshot {
	fn assert_events(&self, expected: Vec<Event<Test>>) {
		let new: Vec<Event<Test>> = self
			.new_events()
			.into_iter()
			.filter_map(|e| match e {
				RuntimeEvent::Registry(e) => Some(e),
				_ => None,
			})
			.collect();
		assert_eq!(new, expected);
	}
}

// ---- assert_* helpers: one call, every delta ----

/// `who` creates a twin without relays: a new id, both indexes, the deposit held.
pub fn assert_create_twin(who: AccountId) -> TwinId {
	let snap = snapshot(&[who]);
	let twin_id = LastTwinId::<Test>::get() + 1;
	assert_ok!(Registry::create_twin(signed(who), Default::default(), None));
	snap.assert_changed(&[
		LastTwinId::<Test>::hashed_key().to_vec(),
		Twins::<Test>::hashed_key_for(twin_id),
		TwinByAccount::<Test>::hashed_key_for(who),
	]);
	assert_eq!(
		Twins::<Test>::get(twin_id),
		Some(Twin {
			account: who,
			relays: Default::default(),
			pk: None,
			farms: 0,
			deposit: TWIN_DEPOSIT
		})
	);
	assert_eq!(TwinByAccount::<Test>::get(who), Some(twin_id));
	snap.assert_held_moved(&who, TWIN_DEPOSIT as i128);
	snap.assert_events(vec![Event::TwinCreated { twin_id, account: who }]);
	twin_id
}

/// `who` deletes its twin: the record, its indexes, its terms and offer go; the deposit is free.
pub fn assert_delete_twin(who: AccountId) {
	let twin_id = TwinByAccount::<Test>::get(who).expect("a twin");
	let mut keys =
		vec![Twins::<Test>::hashed_key_for(twin_id), TwinByAccount::<Test>::hashed_key_for(who)];
	if AcceptedTerms::<Test>::contains_key(who) {
		keys.push(AcceptedTerms::<Test>::hashed_key_for(who));
	}
	if TwinTransfers::<Test>::contains_key(twin_id) {
		keys.push(TwinTransfers::<Test>::hashed_key_for(twin_id));
	}
	let deposit = Twins::<Test>::get(twin_id).expect("record").deposit;
	let snap = snapshot(&[who]);
	assert_ok!(Registry::delete_twin(signed(who)));
	snap.assert_changed(&keys);
	snap.assert_held_moved(&who, -(deposit as i128));
	snap.assert_events(vec![Event::TwinDeleted { twin_id }]);
}

/// `owner` creates farm `name`: the record, name and twin indexes, the twin's count, the deposit.
pub fn assert_create_farm(owner: AccountId, name: &str) -> FarmId {
	let twin_id = TwinByAccount::<Test>::get(owner).expect("a twin");
	let farms_before = Twins::<Test>::get(twin_id).expect("twin").farms;
	let farm_id = LastFarmId::<Test>::get() + 1;
	let snap = snapshot(&[owner]);
	assert_ok!(Registry::create_farm(signed(owner), bounded(name)));
	snap.assert_changed(&[
		LastFarmId::<Test>::hashed_key().to_vec(),
		Farms::<Test>::hashed_key_for(farm_id),
		FarmByName::<Test>::hashed_key_for(name_key(&bounded::<ConstU32<40>>(name))),
		FarmsOfTwin::<Test>::hashed_key_for(twin_id, farm_id),
		Twins::<Test>::hashed_key_for(twin_id),
	]);
	let farm = Farms::<Test>::get(farm_id).expect("farm");
	assert_eq!(
		(farm.name.clone(), farm.twin_id, farm.payout, farm.policy, farm.nodes, farm.admitted),
		(bounded(name), twin_id, owner, NodePolicy::AllowList, 0, 0)
	);
	assert_eq!(farm.deposit, FARM_DEPOSIT);
	assert_eq!(Twins::<Test>::get(twin_id).expect("twin").farms, farms_before + 1);
	snap.assert_held_moved(&owner, FARM_DEPOSIT as i128);
	snap.assert_events(vec![Event::FarmCreated { farm_id, twin_id, name: bounded(name) }]);
	farm_id
}

/// `owner` adds `ip` to its farm's pool: the pool and the chain-wide index change, nothing else.
pub fn assert_add_farm_ip(owner: AccountId, farm_id: FarmId, ip: Ipv4Cidr, gateway: Ipv4) {
	let before = FarmPublicIps::<Test>::get(farm_id);
	let snap = snapshot(&[owner]);
	assert_ok!(Registry::add_farm_ip(signed(owner), farm_id, ip, gateway));
	snap.assert_changed(&[
		FarmPublicIps::<Test>::hashed_key_for(farm_id),
		IpOwner::<Test>::hashed_key_for(ip.ip),
	]);
	let after = FarmPublicIps::<Test>::get(farm_id);
	assert_eq!(after.len(), before.len() + 1);
	assert_eq!(after.ips.last(), Some(&PublicIp { ip, gateway, contract: None }));
	assert_eq!(IpOwner::<Test>::get(ip.ip), Some(IpHolder::Farm(farm_id)));
	snap.assert_balances_unchanged(&[owner]);
	snap.assert_events(vec![Event::FarmIpAdded { farm_id, ip, gateway }]);
}

/// `who` registers into `farm_id`: the node, three indexes, the farm's count, the deposit.
pub fn assert_register_node(who: AccountId, farm_id: FarmId, spec: NodeSpec) -> NodeId {
	let twin_id = TwinByAccount::<Test>::get(who).expect("a twin");
	let node_id = LastNodeId::<Test>::get() + 1;
	let nodes_before = Farms::<Test>::get(farm_id).expect("farm").nodes;
	let mut keys = vec![
		LastNodeId::<Test>::hashed_key().to_vec(),
		Nodes::<Test>::hashed_key_for(node_id),
		NodeByTwin::<Test>::hashed_key_for(twin_id),
		FarmNodes::<Test>::hashed_key_for(farm_id, node_id),
		Farms::<Test>::hashed_key_for(farm_id),
	];
	let mut events =
		vec![Event::NodeRegistered { node_id, farm_id, twin_id, resources: spec.resources }];
	if TwinTransfers::<Test>::contains_key(twin_id) {
		keys.push(TwinTransfers::<Test>::hashed_key_for(twin_id));
		events.push(Event::TwinTransferCancelled { twin_id });
	}
	let snap = snapshot(&[who]);
	assert_ok!(Registry::register_node(signed(who), farm_id, spec.clone()));
	snap.assert_changed(&keys);
	let node = Nodes::<Test>::get(node_id).expect("node");
	assert_eq!((node.farm_id, node.twin_id, &node.spec), (farm_id, twin_id, &spec));
	assert_eq!((node.certificate, node.public_config.clone()), (NodeCertificate::Diy, None));
	assert_eq!(
		(node.connection_price, node.deposit),
		(ConnectionPrice::<Test>::get(), NODE_DEPOSIT)
	);
	assert_eq!(Farms::<Test>::get(farm_id).expect("farm").nodes, nodes_before + 1);
	snap.assert_held_moved(&who, NODE_DEPOSIT as i128);
	snap.assert_events(events);
	node_id
}

/// `who` (the node or its farmer) deletes `node_id`: the node, its indexes and public
/// addresses go, the farm counts one node less, the node's deposit is free, the observer knows.
pub fn assert_delete_node(who: AccountId, node_id: NodeId) {
	let node = Nodes::<Test>::get(node_id).expect("node");
	let node_account = Twins::<Test>::get(node.twin_id).expect("twin").account;
	let nodes_before = Farms::<Test>::get(node.farm_id).expect("farm").nodes;
	let mut keys = vec![
		Nodes::<Test>::hashed_key_for(node_id),
		NodeByTwin::<Test>::hashed_key_for(node.twin_id),
		FarmNodes::<Test>::hashed_key_for(node.farm_id, node_id),
		Farms::<Test>::hashed_key_for(node.farm_id),
	];
	keys.extend(config_keys(&node.public_config));
	let observed = Observed::get().len();
	let snap = snapshot(&[node_account, who]);
	let info = Registry::delete_node(signed(who), node_id).expect("deleted");
	snap.assert_changed(&keys);
	assert_eq!(Farms::<Test>::get(node.farm_id).expect("farm").nodes, nodes_before - 1);
	snap.assert_held_moved(&node_account, -(node.deposit as i128));
	assert_eq!(Observed::get()[observed..], [Observation::NodeRemoved(node_id)]);
	// The actual weight: the registry's own, the usage query and what the observer used (7).
	assert_eq!(
		info.actual_weight,
		Some(
			<() as crate::WeightInfo>::delete_node()
				.saturating_add(USAGE_QUERY)
				.saturating_add(Weight::from_parts(7, 0))
		)
	);
	snap.assert_events(vec![Event::NodeDeleted { node_id, farm_id: node.farm_id }]);
}

/// The storage keys a public config claims.
pub fn config_keys(config: &Option<PublicConfig>) -> Vec<Vec<u8>> {
	let Some(config) = config else { return vec![] };
	let mut keys = vec![IpOwner::<Test>::hashed_key_for(config.ip4.ip.ip)];
	if let Some(ip6) = &config.ip6 {
		keys.push(Ipv6Owner::<Test>::hashed_key_for(ip6.ip.ip));
	}
	if let Some(domain) = &config.domain {
		keys.push(DomainOwner::<Test>::hashed_key_for(name_key(domain)));
	}
	keys
}

/// The farmer sets `config` on `node_id`: the old claims are freed, the new ones taken.
pub fn assert_set_public_config(farmer: AccountId, node_id: NodeId, config: Option<PublicConfig>) {
	let old = Nodes::<Test>::get(node_id).expect("node").public_config;
	let mut keys = vec![Nodes::<Test>::hashed_key_for(node_id)];
	keys.extend(config_keys(&old));
	keys.extend(config_keys(&config));
	// A key both freed and claimed with the same value does not change.
	let same: Vec<Vec<u8>> = config_keys(&old)
		.into_iter()
		.filter(|k| config_keys(&config).contains(k))
		.collect();
	keys.retain(|k| !same.contains(k));
	keys.sort();
	keys.dedup();
	if old == config {
		keys.clear(); // the same config again: only the event
	}
	let snap = snapshot(&[farmer]);
	assert_ok!(Registry::set_node_public_config(signed(farmer), node_id, config.clone()));
	snap.assert_changed(&keys);
	assert_eq!(Nodes::<Test>::get(node_id).expect("node").public_config, config);
	if let Some(config) = &config {
		assert_eq!(IpOwner::<Test>::get(config.ip4.ip.ip), Some(IpHolder::Node(node_id)));
	}
	snap.assert_balances_unchanged(&[farmer]);
	snap.assert_events(vec![Event::NodePublicConfigSet { node_id, config }]);
}

/// `node_account` reports `state`; the report changes the state and is free (`free`) or pays.
pub fn assert_report_power(node_account: AccountId, state: Power, free: bool) {
	let (node_id, node) = Registry::node_of_caller(&node_account).expect("a node");
	let snap = snapshot(&[node_account]);
	let info = Registry::report_power_state(signed(node_account), state).expect("reported");
	assert_eq!(info.pays_fee, if free { Pays::No } else { Pays::Yes });
	snap.assert_changed(&[Nodes::<Test>::hashed_key_for(node_id)]);
	let after = Nodes::<Test>::get(node_id).expect("node");
	let now = System::block_number();
	let expected = match state {
		Power::Up => PowerState::Up,
		Power::Down => PowerState::Down { since: now },
	};
	assert_eq!(after.power.state, expected);
	assert_eq!(after.power.target, node.power.target);
	snap.assert_events(vec![Event::PowerStateChanged {
		farm_id: node.farm_id,
		node_id,
		state: expected,
	}]);
}

/// `to` takes over `twin_id`: the twin's account and indexes, payouts that were the old
/// owner's, and every deposit move from the old to the new owner.
pub fn assert_accept_twin_transfer(to: AccountId, twin_id: TwinId) {
	let twin = Twins::<Test>::get(twin_id).expect("twin");
	let from = twin.account;
	let farms: Vec<(FarmId, FarmOf<Test>)> = FarmsOfTwin::<Test>::iter_key_prefix(twin_id)
		.map(|f| (f, Farms::<Test>::get(f).expect("farm")))
		.collect();
	let deposits: Balance = twin.deposit + farms.iter().map(|(_, f)| f.deposit).sum::<Balance>();
	let mut keys = vec![
		Twins::<Test>::hashed_key_for(twin_id),
		TwinByAccount::<Test>::hashed_key_for(from),
		TwinByAccount::<Test>::hashed_key_for(to),
		TwinTransfers::<Test>::hashed_key_for(twin_id),
	];
	if AcceptedTerms::<Test>::contains_key(from) {
		keys.push(AcceptedTerms::<Test>::hashed_key_for(from));
	}
	let mut events = vec![];
	for (farm_id, farm) in &farms {
		if farm.payout == from {
			keys.push(Farms::<Test>::hashed_key_for(farm_id));
			events.push(Event::FarmPayoutSet { farm_id: *farm_id, payout: to });
		}
	}
	events.push(Event::TwinTransferred { twin_id, from, to });
	let snap = snapshot(&[from, to]);
	assert_ok!(Registry::accept_twin_transfer(signed(to), twin_id));
	snap.assert_changed(&keys);
	assert_eq!(Twins::<Test>::get(twin_id).expect("twin").account, to);
	assert_eq!(TwinByAccount::<Test>::get(to), Some(twin_id));
	assert_eq!(TwinByAccount::<Test>::get(from), None);
	snap.assert_held_moved(&from, -(deposits as i128));
	snap.assert_held_moved(&to, deposits as i128);
	snap.assert_events(events);
}
