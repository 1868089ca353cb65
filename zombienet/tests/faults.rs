//! Four validators (`networks/local4.toml`: Alice, Bob, Charlie, Dave) and what happens when
//! some of them fail.
//!
//! 1. All four author blocks and GRANDPA finalizes; a validator's Prometheus gauges for the
//!    best and finalized heights move.
//! 2. Dave is killed: three of four validators are more than two thirds, so blocks and
//!    finality continue. Restarted on his database, he catches up to the finalized head.
//! 3. Charlie and Dave are killed: two of four is not more than two thirds, so finality stalls
//!    (GRANDPA cannot finalize without a supermajority; this is the expected safety
//!    behaviour), while Alice and Bob keep authoring in their Aura slots. Both restarted,
//!    finality resumes and catches up with the blocks authored meanwhile.

use grid_zombienet::{dev, dev_name, kill, run, Clock, Net, Rpc};
use std::{collections::BTreeSet, time::Duration};

const VALIDATORS: [&str; 4] = ["alice", "bob", "charlie", "dave"];

#[tokio::test(flavor = "multi_thread")]
async fn four_validators_author_finalize_and_survive_faults() -> anyhow::Result<()> {
	run("faults", "local4.toml", Duration::from_secs(480), |net, clock| {
		Box::pin(scenario(net, clock))
	})
	.await
}

async fn scenario(net: &mut Net, clock: &Clock) -> anyhow::Result<()> {
	all_author_and_finalize(net, clock).await?;
	metrics_move(net, clock).await?;
	one_down(net, clock).await?;
	two_down(net, clock).await
}

/// Every validator authors a block, and every node finalizes past them.
async fn all_author_and_finalize(net: &Net, clock: &Clock) -> anyhow::Result<()> {
	let alice = Rpc::to(net.get_node("alice")?).await?;
	let keys: BTreeSet<[u8; 32]> = VALIDATORS
		.iter()
		.map(|v| dev(v).map(|k| k.public_key().0))
		.collect::<Result<_, _>>()?;
	let authorities: BTreeSet<_> = alice.aura_authorities(None).await?.into_iter().collect();
	anyhow::ensure!(authorities == keys, "the Aura authorities are not the four validators");
	anyhow::ensure!(alice.grandpa_authorities().await?.len() == 4, "not 4 GRANDPA authorities");
	anyhow::ensure!(alice.session_validators().await?.len() == 4, "not 4 session validators");

	let mut authors = BTreeSet::new();
	let mut next = 1;
	let wait =
		clock.deadline("each of the 4 validators has authored a block", Duration::from_secs(120));
	let last = loop {
		let best = alice.best().await?;
		while next <= best {
			authors.insert(alice.author_of(next).await?);
			next += 1;
		}
		if authors.len() == 4 {
			break best;
		}
		wait.tick().await?;
	};
	wait.done();
	clock.step(format!(
		"authors of #1..=#{last}: {:?}",
		authors.iter().map(dev_name).collect::<Vec<_>>()
	));
	for name in VALIDATORS {
		clock.wait_finalized(net.get_node(name)?, last, Duration::from_secs(90)).await?;
	}
	Ok(())
}

/// Alice's Prometheus endpoint reports best and finalized heights that grow.
async fn metrics_move(net: &Net, clock: &Clock) -> anyhow::Result<()> {
	let alice = net.get_node("alice")?;
	let best = "substrate_block_height{status=\"best\"}";
	let finalized = "substrate_block_height{status=\"finalized\"}";
	let (best0, finalized0) = (alice.reports(best).await?, alice.reports(finalized).await?);
	clock.step(format!("Prometheus: {best} = {best0}, {finalized} = {finalized0}"));
	anyhow::ensure!(best0 >= 1.0 && finalized0 >= 1.0, "the height gauges are not reported");
	clock
		.wait_until("both height gauges have grown by 2", Duration::from_secs(60), || async {
			let (b, f) = (alice.reports(best).await?, alice.reports(finalized).await?);
			Ok((b >= best0 + 2.0 && f >= finalized0 + 2.0).then_some(()))
		})
		.await
}

/// Dave down: finality continues; Dave restarted catches up.
async fn one_down(net: &Net, clock: &Clock) -> anyhow::Result<()> {
	let alice = Rpc::to(net.get_node("alice")?).await?;
	let dave = net.get_node("dave")?;
	clock.step("killing dave");
	kill(dave)?;
	let (best, finalized) = (alice.best().await?, alice.finalized().await?);
	clock
		.wait_until(
			&format!("alice finalizes #{} (3 of 4 validators; was #{finalized})", finalized + 4),
			Duration::from_secs(90),
			|| async { Ok((alice.finalized().await? >= finalized + 4).then_some(())) },
		)
		.await?;
	anyhow::ensure!(alice.best().await? > best, "no new blocks without dave");

	clock.step("restarting dave on his database");
	dave.restart(None).await?;
	let target = alice.finalized().await?;
	clock.step(format!("dave catches up to the finalized #{target}"));
	clock.wait_finalized(dave, target, Duration::from_secs(90)).await
}

/// Charlie and Dave down: finality stalls, blocks continue; both restarted: it resumes.
async fn two_down(net: &Net, clock: &Clock) -> anyhow::Result<()> {
	let alice = Rpc::to(net.get_node("alice")?).await?;
	let (charlie, dave) = (net.get_node("charlie")?, net.get_node("dave")?);
	clock.step("killing charlie and dave");
	kill(charlie)?;
	kill(dave)?;
	// Votes already cast may still finalize a block or two: let them land first.
	tokio::time::sleep(Duration::from_secs(12)).await;
	let (best, stalled) = (alice.best().await?, alice.finalized().await?);
	clock.step(format!("best #{best}, finalized #{stalled}: watching for 36 s"));
	tokio::time::sleep(Duration::from_secs(36)).await;
	let (best_after, finalized_after) = (alice.best().await?, alice.finalized().await?);
	clock.step(format!("best #{best_after}, finalized #{finalized_after}"));
	anyhow::ensure!(
		finalized_after == stalled,
		"finality advanced from #{stalled} to #{finalized_after} with 2 of 4 validators"
	);
	// Alice and Bob author in their slots: one block in two slots, 3 in 36 s.
	anyhow::ensure!(best_after >= best + 2, "blocks stopped: #{best} then #{best_after}");

	clock.step("restarting charlie and dave");
	charlie.restart(None).await?;
	dave.restart(None).await?;
	let target = alice.best().await?;
	clock
		.wait_until(
			&format!("finality resumes: alice finalizes #{target} (stalled at #{stalled})"),
			Duration::from_secs(120),
			|| async { Ok((alice.finalized().await? >= target).then_some(())) },
		)
		.await?;
	for node in [charlie, dave] {
		clock.wait_finalized(node, target, Duration::from_secs(60)).await?;
	}
	Ok(())
}
