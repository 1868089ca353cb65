//! `GridApi::nodes` and `Minting::node_status` in the real runtime: what `gridctl nodes` and
//! `gridctl farm nodes` read for the dev chain's demo node, page bounds, and the status through
//! a node's life (never reported → up → down after the settle delay → standby on request).

mod common;
use common::*;
use frame_support::assert_ok;
use grid_primitives::registry::Power;
use grid_runtime::{grid_api, *};
use pallet_minting::NodeStatus;
use sp_keyring::Sr25519Keyring::*;

fn now() -> u64 {
	pallet_timestamp::Now::<Runtime>::get() / 1_000
}

#[test]
fn a_page_lists_the_demo_node_with_its_free_capacity_and_farm_ips() {
	ext_from_preset("development").execute_with(|| {
		let page = grid_api::nodes(1, 1_000);
		assert_eq!(page.next, None, "one node: the last page");
		let [demo] = page.nodes.as_slice() else { panic!("one node: {page:?}") };
		assert_eq!((demo.id, demo.node.farm_id), (1, 1));
		assert_eq!(demo.free, Some(demo.node.spec.resources), "no contract reserves any");
		assert_eq!(demo.rented_by, None);
		assert_eq!(demo.farm_free_ips, Registry::farm_public_ips(1).len());
		assert_eq!((demo.status, demo.period.clone()), (None, None), "never reported");

		// Bounds: a page covers `limit` ids (at least one, at most 1,000) and says where the
		// next one starts.
		assert_eq!(grid_api::nodes(1, 0).nodes.len(), 1, "a zero limit still reads one id");
		let before = grid_api::nodes(0, 1);
		assert!(before.nodes.is_empty() && before.next == Some(1), "{before:?}");
		let after = grid_api::nodes(2, 1_000);
		assert!(after.nodes.is_empty() && after.next.is_none(), "{after:?}");
		assert_eq!(grid_api::nodes(1, u32::MAX), page, "the limit is capped");
	});
}

#[test]
fn the_status_follows_the_reports_and_the_farmers_power_target() {
	ext_from_preset("development").execute_with(|| {
		run_to_block(2);
		demo_node_reports(0);
		let reported = now();
		assert_eq!(Minting::node_status(1), Some(NodeStatus::Up));
		let summary = grid_api::nodes(1, 1).nodes.remove(0);
		assert_eq!(summary.status, Some(NodeStatus::Up));
		let period = summary.period.expect("tracked since its report");
		assert_eq!(Some(period.clone()), Minting::period_so_far(1), "the view function's answer");

		// Silent: up while the time since its report can still be settled up, then down.
		let delay = pallet_minting::Params::<Runtime>::get().expect("dev params").settle_delay();
		while now() <= reported + delay {
			assert_eq!(Minting::node_status(1), Some(NodeStatus::Up), "at {}", now());
			run_to_block(System::block_number() + 1);
		}
		assert_eq!(Minting::node_status(1), Some(NodeStatus::Down));

		// Its farmer asks it down: standby, not at fault.
		assert_ok!(Registry::set_power_target(
			RuntimeOrigin::signed(account(Alice)),
			1,
			Power::Down
		));
		assert_eq!(Minting::node_status(1), Some(NodeStatus::Standby));
		assert_eq!(grid_api::nodes(1, 1).nodes[0].status, Some(NodeStatus::Standby));
		check_invariants();
	});
}
