// @polkadot/api against a real dev node: chain properties, a finalized TFT transfer, the registry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode } from './dev-node.js';

const TFT = 10_000_000n;
let node;
let api;

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode('transfer');
  api = await ApiPromise.create({ provider: new WsProvider(node.url), noInitWarn: true });
});

after(async () => {
  await api?.disconnect();
  node?.stop();
});

test('chain properties name the TFT token with 7 decimals', async () => {
  const props = await api.rpc.system.properties();
  assert.deepEqual(props.tokenSymbol.unwrap().toJSON(), ['TFT']);
  assert.deepEqual(props.tokenDecimals.unwrap().toJSON(), [7]);
  assert.equal(props.ss58Format.unwrap().toNumber(), 42);
  assert.equal(api.registry.chainDecimals[0], 7);
  assert.equal(api.registry.chainTokens[0], 'TFT');
});

test('a transfer signed by Alice is finalized with a Transfer event', async () => {
  const keyring = new Keyring({ type: 'sr25519' });
  const alice = keyring.addFromUri('//Alice');
  const dave = keyring.addFromUri('//Dave');
  const before = (await api.query.system.account(dave.address)).data.free.toBigInt();
  const amount = 5n * TFT;

  const { events, blockHash } = await new Promise((resolve, reject) => {
    api.tx.balances
      .transferKeepAlive(dave.address, amount)
      .signAndSend(alice, ({ status, events, dispatchError }) => {
        if (dispatchError) reject(new Error(dispatchError.toString()));
        if (status.isFinalized) resolve({ events, blockHash: status.asFinalized });
      })
      .catch(reject);
  });

  const transfer = events.find(({ event }) => api.events.balances.Transfer.is(event));
  assert.ok(transfer, 'Transfer event');
  const [from, to, value] = transfer.event.data;
  assert.equal(from.toString(), alice.address);
  assert.equal(to.toString(), dave.address);
  assert.equal(value.toBigInt(), amount);
  assert.ok(events.some(({ event }) => api.events.system.ExtrinsicSuccess.is(event)));

  const finalized = await api.rpc.chain.getFinalizedHead();
  const finalizedNumber = (await api.rpc.chain.getHeader(finalized)).number.toNumber();
  const txNumber = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
  assert.ok(finalizedNumber >= txNumber, 'the block is finalized');
  const after = (await api.query.system.account(dave.address)).data.free.toBigInt();
  assert.equal(after - before, amount);
});

test('the dev chain demo grid reads naturally through polkadot.js', async () => {
  const farm = (await api.query.registry.farms(1)).unwrap();
  assert.equal(farm.name.toUtf8(), 'alice-farm');
  assert.equal(farm.policy.toString(), 'Open');
  const pool = await api.query.registry.farmPublicIps(1);
  assert.deepEqual([...pool.ips[0].ip.ip.toU8a()], [185, 206, 122, 33]);
  assert.equal(pool.ips[0].ip.prefix.toNumber(), 24);
  // Every public IPv4 has one holder on the chain: here, farm 1's pool.
  const holder = (await api.query.registry.ipOwner([185, 206, 122, 33])).unwrap();
  assert.equal(holder.asFarm.toNumber(), 1);
  const node = (await api.query.registry.nodes(1)).unwrap();
  assert.equal(node.farmId.toNumber(), 1);
  assert.equal(node.spec.resources.cru.toNumber(), 4);
  assert.equal(node.connectionPrice.toNumber(), 80);
  assert.equal(node.certificate.isDiy, true);
  assert.equal(node.deposit.toBigInt(), 5n * TFT);
  // A typed refusal: a private IP cannot even be added by the farmer.
  const keyring = new Keyring({ type: 'sr25519' });
  const alice = keyring.addFromUri('//Alice');
  const error = await new Promise((resolve, reject) => {
    api.tx.registry
      .addFarmIp(1, { ip: [10, 0, 0, 5], prefix: 24 }, [10, 0, 0, 1])
      .signAndSend(alice, ({ status, dispatchError }) => {
        if (status.isInBlock) resolve(dispatchError);
      })
      .catch(reject);
  });
  assert.ok(error?.isModule, 'the call fails in dispatch');
  const { section, name } = api.registry.findMetaError(error.asModule);
  assert.equal(`${section}.${name}`, 'registry.IpNotPublic');
});
