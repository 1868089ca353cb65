// Who signs. On a development chain: the well-known dev accounts (Alice … Ferdie), so a
// newcomer can click through without an extension. Everywhere: the accounts of the polkadot.js
// browser extension, which signs in its own window. The page never asks for a seed.
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { web3Accounts, web3Enable, web3FromSource } from '@polkadot/extension-dapp';
import { explainError } from './chain.js';

const DEV_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];

/**
 * The accounts that can sign here: `{ address, name, source }`, with `source` 'dev' for a dev
 * account or the extension's name. Dev accounts only when the node says its chain is a
 * development or local chain (`system_chainType`).
 */
export async function signingAccounts(api, ss58Format) {
  const accounts = [];
  const chainType = await api.rpc.system.chainType();
  if (chainType.isDevelopment || chainType.isLocal) {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format });
    for (const name of DEV_NAMES) {
      const pair = keyring.addFromUri(`//${name}`, { name });
      accounts.push({ address: pair.address, name: `${name} (dev)`, source: 'dev', pair });
    }
  }
  try {
    const extensions = await web3Enable('Gridchain dashboard');
    if (extensions.length) {
      for (const a of await web3Accounts({ ss58Format })) {
        accounts.push({
          address: a.address,
          name: `${a.meta.name ?? 'account'} (${a.meta.source})`,
          source: a.meta.source,
        });
      }
    }
  } catch {
    // No extension, or the user refused access: dev accounts only (or read-only).
  }
  return accounts;
}

/** The transaction was refused by the pool or failed in its block: `name` is `pallet.Error`. */
export class TxFailed extends Error {
  constructor(name, docs) {
    super(docs ? `${name}: ${docs}` : name);
    this.name = 'TxFailed';
    this.errorName = name;
  }
}

/**
 * Signs and sends `tx` as `account`; `onStage` hears 'signing' | 'sent' | 'in block'. Resolves
 * with `{ blockHash, events }` once it is in a block; rejects with a `TxFailed` that names the
 * error (from the metadata) when it is refused or fails.
 */
export async function signAndSend(api, tx, account, onStage = () => {}) {
  onStage('signing');
  const [signer, options] =
    account.source === 'dev'
      ? [account.pair, {}]
      : [account.address, { signer: (await web3FromSource(account.source)).signer }];
  return new Promise((resolve, reject) => {
    let unsubscribe;
    const done = (fn) => {
      unsubscribe?.();
      fn();
    };
    tx.signAndSend(signer, options, ({ status, events, dispatchError }) => {
      if (status.isReady || status.isBroadcast) onStage('sent');
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        done(() => reject(new TxFailed(`transaction ${status.type.toLowerCase()}`)));
      } else if (status.isInBlock) {
        onStage('in block');
        if (dispatchError) {
          const { name, docs } = explainError(api, dispatchError);
          done(() => reject(new TxFailed(name, docs)));
        } else {
          done(() => resolve({ blockHash: status.asInBlock, events }));
        }
      }
    })
      .then((u) => {
        unsubscribe = u;
      })
      .catch((e) => reject(new TxFailed(e.message.replace(/^\d+: /, ''))));
  });
}
