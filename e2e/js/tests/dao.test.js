// The farmer DAO through @polkadot/api on its own dev node (one-minute reward periods): the demo
// node of Alice's farm reports its uptime, as zos-bridge would; a council member (Bob) proposes
// certifying the farm Gold; until a period closes the farm has proven nothing and cannot vote;
// then Alice votes aye for her farm, with the weight minting credited it; a second aye, and
// Bob's vote for a farm he does not own, are refused by name; closing early is refused; after
// the end anyone (Charlie) closes it, and the call runs with the DAO's origin: the farm is Gold.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode } from './dev-node.js';
import { reportUptimeEvery, signAndWait } from '../lib/general.js';

/** The dev preset's demo farm (Alice's) and node (Ferdie's key). */
const DEMO_FARM = 1;
const DEMO_NODE = 1;
/** The vote lasts 14 blocks (84 s): the demo node's first one-minute period closes meanwhile. */
const VOTING_PERIOD = 14;

let node;
let api;
let alice;
let bob;
let charlie;
let ferdie;
let reporter;

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode('dao');
  api = await ApiPromise.create({ provider: new WsProvider(node.url), noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519' });
  [alice, bob, charlie, ferdie] = ['//Alice', '//Bob', '//Charlie', '//Ferdie'].map((uri) =>
    keyring.addFromUri(uri),
  );
  // A report's clock must be within a minute of the chain's: wait for its first block.
  await waitFor('block #1', 60_000, async () => (await bestNumber()) >= 1);
  // Every 12 s, the dev preset's report interval (the pool refuses a report less than 6 s of
  // chain time after the last).
  reporter = reportUptimeEvery(api, ferdie, DEMO_NODE, 12_000);
});

after(async () => {
  reporter?.stop();
  await api?.disconnect();
  node?.stop();
});

async function waitFor(what, timeoutMs, check) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    assert.ok(Date.now() < deadline, `timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const bestNumber = async () => (await api.rpc.chain.getHeader()).number.toNumber();

function eventOf(events, type) {
  const found = events.find(({ event }) => type.is(event));
  assert.ok(found, `event ${type.meta.name}`);
  return found.event.data;
}

test('farmers vote with proven capacity, and an approved proposal runs with the DAO origin', async () => {
  // 1. Bob, a council member, proposes certifying the demo farm Gold (no deposit), to be voted
  //    on for long enough that the farm's first reward period closes meanwhile.
  const call = api.tx.registry.setFarmCertification(DEMO_FARM, 'Gold');
  const proposed = await signAndWait(
    api,
    api.tx.governance.propose(
      call,
      'Certify the demo farm Gold',
      'https://example.invalid/dao/1',
      VOTING_PERIOD,
      null,
    ),
    bob,
  );
  const { index, deposit, end } = eventOf(proposed.events, api.events.governance.Proposed);
  assert.equal(deposit.toBigInt(), 0n, 'council members propose without a deposit');
  assert.equal((await api.query.registry.farms(DEMO_FARM)).unwrap().certification.toString(), 'NotCertified');

  // 2. Before its node closed a period the farm has proven nothing, and cannot vote.
  if ((await api.query.minting.farmProven(DEMO_FARM)).latest.toBigInt() === 0n) {
    await assert.rejects(
      signAndWait(api, api.tx.governance.vote(index, DEMO_FARM, true), alice),
      /governance\.NoProvenCapacity/,
    );
  }
  const proven = await waitFor('the demo farm to prove capacity', 150_000, async () => {
    const p = await api.query.minting.farmProven(DEMO_FARM);
    return p.latest.toBigInt() > 0n ? p.latest.toBigInt() : null;
  });

  // 3. Alice votes aye for her farm, with the weight minting credited it.
  const voted = await signAndWait(api, api.tx.governance.vote(index, DEMO_FARM, true), alice);
  const vote = eventOf(voted.events, api.events.governance.Voted);
  assert.ok(vote.weight.toBigInt() >= proven, `weight ${vote.weight} below what the farm proved (${proven})`);
  assert.equal(vote.ayes.toBigInt(), vote.weight.toBigInt());
  // Refused by name: the same aye again, and Bob voting for a farm he does not own.
  await assert.rejects(
    signAndWait(api, api.tx.governance.vote(index, DEMO_FARM, true), alice),
    /governance\.AlreadyVoted/,
  );
  await assert.rejects(
    signAndWait(api, api.tx.governance.vote(index, DEMO_FARM, false), bob),
    /governance\.NotFarmOwner/,
  );

  // 4. Closing before the end is refused; after it, anyone closes and the call runs.
  const proposal = (await api.query.governance.proposals(index)).unwrap();
  const close = () => api.tx.governance.close(index, proposal.callWeight, proposal.voters);
  if ((await bestNumber()) + 1 < end.toNumber()) {
    await assert.rejects(signAndWait(api, close(), charlie), /governance\.VotingNotEnded/);
  }
  await waitFor(`block #${end}`, 120_000, async () => (await bestNumber()) >= end.toNumber());
  const closed = await signAndWait(api, close(), charlie);
  const outcome = eventOf(closed.events, api.events.governance.Closed);
  assert.equal(outcome.outcome.toString(), 'Approved');
  const executed = eventOf(closed.events, api.events.governance.Executed);
  assert.ok(executed.result.isOk, `the call failed: ${executed.result}`);
  eventOf(closed.events, api.events.registry.FarmCertificationSet);
  assert.equal((await api.query.registry.farms(DEMO_FARM)).unwrap().certification.toString(), 'Gold');
  assert.ok((await api.query.governance.proposals(index)).isNone, 'the proposal is gone');
  assert.deepEqual(reporter.errors, []);
});
