//! Benchmarks of every call at its worst case: longest inputs, allow-list lookups, scans of a
//! full IP pool (component `n`), a full certifier list, farm deletion over `i` IPs and `a`
//! allow-list entries, and a twin transfer over `f` farms. Hooks into other pallets
//! (`Observer`, `Usage`) are charged on top by their declared bounds.

// Benchmarks set up state with `expect`s and plain arithmetic: they are not the runtime.
#![allow(
	clippy::arithmetic_side_effects,
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing
)]

use super::*;
use crate::pallet::*;
use alloc::vec;
use frame::{
	benchmarking::prelude::*,
	traits::fungible::{Inspect, Mutate},
};
use grid_primitives::{
	money::MusdPerTft,
	net::{IpAddr, Ipv4, Ipv4Cidr, Ipv6, Ipv6Cidr},
	registry::{FarmId, NodeCertification, NodeId, Power, PublicIpPool},
	resources::{Resources, GIB},
};

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	let deposits = T::TwinDeposit::get()
		.saturating_add(T::FarmDeposit::get())
		.saturating_add(T::NodeDeposit::get());
	let amount = deposits
		.saturating_mul(100u32.into())
		.saturating_add(T::Currency::minimum_balance().saturating_mul(100u32.into()));
	T::Currency::set_balance(&who, amount);
	who
}

fn text<S: Get<u32>>(byte: u8) -> BoundedVec<u8, S> {
	BoundedVec::truncate_from(vec![byte; S::get() as usize])
}

/// The longest valid host name: labels of 63 `a`s separated by dots, 253 bytes.
fn long_host() -> HostName {
	let mut host = vec![];
	while host.len() + 64 <= 253 {
		if !host.is_empty() {
			host.push(b'.');
		}
		host.extend_from_slice(&[b'a'; 63]);
	}
	host.push(b'.');
	while host.len() < 253 {
		host.push(b'b');
	}
	BoundedVec::truncate_from(host)
}

fn long_relays() -> Relays {
	let relays = (0..types::MAX_RELAYS)
		.map(|i| {
			let mut host = long_host().into_inner();
			host[0] = b'a' + i as u8;
			BoundedVec::truncate_from(host)
		})
		.collect::<alloc::vec::Vec<_>>();
	BoundedVec::truncate_from(relays)
}

fn twin_of<T: Config>(who: &T::AccountId) {
	Pallet::<T>::do_create_twin(who, Default::default(), None).expect("benchmark twin");
}

/// A farmer with a twin and a farm using the allow-list policy.
fn farm<T: Config>() -> (T::AccountId, FarmId) {
	let farmer = funded::<T>("farmer", 0);
	twin_of::<T>(&farmer);
	let farm_id = Pallet::<T>::do_create_farm(&farmer, text(b'f')).expect("benchmark farm");
	(farmer, farm_id)
}

/// A distinct valid 40-byte farm name for `i`.
fn farm_name(i: u32) -> FarmName {
	let mut name = vec![b'f'; 40];
	name[..4].copy_from_slice(&i.to_be_bytes().map(|b| b'a' + b % 26));
	name[4..8].copy_from_slice(&(i / 26).to_be_bytes().map(|b| b'a' + b % 26));
	BoundedVec::truncate_from(name)
}

