//! Runtime upgrades authorized by [`Config::UpgradeOrigin`] rather than root.

use crate::pallet::*;
use frame::prelude::*;

impl<T: Config> Pallet<T> {
	/// frame_system records the authorization (with the version check) and emits
	/// `UpgradeAuthorized`; `system.applyAuthorizedUpgrade` then accepts the code from anyone.
	pub(crate) fn do_authorize_upgrade(code_hash: T::Hash) {
		frame_system::Pallet::<T>::do_authorize_upgrade(code_hash, true);
	}
}
