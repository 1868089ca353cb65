//! The grid registry as other pallets see it: identifiers, node power and certification, and the
//! traits through which the registry answers questions and tells others what changed.
//!
//! The registry pallet implements [`GridRegistry`] and [`PublicIpPool`]; capacity, billing and
//! minting use them instead of reading registry storage. In the other direction the registry
//! calls a [`RegistryObserver`] (node registered or changed, node removed, power changed, IP
//! force-released; a pair of observers is told in order) and asks [`NodeUsage`] whether a node
//! or twin is still in use and what is reserved on a node. `()` implements both as "nobody is
//! listening, nothing is in use". Minting answers [`crate::liveness::NodeLiveness`] (when a node
//! was up).
//!
//! Every hook and query declares an upper bound of its weight, which the registry call that
//! triggers it charges up front: the registry's benchmarks measure only its own work.

extern crate alloc;

use crate::{
	money::MusdPerTft,
	net::{Ipv4, Ipv4Cidr},
	resources::Resources,
};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::{DispatchError, Weight};

/// A twin: the on-chain identity of an account (a user, a farmer or a node).
pub type TwinId = u32;
/// A farm: a group of nodes under one farmer, with a pool of public IPs.
pub type FarmId = u32;
/// A Zero-OS node.
pub type NodeId = u32;
/// A capacity contract (issued by the capacity pallet).
pub type ContractId = u64;

/// Most public IPv4s one farm may hold.
pub const MAX_FARM_IPS: u32 = 256;

/// What the farmer wants a node to be: running, or powered off until capacity is needed.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub enum Power {
	/// Powered on.
	#[default]
	Up,
	/// Powered off (farmerbot standby), woken on demand.
	Down,
}

/// Whether a certifier has vouched for a node's hardware.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub enum NodeCertification {
	/// Built by the farmer (the default).
	#[default]
	Diy,
	/// Certified hardware: earns more per unit.
	Certified,
}

/// Farm certification, set by governance.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub enum FarmCertification {
	/// The default.
	#[default]
	NotCertified,
	/// A gold-certified farm.
	Gold,
}

/// What a node says it is doing.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub enum PowerState<BlockNumber> {
	/// Running.
	#[default]
	Up,
	/// Powered off since this block.
	Down {
		/// The block the node reported going down.
		since: BlockNumber,
	},
}

/// A node's power: the farmer's target and the node's reported state.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct NodePower<BlockNumber> {
	/// What the farmer asked for.
	pub target: Power,
	/// What the node last reported.
	pub state: PowerState<BlockNumber>,
}

impl<BlockNumber: Copy> NodePower<BlockNumber> {
	/// Down, or asked to go down: no new node contracts land here.
	pub fn is_standby(&self) -> bool {
		self.target == Power::Down || matches!(self.state, PowerState::Down { .. })
	}

	/// Applies the node's report that it is `reported` at block `now`: returns the new state,
	/// or `None` when the report repeats the current state (nothing changes).
	pub fn apply_report(
		&mut self,
		reported: Power,
		now: BlockNumber,
	) -> Option<PowerState<BlockNumber>> {
		let new_state = match (reported, self.state) {
			(Power::Up, PowerState::Up) | (Power::Down, PowerState::Down { .. }) => return None,
			(Power::Up, _) => PowerState::Up,
			(Power::Down, _) => PowerState::Down { since: now },
		};
		self.state = new_state;
		Some(new_state)
	}
}

/// A node as other pallets need it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct NodeInfo<BlockNumber> {
	/// The farm the node belongs to.
	pub farm_id: FarmId,
	/// The node's own twin (its Zero-OS identity).
	pub twin_id: TwinId,
	/// The capacity the node last reported.
	pub resources: Resources,
	/// Its power target and state.
	pub power: NodePower<BlockNumber>,
	/// Its hardware certification.
	pub certification: NodeCertification,
	/// The TFT price fixed when the node registered; converts its USD rewards to TFT.
	pub connection_price: MusdPerTft,
	/// The node runs in a virtual machine (it earns no rewards).
	pub virtualized: bool,
}

/// A farm as other pallets need it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct FarmInfo<AccountId> {
	/// The farmer's twin.
	pub twin_id: TwinId,
	/// Where rewards and the farmer's share of billing go.
	pub payout: AccountId,
	/// The farm's certification.
	pub certification: FarmCertification,
	/// Nodes of a dedicated farm are only rented whole.
	pub dedicated: bool,
}

