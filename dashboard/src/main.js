// The page's controller: the connection and its status, the signing account, the three views
// and their live refresh on every new block (one refresh at a time; a block arriving meanwhile
// triggers one more), and the actions that sign transactions.
import { connect } from './chain.js';
import { loadChain, renderChain } from './overview.js';
import { farmsOf, loadFarm, NotFound, parseFarmId, renderFarm } from './farmer.js';
import { BadAddress, loadUser, parseAddress, renderUser } from './user.js';
import { signAndSend, signingAccounts, TxFailed } from './signer.js';
import { exactTft, formatTft, parseTft, words } from './format.js';
import { h } from './dom.js';

const DEFAULT_RPC = 'ws://127.0.0.1:9944';
const VIEWS = ['chain', 'farmer', 'user'];
const $ = (id) => document.getElementById(id);

const params = new URLSearchParams(location.search);
const state = {
  rpc: params.get('rpc') || DEFAULT_RPC,
  view: VIEWS.includes(params.get('view')) ? params.get('view') : 'chain',
  farm: params.get('farm') || '',
  address: params.get('address') || '',
  api: null,
  ready: false, // the API has its metadata: views can be read
  acting: false, // a transaction is on its way: no second one
  farmsOf: null, // { address, farms } of the signing account
  accounts: [],
  heads: { best: 0, finalized: 0, bestTime: null },
  blockSecs: 6,
  ended: new Map(), // twin → [{ id, cause, block }] seen while the page is open
  busy: false,
  again: false,
  unsubscribe: [],
};

function saveUrl() {
  const p = new URLSearchParams();
  if (state.rpc !== DEFAULT_RPC) p.set('rpc', state.rpc);
  p.set('view', state.view);
  if (state.farm) p.set('farm', state.farm);
  if (state.address) p.set('address', state.address);
  history.replaceState(null, '', `?${p}`);
}

function setConnection(kind, message) {
  const el = $('connection');
  el.dataset.state = kind;
  el.textContent = message;
}

/** Why the view cannot show what was asked (bad input, unknown farm); cleared by a good render. */
const problem = (message) => {
  $('problem').textContent = message ?? '';
};
/** A transaction's progress and outcome; it stays until the next transaction. */
const activity = (message, outcome = 'progress') => {
  $('activity').textContent = message ?? '';
  $('activity').dataset.outcome = outcome;
};
const signer = () => state.accounts.find((a) => a.address === $('signer').value) ?? null;

function showView(view) {
  state.view = view;
  for (const v of VIEWS) {
    $(`tab-${v}`).setAttribute('aria-selected', String(v === view));
    $(`tab-${v}`).tabIndex = v === view ? 0 : -1;
    $(`panel-${v}`).hidden = v !== view;
  }
  problem();
  saveUrl();
  refresh();
}

async function start(url) {
  for (const u of state.unsubscribe.splice(0)) u();
  if (state.api) await state.api.disconnect().catch(() => {});
  state.rpc = url;
  $('rpc').value = url;
  saveUrl();
  state.ready = false;
  state.ended = new Map();
  state.farmsOf = null;
  const api = connect(url, (kind, message) => {
    setConnection(kind, message);
    if (kind === 'connected' && state.api === api) refresh();
  });
  state.api = api;
  await api.isReady;
  if (state.api !== api) return; // another URL was chosen meanwhile
  state.ready = true;
  state.blockSecs = Number(api.consts.aura.slotDuration.toBigInt() / 1000n);
  setConnection('connected', `Connected to ${url} (${api.runtimeChain})`);
  state.accounts = await signingAccounts(api, api.registry.chainSS58);
  fillSigners();
  state.unsubscribe.push(
    await api.rpc.chain.subscribeNewHeads((header) => {
      state.heads.best = header.number.toNumber();
      noteEndedContracts(api, header).finally(refresh);
    }),
    await api.rpc.chain.subscribeFinalizedHeads((header) => {
      state.heads.finalized = header.number.toNumber();
    }),
  );
  refresh();
}

/** The chain keeps no ended contract: remember the ones this block ended, by twin, with why. */
async function noteEndedContracts(api, header) {
  try {
    for (const { event } of await api.query.system.events.at(header.hash)) {
      if (!api.events.capacity.ContractEnded.is(event)) continue;
      const twin = event.data.twinId.toNumber();
      const list = state.ended.get(twin) ?? [];
      list.push({
        id: event.data.contractId.toNumber(),
        cause: words(event.data.cause.type),
        block: header.number.toNumber(),
      });
      state.ended.set(twin, list);
    }
  } catch {
    // The node dropped the block's state or the connection: nothing to note.
  }
}

function fillSigners() {
  const select = $('signer');
  const previous = select.value || localStorage.getItem('signer') || '';
  select.replaceChildren(
    h(
      'option',
      { value: '' },
      state.accounts.length ? 'none (read only)' : 'none: install the polkadot.js extension to sign',
    ),
    ...state.accounts.map((a) => h('option', { value: a.address }, a.name)),
  );
  if (state.accounts.some((a) => a.address === previous)) select.value = previous;
}

/** Re-reads and re-renders the visible view; called on every block and after every action. */
async function refresh() {
  if (!state.ready || !state.api.isConnected) return;
  if (state.busy) {
    state.again = true;
    return;
  }
  state.busy = true;
  try {
    do {
      state.again = false;
      await render();
    } while (state.again);
  } finally {
    state.busy = false;
  }
}

