//! Governance grows the validator set: Bob registers session keys, root adds him, and after
//! the session change that activates the new set Bob is an Aura and GRANDPA authority.

use codec::Decode;
use grid_e2e::{grid, DevNode};
use std::time::{Duration, Instant};
use subxt::{
	rpcs::rpc_params,
	utils::{AccountId32, MultiAddress},
};
use subxt_signer::sr25519::dev;

use grid::runtime_types::{
	grid_runtime::{opaque::SessionKeys, RuntimeCall},
	pallet_validator_set::pallet::Call as ValidatorSetCall,
};

#[derive(serde::Deserialize)]
struct Generated {
	keys: String,
	proof: Option<String>,
}

fn unhex(s: &str) -> anyhow::Result<Vec<u8>> {
	Ok(hex::decode(s.trim_start_matches("0x"))?)
}

#[tokio::test]
async fn root_adds_bob_and_he_becomes_an_authority() -> anyhow::Result<()> {
	let node = DevNode::start("governance").await?;
	node.wait_finalized(1, Duration::from_secs(120)).await?;
	let api = node.client().await?;
	let rpc = node.rpc().await?;
	let bob: AccountId32 = dev::bob().public_key().into();

	// 1. Bob's keys: generated in the node's keystore, with a proof that binds them to Bob.
	let generated: Generated = rpc
		.request("author_rotateKeysWithOwner", rpc_params![format!("0x{}", hex::encode(bob.0))])
		.await?;
	let keys_bytes = unhex(&generated.keys)?;
	let keys = SessionKeys::decode(&mut &keys_bytes[..])?;
	let proof = unhex(&generated.proof.expect("the runtime supports key ownership proofs"))?;
	let set_keys = grid::tx().session().set_keys(keys.clone(), proof);
	api.at_current_block()
		.await?
		.transactions()
		.sign_and_submit_then_watch_default(&set_keys, &dev::bob())
		.await?
		.wait_for_finalized_success()
		.await?;

	// 2. Shorter sessions (5 blocks) so the test does not wait minutes, then add Bob.
	for call in [
		RuntimeCall::ValidatorSet(ValidatorSetCall::set_session_length { length: 5 }),
		RuntimeCall::ValidatorSet(ValidatorSetCall::add_validator { who: MultiAddress::Id(bob) }),
	] {
		let events = api
			.at_current_block()
			.await?
			.transactions()
			.sign_and_submit_then_watch_default(&grid::tx().sudo().sudo(call), &dev::alice())
			.await?
			.wait_for_finalized_success()
			.await?;
		let sudid = events.find_first::<grid::sudo::events::Sudid>().expect("Sudid")?;
		assert!(sudid.sudo_result.is_ok(), "sudo call failed: {:?}", sudid.sudo_result);
	}

	// 3. Two session boundaries later Bob is in the session and Aura sets.
	let deadline = Instant::now() + Duration::from_secs(240);
	loop {
		let at = api.at_current_block().await?;
		let validators = at
			.storage()
			.entry(grid::storage().session().validators())?
			.fetch(())
			.await?
			.decode()?;
		let aura = at
			.storage()
			.entry(grid::storage().aura().authorities())?
			.fetch(())
			.await?
			.decode()?;
		if validators.contains(&bob) {
			assert!(aura.0.contains(&keys.aura), "Bob's Aura key is an authority");
			let alice: AccountId32 = dev::alice().public_key().into();
			assert_eq!(validators, vec![alice, bob]);
			return Ok(());
		}
		if Instant::now() > deadline {
			anyhow::bail!(
				"Bob never became a validator; set is {validators:?}:\n{}",
				node.log_tail()
			);
		}
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
}
