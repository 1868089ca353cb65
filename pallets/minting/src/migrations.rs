//! Storage migrations, one module per storage version.
//!
//! Each is exported only wrapped in a `VersionedMigration`, which runs it once, when the
//! on-chain storage version is the one it starts from, and then bumps that version. A chain
//! started on a runtime that already has the new version (a new chain's genesis) skips it.

use crate::{pallet::*, types::*};
#[cfg(feature = "try-runtime")]
use frame::deps::sp_runtime::TryRuntimeError;
use frame::{
	deps::{
		frame_support::{migrations::VersionedMigration, traits::UncheckedOnRuntimeUpgrade},
		sp_runtime::Percent,
	},
	prelude::*,
};

/// Storage version 0 → 1 (runtime spec 102).
///
/// - **Policies**: rates become typed ([`grid_primitives::money::Musd`]) and gain a
///   `network_share` (100 % of what network payments burn); the traffic rate becomes per GB
///   (10⁹ bytes) instead of per GiB (rounded down); the two immutable reference defaults
///   (`diy`, `certified`), which minted 30/38 mUSD per GiB of traffic and 5/6 mUSD per
///   IPv4-hour — above what billing charges — get [`FarmingPolicy::reference_defaults`]'
///   network rates.
/// - **Node records**: the uptime timeline starts at each node's last report (earlier time is
///   not billed again: billing charged it under the old rule), standby follows the node's
///   power as the registry has it, a node on its farm's policy is covered for its capacity
///   now; the network totals of the period leave the record (network rewards are now what
///   billing collects, from the upgrade on).
/// - **Receipts**: their mUSD reward (capacity and network together) becomes their exact
///   capacity amount (their TFT does not change); their traffic and IPv4-seconds are kept,
///   with nothing recorded as paid.
/// - **Farm totals** drop their mUSD sum (the TFT sum stays).
///
/// One read and one write per policy, node record, receipt and farm total, in one block: a
/// chain with tens of thousands of nodes needs a multi-block migration instead.
pub mod v1 {
	use super::*;
	#[cfg(feature = "try-runtime")]
	use frame::deps::{codec::DecodeAll, frame_support::storage::StoragePrefixedMap};
	use grid_primitives::{
		contracts::PaidNetwork,
		liveness::Timeline,
		money::{Musd, MusdPerTft, Usd, GB},
		registry::{FarmCertification, GridRegistry, NodeCertification},
		resources::{Resources, GIB},
	};

	#[derive(Encode, Decode)]
	/// [`FarmingPolicy`] in storage version 0: rates as plain mUSD, no `network_share`.
	pub struct FarmingPolicyV0 {
		/// Printable name, 1..=64 bytes.
		pub name: BoundedVec<u8, ConstU32<MAX_POLICY_NAME>>,
		/// mUSD per compute unit per period.
		pub cu: u64,
		/// mUSD per storage unit per period.
		pub su: u64,
		/// mUSD per GiB of public traffic.
		pub nu: u64,
		/// mUSD per public IPv4 per hour.
		pub ipv4: u64,
		/// Uptime below this (per mille) earns nothing.
		pub minimal_uptime: Permille,
		/// The least node certification it applies to.
		pub node_certification: NodeCertification,
		/// The least farm certification it applies to.
		pub farm_certification: FarmCertification,
		/// Chosen automatically for nodes that match.
		pub default: bool,
		/// Can never be changed.
		pub immutable: bool,
		/// No longer chosen from this Unix second on.
		pub end: Option<u64>,
	}

	#[derive(Encode, Decode)]
	/// A node's running network totals in version 0, as the capacity pallet kept them.
	pub struct NodeNetworkTotalsV0 {
		/// Bytes of public traffic reported.
		pub traffic_bytes: u128,
		/// IPv4-seconds its contracts held.
		pub ipv4_seconds: u128,
	}

	#[derive(Encode, Decode)]
	/// [`PeriodRecord`] in storage version 0, with the node's network totals at its start.
	pub struct PeriodRecordV0 {
		/// The period this record is for.
		pub index: PeriodIndex,
		/// When this node's part of the period began, Unix seconds.
		pub start: u64,
		/// Seconds of uptime credited.
		pub uptime: u64,
		/// The least capacity the node declared during the period.
		pub min_resources: Resources,
		/// The node ran virtualized at some point of the period.
		pub virtualized: bool,
		/// The first violation found in the period.
		pub violation: Option<Violation>,
		/// Wake requests the node failed to honour within 30 minutes.
		pub failed_wakes: u8,
		/// The node's network totals when the period began (dropped in version 1).
		pub network_at_start: NodeNetworkTotalsV0,
	}

