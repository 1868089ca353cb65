//! Storage migrations, one module per storage version.
//!
//! Each is exported only wrapped in a `VersionedMigration`, which runs it once, when the
//! on-chain storage version is the one it starts from, and then bumps that version. A chain
//! started on a runtime that already has the new version (a new chain's genesis) skips it.

use crate::pallet::*;
#[cfg(feature = "try-runtime")]
use frame::deps::sp_runtime::TryRuntimeError;
use frame::{
	deps::frame_support::{migrations::VersionedMigration, traits::UncheckedOnRuntimeUpgrade},
	prelude::*,
};

/// Storage version 0 → 1 (runtime spec 101): a payer's ledger records the bucket it is charged
/// in, and `PayerBucket` indexes payers by twin.
///
/// Up to commit be177d1 (spec 100) every payer was charged in its twin's bucket
/// (`twin % PassBlocks`), known only from its key in `Payers`. The migration writes that key
/// into the ledger and the index, so no payer moves and no charge is skipped or repeated;
/// payers who join after it are bucketed by their first contract's node.
///
/// The development builds after be177d1 and before spec 101 already stored the new layout
/// under spec 100 and storage version 0. Such a chain has a non-empty `PayerBucket` (every
/// payer is indexed there), and the migration then only bumps the version: decoding its
/// ledgers as the old layout would succeed and garble them.
///
/// It runs in one block: two reads and two writes per payer (about 8,000 payers per second of
/// block weight on ParityDB). A chain with many more payers needs a multi-block migration.
pub mod v1 {
	use super::*;
	use crate::Release;
	#[cfg(feature = "try-runtime")]
	use frame::deps::codec::DecodeAll;
	use frame::deps::{frame_support::storage_alias, sp_runtime::Percent};
	use grid_primitives::{registry::TwinId, Balance};

	/// A ledger as version 0 stored it: [`crate::Ledger`] without its bucket.
	#[derive(Encode, Decode)]
	pub struct LedgerV0<AccountId> {
		/// The account charges are taken from and the commitment is held on.
		pub account: AccountId,
		/// How many live contracts it pays for.
		pub contracts: u32,
		/// TFT committed and held on `account`, planck.
		pub committed: Balance,
		/// The release of committed TFT it asked for, if any.
		pub releasing: Option<Release>,
		/// The block it went into grace; `None` when not in grace.
		pub grace_since: Option<u32>,
		/// Its holding discount, as measured at its last charge.
		pub discount: Percent,
	}

	/// A ledger as version 1 stores it: with its bucket.
	#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
	pub struct LedgerV1<AccountId> {
		/// The account charges are taken from and the commitment is held on.
		pub account: AccountId,
		/// The bucket it is charged in.
		pub bucket: u32,
		/// How many live contracts it pays for.
		pub contracts: u32,
		/// TFT committed and held on `account`, planck.
		pub committed: Balance,
		/// The release of committed TFT it asked for, if any.
		pub releasing: Option<Release>,
		/// The block it went into grace; `None` when not in grace.
		pub grace_since: Option<u32>,
		/// Its holding discount, as measured at its last charge.
		pub discount: Percent,
	}

	/// `Payers` as version 1 stores it.
	#[storage_alias]
	pub(crate) type Payers<T: Config> = StorageDoubleMap<
		Pallet<T>,
		Twox64Concat,
		u32,
		Twox64Concat,
		TwinId,
		LedgerV1<<T as frame_system::Config>::AccountId>,
	>;

	impl<AccountId> LedgerV0<AccountId> {
		fn in_bucket(self, bucket: u32) -> LedgerV1<AccountId> {
			LedgerV1 {
				account: self.account,
				bucket,
				contracts: self.contracts,
				committed: self.committed,
				releasing: self.releasing,
				grace_since: self.grace_since,
				discount: self.discount,
			}
		}
	}

