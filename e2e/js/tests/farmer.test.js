// The farmer journey through @polkadot/api on its own dev node (one-minute reward periods):
// fresh accounts make a twin, a farm and a node; the node reports its uptime as general
// transactions (lib/general.js) until its first period closes with a receipt; the farmer claims
// it, and the payout account and total issuance rise by exactly the receipt.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import { startDevNode } from './dev-node.js';
import {
  DispatchFailed,
  TransactionRefused,
  signAndWait,
  submitGeneral,
  uptimeReportCall,
} from '../lib/general.js';

const TFT = 10_000_000n;
const GIB = 1n << 30n;
/** The dev preset's reward period, seconds. */
const PERIOD = 60;
/** Exact USD (`primitives/src/money.rs`): units per dollar, a month of seconds × 10¹². */
const USD_PER_DOLLAR = 2_592_000n * 10n ** 12n;
/** The demo node's shape: CU 1.75, SU 1.877333. */
const SPEC = {
  resources: { cru: 4, mru: 8n * GIB, sru: 256n * GIB, hru: 1024n * GIB },
  location: { city: 'Gent', country: 'Belgium', coordinates: null },
  interfaces: [],
  serialNumber: 'JS-E2E-0001',
  secureBoot: false,
  // A virtualized node earns nothing.
  virtualized: false,
};

let node;
let api;
let alice;
let farmer;
let payout;
let zos;
let farmId;
let nodeId;
let receipt;

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode('farmer');
  api = await ApiPromise.create({ provider: new WsProvider(node.url), noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519' });
  alice = keyring.addFromUri('//Alice');
  // Fresh accounts: the farmer, the farm's payout account (never funded: the claim creates
  // it) and the node's key (what zos-bridge holds on the machine).
  farmer = keyring.addFromUri(mnemonicGenerate());
  payout = keyring.addFromUri(mnemonicGenerate());
  zos = keyring.addFromUri(mnemonicGenerate());
});

after(async () => {
  await api?.disconnect();
  node?.stop();
});

const unixNow = () => Math.floor(Date.now() / 1000);

function eventOf(events, type) {
  const found = events.find(({ event }) => type.is(event));
  assert.ok(found, `event ${type.meta.name}`);
  return found.event.data;
}

async function blockNumber(hash) {
  return (await api.rpc.chain.getHeader(hash)).number.toNumber();
}