/// A gateway config with an IPv4, an IPv6 and the longest domain; `host` varies the addresses.
fn gateway_config(host: u8) -> PublicConfig {
	let mut domain = long_host().into_inner();
	domain[0] = b'a' + host % 26;
	PublicConfig {
		ip4: Ipv4WithGateway {
			ip: Ipv4Cidr { ip: Ipv4([185, 206, 122, host]), prefix: 24 },
			gateway: Ipv4([185, 206, 122, 1]),
		},
		ip6: Some(Ipv6WithGateway {
			ip: Ipv6Cidr {
				ip: Ipv6([0x2a, 2, 0x18, 2, 0, 0x5e, 0, 0, 0, 0, 0, 0, 0, 0, 0, host]),
				prefix: 64,
			},
			gateway: Ipv6([0x2a, 2, 0x18, 2, 0, 0x5e, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
		}),
		domain: Some(BoundedVec::truncate_from(domain)),
	}
}

/// Distinct hosts of 185.16.0.0/16 (gateway 185.16.255.254) for `i` below 50 000.
fn ip(i: u32) -> (Ipv4Cidr, Ipv4) {
	let hi = (i / 200) as u8;
	let lo = (i % 200) as u8 + 2;
	(Ipv4Cidr { ip: Ipv4([185, 16, hi, lo]), prefix: 16 }, Ipv4([185, 16, 255, 254]))
}

fn fill_ips<T: Config>(farmer: &T::AccountId, farm_id: FarmId, n: u32) {
	for i in 0..n {
		let (ip, gw) = ip(i);
		Pallet::<T>::do_add_farm_ip(farmer, farm_id, ip, gw).expect("benchmark ip");
	}
}

/// The largest node description: ten interfaces with ten IPv6 addresses each, long texts.
fn big_spec() -> NodeSpec {
	let interface = Interface {
		name: text(b'i'),
		mac: [2, 0, 0, 0, 0, 1],
		ips: BoundedVec::truncate_from(vec![
			IpAddr::V6(Ipv6([0x2a; 16]));
			types::MAX_INTERFACE_IPS as usize
		]),
	};
	NodeSpec {
		resources: Resources { cru: 64, mru: 256 * GIB, sru: 8192 * GIB, hru: 65536 * GIB },
		location: Location {
			city: text(b'c'),
			country: text(b'c'),
			coordinates: Some(Coordinates { latitude: 51_050_000, longitude: 3_730_000 }),
		},
		interfaces: BoundedVec::truncate_from(vec![interface; types::MAX_INTERFACES as usize]),
		serial_number: Some(text(b's')),
		secure_boot: true,
		virtualized: true,
	}
}

/// A registered node admitted through the farm's allow-list.
fn node<T: Config>() -> (T::AccountId, T::AccountId, FarmId, NodeId) {
	let (farmer, farm_id) = farm::<T>();
	let node_account = funded::<T>("node", 0);
	twin_of::<T>(&node_account);
	Pallet::<T>::do_admit_node(&farmer, farm_id, NodeRef::Account(node_account.clone()))
		.expect("admit");
	let node_id = Pallet::<T>::do_register_node(&node_account, farm_id, big_spec()).expect("node");
	(farmer, node_account, farm_id, node_id)
}

/// Registry state for other pallets' benchmarks.
impl<T: Config> grid_primitives::registry::RegistryBenchmarking<T::AccountId> for Pallet<T> {
	fn twin(who: &T::AccountId) -> grid_primitives::registry::TwinId {
		let deposits = T::TwinDeposit::get()
			.saturating_add(T::FarmDeposit::get())
			.saturating_add(T::NodeDeposit::get());
		let _ = T::Currency::mint_into(who, deposits.saturating_mul(10u32.into()));
		Pallet::<T>::do_create_twin(who, Default::default(), None).expect("benchmark twin")
	}

	fn farm_with_ips(farmer: &T::AccountId, ips: u32) -> FarmId {
		<Self as grid_primitives::registry::RegistryBenchmarking<T::AccountId>>::twin(farmer);
		let name = farm_name(LastFarmId::<T>::get());
		let farm_id = Pallet::<T>::do_create_farm(farmer, name).expect("benchmark farm");
		Pallet::<T>::do_set_node_policy(farmer, farm_id, NodePolicy::Open).expect("open farm");
		fill_ips::<T>(farmer, farm_id, ips);
		farm_id
	}

	fn node(who: &T::AccountId, farm: FarmId, resources: Resources) -> NodeId {
		<Self as grid_primitives::registry::RegistryBenchmarking<T::AccountId>>::twin(who);
		let spec = NodeSpec { resources, ..big_spec() };
		Pallet::<T>::do_register_node(who, farm, spec).expect("benchmark node")
	}
}

fn governance<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn accept_terms() {
		let who = funded::<T>("user", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), text(b'l'), text(b'h'));
		assert!(AcceptedTerms::<T>::contains_key(&who));
	}

	#[benchmark]
	fn create_twin() {
		let who = funded::<T>("user", 0);
		// The terms check is part of the worst case when it is required.
		Pallet::<T>::do_accept_terms(who.clone(), text(b'l'), text(b'h')).expect("terms");
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), long_relays(), Some(text(b'k')));
		assert!(TwinByAccount::<T>::contains_key(&who));
	}

	#[benchmark]
	fn update_twin() {
		let who = funded::<T>("user", 0);
		twin_of::<T>(&who);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), long_relays(), Some(text(b'k')));
		assert_eq!(Pallet::<T>::twin_of_caller(&who).map(|(_, t)| t.relays), Ok(long_relays()));
	}

	#[benchmark]
	fn delete_twin() {
		let who = funded::<T>("user", 0);
		Pallet::<T>::do_accept_terms(who.clone(), text(b'l'), text(b'h')).expect("terms");
		twin_of::<T>(&who);
		Pallet::<T>::do_propose_twin_transfer(&who, account("new", 0, 0)).expect("offer");
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!TwinByAccount::<T>::contains_key(&who));
		assert!(!AcceptedTerms::<T>::contains_key(&who));
	}

	#[benchmark]
	fn propose_twin_transfer() {
		let who = funded::<T>("user", 0);
		twin_of::<T>(&who);
		let to: T::AccountId = account("new", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), T::Lookup::unlookup(to.clone()));
		let twin_id = TwinByAccount::<T>::get(&who).expect("twin");
		assert_eq!(TwinTransfers::<T>::get(twin_id), Some(to));
	}

	#[benchmark]
	fn cancel_twin_transfer() {
		let who = funded::<T>("user", 0);
		twin_of::<T>(&who);
		Pallet::<T>::do_propose_twin_transfer(&who, account("new", 0, 0)).expect("offer");
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(TwinTransfers::<T>::iter().next().is_none());
	}

	#[benchmark]
	fn accept_twin_transfer(f: Linear<0, { T::MaxFarmsPerTwin::get() }>) {
		let from = funded::<T>("owner", 0);
		twin_of::<T>(&from);
		for i in 0..f {
			Pallet::<T>::do_create_farm(&from, farm_name(i)).expect("farm");
		}
		let twin_id = TwinByAccount::<T>::get(&from).expect("twin");
		let to = funded::<T>("new", 0);
		Pallet::<T>::do_accept_terms(to.clone(), text(b'l'), text(b'h')).expect("terms");
		Pallet::<T>::do_accept_terms(from.clone(), text(b'l'), text(b'h')).expect("terms");
		Pallet::<T>::do_propose_twin_transfer(&from, to.clone()).expect("offer");
		#[extrinsic_call]
		_(RawOrigin::Signed(to.clone()), twin_id);
		assert_eq!(TwinByAccount::<T>::get(&to), Some(twin_id));
		assert_eq!(Twins::<T>::get(twin_id).map(|t| t.farms), Some(f));
	}

	#[benchmark]
	fn create_farm() {
		let who = funded::<T>("farmer", 0);
		twin_of::<T>(&who);
		#[extrinsic_call]
		_(RawOrigin::Signed(who), text(b'f'));
		assert!(FarmByName::<T>::contains_key(text::<ConstU32<40>>(b'f')));
	}

	#[benchmark]
	fn rename_farm() {
		let (farmer, farm_id) = farm::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(farmer), farm_id, text(b'g'));
		assert_eq!(FarmByName::<T>::get(text::<ConstU32<40>>(b'g')), Some(farm_id));
	}

	#[benchmark]
	fn set_farm_payout() {
		let (farmer, farm_id) = farm::<T>();
		let payout: T::AccountId = account("payout", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(farmer), farm_id, T::Lookup::unlookup(payout.clone()));
		assert_eq!(Farms::<T>::get(farm_id).map(|f| f.payout), Some(payout));
	}

	#[benchmark]
	fn set_node_policy() {
		let (farmer, farm_id) = farm::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(farmer), farm_id, NodePolicy::Open);
		assert_eq!(Farms::<T>::get(farm_id).map(|f| f.policy), Some(NodePolicy::Open));
	}

	#[benchmark]
	fn admit_node() {
		let (farmer, farm_id) = farm::<T>();
		let node_account = funded::<T>("node", 0);
		twin_of::<T>(&node_account);
		let twin_id = TwinByAccount::<T>::get(&node_account).expect("twin");
		#[extrinsic_call]
		_(RawOrigin::Signed(farmer), farm_id, NodeRef::Twin(twin_id));
		assert!(Admitted::<T>::contains_key(farm_id, &node_account));
	}

	#[benchmark]
	fn revoke_node() {
		let (farmer, farm_id) = farm::<T>();
		let node_account = funded::<T>("node", 0);
		twin_of::<T>(&node_account);
		let twin_id = TwinByAccount::<T>::get(&node_account).expect("twin");
		Pallet::<T>::do_admit_node(&farmer, farm_id, NodeRef::Twin(twin_id)).expect("admit");
		#[extrinsic_call]
		_(RawOrigin::Signed(farmer), farm_id, NodeRef::Twin(twin_id));
		assert!(!Admitted::<T>::contains_key(farm_id, &node_account));
	}

	#[benchmark]
	fn add_farm_ip(n: Linear<0, { types::MAX_FARM_IPS - 1 }>) {
		let (farmer, farm_id) = farm::<T>();
		fill_ips::<T>(&farmer, farm_id, n);
		let (new_ip, gw) = ip(n);
		#[extrinsic_call]
		_(RawOrigin::Signed(farmer), farm_id, new_ip, gw);
		assert_eq!(FarmPublicIps::<T>::get(farm_id).len(), n + 1);
	}

	#[benchmark]
	fn remove_farm_ip(n: Linear<1, { types::MAX_FARM_IPS }>) {
		let (farmer, farm_id) = farm::<T>();
		fill_ips::<T>(&farmer, farm_id, n);
		// The last entry: the search scans the whole pool.
		let (gone, _) = ip(n - 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(farmer), farm_id, gone.ip);
		assert_eq!(FarmPublicIps::<T>::get(farm_id).len(), n - 1);
	}

	#[benchmark]
	fn delete_farm(
		i: Linear<0, { types::MAX_FARM_IPS }>,
		a: Linear<0, { T::MaxAdmittedPerFarm::get() }>,
	) {
		let (farmer, farm_id) = farm::<T>();
		fill_ips::<T>(&farmer, farm_id, i);
		for j in 0..a {
			let admitted: T::AccountId = account("admitted", j, 0);
			Pallet::<T>::do_admit_node(&farmer, farm_id, NodeRef::Account(admitted))
				.expect("admit");
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(farmer), farm_id);
		assert!(!Farms::<T>::contains_key(farm_id));
	}

	#[benchmark]
	fn set_farm_certification() -> Result<(), BenchmarkError> {
		let (_, farm_id) = farm::<T>();
		let origin = governance::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, farm_id, grid_primitives::registry::FarmCertification::Gold);
		assert_eq!(
			Farms::<T>::get(farm_id).map(|f| f.certification),
			Some(grid_primitives::registry::FarmCertification::Gold)
		);
		Ok(())
	}

	#[benchmark]
	fn set_farm_dedicated() -> Result<(), BenchmarkError> {
		let (_, farm_id) = farm::<T>();
		let origin = governance::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, farm_id, true);
		assert_eq!(Farms::<T>::get(farm_id).map(|f| f.dedicated), Some(true));
		Ok(())
	}

	#[benchmark]
	fn force_release_farm_ip(n: Linear<1, { types::MAX_FARM_IPS }>) -> Result<(), BenchmarkError> {
		let (farmer, farm_id) = farm::<T>();
		fill_ips::<T>(&farmer, farm_id, n);
		Pallet::<T>::reserve_ips(farm_id, 1, n).map_err(|_| BenchmarkError::Weightless)?;
		let (last, _) = ip(n - 1);
		let origin = governance::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, farm_id, last.ip);
		assert_eq!(
			FarmPublicIps::<T>::get(farm_id)
				.ips
				.iter()
				.filter(|p| p.contract.is_none())
				.count(),
			1
		);
		Ok(())
	}

	#[benchmark]
	fn force_remove_farm_ip(n: Linear<1, { types::MAX_FARM_IPS }>) -> Result<(), BenchmarkError> {
		let (farmer, farm_id) = farm::<T>();
		fill_ips::<T>(&farmer, farm_id, n);
		// The first entry, reserved: the observer is told and every other entry shifts.
		Pallet::<T>::reserve_ips(farm_id, 1, 1).map_err(|_| BenchmarkError::Weightless)?;
		let (first, _) = ip(0);
		let origin = governance::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, farm_id, first.ip);
		assert_eq!(FarmPublicIps::<T>::get(farm_id).len(), n - 1);
		Ok(())
	}

	#[benchmark]
	fn force_rename_farm() -> Result<(), BenchmarkError> {
		let (_, farm_id) = farm::<T>();
		let origin = governance::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, farm_id, text(b'g'));
		assert_eq!(FarmByName::<T>::get(text::<ConstU32<40>>(b'g')), Some(farm_id));
		Ok(())
	}

	#[benchmark]
	fn register_node() {
		let (farmer, farm_id) = farm::<T>();
		let node_account = funded::<T>("node", 0);
		twin_of::<T>(&node_account);
		Pallet::<T>::do_admit_node(&farmer, farm_id, NodeRef::Account(node_account.clone()))
			.expect("admit");
		#[extrinsic_call]
		_(RawOrigin::Signed(node_account), farm_id, big_spec());
		assert_eq!(Farms::<T>::get(farm_id).map(|f| f.nodes), Some(1));
	}

	#[benchmark]
	fn update_node() {
		let (_, node_account, _, node_id) = node::<T>();
		Pallet::<T>::do_set_node_certification(node_id, NodeCertification::Certified)
			.expect("certify");
		let mut spec = big_spec();
		spec.resources.cru = 128;
		#[extrinsic_call]
		_(RawOrigin::Signed(node_account), spec);
		assert_eq!(Nodes::<T>::get(node_id).map(|n| n.certificate), Some(NodeCertificate::Diy));
	}

	#[benchmark]
	fn set_node_public_config() {
		// Replacing a config: the old addresses and domain are released, the new ones claimed.
		let (farmer, _, _, node_id) = node::<T>();
		Pallet::<T>::do_set_node_public_config(Some(&farmer), node_id, Some(gateway_config(40)))
			.expect("first config");
		let config = gateway_config(41);
		#[extrinsic_call]
		_(RawOrigin::Signed(farmer), node_id, Some(config.clone()));
		assert_eq!(Nodes::<T>::get(node_id).and_then(|n| n.public_config), Some(config));
	}

	#[benchmark]
	fn force_clear_node_public_config() -> Result<(), BenchmarkError> {
		let (farmer, _, _, node_id) = node::<T>();
		Pallet::<T>::do_set_node_public_config(Some(&farmer), node_id, Some(gateway_config(40)))
			.expect("config");
		let origin = governance::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, node_id);
		assert_eq!(Nodes::<T>::get(node_id).and_then(|n| n.public_config), None);
		Ok(())
	}

	#[benchmark]
	fn delete_node() {
		// Deleted by the farmer: the path that also reads the farm's owner; its public
		// addresses and domain are released.
		let (farmer, _, _, node_id) = node::<T>();
		Pallet::<T>::do_set_node_public_config(Some(&farmer), node_id, Some(gateway_config(40)))
			.expect("config");
		#[extrinsic_call]
		_(RawOrigin::Signed(farmer), node_id);
		assert!(!Nodes::<T>::contains_key(node_id));
	}

	#[benchmark]
	fn set_power_target() {
		let (farmer, _, _, node_id) = node::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(farmer), node_id, Power::Down);
		assert_eq!(Nodes::<T>::get(node_id).map(|n| n.power.target), Some(Power::Down));
	}

	#[benchmark]
	fn report_power_state() {
		let (_, node_account, _, node_id) = node::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(node_account), Power::Down);
		assert!(Nodes::<T>::get(node_id).is_some_and(|n| n.power.is_standby()));
	}

	#[benchmark]
	fn set_node_certification() {
		let (_, _, _, node_id) = node::<T>();
		// A signed certifier at the end of a full list: the longest check.
		let max = T::MaxCertifiers::get();
		for i in 0..max {
			Pallet::<T>::do_add_node_certifier(account("certifier", i, 0)).expect("certifier");
		}
		let certifier: T::AccountId = account("certifier", max.saturating_sub(1), 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(certifier), node_id, NodeCertification::Certified);
		assert_eq!(
			Nodes::<T>::get(node_id).map(|n| n.certificate.level()),
			Some(NodeCertification::Certified)
		);
	}

	#[benchmark]
	fn add_node_certifier() -> Result<(), BenchmarkError> {
		let max = T::MaxCertifiers::get();
		for i in 0..max.saturating_sub(1) {
			Pallet::<T>::do_add_node_certifier(account("certifier", i, 0)).expect("certifier");
		}
		let new: T::AccountId = account("new", 0, 0);
		let origin = governance::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, T::Lookup::unlookup(new.clone()));
		assert!(NodeCertifiers::<T>::get().contains(&new));
		Ok(())
	}

	#[benchmark]
	fn remove_node_certifier() -> Result<(), BenchmarkError> {
		let max = T::MaxCertifiers::get();
		for i in 0..max {
			Pallet::<T>::do_add_node_certifier(account("certifier", i, 0)).expect("certifier");
		}
		let gone: T::AccountId = account("certifier", max.saturating_sub(1), 0);
		let origin = governance::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, T::Lookup::unlookup(gone.clone()));
		assert!(!NodeCertifiers::<T>::get().contains(&gone));
		Ok(())
	}

	#[benchmark]
	fn set_connection_price() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, MusdPerTft(95));
		assert_eq!(ConnectionPrice::<T>::get(), MusdPerTft(95));
		Ok(())
	}

	#[benchmark]
	fn set_max_node_resources() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		let max = Resources { cru: 2_048, ..Resources::PLAUSIBLE_MAX };
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, max);
		assert_eq!(MaxNodeResources::<T>::get(), max);
		Ok(())
	}

	#[benchmark]
	fn set_zos_version() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, text(b'v'));
		assert_eq!(CurrentZosVersion::<T>::get(), text::<ConstU32<64>>(b'v'));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
