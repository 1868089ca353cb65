// The dashboard's only door to the chain: a connection that reconnects by itself, and typed
// calls of the runtime's view functions and runtime API. Nothing here computes chain rules; the
// runtime answers and this module decodes.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { u8aConcat, u8aToHex } from '@polkadot/util';

/** How long the provider waits between reconnection attempts. */
export const RECONNECT_MS = 2_000;

/**
 * Opens `url` and keeps it open: the provider reconnects by itself after a drop and
 * `onState` hears 'connecting' | 'connected' | 'disconnected' (with the reason) every time.
 * Returns the API at once; it is ready when `api.isReady` resolves (after the first connection
 * and the metadata), and `api.disconnect()` closes it.
 */
export function connect(url, onState) {
  onState('connecting', `Connecting to ${url}…`);
  const provider = new WsProvider(url, RECONNECT_MS);
  provider.on('connected', () => onState('connected', `Connected to ${url}`));
  provider.on('disconnected', () =>
    onState('disconnected', `Lost the node at ${url}; reconnecting every ${RECONNECT_MS / 1000} s…`),
  );
  provider.on('error', () =>
    onState('disconnected', `Cannot reach the node at ${url}; retrying every ${RECONNECT_MS / 1000} s…`),
  );
  return new ApiPromise({ provider, noInitWarn: true, throwOnConnect: false });
}

/** A view function the runtime does not have, or an error the runtime returned for one. */
export class ViewError extends Error {}

/**
 * Calls the pallet view function `pallet.name(...args)` through the
 * `RuntimeViewFunction` API, encoding the arguments and decoding the answer with the types the
 * runtime's metadata (v16) declares for it.
 */
export async function view(api, pallet, name, ...args) {
  const fn = viewFunction(api, pallet, name);
  if (fn.inputs.length !== args.length) {
    throw new ViewError(`${pallet}.${name} takes ${fn.inputs.length} arguments, got ${args.length}`);
  }
  const input = u8aConcat(
    ...fn.inputs.map((p, i) =>
      api.registry.createType(api.registry.createLookupType(p.type), args[i]).toU8a(),
    ),
  );
  const id = fn.id.toU8a();
  // A Uint8Array given for `Vec<u8>` would be read as already length-prefixed: pass hex.
  const result = await api.call.runtimeViewFunction.executeViewFunction(
    { prefix: id.slice(0, 16), suffix: id.slice(16) },
    u8aToHex(input),
  );
  if (result.isErr) throw new ViewError(`${pallet}.${name}: ${result.asErr.toString()}`);
  return api.registry.createType(api.registry.createLookupType(fn.output), result.asOk.toU8a(true));
}

function viewFunction(api, pallet, name) {
  const p = api.runtimeMetadata.asLatest.pallets.find((x) => x.name.toString() === pallet);
  const fn = p?.viewFunctions.find((v) => v.name.toString() === name);
  if (!fn) throw new ViewError(`the runtime has no view function ${pallet}.${name}`);
  return fn;
}

/** Every node with what the chain says about it now (`GridApi_nodes`, followed page by page). */
export async function gridNodes(api) {
  const out = [];
  let from = 0;
  for (;;) {
    const page = await api.call.gridApi.nodes(from, 1000);
    out.push(...page.nodes);
    if (page.next.isNone) return out;
    from = page.next.unwrap().toNumber();
  }
}

/** `{ name, docs }` of a dispatch error, from the metadata. */
export function explainError(api, dispatchError) {
  if (dispatchError.isModule) {
    const m = api.registry.findMetaError(dispatchError.asModule);
    return { name: `${m.section}.${m.name}`, docs: m.docs.join(' ') };
  }
  return { name: dispatchError.type, docs: dispatchError.toString() };
}
