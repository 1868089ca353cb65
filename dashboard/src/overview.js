// The chain at a glance: the TFT price the oracle gives billing, blocks and finality, the
// validators, and the grid's size. Network totals come from `GridApi_nodes` (sums for display).
import { gridNodes, view } from './chain.js';
import { facts, h, table } from './dom.js';
import { formatBytes, formatPrice, formatTime } from './format.js';

/** The network totals are re-read every this many blocks: they move slowly and cost more. */
export const NETWORK_EVERY_BLOCKS = 10;

let network = { api: null, at: 0, value: null };

async function loadNetwork(api, best) {
  const fresh = network.api === api && best >= network.at && best - network.at < NETWORK_EVERY_BLOCKS;
  if (fresh) return network.value;
  const [nodes, farms, contracts] = await Promise.all([
    gridNodes(api),
    api.query.registry.farms.keys(),
    api.query.capacity.contracts.keys(),
  ]);
  const sum = (pick) => nodes.reduce((acc, n) => acc + pick(n), 0n);
  const value = {
    farms: farms.length,
    nodes: nodes.length,
    up: nodes.filter((n) => n.status.isSome && n.status.unwrap().isUp).length,
    contracts: contracts.length,
    total: Object.fromEntries(
      ['cru', 'mru', 'sru', 'hru'].map((k) => [k, sum((n) => n.node.spec.resources[k].toBigInt())]),
    ),
    free: Object.fromEntries(
      ['cru', 'mru', 'sru', 'hru'].map((k) => [
        k,
        sum((n) => (n.free.isSome ? n.free.unwrap()[k].toBigInt() : 0n)),
      ]),
    ),
  };
  network = { api, at: best, value };
  return value;
}

/** Everything the chain view shows; `heads` is `{ best, finalized, bestTime }` from the subscriptions. */
export async function loadChain(api, heads) {
  const [price, validators, session] = await Promise.all([
    view(api, 'TftPrice', 'price_info'),
    api.query.validatorSet.validators(),
    api.query.session.currentIndex(),
  ]);
  // The chain's name and runtime version are kept current by the API (it follows upgrades).
  return {
    price,
    validators,
    session: session.toNumber(),
    chain: api.runtimeChain.toString(),
    spec: api.runtimeVersion.specVersion.toNumber(),
    heads,
    network: await loadNetwork(api, heads.best),
  };
}

export function renderChain(data) {
  const { price, heads, network: n } = data;
  const s = price.state;
  const used = (k) => n.total[k] - n.free[k];
  return h(
    'div',
    { id: 'chain' },
    h('h2', {}, data.chain),
    facts([
      ['Best block', h('span', { id: 'best' }, `#${heads.best}`)],
      ['Finalized block', h('span', { id: 'finalized' }, `#${heads.finalized}`)],
      ['Behind finality', `${heads.best - heads.finalized} blocks`],
      ['Last block', heads.bestTime ? formatTime(heads.bestTime) : '–'],
      ['Runtime', `spec ${data.spec}`],
    ]),
    h('h3', {}, 'TFT price'),
    facts(
      [
        ['Last window price', s.lastPrice.isSome ? formatPrice(s.lastPrice.unwrap().toNumber()) : 'none yet'],
        ['Average', s.average.isSome ? formatPrice(s.average.unwrap().toNumber()) : 'none yet'],
        ['Last fed', s.fedAt.toNumber() ? formatTime(s.fedAt.toNumber()) : 'never'],
        [
          'Billing uses',
          price.billingPrice.isSome
            ? formatPrice(price.billingPrice.unwrap().toNumber())
            : 'no price: contracts cannot be billed',
        ],
        [
          'Trusted',
          price.trustworthy.isTrue ? 'yes: fed by a quorum recently' : 'no: not fed by a quorum recently',
        ],
        ['Feeders', `${price.feeders.length} (${price.fed.length} fed this window)`],
      ],
      { id: 'price' },
    ),
    h('h3', {}, 'Grid'),
    facts(
      [
        ['Farms', String(n.farms)],
        ['Nodes', `${n.nodes} (${n.up} up)`],
        ['Live contracts', String(n.contracts)],
        ['Cores used', `${used('cru')} of ${n.total.cru}`],
        ['Memory used', `${formatBytes(used('mru'))} of ${formatBytes(n.total.mru)}`],
        ['SSD used', `${formatBytes(used('sru'))} of ${formatBytes(n.total.sru)}`],
        ['HDD used', `${formatBytes(used('hru'))} of ${formatBytes(n.total.hru)}`],
      ],
      { id: 'network' },
    ),
    h('h3', {}, 'Validators'),
    table(
      `Validators in session ${data.session}`,
      ['#', 'Account'],
      data.validators.map((v, i) => [String(i + 1), h('td', { class: 'address' }, v.toString())]),
      { id: 'validators' },
    ),
    h('p', { class: 'muted' }, `The grid totals are re-read every ${NETWORK_EVERY_BLOCKS} blocks.`),
  );
}
