//! Public addresses: farms' IPv4 pools, which contracts reserve, and the addresses and domains
//! of nodes' public configs. Every public IPv4 is in use at most once on the chain — in one
//! pool or as one node's address ([`IpOwner`]) — and so is every node IPv6 and domain.

use crate::{pallet::*, types::*, Config};
use frame::prelude::*;
use grid_primitives::{
	net::{Ipv4, Ipv4Cidr},
	registry::{AssignedIp, ContractId, FarmId, NodeId, RegistryObserver},
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_add_farm_ip(
		who: &T::AccountId,
		farm_id: FarmId,
		ip: Ipv4Cidr,
		gateway: Ipv4,
	) -> DispatchResult {
		Self::farm_of_owner(who, farm_id)?;
		ip.check_with_gateway(&gateway).map_err(Error::<T>::from)?;
		ensure!(!IpOwner::<T>::contains_key(ip.ip), Error::<T>::IpExists);
		FarmPublicIps::<T>::try_mutate(farm_id, |pool| pool.add(ip, gateway))
			.map_err(Error::<T>::from)?;
		IpOwner::<T>::insert(ip.ip, IpHolder::Farm(farm_id));
		Self::deposit_event(Event::FarmIpAdded { farm_id, ip, gateway });
		Ok(())
	}

	pub(crate) fn do_remove_farm_ip(
		who: &T::AccountId,
		farm_id: FarmId,
		ip: Ipv4,
	) -> DispatchResult {
		Self::farm_of_owner(who, farm_id)?;
		FarmPublicIps::<T>::try_mutate(farm_id, |pool| pool.remove(ip))
			.map_err(Error::<T>::from)?;
		IpOwner::<T>::remove(ip);
		Self::deposit_event(Event::FarmIpRemoved { farm_id, ip });
		Ok(())
	}

	pub(crate) fn do_force_release_farm_ip(farm_id: FarmId, ip: Ipv4) -> DispatchResult {
		ensure!(Farms::<T>::contains_key(farm_id), Error::<T>::FarmNotFound);
		let contract_id = FarmPublicIps::<T>::try_mutate(farm_id, |pool| pool.force_release(ip))
			.map_err(Error::<T>::from)?;
		T::Observer::ip_force_released(farm_id, ip, contract_id);
		Self::deposit_event(Event::FarmIpForceReleased { farm_id, ip, contract_id });
		Ok(())
	}

	pub(crate) fn do_force_remove_farm_ip(farm_id: FarmId, ip: Ipv4) -> DispatchResult {
		ensure!(Farms::<T>::contains_key(farm_id), Error::<T>::FarmNotFound);
		let contract_id = FarmPublicIps::<T>::try_mutate(farm_id, |pool| pool.force_remove(ip))
			.map_err(Error::<T>::from)?;
		IpOwner::<T>::remove(ip);
		if let Some(contract_id) = contract_id {
			T::Observer::ip_force_released(farm_id, ip, contract_id);
		}
		Self::deposit_event(Event::FarmIpForceRemoved { farm_id, ip, contract_id });
		Ok(())
	}

	/// Reserve `count` free IPs of `farm_id` for `contract_id`, all or none.
	pub(crate) fn do_reserve_ips(
		farm_id: FarmId,
		contract_id: ContractId,
		count: u32,
	) -> Result<alloc::vec::Vec<AssignedIp>, DispatchError> {
		ensure!(Farms::<T>::contains_key(farm_id), Error::<T>::FarmNotFound);
		if count == 0 {
			return Ok(Default::default());
		}
		let assigned =
			FarmPublicIps::<T>::try_mutate(farm_id, |pool| pool.reserve(contract_id, count))
				.map_err(Error::<T>::from)?;
		Self::deposit_event(Event::PublicIpsReserved { farm_id, contract_id, count });
		Ok(assigned)
	}

	pub(crate) fn do_release_ips(farm_id: FarmId, contract_id: ContractId) -> u32 {
		if !FarmPublicIps::<T>::contains_key(farm_id) {
			return 0;
		}
		let count = FarmPublicIps::<T>::mutate(farm_id, |pool| pool.release(contract_id));
		if count > 0 {
			Self::deposit_event(Event::PublicIpsReleased { farm_id, contract_id, count });
		}
		count
	}

	/// Fails unless every address and the domain of `config` are free or already `node_id`'s.
	pub(crate) fn ensure_config_free(node_id: NodeId, config: &PublicConfig) -> DispatchResult {
		match IpOwner::<T>::get(config.ip4.ip.ip) {
			None => {},
			Some(holder) => ensure!(holder == IpHolder::Node(node_id), Error::<T>::IpExists),
		}
		if let Some(ip6) = &config.ip6 {
			let owner = Ipv6Owner::<T>::get(ip6.ip.ip);
			ensure!(owner.is_none_or(|n| n == node_id), Error::<T>::IpExists);
		}
		if let Some(domain) = &config.domain {
			let owner = DomainOwner::<T>::get(name_key(domain));
			ensure!(owner.is_none_or(|n| n == node_id), Error::<T>::DomainTaken);
		}
		Ok(())
	}

	/// Records `node_id` as the user of `config`'s addresses and domain.
	pub(crate) fn claim_config(node_id: NodeId, config: &PublicConfig) {
		IpOwner::<T>::insert(config.ip4.ip.ip, IpHolder::Node(node_id));
		if let Some(ip6) = &config.ip6 {
			Ipv6Owner::<T>::insert(ip6.ip.ip, node_id);
		}
		if let Some(domain) = &config.domain {
			DomainOwner::<T>::insert(name_key(domain), node_id);
		}
	}

	/// Frees `config`'s addresses and domain.
	pub(crate) fn release_config(config: &PublicConfig) {
		IpOwner::<T>::remove(config.ip4.ip.ip);
		if let Some(ip6) = &config.ip6 {
			Ipv6Owner::<T>::remove(ip6.ip.ip);
		}
		if let Some(domain) = &config.domain {
			DomainOwner::<T>::remove(name_key(domain));
		}
	}
}
