//! The runtime's view functions through `grid-client` on a real node: arguments of several
//! types are encoded as the runtime API expects, answers are unwrapped from the API's `Result`
//! and decoded, and an unknown view function is an error, not a crash.

use grid_client::{grid, text, GridClient, Wait};
use subxt::utils::AccountId32;
use subxt_signer::sr25519::dev;

pub async fn run(client: &GridClient) -> anyhow::Result<()> {
	let registry = grid::view_functions().registry();
	// The dev chain's demo grid: Alice's twin 1 owns `alice-farm`, Ferdie runs node 1.
	let alice: AccountId32 = dev::alice().public_key().into();
	assert_eq!(client.view(registry.twin_of_account(alice)).await?, Some(1));
	// Names are unique whatever their case.
	assert_eq!(client.view(registry.farm_by_name(text("ALICE-farm"))).await?, Some(1));
	assert_eq!(client.view(registry.farm_by_name(text("nobody"))).await?, None);
	let pool = client.view(registry.farm_public_ips(1)).await?;
	assert_eq!(pool.ips.0.len(), 1);
	assert_eq!(pool.ips.0[0].ip.ip.0, [185, 206, 122, 33]);
	let node = client.view(registry.node(1)).await?;
	let node = node.expect("the demo node");
	assert_eq!((node.farm_id, node.twin_id), (1, 2));
	let anyone: AccountId32 = dev::eve().public_key().into();
	assert!(client.view(registry.farm_admits(1, anyone)).await?, "the demo farm is open");

	// Bob's new twin shows up in the view at the best block once the transaction is in.
	let bob: AccountId32 = dev::bob().public_key().into();
	let events = client
		.submit_ok(
			&grid::tx().registry().create_twin(grid_client::bounded(vec![]), None),
			&dev::bob(),
			Wait::InBlock,
		)
		.await?;
	let created = events
		.find_first::<grid::registry::events::TwinCreated>()
		.expect("TwinCreated")?;
	assert_eq!(client.view(registry.twin_of_account(bob)).await?, Some(created.twin_id));

	// An id no view function has: the runtime answers NotFound, the node keeps serving.
	let at = client.best().await?;
	let mut input = [0xEE; 32].to_vec();
	codec::Encode::encode_to(&Vec::<u8>::new(), &mut input);
	let raw = at.view_functions().call_raw(Some(&input)).await?;
	let answer: Result<Vec<u8>, grid_client::ViewDispatchError> =
		codec::Decode::decode(&mut &raw[..])?;
	assert_eq!(answer, Err(grid_client::ViewDispatchError::NotFound([0xEE; 32])));
	assert_eq!(client.view(registry.farm_by_name(text("alice-farm"))).await?, Some(1));
	Ok(())
}