/// A public IPv4 handed to a contract.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct AssignedIp {
	/// The address with its subnet prefix.
	pub ip: Ipv4Cidr,
	/// The gateway of that subnet.
	pub gateway: Ipv4,
}

/// Read access to the registry.
pub trait GridRegistry<AccountId, BlockNumber> {
	/// The twin of `who`, if it has one.
	fn twin_of(who: &AccountId) -> Option<TwinId>;
	/// The account behind a twin.
	fn twin_account(twin: TwinId) -> Option<AccountId>;
	/// A node's farm, owner twin, capacity, power and certification.
	fn node(node: NodeId) -> Option<NodeInfo<BlockNumber>>;
	/// The node a twin runs as.
	fn node_of_twin(twin: TwinId) -> Option<NodeId>;
	/// A farm's owner, payout account, certification and dedication.
	fn farm(farm: FarmId) -> Option<FarmInfo<AccountId>>;
}

/// The farms' public IPv4 pools, for contracts that need public addresses.
pub trait PublicIpPool {
	/// Reserve `count` free IPs of `farm` for `contract`, all or none.
	fn reserve_ips(
		farm: FarmId,
		contract: ContractId,
		count: u32,
	) -> Result<Vec<AssignedIp>, DispatchError>;
	/// Free every IP of `farm` reserved by `contract`; returns how many were freed.
	fn release_ips(farm: FarmId, contract: ContractId) -> u32;
	/// The IPs of `farm` that `contract` holds (for invariant checks).
	fn reserved_by(farm: FarmId, contract: ContractId) -> Vec<AssignedIp>;
	/// Every reservation of every farm, one `(farm, contract)` per reserved IP (for invariant
	/// checks: it reads every pool).
	fn all_reservations() -> Vec<(FarmId, ContractId)>;
}

/// Told about registry changes other pallets must follow. Implementations must do bounded work,
/// within the weight bound each hook declares; the registry call that triggers a hook charges
/// that bound.
pub trait RegistryObserver<BlockNumber> {
	/// `node` was just registered.
	fn node_registered(_node: NodeId) {}
	/// `node`'s capacity, certification or virtualization may have changed.
	fn node_changed(_node: NodeId) {}
	/// Upper bound of [`Self::node_registered`] and of [`Self::node_changed`].
	fn node_changed_max_weight() -> Weight {
		Weight::zero()
	}
	/// `node` is being removed (it can still be read): settle and end everything that runs on
	/// it. Returns the weight used (the deleting call refunds the rest of
	/// [`Self::node_removed_max_weight`]).
	fn node_removed(_node: NodeId) -> Weight {
		Weight::zero()
	}
	/// Upper bound of [`Self::node_removed`].
	fn node_removed_max_weight() -> Weight {
		Weight::zero()
	}
	/// The farmer changed the power target of `node`.
	fn power_target_changed(_node: NodeId, _target: Power) {}
	/// `node` reported a new power state (billing of rented nodes pauses while down).
	fn power_state_changed(_node: NodeId, _state: PowerState<BlockNumber>) {}
	/// Upper bound of [`Self::power_target_changed`] and of [`Self::power_state_changed`].
	fn power_changed_max_weight() -> Weight {
		Weight::zero()
	}
	/// Governance freed `ip` of `farm` that `contract` held; the contract loses it.
	fn ip_force_released(_farm: FarmId, _ip: Ipv4, _contract: ContractId) {}
	/// Upper bound of [`Self::ip_force_released`].
	fn ip_force_released_max_weight() -> Weight {
		Weight::zero()
	}
}

impl<BlockNumber> RegistryObserver<BlockNumber> for () {}