	/// The migration itself; use [`MigrateV0ToV1`].
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	/// Whether the payers are already in the new layout: every payer of that layout is indexed.
	fn already_indexed<T: Config>() -> bool {
		PayerBucket::<T>::iter_keys().next().is_some()
	}

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let db = T::DbWeight::get();
			if already_indexed::<T>() {
				log::info!(target: "runtime::billing", "v1: payers already have their bucket");
				return db.reads(1);
			}
			let stored = Payers::<T>::iter_keys().count() as u64;
			let mut payers = 0u64;
			Payers::<T>::translate::<LedgerV0<T::AccountId>, _>(|bucket, twin, old| {
				payers = payers.saturating_add(1);
				PayerBucket::<T>::insert(twin, bucket);
				Some(old.in_bucket(bucket))
			});
			// `translate` leaves a value it cannot decode as it is (`try_state` then fails on it).
			if payers < stored {
				log::error!(
					target: "runtime::billing",
					"v1: {} payers' ledgers did not decode and were left unmigrated",
					stored.saturating_sub(payers)
				);
			}
			log::info!(target: "runtime::billing", "v1: {payers} payers given their bucket");
			db.reads_writes(stored.saturating_mul(2).saturating_add(1), payers.saturating_mul(2))
		}

		/// Every stored ledger decodes, exactly, in the layout the migration expects: the old
		/// one, or the new one if the payers are already indexed.
		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
			let indexed = already_indexed::<T>();
			let mut payers = 0u32;
			for (bucket, twin) in Payers::<T>::iter_keys() {
				let key = Payers::<T>::hashed_key_for(bucket, twin);
				let bytes =
					frame::deps::sp_io::storage::get(&key).ok_or("a payer without a value")?;
				let exact = if indexed {
					LedgerV1::<T::AccountId>::decode_all(&mut &bytes[..]).is_ok()
				} else {
					LedgerV0::<T::AccountId>::decode_all(&mut &bytes[..]).is_ok()
				};
				ensure!(exact, "a payer's ledger is in neither layout the migration knows");
				payers = payers.saturating_add(1);
			}
			Ok(payers.encode())
		}

		/// The same payers, each with its bucket in its ledger and in the index.
		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
			let before = u32::decode(&mut &state[..]).map_err(|_| "bad pre_upgrade state")?;
			let mut after = 0u32;
			for (bucket, twin, ledger) in Payers::<T>::iter() {
				ensure!(ledger.bucket == bucket, "a ledger names another bucket than its key");
				ensure!(PayerBucket::<T>::get(twin) == Some(bucket), "a payer is not indexed");
				after = after.saturating_add(1);
			}
			ensure!(after == before, "payers were lost");
			ensure!(PayerBucket::<T>::iter_keys().count() as u32 == before, "stray index entries");
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

/// Storage version 1 → 2 (runtime spec 102).
///
/// - **Ledgers** gain the debt their ended contracts leave written off (none yet: version 1
///   forgot it), their monthly cost (measured at their next charge; until then a new
///   contract is checked against its own cost only) and their standing (unlimited: payers
///   from before the upgrade keep the grace they had).
/// - **Meters** gain the second their capacity is charged from: where their payer was charged
///   up to, so the capacity version 1 charged (up to each charge) is not charged again now that
///   it is charged a settle delay behind.
/// - **Parameters** gain the prepaid time: an hour.
///
/// A read and a write per payer, five reads and a write per meter, in one block.
pub mod v2 {
	use super::*;
	use crate::{Due, Ledger, Meter};
	#[cfg(feature = "try-runtime")]
	use frame::deps::codec::DecodeAll;
	use grid_primitives::{money::Usd, Balance};

	/// A meter as version 1 stores it.
	#[derive(Encode, Decode)]
	pub struct MeterV1 {
		/// Charged up to here at least (Unix seconds): its creation or its last settlement.
		pub since: u64,
		/// Bytes of the contract's reported public traffic (a running total) charged so far.
		pub traffic_billed: u64,
		/// What it owes, planck.
		pub debt: Due,
	}

	/// The parameters as version 1 stores them.
	#[derive(Encode, Decode)]
	pub struct BillingParamsV1 {
		/// Blocks a payer may stay in grace before its contracts end as out of funds.
		pub grace_period: u32,
		/// Blocks between asking to release committed TFT and getting it back.
		pub release_notice: u32,
	}

