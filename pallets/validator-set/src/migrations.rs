//! Storage migrations, one module per storage version.
//!
//! Each is exported only wrapped in a `VersionedMigration`, which runs it once, when the
//! on-chain storage version is the one it starts from, and then bumps that version. A chain
//! started on a runtime that already has the new version (a new chain's genesis) skips it.

use crate::pallet::*;
#[cfg(feature = "try-runtime")]
use alloc::vec::Vec;
#[cfg(feature = "try-runtime")]
use frame::deps::sp_runtime::TryRuntimeError;
use frame::{
	deps::frame_support::{migrations::VersionedMigration, traits::UncheckedOnRuntimeUpgrade},
	prelude::*,
};

/// Storage version 0 → 1: applications and inactivity reports.
///
/// Version 1 adds [`Applications`] (empty), [`CurrentSession`] and [`LastAuthored`]. The
/// migration sets [`CurrentSession`] to pallet-session's current index and records every
/// validator as having authored in the current session, so that none is reported before it has
/// had `InactivityThreshold` full sessions to author in after the upgrade. At most
/// `MaxValidators` writes, in one block.
pub mod v1 {
	use super::*;

	/// The migration itself; use [`MigrateV0ToV1`].
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config + pallet_session::Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let session = pallet_session::CurrentIndex::<T>::get();
			CurrentSession::<T>::put(session);
			let validators = Validators::<T>::get();
			for who in &validators {
				LastAuthored::<T>::insert(who, session);
			}
			let count = validators.len() as u64;
			log::info!(
				target: "runtime::validator-set",
				"v1: session {session}, {count} validators given an authorship record"
			);
			T::DbWeight::get().reads_writes(2, count.saturating_add(1))
		}

		/// Nothing of version 1 exists yet.
		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
			ensure!(LastAuthored::<T>::iter_keys().next().is_none(), "authorship records exist");
			ensure!(Applications::<T>::count() == 0, "applications exist");
			Ok(Vec::new())
		}

		/// Every validator has a record of the current session, and nobody else has one.
		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: Vec<u8>) -> Result<(), TryRuntimeError> {
			let session = pallet_session::CurrentIndex::<T>::get();
			ensure!(CurrentSession::<T>::get() == session, "CurrentSession not set");
			let validators = Validators::<T>::get();
			for who in &validators {
				ensure!(LastAuthored::<T>::get(who) == Some(session), "a validator not recorded");
			}
			ensure!(
				LastAuthored::<T>::iter_keys().count() == validators.len(),
				"a record of a non-validator"
			);
			Ok(())
		}
	}

	/// Storage version 0 → 1: see the [module](self).
	pub type MigrateV0ToV1<T> = VersionedMigration<
		0,
		1,
		InnerMigrateV0ToV1<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
