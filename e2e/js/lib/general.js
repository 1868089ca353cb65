// Authorized general transactions from @polkadot/api: extrinsic format v5 "general", with no
// signer, nonce or fee, for calls that authorize themselves (`#[pallet::authorize]`):
// `minting.reportUptime` and `capacity.reportUsage`, which carry the node's sr25519 signature
// inside the call. The Rust twin is `GridClient::submit_authorized` (client/src/lib.rs).
//
// @polkadot/api 16.5.6 encodes these bytes right with its `GeneralExtrinsic` type, but its
// `Extrinsic` wrapper and `api.rpc.author.submitExtrinsic` wrap them a second time (version
// byte and length twice), which the pool refuses. So the bytes go to the node as they are,
// over raw JSON-RPC (`author_submitAndWatchExtrinsic`).
import { compactAddLength, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';

/** The first byte of a general transaction: type bits 0b01 ("general"), format version 5. */
export const GENERAL_V5 = 0x45;
/** For how many blocks from the best block a transaction is valid (as the Rust client). */
export const MORTALITY = 16;
/** How long `submitGeneral` waits for the wanted status. */
export const SUBMIT_TIMEOUT_MS = 90_000;
/** Domains of the node signatures (`UptimeReport::CONTEXT`, `UsageBatch::CONTEXT`). */
export const UPTIME_REPORT_CONTEXT = 'gridchain/uptime-report/v1';
export const USAGE_BATCH_CONTEXT = 'gridchain/usage-report/v1';

/** The pool refused the transaction, dropped it, or it did not reach the wanted status. */
export class TransactionRefused extends Error {
  constructor(message, { hash, status } = {}) {
    super(message);
    this.name = 'TransactionRefused';
    this.hash = hash;
    this.status = status;
  }
}

/** The transaction was included but its call failed; `error` is e.g. `minting.ReportTooEarly`. */
export class DispatchFailed extends Error {
  constructor(error, { hash, blockHash, events, dispatchError }) {
    super(`general transaction ${hash} failed in block ${blockHash}: ${error}`);
    this.name = 'DispatchFailed';
    this.error = error;
    this.hash = hash;
    this.blockHash = blockHash;
    this.events = events;
    this.dispatchError = dispatchError;
  }
}

/**
 * The bytes of `call` as a general transaction, with the mortality `era`: compact length,
 * 0x45, the extension version (0), each extension's explicit data, the call. Our runtime's
 * extensions carry, in order: `CheckMortality` the era, `CheckNonce` a compact nonce (0: a
 * general transaction has no account, so the nonce is not checked),
 * `ChargeTransactionPayment` a compact tip (0), `CheckMetadataHash` its mode (0, disabled).
 * The others carry nothing explicit. Needs no node: `registry` may be an offline one.
 */
export function encodeGeneral(registry, call, era) {
  const general = registry.createType('GeneralExtrinsic', {
    payload: { era, nonce: 0, tip: 0, mode: 0, method: asCall(call) },
  });
  return general.toU8a();
}

// The `Call` itself, or the one an `api.tx…(…)` extrinsic wraps (a `Call`'s own `method` is
// its name).
function asCall(call) {
  return typeof call.method === 'string' ? call : call.method;
}

/**
 * `call` (a `Call` or an `api.tx…(…)` extrinsic) as a general transaction, mortal for
 * `mortality` blocks from the best block: one that has not landed by then never will.
 */
export async function generalTransaction(api, call, { mortality = MORTALITY } = {}) {
  const best = await api.rpc.chain.getHeader();
  const era = api.registry.createType('ExtrinsicEra', {
    current: best.number.toNumber(),
    period: mortality,
  });
  return encodeGeneral(api.registry, call, era);
}

/**
 * Builds `call` as a general transaction and submits it; see `submitEncoded`.
 */
export async function submitGeneral(api, call, options = {}) {
  return submitEncoded(api, await generalTransaction(api, call, options), options);
}

/**
 * Submits the bytes of a transaction as they are and waits until it is in a best block
 * (`wait: 'inBlock'`, the default) or finalized (`'finalized'`). Resolves with
 * `{ hash, blockHash, index, events }`: the transaction's hash, its block, its index there and
 * its events (`EventRecord`s). Rejects with `TransactionRefused` when the pool refuses it
 * (e.g. `1010: Invalid Transaction: Transaction has a bad signature`), drops it, or the wait
 * times out, and with `DispatchFailed` (the module error as `pallet.Error`) when it was
 * included but failed.
 */
export function submitEncoded(api, bytes, { wait = 'inBlock', timeoutMs = SUBMIT_TIMEOUT_MS } = {}) {
  if (wait !== 'inBlock' && wait !== 'finalized') throw new Error(`wait: ${wait}?`);
  // Through the provider, not `api.rpc.author`: that would re-wrap the bytes.
  const provider = api._rpcCore.provider;
  const hex = u8aToHex(bytes);
  const hash = blake2AsHex(bytes, 256);
  return new Promise((resolve, reject) => {
    let subscription;
    let done = false;
    // Settles once: a later status (e.g. finalized after inBlock) is ignored.
    const stop = () => {
      done = true;
      clearTimeout(timer);
      if (subscription !== undefined && provider.isConnected) {
        provider
          .unsubscribe('author_extrinsicUpdate', 'author_unwatchExtrinsic', subscription)
          .catch(() => { /* the node ended the subscription itself */ });
      }
    };
    const refuse = (message, status) => {
      if (done) return;
      stop();
      reject(new TransactionRefused(`general transaction ${hash} ${message}`, { hash, status }));
    };
    const included = (blockHash) => {
      stop();
      outcome(api, provider, hex, hash, blockHash).then(resolve, reject);
    };
    const timer = setTimeout(() => refuse(`not ${wait} within ${timeoutMs} ms`), timeoutMs);
    provider
      .subscribe('author_extrinsicUpdate', 'author_submitAndWatchExtrinsic', [hex], (error, status) => {
        if (done) return;
        if (error) return refuse(`failed: ${error.message}`);
        // A status is a string ("ready") or an object with one key ({"inBlock": "0x…"}).
        const [kind, detail] = typeof status === 'string' ? [status, undefined] : Object.entries(status)[0];
        if (kind === wait) included(detail);
        else if (kind === 'finalized') included(detail);
        else if (['invalid', 'dropped', 'usurped', 'finalityTimeout'].includes(kind)) {
          refuse(`${kind}${detail ? ` (${detail})` : ''}`, kind);
        }
      })
      .then(
        (id) => {
          subscription = id;
          if (done) stop();
        },
        // The pool checks the transaction before it answers: a refusal lands here.
        (error) => refuse(`refused: ${error.message}`, 'invalid'),
      );
  });
}

/** Finds the transaction in its block and returns its events, or throws `DispatchFailed`. */
async function outcome(api, provider, hex, hash, blockHash) {
  // The block's raw extrinsics, compared as hex: decoding them with polkadot.js's `Extrinsic`
  // would hit the same double wrapping.
  const { block } = await provider.send('chain_getBlock', [blockHash]);
  const index = block.extrinsics.indexOf(hex);
  if (index < 0) throw new TransactionRefused(`general transaction ${hash} is not in block ${blockHash}`, { hash });
  const all = await (await api.at(blockHash)).query.system.events();
  const events = all.filter(({ phase }) => phase.isApplyExtrinsic && phase.asApplyExtrinsic.eqn(index));
  const failed = events.find(({ event }) => api.events.system.ExtrinsicFailed.is(event));
  if (failed) {
    const [dispatchError] = failed.event.data;
    throw new DispatchFailed(describeDispatchError(api, dispatchError), { hash, blockHash, events, dispatchError });
  }
  return { hash, blockHash, index, events };
}

/** `pallet.Error` for a module error (`minting.ReportTooEarly`), else the error's variant. */
export function describeDispatchError(api, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name } = api.registry.findMetaError(dispatchError.asModule);
    return `${section}.${name}`;
  }
  return dispatchError.toString();
}

