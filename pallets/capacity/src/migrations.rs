//! Storage migrations, one module per storage version.
//!
//! Each is exported only wrapped in a `VersionedMigration`, which runs it once, when the
//! on-chain storage version is the one it starts from, and then bumps that version. A chain
//! started on a runtime that already has the new version (a new chain's genesis) skips it.

use crate::{pallet::*, types::*};
#[cfg(feature = "try-runtime")]
use frame::deps::sp_runtime::TryRuntimeError;
use frame::{
	deps::frame_support::{migrations::VersionedMigration, traits::UncheckedOnRuntimeUpgrade},
	prelude::*,
};

/// Storage version 0 → 1 (runtime spec 102).
///
/// - **Rents** record the capacity they are priced on and the extra fee their renter pays:
///   the node's capacity and fee at the upgrade (what they were charged until then), the fee
///   cut to the new ceiling ([`Limits::max_extra_fee`]) if above it.
/// - **Usage records** gain the owner's traffic cap (none).
/// - **Node network totals** (traffic and IPv4-seconds, which minting read) give way to each
///   node's traffic allowance: the old records are removed, and every node starts with a full
///   allowance.
///
/// One read and one write per contract and usage record, one removal per node total, in one
/// block.
pub mod v1 {
	use super::*;
	#[cfg(feature = "try-runtime")]
	use frame::deps::codec::DecodeAll;
	use grid_primitives::{
		contracts::{ContractState, ExtraFee, ProviderId},
		registry::{GridRegistry, NodeId, TwinId},
		resources::Resources,
	};

	/// [`ContractKind`] in storage version 0: a rent recorded only its node.
	#[derive(Encode, Decode)]
	pub enum ContractKindV0 {
		/// A deployment on a node (unchanged in version 1).
		Node(NodeContract),
		/// A whole node for one twin.
		Rent {
			/// The rented node.
			node_id: NodeId,
		},
		/// A unique gateway name (unchanged in version 1).
		Name {
			/// The gateway name held.
			name: GatewayName,
		},
	}

	/// [`Contract`] in storage version 0: the same fields, with [`ContractKindV0`].
	#[derive(Encode, Decode)]
	pub struct ContractV0<AccountId, Balance, BlockNumber> {
		/// The twin that owns it.
		pub twin_id: TwinId,
		/// The account that created and pays for it.
		pub payer: AccountId,
		/// What it is for, in the version 0 layout.
		pub kind: ContractKindV0,
		/// Running, or in grace since a block.
		pub state: ContractState<BlockNumber>,
		/// An approved solution provider, if one was attached.
		pub solution_provider: Option<ProviderId>,
		/// Held from `payer` while the contract lives (planck).
		pub deposit: Balance,
		/// Unix seconds at creation.
		pub created_at: u64,
	}

	/// [`ContractUsage`] in storage version 0, before the owner's traffic cap.
	#[derive(Encode, Decode)]
	pub struct ContractUsageV0 {
		/// End of the last accepted window, Unix seconds.
		pub window_end: u64,
		/// Resources used in the last accepted window.
		pub used: Resources,
		/// Bytes of public traffic reported since the contract was created.
		pub traffic_bytes: u64,
	}

	type ContractV0Of<T> =
		ContractV0<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

