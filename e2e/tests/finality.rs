//! Governance changes the validator set on two real nodes, and GRANDPA keeps finalizing.
//!
//! Node A runs the dev chain as Alice, its only genesis validator. Node B joins the same chain
//! as a validator with Bob's session keys in its keystore. Governance (sudo) shortens sessions
//! to 5 blocks and adds Bob: once Bob is in `session.validators`, his keys are Aura and GRANDPA
//! authorities, blocks keep being finalized (now by Alice and Bob together) and Bob authors
//! some of them. Then governance removes Alice: once the set is Bob alone, finality still
//! advances (node A keeps running as a non-authority) and every new block is Bob's.

use codec::Decode;
use grid_e2e::{grid, Client, DevNode, GridClient, Wait};
use std::{
	future::Future,
	time::{Duration, Instant},
};
use subxt::{
	config::substrate::DigestItem,
	rpcs::rpc_params,
	utils::{AccountId32, MultiAddress},
};
use subxt_signer::sr25519::dev;

use grid::runtime_types::{
	grid_runtime::{opaque::SessionKeys, RuntimeCall},
	pallet_utility::pallet::Call as UtilityCall,
	pallet_validator_set::pallet::Call as ValidatorSetCall,
	sp_consensus_aura::sr25519::app_sr25519::Public as AuraId,
};

/// Node A's fixed libp2p key, so node B can name it as its bootnode.
const NODE_KEY_A: &str = "0000000000000000000000000000000000000000000000000000000000000001";
/// The peer id of [`NODE_KEY_A`].
const PEER_ID_A: &str = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";
/// Node B is an authority outside `--dev`, so it needs a node key too.
const NODE_KEY_B: &str = "0000000000000000000000000000000000000000000000000000000000000002";
/// The consensus engine id of Aura's pre-runtime digest (which carries the slot).
const AURA_ENGINE_ID: [u8; 4] = *b"aura";
/// How many blocks past a set change must be finalized (and checked for their author).
const BLOCKS_AFTER_CHANGE: u32 = 5;

#[derive(serde::Deserialize)]
struct Generated {
	keys: String,
	proof: Option<String>,
}

fn unhex(s: &str) -> anyhow::Result<Vec<u8>> {
	Ok(hex::decode(s.trim_start_matches("0x"))?)
}

/// Prints a step with the time since the test started.
fn step(started: Instant, what: &str) {
	eprintln!("[{:>5.1} s] {what}", started.elapsed().as_secs_f32());
}

