//! Governance: node certifiers, connection price, plausibility maximum, Zero-OS version.

use crate::{pallet::*, types::*, Config};
use frame::prelude::*;
use grid_primitives::{money::MusdPerTft, resources::Resources};

impl<T: Config> Pallet<T> {
	/// Governance, or a signed account on the certifier list.
	pub(crate) fn ensure_certifier(origin: OriginFor<T>) -> DispatchResult {
		let Err(origin) = T::GovernanceOrigin::try_origin(origin) else { return Ok(()) };
		let who = ensure_signed(origin)?;
		ensure!(NodeCertifiers::<T>::get().contains(&who), Error::<T>::NotNodeCertifier);
		Ok(())
	}

	pub(crate) fn do_add_node_certifier(who: T::AccountId) -> DispatchResult {
		NodeCertifiers::<T>::try_mutate(|list| {
			ensure!(!list.contains(&who), Error::<T>::AlreadyCertifier);
			list.try_push(who.clone()).map_err(|_| Error::<T>::TooManyCertifiers)
		})?;
		Self::deposit_event(Event::NodeCertifierAdded { who });
		Ok(())
	}

	pub(crate) fn do_remove_node_certifier(who: T::AccountId) -> DispatchResult {
		NodeCertifiers::<T>::try_mutate(|list| {
			let index = list.iter().position(|c| *c == who).ok_or(Error::<T>::NotNodeCertifier)?;
			list.remove(index);
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::NodeCertifierRemoved { who });
		Ok(())
	}

	pub(crate) fn do_set_connection_price(price: MusdPerTft) -> DispatchResult {
		let price = MusdPerTft::new(price.0).ok_or(Error::<T>::InvalidConnectionPrice)?;
		ConnectionPrice::<T>::put(price);
		Self::deposit_event(Event::ConnectionPriceSet { price });
		Ok(())
	}

	pub(crate) fn do_set_max_node_resources(max: Resources) -> DispatchResult {
		ensure!(
			max.covers(&Resources::MINIMUM) && max.covers(&Resources::MINIMUM_HDD_ONLY),
			Error::<T>::InvalidMaxResources
		);
		MaxNodeResources::<T>::put(max);
		Self::deposit_event(Event::MaxNodeResourcesSet { max });
		Ok(())
	}

	pub(crate) fn do_set_zos_version(version: ZosVersion) -> DispatchResult {
		check_zos_version(&version).map_err(Error::<T>::from)?;
		CurrentZosVersion::<T>::put(&version);
		Self::deposit_event(Event::ZosVersionSet { version });
		Ok(())
	}
}