	/// The migration itself; use [`MigrateV0ToV1`].
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut items = 0u64;
			Contracts::<T>::translate::<ContractV0Of<T>, _>(|_, old| {
				items = items.saturating_add(1);
				let kind = match old.kind {
					ContractKindV0::Node(n) => ContractKind::Node(n),
					ContractKindV0::Name { name } => ContractKind::Name { name },
					ContractKindV0::Rent { node_id } => {
						items = items.saturating_add(3);
						ContractKind::Rent {
							node_id,
							resources: T::Registry::node(node_id)
								.map(|n| n.resources)
								.unwrap_or_default(),
							// Version 0 had no ceiling: a fee above the new one is cut to it.
							extra_fee: ExtraFee::agreed(
								ExtraFees::<T>::get(node_id)
									.unwrap_or_default()
									.min(GridLimits::<T>::get().max_extra_fee),
							),
						}
					},
				};
				Some(Contract {
					twin_id: old.twin_id,
					payer: old.payer,
					kind,
					state: old.state,
					solution_provider: old.solution_provider,
					deposit: old.deposit,
					created_at: old.created_at,
				})
			});
			ContractUsages::<T>::translate::<ContractUsageV0, _>(|_, old| {
				items = items.saturating_add(1);
				Some(ContractUsage {
					window_end: old.window_end,
					used: old.used,
					traffic_bytes: old.traffic_bytes,
					traffic_limit: None,
					earlier_limit: None,
					limit_from: 0,
				})
			});
			let removed = NodeNetworks::<T>::clear(u32::MAX, None).unique as u64;
			log::info!(target: "runtime::capacity", "v1: {items} records migrated, {removed} totals removed");
			T::DbWeight::get().reads_writes(items, items.saturating_add(removed))
		}

		/// Every contract and usage record decodes, exactly, in the old layout; returns how
		/// many, the deposits held and the traffic reported, which must not change.
		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
			let mut kept = Kept::<BalanceOf<T>>::default();
			for key in Contracts::<T>::iter_keys() {
				let bytes = frame::deps::sp_io::storage::get(&Contracts::<T>::hashed_key_for(key))
					.ok_or("a contract without a value")?;
				let old = ContractV0Of::<T>::decode_all(&mut &bytes[..])
					.map_err(|_| "a contract in no known layout")?;
				kept.contract(old.deposit);
			}
			for key in ContractUsages::<T>::iter_keys() {
				let bytes =
					frame::deps::sp_io::storage::get(&ContractUsages::<T>::hashed_key_for(key))
						.ok_or("a usage without a value")?;
				let old = ContractUsageV0::decode_all(&mut &bytes[..])
					.map_err(|_| "a usage record in no known layout")?;
				kept.usage(old.traffic_bytes);
			}
			Ok(kept.encode())
		}

		/// The same contracts (and deposits) and usage records (and traffic), uncapped; each
		/// rent priced on its node's capacity; no old totals.
		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
			let before = Kept::<BalanceOf<T>>::decode(&mut &state[..])
				.map_err(|_| "bad pre_upgrade state")?;
			let mut after = Kept::default();
			for contract in Contracts::<T>::iter_values() {
				if let ContractKind::Rent { resources, .. } = contract.kind {
					ensure!(resources != Resources::default(), "a rent priced on no capacity");
				}
				after.contract(contract.deposit);
			}
			for usage in ContractUsages::<T>::iter_values() {
				ensure!(usage.traffic_limit.is_none(), "a cap nobody set");
				after.usage(usage.traffic_bytes);
			}
			ensure!(after == before, "contracts, deposits, usage records or traffic changed");
			ensure!(NodeNetworks::<T>::iter_keys().next().is_none(), "old node totals left");
			Ok(())
		}
	}

	/// What the migration must keep: contracts and their deposits, usage records and their
	/// traffic.
	#[cfg(feature = "try-runtime")]
	#[derive(Encode, Decode, Default, PartialEq, Debug)]
	struct Kept<Balance> {
		contracts: u32,
		deposits: Balance,
		usages: u32,
		traffic: u64,
	}

	#[cfg(feature = "try-runtime")]
	impl<Balance: frame::traits::tokens::Balance> Kept<Balance> {
		fn contract(&mut self, deposit: Balance) {
			self.contracts = self.contracts.saturating_add(1);
			self.deposits = self.deposits.saturating_add(deposit);
		}

		fn usage(&mut self, traffic: u64) {
			self.usages = self.usages.saturating_add(1);
			self.traffic = self.traffic.saturating_add(traffic);
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

/// Storage version 1 → 2 (runtime spec 103).
///
/// - The limits ([`GridLimits`]) gain the usage report gap ([`Limits::usage_report_gap`]):
///   stored limits keep their three fields and get [`DEFAULT_USAGE_REPORT_GAP`]; a chain that
///   never set limits keeps none stored (the defaults apply, now with the gap).
/// - [`LastUsageBatch`] is new and starts empty: every node may report a batch at once.
///
/// One read and at most one write, in one block.
pub mod v2 {
	use super::*;
	#[cfg(feature = "try-runtime")]
	use frame::deps::codec::DecodeAll;
	use grid_primitives::money::Musd;

	/// [`Limits`] in storage version 1, before the usage report gap.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
	pub struct LimitsV1 {
		/// Most public traffic one node may report, bytes per second on average.
		pub node_traffic_per_second: u64,
		/// Highest monthly extra fee a farmer may set on a node.
		pub max_extra_fee: Musd,
		/// How long a higher extra fee waits before it applies to a running rent, seconds.
		pub fee_notice: u64,
	}

	impl LimitsV1 {
		/// The limits in version 2: the same, with the default usage report gap.
		pub fn migrated(self) -> Limits {
			Limits {
				node_traffic_per_second: self.node_traffic_per_second,
				max_extra_fee: self.max_extra_fee,
				fee_notice: self.fee_notice,
				usage_report_gap: DEFAULT_USAGE_REPORT_GAP,
			}
		}
	}

	/// The migration itself; use [`MigrateV1ToV2`].
	pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			match GridLimits::<T>::translate::<LimitsV1, _>(|old| old.map(LimitsV1::migrated)) {
				Ok(Some(limits)) => {
					log::info!(target: "runtime::capacity", "v2: limits migrated: {limits:?}");
					T::DbWeight::get().reads_writes(1, 1)
				},
				Ok(None) => {
					log::info!(target: "runtime::capacity", "v2: no limits stored (defaults)");
					T::DbWeight::get().reads(1)
				},
				Err(()) => {
					// Left as it was: `GridLimits` reads as the defaults; `post_upgrade` fails.
					log::error!(target: "runtime::capacity", "v2: stored limits in no known layout");
					T::DbWeight::get().reads(1)
				},
			}
		}

		/// The stored limits, if any, decode exactly in the old layout; returns them.
		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
			let old = match frame::deps::sp_io::storage::get(&GridLimits::<T>::hashed_key()) {
				Some(bytes) => Some(
					LimitsV1::decode_all(&mut &bytes[..])
						.map_err(|_| "stored limits in no known layout")?,
				),
				None => None,
			};
			Ok(old.encode())
		}

		/// The same limits with the default gap, valid; or still none stored.
		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
			let old =
				Option::<LimitsV1>::decode(&mut &state[..]).map_err(|_| "bad pre_upgrade state")?;
			let stored = frame::deps::sp_io::storage::get(&GridLimits::<T>::hashed_key());
			match old {
				Some(old) => {
					let bytes = stored.ok_or("the limits were removed")?;
					let new = Limits::decode_all(&mut &bytes[..])
						.map_err(|_| "the limits are not in the new layout")?;
					ensure!(new == old.migrated(), "the limits changed beyond the new gap");
					ensure!(new.is_valid(), "invalid limits");
				},
				None => ensure!(stored.is_none(), "limits stored where none were"),
			}
			ensure!(LastUsageBatch::<T>::iter_keys().next().is_none(), "usage batches recorded");
			Ok(())
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