	#[derive(Encode, Decode)]
	/// [`NodeState`] in storage version 0: no timeline, standby or farm-limit units.
	pub struct NodeStateV0<AccountId> {
		/// The node's account: signs its uptime reports.
		pub account: AccountId,
		/// The node's farm.
		pub farm_id: grid_primitives::registry::FarmId,
		/// The policy its next receipt uses (`None`: it earns nothing).
		pub policy: Option<PolicyId>,
		/// `policy` came from the farm's limit.
		pub farm_policy: bool,
		/// The node's certification.
		pub certification: NodeCertification,
		/// The TFT price fixed when the node registered.
		pub connection_price: MusdPerTft,
		/// The capacity it declared.
		pub resources: Resources,
		/// It declared to run in a virtual machine.
		pub virtualized: bool,
		/// Its current period so far.
		pub period: PeriodRecordV0,
		/// Its last accepted report; version 1 starts its timeline there.
		pub last: Option<LastReport>,
		/// Up continuously since (Unix seconds), as far as its reports showed (dropped).
		pub up_since: Option<u64>,
		/// The farmer's power target was down.
		pub asked_down: bool,
		/// A sleep at its farmer's request in progress.
		pub sleep: Option<Sleep>,
		/// Declared maintenance windows.
		pub maintenance: BoundedVec<Window, ConstU32<MAX_WINDOWS>>,
		/// Receipts issued and not yet claimed.
		pub unclaimed: u32,
	}

	#[derive(Encode, Decode)]
	/// [`Receipt`] in storage version 0: a mUSD reward and unpaid network totals.
	pub struct ReceiptV0<AccountId, Balance> {
		/// The node that earned it.
		pub node_id: grid_primitives::registry::NodeId,
		/// The node's farm when the period closed.
		pub farm_id: grid_primitives::registry::FarmId,
		/// The period it pays for.
		pub period: PeriodIndex,
		/// Uptime, per mille of the node's eligible time.
		pub uptime: Permille,
		/// Seconds the node was registered in the period.
		pub registered: u64,
		/// Compute units of the period's minimum capacity, millionths.
		pub cu: u64,
		/// Storage units of the period's minimum capacity, millionths.
		pub su: u64,
		/// Public traffic of its contracts, bytes.
		pub nu_bytes: u128,
		/// IPv4-seconds its contracts held.
		pub ipv4_seconds: u128,
		/// The farming policy it was computed with.
		pub policy: Option<PolicyId>,
		/// The node ran virtualized (it earns nothing).
		pub virtualized: bool,
		/// Why the period paid nothing whatever its uptime.
		pub violation: Option<Violation>,
		/// The reward in mUSD, rounded down.
		pub reward: Musd,
		/// `reward` at the node's connection price, planck (kept in version 1).
		pub tft: Balance,
		/// The farm's payout account when the period closed.
		pub payout: AccountId,
	}

	#[derive(Encode, Decode)]
	/// [`PeriodTotal`] in storage version 0, with a mUSD sum.
	pub struct PeriodTotalV0<Balance> {
		/// Receipts issued.
		pub receipts: u32,
		/// Their rewards in mUSD (dropped in version 1).
		pub reward: Musd,
		/// TFT those receipts pay, planck.
		pub tft: Balance,
	}

	impl FarmingPolicyV0 {
		/// Whether it is one of the reference defaults of version 0, by name and rates.
		fn reference(&self) -> Option<FarmingPolicy> {
			let old = [(&b"diy"[..], 30, 5), (&b"certified"[..], 38, 6)];
			let index = old.iter().position(|(name, nu, ipv4)| {
				self.immutable
					&& self.default && &self.name[..] == *name
					&& self.nu == *nu
					&& self.ipv4 == *ipv4
			})?;
			FarmingPolicy::reference_defaults().get(index).cloned()
		}

