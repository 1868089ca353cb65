// A grid user's view of one account: balance, what it has committed and the discount that
// earns, its bills, and each live contract with its cost (billing's quote), its state (active,
// or in grace with the time left) and what it owes. Ended contracts are not stored on chain:
// the page lists those it saw end while open (`ContractEnded` events).
import { decodeAddress, encodeAddress } from '@polkadot/util-crypto';
import { view } from './chain.js';
import { badge, facts, h, num, table } from './dom.js';
import {
  exactTft,
  formatDuration,
  formatIpv4,
  formatMicroUsd,
  formatTft,
  formatTime,
  text,
} from './format.js';

/** An address a person typed that is not one. */
export class BadAddress extends Error {}

/** `input` as an SS58 address of this chain, or a `BadAddress` saying what is wrong with it. */
export function parseAddress(input, ss58Format) {
  const s = String(input ?? '').trim();
  if (!s) throw new BadAddress('Enter an account address.');
  try {
    return encodeAddress(decodeAddress(s, false, ss58Format), ss58Format);
  } catch (e) {
    const why = /checksum/i.test(e.message) ? 'its checksum is wrong (a typo?)' : 'it is not an SS58 address';
    throw new BadAddress(`"${s}" is not a valid address: ${why}.`);
  }
}

/** What a contract is, as the quote asks for it: the same terms, priced for its twin. */
function prospective(kind) {
  if (kind.isNode) {
    const n = kind.asNode;
    return { Node: { nodeId: n.nodeId, resources: n.resources, publicIps: n.publicIps.length } };
  }
  if (kind.isRent) return { Rent: { nodeId: kind.asRent.nodeId } };
  return 'Name';
}

function describe(kind) {
  if (kind.isNode) {
    const n = kind.asNode;
    const ips = n.publicIps.map((ip) => formatIpv4(ip.ip.ip.toHex())).join(', ');
    return `node contract on node ${n.nodeId}${ips ? ` with ${ips}` : ''}`;
  }
  if (kind.isRent) return `rent of node ${kind.asRent.nodeId}`;
  return `name "${text(kind.asName.name)}"`;
}

/** Everything the user view shows for `address`, read at the best block (number `best`). */
export async function loadUser(api, address, best) {
  const [account, twin, billingParams] = await Promise.all([
    api.query.system.account(address),
    view(api, 'Registry', 'twin_of_account', address),
    api.query.billing.params(),
  ]);
  const data = {
    address,
    account: account.data,
    twin: twin.isSome ? twin.unwrap().toNumber() : null,
    contracts: [],
    outlook: null,
    best,
    gracePeriod: billingParams.gracePeriod.toNumber(),
  };
  if (data.twin === null) return data;
  const [outlook, ids] = await Promise.all([
    view(api, 'Billing', 'payer_outlook', data.twin),
    view(api, 'Capacity', 'contracts_of_twin', data.twin),
  ]);
  data.outlook = outlook.isSome ? outlook.unwrap() : null;
  data.contracts = (
    await Promise.all(
      ids.map(async (id) => {
        const contract = await view(api, 'Capacity', 'contract', id);
        if (contract.isNone) return null;
        const c = contract.unwrap();
        const [billing, quote] = await Promise.all([
          view(api, 'Billing', 'contract_billing', id),
          view(api, 'Billing', 'quote', prospective(c.kind), data.twin),
        ]);
        return {
          id: id.toNumber(),
          contract: c,
          billing: billing.isSome ? billing.unwrap() : null,
          quote: quote.isSome ? quote.unwrap() : null,
        };
      }),
    )
  ).filter(Boolean);
  return data;
}

function stateCell(c, data, blockSecs) {
  const state = c.contract.state;
  if (state.isGracePeriod) {
    const since = state.asGracePeriod.since.toNumber();
    const left = Math.max(0, since + data.gracePeriod - data.best);
    return h(
      'td',
      {},
      badge('grace', 'grace'),
      ` since block ${since}; ends in ${formatDuration(left * blockSecs)} unless paid`,
    );
  }
  return h('td', {}, badge('active', 'up'));
}

function money(tft, usdMicro) {
  return h(
    'td',
    { class: 'num', title: exactTft(tft) },
    formatTft(tft),
    h('div', { class: 'muted' }, formatMicroUsd(usdMicro)),
  );
}