/** Waits until the best block is past `hash`: the pool checks a report against the best block. */
async function bestPast(hash) {
  const number = await blockNumber(hash);
  while ((await api.rpc.chain.getHeader()).number.toNumber() <= number) {
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A report of the node, booted at `boot`, signed by `key`. */
function report(key, boot) {
  const now = unixNow();
  return uptimeReportCall(api, key, { nodeId, uptime: now - boot, timestampHint: now }).call;
}

test('a fresh farmer makes a twin and a farm, and admits a fresh node that registers in it', async () => {
  await signAndWait(
    api,
    api.tx.utility.batchAll([
      api.tx.balances.transferKeepAlive(farmer.address, 20n * TFT),
      api.tx.balances.transferKeepAlive(zos.address, 20n * TFT),
    ]),
    alice,
  );
  // The farmer's twin and farm, and the node's twin, side by side (one block).
  const [farmed, zosTwinned] = await Promise.all([
    signAndWait(
      api,
      api.tx.utility.batchAll([
        api.tx.registry.createTwin([], null),
        api.tx.registry.createFarm('js-farm'),
      ]),
      farmer,
    ),
    signAndWait(api, api.tx.registry.createTwin([], null), zos),
  ]);
  farmId = eventOf(farmed.events, api.events.registry.FarmCreated).farmId.toNumber();
  const zosTwin = eventOf(zosTwinned.events, api.events.registry.TwinCreated).twinId.toNumber();

  // A new farm admits only listed nodes; the rewards go to the payout account.
  await signAndWait(
    api,
    api.tx.utility.batchAll([
      api.tx.registry.admitNode(farmId, { Account: zos.address }),
      api.tx.registry.setFarmPayout(farmId, payout.address),
    ]),
    farmer,
  );
  const [registered, refused] = await Promise.all([
    signAndWait(api, api.tx.registry.registerNode(farmId, SPEC), zos),
    // Meanwhile a refusal, named: farm names are unique whatever their case.
    signAndWait(api, api.tx.registry.createFarm('JS-FARM'), farmer).then(() => 'accepted', (e) => e.message),
  ]);
  assert.equal(refused, 'registry.FarmNameTaken');
  const event = eventOf(registered.events, api.events.registry.NodeRegistered);
  nodeId = event.nodeId.toNumber();
  assert.equal(event.farmId.toNumber(), farmId);
  assert.equal(event.twinId.toNumber(), zosTwin);
  const stored = (await api.query.registry.nodes(nodeId)).unwrap();
  assert.equal(stored.farmId.toNumber(), farmId);
  assert.equal(stored.deposit.toBigInt(), 5n * TFT);
  assert.equal((await api.query.registry.farms(farmId)).unwrap().name.toUtf8(), 'js-farm');
});

test('a report signed by another key is refused by the pool', async () => {
  // The farmer's key is not the node's: BadProof, before the pool.
  await assert.rejects(submitGeneral(api, report(farmer, unixNow() - 1_000)), (error) => {
    assert.ok(error instanceof TransactionRefused, error.stack);
    assert.match(error.message, /Invalid Transaction: Transaction has a bad signature/);
    return true;
  });
});

test('the node reports its uptime as general transactions until its first period closes', async (t) => {
  const boot = unixNow() - 1_000;
  // The first period is prorated from registration; one that closes before the node's first
  // report pays nothing, so allow a second whole period.
  const deadline = Date.now() + 3 * PERIOD * 1000;
  let reports = 0;
  for (;;) {
    assert.ok(Date.now() < deadline, `no receipt after ${reports} reports`);
    let included;
    try {
      // The first waits for finality (the helper's other mode), the rest for a best block.
      included = await submitGeneral(api, report(zos, boot), { wait: reports === 0 ? 'finalized' : 'inBlock' });
    } catch (error) {
      if (error instanceof DispatchFailed) assert.fail(`report ${reports + 1}: ${error.error}`);
      throw error;
    }
    if (reports === 0) {
      const finalized = await blockNumber(await api.rpc.chain.getFinalizedHead());
      assert.ok(finalized >= (await blockNumber(included.blockHash)), 'the first report is final');
    }
    reports += 1;
    const reported = eventOf(included.events, api.events.minting.UptimeReported);
    assert.equal(reported.nodeId.toNumber(), nodeId);
    // A general transaction pays no fee: nobody to charge.
    assert.ok(!included.events.some(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event)));
    const closed = included.events.find(({ event }) => api.events.minting.PeriodClosed.is(event));
    if (closed) {
      receipt = closed.event.data.receipt;
      break;
    }
    // Reports are at least the dev gap (6 s, one block) apart.
    await bestPast(included.blockHash);
  }
  t.diagnostic(`period ${receipt.period} closed after ${reports} reports: registered ${receipt.registered} s, `
    + `uptime ${receipt.uptime}‰, ${receipt.tft.toBigInt()} planck`);
  assert.equal(receipt.nodeId.toNumber(), nodeId);
  assert.equal(receipt.farmId.toNumber(), farmId);
  assert.equal(receipt.payout.toString(), payout.address);
  assert.ok(receipt.violation.isNone && !receipt.virtualized.isTrue);
  assert.equal(receipt.policy.unwrap().toNumber(), 1, 'the DIY default policy');
  assert.ok(receipt.uptime.toNumber() >= 950, `reported every block: ${receipt.uptime}‰`);
  const registered = receipt.registered.toBigInt();
  assert.ok(registered > 0n && registered <= BigInt(PERIOD), `prorated: ${registered} s`);
  // The reward, recomputed: DIY rates CU 2,400 and SU 1,000 mUSD per period, scaled by uptime
  // and the registered share of the period, then TFT at the node's 80 mUSD, rounded down.
  assert.equal(receipt.cu.toBigInt(), 1_750_000n);
  assert.equal(receipt.su.toBigInt(), 1_877_333n);
  const perPeriod = 2_400n * receipt.cu.toBigInt() + 1_000n * receipt.su.toBigInt();
  const usd = ((USD_PER_DOLLAR / 1_000n) * perPeriod * receipt.uptime.toBigInt() * registered)
    / (1_000_000n * 1_000n * BigInt(PERIOD));
  assert.equal(receipt.capacityUsd.toBigInt(), usd);
  assert.equal(receipt.networkUsd.toBigInt(), 0n);
  assert.equal(receipt.tft.toBigInt(), (usd * TFT * 1_000n) / (USD_PER_DOLLAR * 80n));
  assert.ok(receipt.tft.toBigInt() > 0n);

  // Stored for a claim, and the only one of the farm.
  const stored = await api.query.minting.receipts.entries(farmId);
  assert.equal(stored.length, 1);
  assert.equal(stored[0][1].unwrap().toHex(), receipt.toHex());
});

test('the farmer claims: the payout account and total issuance rise by exactly the receipt', async () => {
  const amount = receipt.tft.toBigInt();
  const claimed = await signAndWait(api, api.tx.minting.claimFarm(farmId), farmer);
  const paid = claimed.events.filter(({ event }) => api.events.minting.ReceiptPaid.is(event));
  assert.equal(paid.length, 1);
  const { data } = paid[0].event;
  assert.equal(data.farmId.toNumber(), farmId);
  assert.equal(data.nodeId.toNumber(), nodeId);
  assert.equal(data.payout.toString(), payout.address);
  assert.equal(data.amount.toBigInt(), amount);

  // Before and after, read at the claim's block and its parent.
  const parentHash = (await api.rpc.chain.getHeader(claimed.blockHash)).parentHash;
  const [before, after] = await Promise.all([api.at(parentHash), api.at(claimed.blockHash)]);
  const free = async (at, who) => (await at.query.system.account(who)).data.free.toBigInt();
  const issuance = async (at) => (await at.query.balances.totalIssuance()).toBigInt();
  assert.equal(await free(before, payout.address), 0n, 'the payout account did not exist');
  assert.equal(await free(after, payout.address), amount);
  assert.equal((await issuance(after)) - (await issuance(before)), amount);
  // The claimer paid its fee and nothing else; the rewards are never the caller's.
  const fee = eventOf(claimed.events, api.events.transactionPayment.TransactionFeePaid);
  assert.equal(fee.who.toString(), farmer.address);
  assert.equal(
    (await free(before, farmer.address)) - (await free(after, farmer.address)),
    fee.actualFee.toBigInt() + fee.tip.toBigInt(),
  );
  assert.equal((await after.query.minting.receipts.entries(farmId)).length, 0);
});