/** What a node signs: the context as a SCALE byte vector (compact length first), then the value. */
export function signingPayload(context, encoded) {
  return u8aConcat(compactAddLength(stringToU8a(context)), encoded);
}

// The registry type name of argument `i` of an `api.tx` call (e.g. `PalletMintingUptimeReport`).
function argType(tx, i) {
  return tx.meta.args[i].type.toString();
}

/**
 * The call `minting.reportUptime(report, signature)` with `report` = `{ nodeId, uptime,
 * timestampHint }` signed by `nodeKey`, the sr25519 key pair of the node's (twin's) account.
 * `payload` is what it signed: `("gridchain/uptime-report/v1", report)` SCALE-encoded.
 */
export function uptimeReportCall(api, nodeKey, report) {
  const tx = api.tx.minting.reportUptime;
  const typed = api.createType(argType(tx, 0), report);
  const payload = signingPayload(UPTIME_REPORT_CONTEXT, typed.toU8a());
  return { call: tx(typed, { Sr25519: nodeKey.sign(payload) }), payload };
}

/**
 * `nodeKey` (the sr25519 key pair of node `nodeId`'s twin) reports the node's uptime every
 * `everyMs`, as zos-bridge would, booted 1,000 s before the first report, until `stop()`. What
 * the pool or the block refuses before `stop()` is collected in `errors`. A report's clock must
 * be within a minute of the chain's: start once the chain has its first block.
 */
export function reportUptimeEvery(api, nodeKey, nodeId, everyMs) {
  const reporter = {
    errors: [],
    running: true,
    stop() {
      this.running = false;
    },
  };
  const boot = Math.floor(Date.now() / 1000) - 1_000;
  (async () => {
    while (reporter.running) {
      const now = Math.floor(Date.now() / 1000);
      const report = { nodeId, uptime: now - boot, timestampHint: now };
      try {
        await submitGeneral(api, uptimeReportCall(api, nodeKey, report).call);
      } catch (e) {
        if (reporter.running) reporter.errors.push(e.message);
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return reporter;
}

/**
 * The call `capacity.reportUsage(batch, signature)` with `batch` = `{ nodeId, reports }` signed
 * by `nodeKey`; `payload` is `("gridchain/usage-report/v1", batch)` SCALE-encoded.
 */
export function usageBatchCall(api, nodeKey, batch) {
  const tx = api.tx.capacity.reportUsage;
  const typed = api.createType(argType(tx, 0), batch);
  const payload = signingPayload(USAGE_BATCH_CONTEXT, typed.toU8a());
  return { call: tx(typed, { Sr25519: nodeKey.sign(payload) }), payload };
}

/**
 * Signs and sends an ordinary signed transaction `tx` as `signer` (a key pair); resolves with
 * `{ blockHash, events }` once it is in a best block, rejects with the error's `pallet.Error`.
 */
export function signAndWait(api, tx, signer) {
  return new Promise((resolve, reject) => {
    let unsubscribe;
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (!status.isInBlock) return;
      unsubscribe?.();
      if (dispatchError) reject(new Error(describeDispatchError(api, dispatchError)));
      else resolve({ blockHash: status.asInBlock, events });
    })
      .then((u) => { unsubscribe = u; })
      .catch(reject);
  });
}