/**
 * Renders `data` (from `loadUser`); `ended` is the contracts seen ending, `[{ id, cause, block }]`;
 * `actions` has `cancel(id)`, `commit(amount)`, `payDebt()`, `topUp(address, amount)`, or is null
 * when nobody can sign. `signer` is the selected account's address.
 */
export function renderUser(data, ended, actions, signer, blockSecs) {
  const a = data.account;
  const o = data.outlook;
  const rows = data.contracts.map((c) => [
    h('th', { scope: 'row' }, `Contract ${c.id}`),
    describe(c.contract.kind),
    c.quote ? money(c.quote.tftPerHour.toBigInt(), c.quote.usdPerHour.toBigInt()) : h('td', {}, 'no price'),
    c.quote ? money(c.quote.tftPerMonth.toBigInt(), c.quote.usdPerMonth.toBigInt()) : h('td', {}, 'no price'),
    stateCell(c, data, blockSecs),
    c.billing ? formatTime(c.billing.chargedUntil.toNumber()) : '–',
    c.billing
      ? num(
          formatTft(c.billing.debt.regular.toBigInt() + c.billing.debt.extra.toBigInt()),
          exactTft(c.billing.debt.regular.toBigInt() + c.billing.debt.extra.toBigInt()),
        )
      : num('–'),
    h(
      'td',
      {},
      actions && signer === data.address
        ? h(
            'button',
            { type: 'button', class: 'small', onclick: () => actions.cancel(c.id) },
            `Cancel contract ${c.id}`,
          )
        : null,
    ),
  ]);
  const own = actions && signer === data.address;
  return h(
    'div',
    { id: 'user', dataset: { address: data.address } },
    h('h2', {}, 'Account'),
    facts([
      ['Address', h('span', { class: 'address' }, data.address)],
      ['Twin', data.twin === null ? 'none (this account has no contracts)' : String(data.twin)],
      ['Free', h('span', { id: 'free', title: exactTft(a.free.toBigInt()) }, formatTft(a.free.toBigInt()))],
      ['Held (deposits, commitment)', formatTft(a.reserved.toBigInt())],
      ['Frozen', formatTft(a.frozen.toBigInt())],
      ...(o
        ? [
            ['Committed', formatTft(o.committed.toBigInt())],
            ['Discount it earns', `${o.discount.toNumber()} %`],
            [
              'Bills per month',
              `${formatTft(o.tftPerMonth.toBigInt())} (${formatMicroUsd(o.usdPerMonth.toBigInt())})`,
            ],
            ['Debt', formatTft(o.debt.toBigInt())],
            ['Runway at this rate', o.runwayDays.isNone ? 'unlimited' : `${o.runwayDays.unwrap()} days`],
          ]
        : []),
    ]),
    actions
      ? h(
          'div',
          { class: 'actions' },
          own
            ? amountForm('commit', 'Commit TFT (earns a discount)', 'Commit', (amount) =>
                actions.commit(amount),
              )
            : null,
          own && o && o.debt.toBigInt() > 0n
            ? h('button', { type: 'button', id: 'pay-debt', onclick: () => actions.payDebt() }, 'Pay debt')
            : null,
          !own
            ? amountForm(
                'top-up',
                `Top up this account from ${signer ? 'the signing account' : '…'}`,
                'Top up',
                (amount) => actions.topUp(data.address, amount),
              )
            : null,
        )
      : null,
    h('h2', {}, 'Contracts'),
    rows.length
      ? table(
          'Live contracts of this account',
          ['Contract', 'What', 'Per hour', 'Per month', 'State', 'Charged until', 'Debt', ''],
          rows,
          { id: 'contracts' },
        )
      : h('p', {}, 'No live contract.'),
    ended.length
      ? table(
          'Contracts that ended while this page was open',
          ['Contract', 'Ended in block', 'Why'],
          ended.map((e) => [`Contract ${e.id}`, String(e.block), e.cause]),
          { id: 'ended' },
        )
      : null,
  );
}

function amountForm(id, label, button, submit) {
  const input = h('input', {
    id: `${id}-amount`,
    name: 'amount',
    inputmode: 'decimal',
    autocomplete: 'off',
    placeholder: '10.5',
    required: true,
  });
  return h(
    'form',
    {
      class: 'inline',
      onsubmit: (e) => {
        e.preventDefault();
        submit(input.value);
      },
    },
    h('label', { for: `${id}-amount` }, label),
    input,
    h('button', { type: 'submit' }, button),
  );
}