/// Two observers, told in order (`A` first): each hook's weight bound is the sum of both.
impl<BlockNumber: Copy, A: RegistryObserver<BlockNumber>, B: RegistryObserver<BlockNumber>>
	RegistryObserver<BlockNumber> for (A, B)
{
	fn node_registered(node: NodeId) {
		A::node_registered(node);
		B::node_registered(node);
	}
	fn node_changed(node: NodeId) {
		A::node_changed(node);
		B::node_changed(node);
	}
	fn node_changed_max_weight() -> Weight {
		A::node_changed_max_weight().saturating_add(B::node_changed_max_weight())
	}
	fn node_removed(node: NodeId) -> Weight {
		A::node_removed(node).saturating_add(B::node_removed(node))
	}
	fn node_removed_max_weight() -> Weight {
		A::node_removed_max_weight().saturating_add(B::node_removed_max_weight())
	}
	fn power_target_changed(node: NodeId, target: Power) {
		A::power_target_changed(node, target);
		B::power_target_changed(node, target);
	}
	fn power_state_changed(node: NodeId, state: PowerState<BlockNumber>) {
		A::power_state_changed(node, state);
		B::power_state_changed(node, state);
	}
	fn power_changed_max_weight() -> Weight {
		A::power_changed_max_weight().saturating_add(B::power_changed_max_weight())
	}
	fn ip_force_released(farm: FarmId, ip: Ipv4, contract: ContractId) {
		A::ip_force_released(farm, ip, contract);
		B::ip_force_released(farm, ip, contract);
	}
	fn ip_force_released_max_weight() -> Weight {
		A::ip_force_released_max_weight().saturating_add(B::ip_force_released_max_weight())
	}
}

/// What runs on a node or belongs to a twin.
pub trait NodeUsage {
	/// `node` has contracts that are not ended (a node must not power down under them).
	fn node_has_active_contracts(node: NodeId) -> bool;
	/// `twin` owns contracts that are not ended, or holds TFT committed to billing: such a
	/// twin cannot be deleted or transferred.
	fn twin_has_contracts(twin: TwinId) -> bool;
	/// The capacity contracts reserve on `node` (a node may not shrink below it).
	fn reserved_capacity(node: NodeId) -> Resources;
	/// Upper bound of the weight of any one of the queries above.
	fn query_weight() -> Weight;
}

impl NodeUsage for () {
	fn node_has_active_contracts(_: NodeId) -> bool {
		false
	}
	fn twin_has_contracts(_: TwinId) -> bool {
		false
	}
	fn reserved_capacity(_: NodeId) -> Resources {
		Resources::default()
	}
	fn query_weight() -> Weight {
		Weight::zero()
	}
}

/// Builds registry state for other pallets' benchmarks (implemented by the registry pallet).
#[cfg(feature = "runtime-benchmarks")]
pub trait RegistryBenchmarking<AccountId> {
	/// Gives `who` a twin, funding it for the registry's deposits.
	fn twin(who: &AccountId) -> TwinId;
	/// Gives `farmer` a twin and a farm open to any node with `ips` public IPv4s.
	fn farm_with_ips(farmer: &AccountId, ips: u32) -> FarmId;
	/// Gives `who` a twin and registers it as a node of `farm` with `resources`.
	fn node(who: &AccountId, farm: FarmId, resources: Resources) -> NodeId;
}

/// [`RegistryBenchmarking`] when benchmarking, nothing otherwise: the bound other pallets put
/// on their `Config::Registry`, so their benchmarks build registry state through the registry.
#[cfg(feature = "runtime-benchmarks")]
pub trait MaybeRegistryBenchmarking<AccountId>: RegistryBenchmarking<AccountId> {}
#[cfg(feature = "runtime-benchmarks")]
impl<AccountId, T: RegistryBenchmarking<AccountId>> MaybeRegistryBenchmarking<AccountId> for T {}

/// [`RegistryBenchmarking`] when benchmarking, nothing otherwise.
#[cfg(not(feature = "runtime-benchmarks"))]
pub trait MaybeRegistryBenchmarking<AccountId> {}
#[cfg(not(feature = "runtime-benchmarks"))]
impl<AccountId, T> MaybeRegistryBenchmarking<AccountId> for T {}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn standby_when_down_or_asked_down() {
		let up = NodePower::<u32>::default();
		assert!(!up.is_standby());
		assert!(NodePower::<u32> { target: Power::Down, ..up }.is_standby());
		assert!(NodePower { state: PowerState::Down { since: 7u32 }, ..up }.is_standby());
	}

	#[test]
	fn a_report_changes_the_state_only_when_it_differs() {
		let mut power = NodePower::<u32>::default();
		assert_eq!(power.apply_report(Power::Up, 3), None);
		assert_eq!(power.apply_report(Power::Down, 5), Some(PowerState::Down { since: 5 }));
		assert_eq!(power.apply_report(Power::Down, 9), None, "still down since block 5");
		assert_eq!(power.state, PowerState::Down { since: 5 });
		assert_eq!(power.apply_report(Power::Up, 12), Some(PowerState::Up));
		assert_eq!(power.target, Power::Up, "a report never changes the farmer's target");
	}
}
