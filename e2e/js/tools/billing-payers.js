// Prints, as one JSON line, what @polkadot/api reads of billing's payers on a node:
//   node tools/billing-payers.js ws://127.0.0.1:9944
// The network tests (zombienet/tests/upgrade.rs) run it after a runtime upgrade to show that
// the migrated storage decodes with the new runtime's metadata.
import { ApiPromise, WsProvider } from '@polkadot/api';

const url = process.argv[2] ?? 'ws://127.0.0.1:9944';
const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
try {
  const version = api.runtimeVersion.specVersion.toNumber();
  const storageVersion = (await api.query.billing.palletVersion()).toNumber();
  const payers = (await api.query.billing.payers.entries()).map(([key, ledger]) => {
    const [bucket, twin] = key.args.map((a) => a.toNumber());
    const l = ledger.unwrap();
    return {
      bucket,
      twin,
      account: l.account.toString(),
      ledgerBucket: l.bucket.toNumber(),
      contracts: l.contracts.toNumber(),
      committed: l.committed.toString(),
    };
  });
  for (const payer of payers) {
    payer.free = (await api.query.system.account(payer.account)).data.free.toString();
  }
  const index = Object.fromEntries(
    (await api.query.billing.payerBucket.entries()).map(([key, bucket]) => [
      key.args[0].toNumber(),
      bucket.unwrap().toNumber(),
    ]),
  );
  console.log(JSON.stringify({ specVersion: version, storageVersion, payers, payerBucket: index }));
} finally {
  await api.disconnect();
}
