//! The registry on a real dev node: a farmer sets up a farm in one batch, a node account joins
//! only once admitted, power, power reports and deletion emit their events, and a deleted node
//! registers again. Ids come from the events: other scenarios create twins at the same time.

use grid::runtime_types::{
	grid_primitives::{
		money::MusdPerTft,
		net::{Ipv4, Ipv4Cidr},
		registry::Power,
		resources::Resources,
	},
	grid_runtime::RuntimeCall,
	pallet_registry::{
		pallet::Call as RegistryCall,
		types::{Location, NodeRef, NodeSpec},
	},
};
use grid_client::{bounded, grid, text, GridClient, Wait};
use subxt::utils::{AccountId32, MultiAddress};
use subxt_signer::{sr25519, sr25519::dev, SecretUri};

const TFT: u128 = 10_000_000;
const GIB: u64 = 1 << 30;

fn spec() -> NodeSpec {
	NodeSpec {
		resources: Resources { cru: 4, mru: 8 * GIB, sru: 512 * GIB, hru: 0 },
		location: Location { city: text("Gent"), country: text("Belgium"), coordinates: None },
		interfaces: bounded(vec![]),
		serial_number: Some(text("E2E-0001")),
		secure_boot: false,
		virtualized: true,
	}
}

pub async fn run(client: &GridClient) -> anyhow::Result<()> {
	let wait = Wait::InBlock;
	// Dave becomes a farmer in one batch: twin, farm, a public IP (the farm's id is only
	// known once created, so the IP is added in a second call).
	let dave = dev::dave();
	let setup = grid::tx().utility().batch_all(vec![
		RuntimeCall::Registry(RegistryCall::create_twin {
			relays: bounded(vec![text("relay.dev.grid")]),
			pk: None,
		}),
		RuntimeCall::Registry(RegistryCall::create_farm { name: text("dave-farm") }),
	]);
	let events = client.submit_ok(&setup, &dave, wait).await?;
	let farm = events
		.find_first::<grid::registry::events::FarmCreated>()
		.expect("FarmCreated")?;
	let farm_id = farm.farm_id;
	let ip = Ipv4Cidr { ip: Ipv4([185, 206, 123, 10]), prefix: 24 };
	let gateway = Ipv4([185, 206, 123, 1]);
	let events = client
		.submit_ok(&grid::tx().registry().add_farm_ip(farm_id, ip, gateway), &dave, wait)
		.await?;
	assert!(events.find_first::<grid::registry::events::FarmIpAdded>().is_some());
	// Names are unique whatever their case.
	let failed = client
		.submit(&grid::tx().registry().create_farm(text("DAVE-FARM")), &dave, wait)
		.await?
		.expect_err("a farm by another case is the same name");
	assert_eq!(failed.error, "Registry::FarmNameTaken");

	// A private address is refused with a named error.
	let private = Ipv4Cidr { ip: Ipv4([192, 168, 1, 10]), prefix: 24 };
	let failed = client
		.submit(
			&grid::tx().registry().add_farm_ip(farm_id, private, Ipv4([192, 168, 1, 1])),
			&dave,
			wait,
		)
		.await?
		.expect_err("a private IP is refused");
	assert_eq!(failed.error, "Registry::IpNotPublic");

	// A fresh node account, funded by Alice, gets a twin but may not join yet.
	let zos = sr25519::Keypair::from_uri(&"//E2eNode".parse::<SecretUri>()?)?;
	let zos_id: AccountId32 = zos.public_key().into();
	let fund = grid::tx().balances().transfer_keep_alive(MultiAddress::Id(zos_id), 20 * TFT);
	client.submit_ok(&fund, &dev::alice(), wait).await?;
	let events = client
		.submit_ok(&grid::tx().registry().create_twin(bounded(vec![]), None), &zos, wait)
		.await?;
	let zos_twin = events
		.find_first::<grid::registry::events::TwinCreated>()
		.expect("TwinCreated")?
		.twin_id;
	let failed = client
		.submit(&grid::tx().registry().register_node(farm_id, spec()), &zos, wait)
		.await?
		.expect_err("not admitted");
	assert_eq!(failed.error, "Registry::FarmDoesNotAdmitNode");

	// Admitted, it registers.
	let admit = grid::tx().registry().admit_node(farm_id, NodeRef::Account(zos_id));
	client.submit_ok(&admit, &dave, wait).await?;
	let events = client
		.submit_ok(&grid::tx().registry().register_node(farm_id, spec()), &zos, wait)
		.await?;
	let registered = events
		.find_first::<grid::registry::events::NodeRegistered>()
		.expect("NodeRegistered")?;
	assert_eq!((registered.farm_id, registered.twin_id), (farm_id, zos_twin));
	let node_id = registered.node_id;
	let registry = grid::view_functions().registry();
	assert!(client.view(registry.farm_admits(farm_id, zos_id)).await?);
	assert_eq!(client.view(registry.node_of_twin(zos_twin)).await?, Some(node_id));
	let stored = client
		.best()
		.await?
		.storage()
		.entry(grid::storage().registry().nodes())?
		.fetch((node_id,))
		.await?
		.decode()?;
	assert_eq!(
		(stored.farm_id, stored.deposit, stored.connection_price),
		(farm_id, 5 * TFT, MusdPerTft(80))
	);

	// The node reports it went down: free (a change within its daily quota).
	let events = client
		.submit_ok(&grid::tx().registry().report_power_state(Power::Down), &zos, wait)
		.await?;
	assert!(events.find_first::<grid::registry::events::PowerStateChanged>().is_some());
	let paid = events
		.find_first::<grid::transaction_payment::events::TransactionFeePaid>()
		.expect("TransactionFeePaid")?;
	assert_eq!(paid.actual_fee, 0, "a power change within the quota is free");

	// The farmer powers it down; the node leaves and can come back.
	let events = client
		.submit_ok(&grid::tx().registry().set_power_target(node_id, Power::Down), &dave, wait)
		.await?;
	let target = events
		.find_first::<grid::registry::events::PowerTargetChanged>()
		.expect("PowerTargetChanged")?;
	assert!(matches!(target.target, Power::Down));
	let events = client
		.submit_ok(&grid::tx().registry().delete_node(node_id), &zos, wait)
		.await?;
	assert!(events.find_first::<grid::registry::events::NodeDeleted>().is_some());
	let events = client
		.submit_ok(&grid::tx().registry().register_node(farm_id, spec()), &zos, wait)
		.await?;
	let again = events
		.find_first::<grid::registry::events::NodeRegistered>()
		.expect("registered again")?;
	assert!(again.node_id > node_id);
	Ok(())
}