/// Polls `check` every 2 s until it returns `Some`, for at most `timeout`.
async fn wait_until<T, F, Fut>(
	started: Instant,
	what: &str,
	timeout: Duration,
	mut check: F,
) -> anyhow::Result<T>
where
	F: FnMut() -> Fut,
	Fut: Future<Output = anyhow::Result<Option<T>>>,
{
	step(started, &format!("waiting (up to {} s) until {what}", timeout.as_secs()));
	let deadline = Instant::now() + timeout;
	loop {
		if let Some(value) = check().await? {
			step(started, &format!("done: {what}"));
			return Ok(value);
		}
		if Instant::now() > deadline {
			anyhow::bail!("timed out after {} s waiting until {what}", timeout.as_secs());
		}
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
}

/// Submits `call` through sudo as Alice and checks that the call itself succeeded.
async fn sudo(grid: &GridClient, call: RuntimeCall) -> anyhow::Result<()> {
	let included = grid
		.submit_ok(&grid::tx().sudo().sudo(call), &dev::alice(), Wait::InBlock)
		.await?;
	let sudid = included.find_first::<grid::sudo::events::Sudid>().expect("Sudid event")?;
	anyhow::ensure!(sudid.sudo_result.is_ok(), "sudo call failed: {:?}", sudid.sudo_result);
	Ok(())
}

/// `session.validators` at the finalized head, with the head's number.
async fn finalized_validators(api: &Client) -> anyhow::Result<(u32, Vec<AccountId32>)> {
	let at = api.at_current_block().await?;
	let validators = at
		.storage()
		.entry(grid::storage().session().validators())?
		.fetch(())
		.await?
		.decode()?;
	Ok((at.block_number() as u32, validators))
}

/// The Aura key that authored block `number`: the slot in its pre-runtime digest, modulo the
/// Aura authorities of its parent's state.
async fn author_of(api: &Client, number: u32) -> anyhow::Result<AuraId> {
	let header = api.at_block(number).await?.block_header().await?;
	let slot = header
		.digest
		.logs
		.iter()
		.find_map(|item| match item {
			DigestItem::PreRuntime(AURA_ENGINE_ID, data) => u64::decode(&mut &data[..]).ok(),
			_ => None,
		})
		.ok_or_else(|| anyhow::anyhow!("block #{number} has no Aura slot"))?;
	let authorities = api
		.at_block(number - 1)
		.await?
		.storage()
		.entry(grid::storage().aura().authorities())?
		.fetch(())
		.await?
		.decode()?
		.0;
	anyhow::ensure!(!authorities.is_empty(), "no Aura authorities before block #{number}");
	let index = (slot % authorities.len() as u64) as usize;
	Ok(authorities[index].clone())
}

#[tokio::test]
async fn finality_continues_across_validator_set_changes() -> anyhow::Result<()> {
	let started = Instant::now();
	let alice: AccountId32 = dev::alice().public_key().into();
	let bob = &AccountId32::from(dev::bob().public_key());

	// Two nodes of the dev chain; B finds A through its fixed peer id.
	step(started, "starting node A (Alice, --dev) and node B (validator, --chain dev)");
	let node_a =
		DevNode::start_with("finality-a", &["--dev", "--tmp", "--node-key", NODE_KEY_A]).await?;
	let bootnode = format!("/ip4/127.0.0.1/tcp/{}/p2p/{PEER_ID_A}", node_a.p2p_port);
	let node_b = DevNode::start_with(
		"finality-b",
		&[
			"--chain",
			"dev",
			"--validator",
			"--tmp",
			"--node-key",
			NODE_KEY_B,
			"--bootnodes",
			bootnode.as_str(),
		],
	)
	.await?;
	step(started, "waiting until both nodes have finalized block 1");
	node_a.wait_finalized(1, Duration::from_secs(120)).await?;
	node_b.wait_finalized(1, Duration::from_secs(60)).await?;
	let grid = &node_a.grid().await?;
	let api = grid.api();

	// 1. Bob's session keys, generated in node B's keystore and bound to Bob's account.
	step(started, "generating Bob's session keys on node B and registering them");
	let generated: Generated = node_b
		.rpc()
		.await?
		.request("author_rotateKeysWithOwner", rpc_params![format!("0x{}", hex::encode(bob.0))])
		.await?;
	let keys = SessionKeys::decode(&mut &unhex(&generated.keys)?[..])?;
	let proof = unhex(&generated.proof.expect("the runtime supports key ownership proofs"))?;
	grid.submit_ok(&grid::tx().session().set_keys(keys.clone(), proof), &dev::bob(), Wait::InBlock)
		.await?;

	// 2. Governance: 5-block sessions and Bob in the set, in one call.
	step(started, "sudo: setSessionLength(5) and addValidator(Bob)");
	sudo(
		grid,
		RuntimeCall::Utility(UtilityCall::batch_all {
			calls: vec![
				RuntimeCall::ValidatorSet(ValidatorSetCall::set_session_length { length: 5 }),
				RuntimeCall::ValidatorSet(ValidatorSetCall::add_validator {
					who: MultiAddress::Id(*bob),
				}),
			],
		}),
	)
	.await?;

	// 3. Two session boundaries later Bob validates, and a finalized block says so.
	let (joined, validators) = wait_until(
		started,
		"Bob is in session.validators at the finalized head",
		Duration::from_secs(120),
		move || async move {
			let (number, validators) = finalized_validators(api).await?;
			Ok(validators.contains(bob).then_some((number, validators)))
		},
	)
	.await?;
	assert_eq!(validators, vec![alice, *bob]);
	let at = api.at_block(joined).await?;
	let aura = at
		.storage()
		.entry(grid::storage().aura().authorities())?
		.fetch(())
		.await?
		.decode()?;
	assert!(aura.0.contains(&keys.aura), "Bob's Aura key is an authority at #{joined}");
	let grandpa = at
		.storage()
		.entry(grid::storage().grandpa().authorities())?
		.fetch(())
		.await?
		.decode()?;
	assert!(
		grandpa.0.iter().any(|(id, _)| *id == keys.grandpa),
		"Bob's GRANDPA key is an authority at #{joined}"
	);

	// 4. Governance removes Alice right away (active two sessions later); meanwhile blocks past
	//    the change are finalized by Alice and Bob together, and Bob authors some of them.
	step(
		started,
		&format!("Bob validates from #{joined} or earlier; sudo: removeValidator(Alice)"),
	);
	sudo(
		grid,
		RuntimeCall::ValidatorSet(ValidatorSetCall::remove_validator {
			who: MultiAddress::Id(alice),
		}),
	)
	.await?;
	let target = joined + BLOCKS_AFTER_CHANGE;
	step(started, &format!("waiting until both nodes finalize #{target}"));
	node_b.wait_finalized(target, Duration::from_secs(90)).await?;
	node_a.wait_finalized(target, Duration::from_secs(30)).await?;
	let mut by_bob = Vec::new();
	for number in joined + 1..=target {
		if author_of(api, number).await? == keys.aura {
			by_bob.push(number);
		}
	}
	step(started, &format!("blocks authored by Bob in #{}..=#{target}: {by_bob:?}", joined + 1));
	assert!(!by_bob.is_empty(), "Bob authored none of the blocks #{}..=#{target}", joined + 1);

	// 5. Bob alone: finality still advances, and every new block is Bob's.
	let (alone, _) = wait_until(
		started,
		"session.validators is Bob alone at the finalized head",
		Duration::from_secs(120),
		move || async move {
			let (number, validators) = finalized_validators(api).await?;
			Ok((validators == [*bob]).then_some((number, validators)))
		},
	)
	.await?;
	let target = alone + BLOCKS_AFTER_CHANGE;
	step(started, &format!("Bob validates alone from #{alone} or earlier; waiting for #{target}"));
	node_b.wait_finalized(target, Duration::from_secs(90)).await?;
	node_a.wait_finalized(target, Duration::from_secs(30)).await?;
	for number in alone + 1..=target {
		assert!(author_of(api, number).await? == keys.aura, "block #{number} is not Bob's");
	}
	step(started, "finality continued across both changes");
	Ok(())
}
