//! The registry on a real dev node through subxt: a farmer sets up a farm, a node account
//! joins only once admitted, power and deletion emit their events, and a deleted node
//! registers again. The dev chain's demo farm is read through the view functions.

use grid::runtime_types::{
	bounded_collections::bounded_vec::BoundedVec,
	grid_primitives::{
		net::{Ipv4, Ipv4Cidr},
		registry::Power,
		resources::Resources,
	},
	pallet_registry::types::{Location, NodeRef, NodeSpec},
};
use grid_e2e::{grid, submit, view, DevNode};
use std::time::Duration;
use subxt::utils::{AccountId32, MultiAddress};
use subxt_signer::{sr25519, sr25519::dev, SecretUri};

const TFT: u128 = 10_000_000;
const GIB: u64 = 1 << 30;

fn text(s: &str) -> BoundedVec<u8> {
	BoundedVec(s.as_bytes().to_vec())
}

fn spec() -> NodeSpec {
	NodeSpec {
		resources: Resources { cru: 4, mru: 8 * GIB, sru: 512 * GIB, hru: 0 },
		location: Location { city: text("Gent"), country: text("Belgium"), coordinates: None },
		interfaces: BoundedVec(vec![]),
		serial_number: Some(text("E2E-0001")),
		secure_boot: false,
		virtualized: true,
	}
}

#[tokio::test]
async fn farmer_admits_a_node_that_registers_powers_and_leaves() -> anyhow::Result<()> {
	let node = DevNode::start("registry").await?;
	node.wait_finalized(1, Duration::from_secs(120)).await?;
	let api = node.client().await?;
	// The dev preset's demo grid, through the view functions.
	let demo: Option<u32> =
		view(&api, grid::view_functions().registry().farm_by_name(text("alice-farm"))).await?;
	assert_eq!(demo, Some(1));
	let anyone: AccountId32 = dev::eve().public_key().into();
	let open: bool = view(&api, grid::view_functions().registry().farm_admits(1, anyone)).await?;
	assert!(open, "the demo farm is open to any node");

	// Dave becomes a farmer in one batch: twin, farm, a public IP.
	let dave = dev::dave();
	let ip = Ipv4Cidr { ip: Ipv4([185, 206, 123, 10]), prefix: 24 };
	let gateway = Ipv4([185, 206, 123, 1]);
	let setup = grid::tx().utility().batch_all(vec![
		grid::runtime_types::grid_runtime::RuntimeCall::Registry(
			grid::runtime_types::pallet_registry::pallet::Call::create_twin {
				relays: BoundedVec(vec![text("relay.dev.grid")]),
				pk: None,
			},
		),
		grid::runtime_types::grid_runtime::RuntimeCall::Registry(
			grid::runtime_types::pallet_registry::pallet::Call::create_farm {
				name: text("dave-farm"),
			},
		),
		grid::runtime_types::grid_runtime::RuntimeCall::Registry(
			grid::runtime_types::pallet_registry::pallet::Call::add_farm_ip {
				farm_id: 2,
				ip: ip.clone(),
				gateway: gateway.clone(),
			},
		),
	]);
	let events = submit(&api, &setup, &dave).await?.map_err(anyhow::Error::msg)?;
	let farm = events
		.find_first::<grid::registry::events::FarmCreated>()
		.expect("FarmCreated")?;
	assert_eq!((farm.farm_id, farm.twin_id), (2, 3));
	assert!(events.find_first::<grid::registry::events::FarmIpAdded>().is_some());

	// A private address is refused with a named error.
	let private = Ipv4Cidr { ip: Ipv4([192, 168, 1, 10]), prefix: 24 };
	let err =
		submit(&api, &grid::tx().registry().add_farm_ip(2, private, Ipv4([192, 168, 1, 1])), &dave)
			.await?
			.expect_err("a private IP is refused");
	assert!(err.contains("IpNotPublic"), "{err}");

	// A fresh node account, funded by Alice, gets a twin but may not join yet.
	let zos = sr25519::Keypair::from_uri(&"//E2eNode".parse::<SecretUri>()?)?;
	let zos_id: AccountId32 = zos.public_key().into();
	submit(
		&api,
		&grid::tx()
			.balances()
			.transfer_keep_alive(MultiAddress::Id(zos_id.clone()), 20 * TFT),
		&dev::alice(),
	)
	.await?
	.map_err(anyhow::Error::msg)?;
	submit(&api, &grid::tx().registry().create_twin(BoundedVec(vec![]), None), &zos)
		.await?
		.map_err(anyhow::Error::msg)?;
	let err = submit(&api, &grid::tx().registry().register_node(2, spec()), &zos)
		.await?
		.expect_err("not admitted");
	assert!(err.contains("FarmDoesNotAdmitNode"), "{err}");

	// Admitted, it registers.
	submit(&api, &grid::tx().registry().admit_node(2, NodeRef::Account(zos_id.clone())), &dave)
		.await?
		.map_err(anyhow::Error::msg)?;
	let events = submit(&api, &grid::tx().registry().register_node(2, spec()), &zos)
		.await?
		.map_err(anyhow::Error::msg)?;
	let registered = events
		.find_first::<grid::registry::events::NodeRegistered>()
		.expect("NodeRegistered")?;
	assert_eq!((registered.node_id, registered.farm_id), (2, 2));
	let admitted: bool =
		view(&api, grid::view_functions().registry().farm_admits(2, zos_id.clone())).await?;
	assert!(admitted);
	let node_of_twin: Option<u32> =
		view(&api, grid::view_functions().registry().node_of_twin(4)).await?;
	assert_eq!(node_of_twin, Some(2));
	let stored = api
		.at_current_block()
		.await?
		.storage()
		.entry(grid::storage().registry().nodes())?
		.fetch((2u32,))
		.await?
		.decode()?;
	assert_eq!((stored.farm_id, stored.deposit, stored.connection_price), (2, 5 * TFT, 80));

	// The farmer powers it down; the node leaves and can come back.
	let events = submit(&api, &grid::tx().registry().set_power_target(2, Power::Down), &dave)
		.await?
		.map_err(anyhow::Error::msg)?;
	let target = events
		.find_first::<grid::registry::events::PowerTargetChanged>()
		.expect("PowerTargetChanged")?;
	assert!(matches!(target.target, Power::Down));
	let events = submit(&api, &grid::tx().registry().delete_node(2), &zos)
		.await?
		.map_err(anyhow::Error::msg)?;
	assert!(events.find_first::<grid::registry::events::NodeDeleted>().is_some());
	let events = submit(&api, &grid::tx().registry().register_node(2, spec()), &zos)
		.await?
		.map_err(anyhow::Error::msg)?;
	let again = events
		.find_first::<grid::registry::events::NodeRegistered>()
		.expect("registered again")?;
	assert_eq!(again.node_id, 3);
	Ok(())
}
