// The farmer's view of one farm: its payout, IPs, nodes (status, capacity, this period's uptime
// and projected reward), unclaimed receipts with a Claim button, and rewards per period. Every
// status, projection and total is the runtime's answer (view functions, `GridApi_nodes`).
import { view } from './chain.js';
import { badge, facts, h, num, table } from './dom.js';
import {
  exactTft,
  formatBytes,
  formatIpv4,
  formatPermille,
  formatTft,
  formatUsd,
  shortAddress,
  text,
  words,
} from './format.js';

/** Periods in the rewards chart. */
export const CHART_PERIODS = 12;

/** A farm id the page was asked for that the chain does not have. */
export class NotFound extends Error {}

/** Parses a farm id typed by a person: a positive whole number. */
export function parseFarmId(input) {
  const s = String(input ?? '').trim();
  if (!/^[1-9]\d{0,9}$/.test(s) || Number(s) > 0xffff_ffff)
    throw new NotFound(`"${s}" is not a farm id: farm ids are whole numbers from 1`);
  return Number(s);
}

/** The farms of `address`'s twin, `[{ id, name }]` (none without a twin). */
export async function farmsOf(api, address) {
  const twin = await view(api, 'Registry', 'twin_of_account', address);
  if (twin.isNone) return [];
  const keys = await api.query.registry.farmsOfTwin.keys(twin.unwrap());
  const ids = keys.map((k) => k.args[1].toNumber()).sort((a, b) => a - b);
  const farms = await Promise.all(ids.map((id) => view(api, 'Registry', 'farm', id)));
  return ids.map((id, i) => ({ id, name: farms[i].isSome ? text(farms[i].unwrap().name) : `farm ${id}` }));
}

/** Everything the farm view shows, read at the best block. */
export async function loadFarm(api, farmId) {
  const farm = await view(api, 'Registry', 'farm', farmId);
  if (farm.isNone) throw new NotFound(`Farm ${farmId} does not exist on this chain.`);
  const nodeIds = (await api.query.registry.farmNodes.keys(farmId))
    .map((k) => k.args[1].toNumber())
    .sort((a, b) => a - b);
  const nowSecs = Math.floor((await api.query.timestamp.now()).toNumber() / 1000);
  const [ips, receipts, policyId, period, nodes] = await Promise.all([
    view(api, 'Registry', 'farm_public_ips', farmId),
    view(api, 'Minting', 'unclaimed_receipts', farmId),
    api.query.minting.farmPolicies(farmId),
    view(api, 'Minting', 'period_at', nowSecs),
    Promise.all(
      nodeIds.map(async (id) =>
        (await api.call.gridApi.nodes(id, 1)).nodes.find((n) => n.id.toNumber() === id),
      ),
    ),
  ]);
  const policy = policyId.isSome ? await view(api, 'Minting', 'policy', policyId.unwrap()) : null;
  let history = [];
  if (period.isSome) {
    const current = period.unwrap()[0].toNumber();
    const first = Math.max(0, current - CHART_PERIODS + 1);
    const periods = Array.from({ length: current - first + 1 }, (_, i) => first + i);
    const totals = await Promise.all(
      periods.map((p) => view(api, 'Minting', 'farm_period_total', farmId, p)),
    );
    history = periods.map((p, i) => ({
      period: p,
      tft: totals[i].tft.toBigInt(),
      receipts: totals[i].receipts.toNumber(),
    }));
  }
  return {
    farmId,
    farm: farm.unwrap(),
    ips: ips.ips,
    receipts,
    policy,
    nodes: nodes.filter(Boolean),
    history,
  };
}

/** The node's liveness as the chain says it: up, standby, down, or never reported. */
function statusBadge(status) {
  if (status.isNone) return badge('down (never reported)', 'down');
  const s = status.unwrap();
  if (s.isUp) return badge('up', 'up');
  if (s.isStandby) return badge('standby', 'standby');
  return badge('down', 'down');
}

/** Used of registered capacity; `free` is `None` when contracts hold more than the node has now. */
function capacityCell(total, free, rentedBy) {
  const used = (k) => total[k].toBigInt() - (free.isSome ? free.unwrap()[k].toBigInt() : 0n);
  return h(
    'td',
    {},
    rentedBy.isSome ? h('div', {}, `rented by contract ${rentedBy.unwrap()}`) : null,
    free.isNone ? h('div', { class: 'warn' }, 'contracts hold more than the node now declares') : null,
    h('div', {}, `${used('cru')} / ${total.cru.toBigInt()} cores`),
    h('div', {}, `${formatBytes(used('mru'))} / ${formatBytes(total.mru.toBigInt())} memory`),
    h('div', {}, `${formatBytes(used('sru'))} / ${formatBytes(total.sru.toBigInt())} SSD`),
    h('div', {}, `${formatBytes(used('hru'))} / ${formatBytes(total.hru.toBigInt())} HDD`),
  );
}

function uptimeCell(period) {
  if (period.isNone) return h('td', {}, 'no report this period');
  const p = period.unwrap();
  const permille = p.uptimePermille.toNumber();
  return h(
    'td',
    {},
    h('progress', { max: 1000, value: permille, 'aria-label': `uptime of period ${p.period}` }),
    ` ${formatPermille(permille)}`,
    p.violation.isSome ? h('div', { class: 'warn' }, `voided: ${p.violation.unwrap().type}`) : null,
  );
}