async function render() {
  const api = state.api;
  const panel = $(`panel-${state.view}`).querySelector('.body');
  try {
    let content;
    if (state.view === 'chain') {
      state.heads.bestTime = Math.floor((await api.query.timestamp.now()).toNumber() / 1000);
      content = renderChain(await loadChain(api, { ...state.heads }));
    } else if (state.view === 'farmer') {
      content = await farmerContent(api);
    } else {
      content = await userContent(api);
    }
    panel.replaceChildren(content);
    panel.dataset.block = String(state.heads.best);
    problem();
  } catch (e) {
    if (e instanceof NotFound || e instanceof BadAddress) {
      panel.replaceChildren();
      problem(e.message);
    } else if (state.api?.isConnected) {
      problem(`Could not read the chain: ${e.message}`);
    }
  }
}

/**
 * The signing account's farms: read when the account is chosen and after each of its
 * transactions, not on every block.
 */
async function signerFarms(api, address) {
  if (state.farmsOf?.address !== address) state.farmsOf = { address, farms: await farmsOf(api, address) };
  return state.farmsOf.farms;
}

async function farmerContent(api) {
  const me = signer();
  const mine = me ? await signerFarms(api, me.address) : [];
  $('my-farms').replaceChildren(
    ...(mine.length
      ? [
          'Farms of the signing account: ',
          ...mine.map((f) =>
            h(
              'button',
              { type: 'button', class: 'small', onclick: () => pickFarm(String(f.id)) },
              `${f.id}: ${f.name}`,
            ),
          ),
        ]
      : []),
  );
  if (!state.farm && mine.length) state.farm = String(mine[0].id);
  if (!state.farm) return h('p', {}, 'Enter a farm id, or choose a signing account that owns farms.');
  $('farm-id').value = state.farm;
  const data = await loadFarm(api, parseFarmId(state.farm));
  return renderFarm(
    api,
    data,
    me
      ? {
          claim: (farm) =>
            act(`Claiming farm ${farm}'s rewards`, api.tx.minting.claimFarm(farm), (events) => {
              const paid = events
                .filter(({ event }) => api.events.minting.ReceiptPaid.is(event))
                .reduce((s, { event }) => s + event.data.amount.toBigInt(), 0n);
              return `Claimed ${formatTft(paid)} (${exactTft(paid)}) to the payout account.`;
            }),
          power: (node, target) =>
            act(
              `Setting node ${node}'s power target to ${target.toLowerCase()}`,
              api.tx.registry.setPowerTarget(node, target),
            ),
        }
      : null,
  );
}

async function userContent(api) {
  const me = signer();
  const typed = state.address || me?.address;
  if (!typed) return h('p', {}, 'Enter an account address, or choose a signing account.');
  const address = parseAddress(typed, api.registry.chainSS58);
  $('address').value = typed;
  const data = await loadUser(api, address, state.heads.best);
  const ended = data.twin === null ? [] : (state.ended.get(data.twin) ?? []);
  return renderUser(
    data,
    ended,
    me
      ? {
          cancel: (id) => act(`Cancelling contract ${id}`, api.tx.capacity.cancelContract(id)),
          commit: (amount) =>
            withAmount(amount, (planck) =>
              act(`Committing ${formatTft(planck)}`, api.tx.billing.commit(planck)),
            ),
          payDebt: () => act('Paying the debt', api.tx.billing.payDebt()),
          topUp: (to, amount) =>
            withAmount(amount, (planck) =>
              act(`Sending ${formatTft(planck)} to ${to}`, api.tx.balances.transferKeepAlive(to, planck)),
            ),
        }
      : null,
    me?.address ?? null,
    state.blockSecs,
  );
}

function withAmount(input, then) {
  let planck;
  try {
    planck = parseTft(input);
  } catch (e) {
    activity(e.message, 'failed');
    return undefined;
  }
  return then(planck);
}

/** Signs `tx` with the selected account and reports each stage and the outcome on the page. */
async function act(what, tx, describe = () => 'Done.') {
  const me = signer();
  if (!me || state.acting) return;
  state.acting = true;
  for (const b of document.querySelectorAll('main button')) b.disabled = true;
  try {
    const { events } = await signAndSend(state.api, tx, me, (stage) => activity(`${what}: ${stage}…`));
    activity(`${what}: ${describe(events)}`, 'done');
  } catch (e) {
    activity(`${what} failed: ${e instanceof TxFailed ? e.message : e}`, 'failed');
  } finally {
    state.acting = false;
    state.farmsOf = null;
    for (const b of document.querySelectorAll('main button')) b.disabled = false;
    refresh();
  }
}

function pickFarm(farm) {
  state.farm = farm.trim();
  saveUrl();
  refresh();
}

$('connect-form').addEventListener('submit', (e) => {
  e.preventDefault();
  start($('rpc').value.trim());
});
$('farm-form').addEventListener('submit', (e) => {
  e.preventDefault();
  pickFarm($('farm-id').value);
});
$('address-form').addEventListener('submit', (e) => {
  e.preventDefault();
  state.address = $('address').value.trim();
  saveUrl();
  refresh();
});
$('signer').addEventListener('change', () => {
  localStorage.setItem('signer', $('signer').value);
  refresh();
});
for (const v of VIEWS) $(`tab-${v}`).addEventListener('click', () => showView(v));
document.querySelector('[role=tablist]').addEventListener('keydown', (e) => {
  const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
  if (!step) return;
  const next = VIEWS[(VIEWS.indexOf(state.view) + step + VIEWS.length) % VIEWS.length];
  showView(next);
  $(`tab-${next}`).focus();
});

$('farm-id').value = state.farm;
$('address').value = state.address;
showView(state.view);
start(state.rpc);
