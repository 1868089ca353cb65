// The general-transaction helper's bytes, with no node: the runtime's metadata as the Rust client
// has it (client/metadata/grid.scale) and an offline type registry.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Keyring } from '@polkadot/keyring';
import { TypeRegistry } from '@polkadot/types';
import { Metadata, expandMetadata } from '@polkadot/types/metadata';
import { compactFromU8a, compactToU8a, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, sr25519Verify } from '@polkadot/util-crypto';
import { GENERAL_V5, encodeGeneral, uptimeReportCall, usageBatchCall } from '../lib/general.js';

const METADATA = new URL('../../../client/metadata/grid.scale', import.meta.url);

let registry;
// Enough of an `api` for the call builders: the decorated calls and `createType`.
let api;
let node;

before(async () => {
  await cryptoWaitReady();
  registry = new TypeRegistry();
  const metadata = new Metadata(registry, readFileSync(METADATA));
  // AuthorizeCall is unknown to polkadot.js; it carries no data, as the first test checks.
  registry.setMetadata(metadata, undefined, undefined, true);
  const { tx } = expandMetadata(registry, metadata);
  api = { tx, createType: registry.createType.bind(registry) };
  node = new Keyring({ type: 'sr25519' }).addFromUri('//Ferdie');
});

const REPORT = { nodeId: 7, uptime: 3_600, timestampHint: 1_800_000_000 };

function u32(n) {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

function u64(n) {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n), true);
  return b;
}

test('the runtime extensions the helper fills are the ones polkadot.js knows', () => {
  // A new extension with explicit data would silently be left out of the bytes: fail here.
  assert.deepEqual(registry.signedExtensions, [
    'AuthorizeCall', 'CheckNonZeroSender', 'CheckSpecVersion', 'CheckTxVersion', 'CheckGenesis',
    'CheckMortality', 'CheckNonce', 'CheckWeight', 'ChargeTransactionPayment',
    'CheckMetadataHash', 'WeightReclaim',
  ]);
  assert.deepEqual(Object.keys(registry.getSignedExtensionTypes()), ['era', 'nonce', 'tip', 'mode']);
});

test('a general transaction is its length, 0x45 once, the extensions, then the call', () => {
  const { call } = uptimeReportCall(api, node, REPORT);
  const era = registry.createType('ExtrinsicEra', { current: 1_234, period: 16 });
  const bytes = encodeGeneral(registry, call, era);

  const [offset, length] = compactFromU8a(bytes);
  assert.equal(offset + length.toNumber(), bytes.length, 'one compact length, of the rest');
  const body = bytes.subarray(offset);
  const expected = u8aConcat(
    [GENERAL_V5], // general, format version 5: once
    [0], // transaction extension version 0
    era.toU8a(), // CheckMortality: 2 bytes for a mortal era
    [0], // CheckNonce: compact 0
    [0], // ChargeTransactionPayment: compact tip 0
    [0], // CheckMetadataHash: mode 0 (disabled)
    call.toU8a(), // the call: pallet index, call index, arguments
  );
  assert.equal(u8aToHex(body), u8aToHex(expected));
  assert.equal(era.toU8a().length, 2);
  assert.deepEqual([...call.toU8a().subarray(0, 2)], [44, 0], 'minting (44), reportUptime (0)');

  // Decodes back to the same call and era.
  const decoded = registry.createType('GeneralExtrinsic', bytes);
  assert.equal(decoded.version, 5);
  assert.equal(decoded.era.asMortalEra.period.toNumber(), 16);
  assert.equal(decoded.era.asMortalEra.phase.toNumber(), 1_234 % 16);
  assert.equal(`${decoded.method.section}.${decoded.method.method}`, 'minting.reportUptime');
  assert.equal(decoded.method.args[0].nodeId.toNumber(), REPORT.nodeId);
  assert.equal(u8aToHex(decoded.toU8a()), u8aToHex(bytes));
});

test('polkadot.js 16.5.6 Extrinsic wraps a general transaction twice (why the helper sends raw bytes)', () => {
  const { call } = uptimeReportCall(api, node, REPORT);
  const bytes = encodeGeneral(registry, call, registry.createType('ExtrinsicEra', { current: 0, period: 16 }));
  const wrapped = registry.createType('Extrinsic', bytes).toU8a();
  const [offset] = compactFromU8a(wrapped);
  // Its own length and 0x45, then the helper's bytes again, length and 0x45 included. If this
  // fails, polkadot.js changed: `api.rpc.author.submitExtrinsic` may then work as well.
  assert.equal(wrapped[offset], GENERAL_V5);
  assert.equal(u8aToHex(wrapped.subarray(offset + 1)), u8aToHex(bytes));
});

test('an uptime report signs ("gridchain/uptime-report/v1", report) SCALE-encoded', () => {
  const { call, payload } = uptimeReportCall(api, node, REPORT);
  const context = stringToU8a('gridchain/uptime-report/v1');
  // Rust `(&b"…"[..], report).encode()`: a byte slice carries its compact length (26 → 0x68).
  const expected = u8aConcat(
    compactToU8a(context.length),
    context,
    u32(REPORT.nodeId),
    u64(REPORT.uptime),
    u64(REPORT.timestampHint),
  );
  assert.equal(compactToU8a(context.length)[0], 0x68);
  assert.equal(u8aToHex(payload), u8aToHex(expected));
  const [, signature] = call.args;
  assert.ok(signature.isSr25519);
  assert.ok(sr25519Verify(payload, signature.asSr25519, node.publicKey));
});

test('a usage batch signs ("gridchain/usage-report/v1", batch) SCALE-encoded', () => {
  const batch = {
    nodeId: 7,
    reports: [{
      contractId: 9,
      windowStart: 100,
      windowEnd: 160,
      used: { cru: 1, mru: 2, sru: 3, hru: 4 },
      publicTrafficBytes: 5,
    }],
  };
  const { call, payload } = usageBatchCall(api, node, batch);
  const context = stringToU8a('gridchain/usage-report/v1');
  const expected = u8aConcat(
    compactToU8a(context.length),
    context,
    u32(7),
    compactToU8a(1), // one report
    u64(9), u64(100), u64(160),
    u64(1), u64(2), u64(3), u64(4), // resources
    u64(5),
  );
  assert.equal(u8aToHex(payload), u8aToHex(expected));
  assert.equal(`${call.section}.${call.method}`, 'capacity.reportUsage');
  assert.ok(sr25519Verify(payload, call.args[1].asSr25519, node.publicKey));
});