	/// The migration itself; use [`MigrateV1ToV2`].
	pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			// The parameters, then each ledger, then each meter with its payer's bucket and
			// where that bucket was charged up to (cursor, pass length, bucket).
			let (mut reads, mut writes) = (1u64, 1u64);
			let _ = Params::<T>::translate::<BillingParamsV1, _>(|old| {
				old.map(|old| crate::BillingParams {
					grace_period: old.grace_period,
					release_notice: old.release_notice,
					prepaid: crate::BillingParams::default().prepaid,
				})
			});
			Payers::<T>::translate::<super::v1::LedgerV1<T::AccountId>, _>(|_, _, old| {
				reads = reads.saturating_add(1);
				writes = writes.saturating_add(1);
				Some(Ledger {
					account: old.account,
					bucket: old.bucket,
					contracts: old.contracts,
					committed: old.committed,
					releasing: old.releasing,
					grace_since: old.grace_since,
					discount: old.discount,
					written_off: 0,
					monthly: Usd::ZERO,
					// Payers from before the upgrade keep the grace they had.
					credit: Balance::MAX,
				})
			});
			Meters::<T>::translate::<MeterV1, _>(|twin, _, old| {
				reads = reads.saturating_add(5);
				writes = writes.saturating_add(1);
				let charged = PayerBucket::<T>::get(twin)
					.map_or(old.since, |bucket| Pallet::<T>::charged_until(twin, bucket));
				Some(Meter {
					since: old.since,
					traffic_billed: old.traffic_billed,
					debt: old.debt,
					capacity_since: old.since.max(charged),
				})
			});
			log::info!(target: "runtime::billing", "v2: {writes} records migrated");
			T::DbWeight::get().reads_writes(reads, writes)
		}

		/// Every ledger and meter decodes, exactly, in version 1's layout; returns how many,
		/// and what they hold and owe.
		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
			let mut held = Held::default();
			for (bucket, twin) in Payers::<T>::iter_keys() {
				let key = Payers::<T>::hashed_key_for(bucket, twin);
				let bytes = frame::deps::sp_io::storage::get(&key).ok_or("no ledger")?;
				let ledger = super::v1::LedgerV1::<T::AccountId>::decode_all(&mut &bytes[..])
					.map_err(|_| "a ledger not in version 1's layout")?;
				held.add_payer(ledger.committed);
			}
			for (twin, contract) in Meters::<T>::iter_keys() {
				let key = Meters::<T>::hashed_key_for(twin, contract);
				let bytes = frame::deps::sp_io::storage::get(&key).ok_or("no meter")?;
				let meter = MeterV1::decode_all(&mut &bytes[..])
					.map_err(|_| "a meter not in version 1's layout")?;
				held.add_meter(meter.debt.total());
			}
			Ok(held.encode())
		}

		/// The same payers and meters, holding and owing the same, none owing written-off
		/// debt, no meter's capacity charged from before its last charge, valid parameters.
		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
			let before = Held::decode(&mut &state[..]).map_err(|_| "bad pre_upgrade state")?;
			let mut after = Held::default();
			for ledger in Payers::<T>::iter_values() {
				ensure!(ledger.written_off == 0, "debt appeared");
				after.add_payer(ledger.committed);
			}
			for meter in Meters::<T>::iter_values() {
				ensure!(meter.capacity_since >= meter.since, "capacity charged twice");
				after.add_meter(meter.debt.total());
			}
			ensure!(after == before, "payers, meters, commitments or debts changed");
			ensure!(Params::<T>::get().is_valid(), "invalid parameters");
			Ok(())
		}
	}

	/// What the migration must keep: payers and what they committed, meters and what they owe.
	#[cfg(feature = "try-runtime")]
	#[derive(Encode, Decode, Default, PartialEq, Debug)]
	struct Held {
		payers: u32,
		committed: Balance,
		meters: u32,
		debt: Balance,
	}

	#[cfg(feature = "try-runtime")]
	impl Held {
		fn add_payer(&mut self, committed: Balance) {
			self.payers = self.payers.saturating_add(1);
			self.committed = self.committed.saturating_add(committed);
		}

		fn add_meter(&mut self, debt: Balance) {
			self.meters = self.meters.saturating_add(1);
			self.debt = self.debt.saturating_add(debt);
		}
	}

	/// Storage version 1 → 2: see the [module](self).
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		InnerMigrateV1ToV2<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