function rewardCell(period) {
  if (period.isNone) return h('td', { class: 'num' }, '–');
  const p = period.unwrap();
  return h(
    'td',
    {
      class: 'num',
      title: exactTft(p.projectedTft.toBigInt()),
      dataset: { planck: p.projectedTft.toString() },
    },
    formatTft(p.projectedTft.toBigInt()),
    h('div', { class: 'muted' }, formatUsd(p.projectedUsd.toBigInt())),
  );
}

function certification(node) {
  const c = node.certificate;
  return c.isDiy ? 'DIY' : c.type;
}

/** A bar per period of the farm's minted rewards, with the numbers in a table beside it. */
function rewardsChart(history) {
  const max = history.reduce((m, x) => (x.tft > m ? x.tft : m), 0n);
  const width = 24;
  const bars = history.map((x, i) => {
    const height = max === 0n ? 0 : Number((x.tft * 100n) / max);
    return h('div', {
      class: 'bar',
      style: `left:${i * (width + 6)}px;height:${height}%;width:${width}px`,
      title: `period ${x.period}: ${formatTft(x.tft)}`,
    });
  });
  return h(
    'figure',
    { class: 'chart' },
    h(
      'div',
      {
        class: 'bars',
        role: 'img',
        'aria-label': `Rewards of the last ${history.length} periods; the table below has the numbers.`,
      },
      bars,
    ),
    table(
      'Rewards per period',
      ['Period', 'Receipts', 'Minted'],
      history.map((x) => [String(x.period), String(x.receipts), num(formatTft(x.tft), exactTft(x.tft))]),
      { class: 'compact' },
    ),
  );
}

/**
 * Renders `data` (from `loadFarm`). `actions` has `claim(farmId)` and `power(nodeId, target)`,
 * or is null when nobody can sign.
 */
export function renderFarm(api, data, actions) {
  const { farm, farmId } = data;
  const total = data.receipts.reduce((sum, r) => sum + r.tft.toBigInt(), 0n);
  const ipRows = data.ips.map((ip) => [
    formatIpv4(ip.ip.ip.toHex(), ip.ip.prefix.toNumber()),
    formatIpv4(ip.gateway.toHex()),
    ip.contract.isSome ? `contract ${ip.contract.unwrap()}` : 'free',
  ]);
  const nodeRows = data.nodes.map((n) => [
    h('th', { scope: 'row' }, `Node ${n.id}`),
    h('td', {}, statusBadge(n.status)),
    capacityCell(n.node.spec.resources, n.free, n.rentedBy),
    uptimeCell(n.period),
    rewardCell(n.period),
    certification(n.node),
    h(
      'td',
      {},
      words(n.node.power.target.type),
      actions
        ? h(
            'button',
            {
              type: 'button',
              class: 'small',
              onclick: () => actions.power(n.id.toNumber(), n.node.power.target.isUp ? 'Down' : 'Up'),
            },
            n.node.power.target.isUp ? `Power down node ${n.id}` : `Power up node ${n.id}`,
          )
        : null,
    ),
  ]);
  const receiptRows = data.receipts.map((r) => [
    String(r.period),
    `node ${r.nodeId}`,
    formatPermille(r.uptime.toNumber()),
    shortAddress(r.payout.toString()),
    num(formatTft(r.tft.toBigInt()), exactTft(r.tft.toBigInt())),
  ]);
  return h(
    'div',
    { id: 'farm', dataset: { farm: String(farmId) } },
    h('h2', {}, `Farm ${farmId}: ${text(farm.name)}`),
    facts([
      ['Owner twin', String(farm.twinId)],
      ['Payout account', h('span', { class: 'address' }, farm.payout.toString())],
      ['Admits nodes', farm.policy.isOpen ? 'anyone (open)' : 'listed nodes only (allow list)'],
      ['Farm certification', words(farm.certification.type)],
      ['Farming policy', data.policy?.isSome ? `${text(data.policy.unwrap().name)}` : 'the default policy'],
      ['Dedicated', farm.dedicated.isTrue ? 'yes' : 'no'],
    ]),
    h('h3', {}, 'Nodes'),
    nodeRows.length
      ? table(
          'Nodes of this farm',
          [
            'Node',
            'Status',
            'Used / registered',
            'Uptime this period',
            'Projected reward',
            'Certification',
            'Power target',
          ],
          nodeRows,
          { id: 'nodes' },
        )
      : h('p', {}, 'No node in this farm yet.'),
    h('h3', {}, 'Unclaimed rewards'),
    receiptRows.length
      ? [
          table(
            'Receipts waiting to be claimed',
            ['Period', 'Node', 'Uptime', 'Pays to', 'TFT'],
            receiptRows,
            { id: 'receipts' },
          ),
          h(
            'p',
            {},
            `Total: `,
            h(
              'strong',
              { id: 'unclaimed-total', title: exactTft(total), dataset: { planck: total.toString() } },
              formatTft(total),
            ),
            ' ',
            actions
              ? h('button', { type: 'button', id: 'claim', onclick: () => actions.claim(farmId) }, 'Claim')
              : h('span', { class: 'muted' }, '(connect an account to claim)'),
          ),
        ]
      : h('p', { id: 'no-receipts' }, 'Nothing to claim: receipts appear when a period closes.'),
    h('h3', {}, 'Public IPs'),
    ipRows.length
      ? table('Public IPs of this farm', ['IP', 'Gateway', 'Held by'], ipRows)
      : h('p', {}, 'No public IP.'),
    h('h3', {}, 'Rewards per period'),
    data.history.length ? rewardsChart(data.history) : h('p', {}, 'No reward period yet.'),
  );
}
