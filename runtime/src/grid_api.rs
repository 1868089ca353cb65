//! `GridApi`: read-only answers that cross the grid's pallets, for clients that list the grid
//! (`gridctl nodes`, the dashboard): one runtime call for a page of nodes with their free
//! capacity, status and period so far, instead of one view function call per node.

use crate::{Balance, BlockNumber, Capacity, Minting, Registry, Runtime};
use alloc::{collections::BTreeMap, vec::Vec};
use codec::{Decode, Encode};
use grid_primitives::{
	registry::{ContractId, FarmId, NodeId},
	resources::Resources,
};
use pallet_minting::{NodeStatus, PeriodSoFar};
use scale_info::TypeInfo;

/// Most nodes one [`GridApi::nodes`] call answers.
pub const MAX_NODES_PAGE: u32 = 1_000;

/// A node as a client lists it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct NodeSummary {
	/// The node's id.
	pub id: NodeId,
	/// The registry's record: farm, twin, capacity, location, certification, power, public
	/// config.
	pub node: pallet_registry::Node<Balance, BlockNumber>,
	/// Capacity no node contract reserves (`None` when contracts reserve more than the node
	/// declares now: it shrank).
	pub free: Option<Resources>,
	/// The rent contract holding the whole node, if rented.
	pub rented_by: Option<ContractId>,
	/// Public IPv4 addresses of its farm no contract holds.
	pub farm_free_ips: u32,
	/// Up, standby or down, from its reports (`None`: minting does not track it yet).
	pub status: Option<NodeStatus>,
	/// Its reward period so far: uptime and projected reward (`None`: not tracked).
	pub period: Option<PeriodSoFar<Balance>>,
}

/// A page of nodes in id order.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct NodePage {
	/// The nodes with ids in the page's range (deleted ids are skipped).
	pub nodes: Vec<NodeSummary>,
	/// The first id of the next page (`None`: this was the last).
	pub next: Option<NodeId>,
}

sp_api::decl_runtime_apis! {
	/// Read-only views across the grid's pallets.
	pub trait GridApi {
		/// The nodes with ids `from .. from + limit` (`limit` from 1 to 1,000), in id order,
		/// with their free capacity, rent, their farm's free IPs, status and period so far.
		fn nodes(from: NodeId, limit: u32) -> NodePage;
	}
}

/// [`GridApi::nodes`]: at most [`MAX_NODES_PAGE`] ids read, each farm's IP pool once.
pub fn nodes(from: NodeId, limit: u32) -> NodePage {
	let last = pallet_registry::LastNodeId::<Runtime>::get();
	// At least one id per page, so a caller that follows `next` always advances.
	let end = from.saturating_add(limit.clamp(1, MAX_NODES_PAGE)).min(last.saturating_add(1));
	let mut farm_ips: BTreeMap<FarmId, u32> = BTreeMap::new();
	let nodes = (from.max(1)..end)
		.filter_map(|id| {
			let node = Registry::node(id)?;
			let farm_free_ips = *farm_ips
				.entry(node.farm_id)
				.or_insert_with(|| Registry::farm_public_ips(node.farm_id).free());
			Some(NodeSummary {
				id,
				free: Capacity::node_free_capacity(id),
				rented_by: pallet_capacity::RentOf::<Runtime>::get(id),
				farm_free_ips,
				status: Minting::node_status(id),
				period: Minting::period_so_far(id),
				node,
			})
		})
		.collect();
	NodePage { nodes, next: (end <= last).then_some(end) }
}