		fn migrate(self) -> FarmingPolicy {
			let (nu, ipv4) = match self.reference() {
				Some(new) => (new.nu, new.ipv4),
				None => {
					// Per GiB becomes per GB: rounded down, never above what it was.
					let per_gb = self.nu.saturating_mul(GB).checked_div(GIB).unwrap_or(0);
					(Musd(per_gb), Musd(self.ipv4))
				},
			};
			FarmingPolicy {
				name: self.name,
				cu: Musd(self.cu),
				su: Musd(self.su),
				nu,
				ipv4,
				network_share: Percent::from_percent(100),
				minimal_uptime: self.minimal_uptime,
				node_certification: self.node_certification,
				farm_certification: self.farm_certification,
				default: self.default,
				immutable: self.immutable,
				end: self.end,
			}
		}
	}

	/// The migration itself; use [`MigrateV0ToV1`].
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> InnerMigrateV0ToV1<T> {
		fn node(
			id: grid_primitives::registry::NodeId,
			old: NodeStateV0<T::AccountId>,
		) -> NodeStateOf<T> {
			let p = old.period;
			let settled = old.last.map_or(p.start, |l| l.at);
			let mut state = NodeState {
				account: old.account,
				farm_id: old.farm_id,
				policy: old.policy,
				farm_policy: old.farm_policy,
				policy_units: if old.farm_policy {
					old.resources.cloud_units()
				} else {
					Default::default()
				},
				certification: old.certification,
				connection_price: old.connection_price,
				resources: old.resources,
				virtualized: old.virtualized,
				period: PeriodRecord {
					index: p.index,
					start: p.start,
					uptime: p.uptime,
					min_resources: p.min_resources,
					virtualized: p.virtualized,
					violation: p.violation,
					failed_wakes: p.failed_wakes,
				},
				last: old.last,
				timeline: Timeline::starting(settled),
				asked_down: old.asked_down,
				standby: None,
				sleep: old.sleep,
				maintenance: old.maintenance,
				unclaimed: old.unclaimed,
				carried: 0,
			};
			let standby = T::Registry::node(id).is_some_and(|n| n.power.is_standby());
			state.set_standby(standby, Pallet::<T>::now_secs().max(settled));
			state
		}
	}

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut items = 0u64;
			Policies::<T>::translate::<FarmingPolicyV0, _>(|_, old| {
				items = items.saturating_add(1);
				Some(old.migrate())
			});
			NodeStates::<T>::translate::<NodeStateV0<T::AccountId>, _>(|id, old| {
				items = items.saturating_add(2);
				Some(Self::node(id, old))
			});
			Receipts::<T>::translate::<ReceiptV0<T::AccountId, BalanceOf<T>>, _>(|_, old| {
				items = items.saturating_add(1);
				Some(Receipt {
					node_id: old.node_id,
					farm_id: old.farm_id,
					period: old.period,
					uptime: old.uptime,
					registered: old.registered,
					cu: old.cu,
					su: old.su,
					network: PaidNetwork {
						traffic_bytes: old.nu_bytes,
						ipv4_seconds: old.ipv4_seconds,
						paid: 0,
						burned: 0,
					},
					policy: old.policy,
					virtualized: old.virtualized,
					violation: old.violation,
					capacity_usd: Usd::from_musd(old.reward),
					network_usd: Usd::ZERO,
					tft: old.tft,
					payout: old.payout,
				})
			});
			FarmTotals::<T>::translate::<PeriodTotalV0<BalanceOf<T>>, _>(|_, _, old| {
				items = items.saturating_add(1);
				Some(PeriodTotal { receipts: old.receipts, tft: old.tft })
			});
			log::info!(target: "runtime::minting", "v1: {items} records migrated");
			T::DbWeight::get().reads_writes(items, items)
		}

		/// Every stored record decodes, exactly, in the old layout; returns their counts, what
		/// is owed, and the receipts' and farm totals' TFT and units, which must not change.
		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
			fn exact<V: DecodeAll>(prefix: &[u8]) -> Result<Vec<V>, TryRuntimeError> {
				let mut values = Vec::new();
				let mut key = prefix.to_vec();
				while let Some(next) = frame::deps::sp_io::storage::next_key(&key) {
					if !next.starts_with(prefix) {
						break;
					}
					let bytes = frame::deps::sp_io::storage::get(&next).ok_or("no value")?;
					values.push(
						V::decode_all(&mut &bytes[..])
							.map_err(|_| "a record in no known layout")?,
					);
					key = next;
				}
				Ok(values)
			}
			let policies = exact::<FarmingPolicyV0>(&Policies::<T>::final_prefix())?.len();
			let nodes = exact::<NodeStateV0<T::AccountId>>(&NodeStates::<T>::final_prefix())?.len();
			let receipts =
				exact::<ReceiptV0<T::AccountId, BalanceOf<T>>>(&Receipts::<T>::final_prefix())?;
			let totals = exact::<PeriodTotalV0<BalanceOf<T>>>(&FarmTotals::<T>::final_prefix())?;
			let sums = Sums::new(
				(policies, nodes),
				Unclaimed::<T>::get(),
				receipts.iter().map(|r| (r.tft, r.cu, r.su)),
				totals.iter().map(|t| t.tft),
			);
			// The reference defaults as version 0 had them: these, and only these, get the
			// new network rates (a chain may hold defaults at other rates).
			let references: Vec<PolicyId> = Policies::<T>::iter_keys()
				.filter(|id| {
					frame::deps::sp_io::storage::get(&Policies::<T>::hashed_key_for(id))
						.and_then(|bytes| FarmingPolicyV0::decode_all(&mut &bytes[..]).ok())
						.is_some_and(|old| old.reference().is_some())
				})
				.collect();
			Ok((sums, references).encode())
		}

		/// The same records, in the new layout, with the same TFT and units; what is owed has
		/// not changed; the reference defaults the migration recognised have their new network
		/// rates.
		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
			let (before, references) =
				<(Sums<BalanceOf<T>>, Vec<PolicyId>)>::decode(&mut &state[..])
					.map_err(|_| "bad pre_upgrade state")?;
			let after = Sums::new(
				(Policies::<T>::iter().count(), NodeStates::<T>::iter().count()),
				Unclaimed::<T>::get(),
				Receipts::<T>::iter_values().map(|r| (r.tft, r.cu, r.su)),
				FarmTotals::<T>::iter_values().map(|t| t.tft),
			);
			ensure!(after == before, "records, TFT, units or what is owed changed");
			let defaults = FarmingPolicy::reference_defaults();
			for id in references {
				let policy = Policies::<T>::get(id).ok_or("a reference default vanished")?;
				let new = defaults
					.iter()
					.find(|d| d.name == policy.name)
					.ok_or("a reference default renamed")?;
				ensure!(
					(policy.nu, policy.ipv4) == (new.nu, new.ipv4),
					"a reference default kept its old network rates"
				);
			}
			Ok(())
		}
	}

	/// What [`InnerMigrateV0ToV1`] must keep: record counts, what is owed, the receipts' TFT
	/// and units, the farm totals' TFT.
	#[cfg(feature = "try-runtime")]
	#[derive(Encode, Decode, PartialEq, Debug)]
	struct Sums<Balance> {
		policies: u32,
		nodes: u32,
		receipts: u32,
		totals: u32,
		unclaimed: Balance,
		receipts_tft: Balance,
		units: (u128, u128),
		totals_tft: Balance,
	}

	#[cfg(feature = "try-runtime")]
	impl<Balance: frame::traits::tokens::Balance> Sums<Balance> {
		/// The sums of `(policies, nodes)` counted, what is owed, the receipts' `(tft, cu, su)`
		/// and the farm totals' TFT.
		fn new(
			(policies, nodes): (usize, usize),
			unclaimed: Balance,
			receipts: impl Iterator<Item = (Balance, u64, u64)>,
			totals: impl Iterator<Item = Balance>,
		) -> Self {
			let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
			let mut sums = Sums {
				policies: count(policies),
				nodes: count(nodes),
				receipts: 0,
				totals: 0,
				unclaimed,
				receipts_tft: Zero::zero(),
				units: (0, 0),
				totals_tft: Zero::zero(),
			};
			for (tft, cu, su) in receipts {
				sums.receipts = sums.receipts.saturating_add(1);
				sums.receipts_tft = sums.receipts_tft.saturating_add(tft);
				sums.units.0 = sums.units.0.saturating_add(cu.into());
				sums.units.1 = sums.units.1.saturating_add(su.into());
			}
			for tft in totals {
				sums.totals = sums.totals.saturating_add(1);
				sums.totals_tft = sums.totals_tft.saturating_add(tft);
			}
			sums
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
