// The dashboard in a real browser (Debian's Chromium, headless, driven by playwright-core)
// against a real dev node: the demo farm's node up with a projected reward; a receipt after its
// period closes, claimed by clicking Claim as Alice, minting exactly the receipt to the payout
// account (checked through the API); a user's contract with its cost going into grace when its
// payer is drained; bad input; the node going away and coming back; an accessibility check of
// every view (axe-core, WCAG 2 A/AA). Screenshots go to test-output/ (or $DASHBOARD_TEST_OUTPUT).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, connect as tcpConnect } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import { startDevNode } from '../../e2e/js/tests/dev-node.js';
import { reportUptimeEvery, signAndWait as signed } from '../../e2e/js/lib/general.js';
import { build } from '../build.mjs';
import { serve } from '../serve.mjs';
import { connect, view } from '../src/chain.js';
import { formatTft } from '../src/format.js';

const here = dirname(fileURLToPath(import.meta.url));
const OUT = process.env.DASHBOARD_TEST_OUTPUT || join(here, '..', 'test-output');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TFT = 10_000_000n;
const GIB = 1n << 30n;
const DEMO_FARM = 1;
const DEMO_NODE = 1;

let node;
let api;
let site;
let siteServer;
let proxy;
let browser;
let page;
let alice;
let bob;
let ferdie;
let payout;
let user;
let reporter;
let userFlow;

/** A TCP relay in front of the node that the test can take down and bring back on one port. */
async function relay(target) {
  const sockets = new Set();
  let server;
  const listen = (port) =>
    new Promise((resolve) => {
      server = createServer((client) => {
        const upstream = tcpConnect(target);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => {});
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => resolve(server.address().port));
    });
  const port = await listen(0);
  return {
    url: `ws://127.0.0.1:${port}`,
    down: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
    up: () => listen(port),
  };
}

const signAndWait = (tx, signer) => signed(api, tx, signer);

async function waitFor(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    assert.ok(Date.now() < deadline, `timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * A fresh user with a node contract that has paid two charges: grace is credit (billing gives a
 * payer grace up to what it has paid), so one that paid twice gets grace when the third fails.
 */
async function userWithContract() {
  await signAndWait(api.tx.balances.transferKeepAlive(user.address, 50n * TFT), bob);
  await signAndWait(
    api.tx.utility.batchAll([
      api.tx.registry.createTwin([], null),
      // The farm's public IP is billed from the start (capacity by the node's usage reports).
      api.tx.capacity.createNodeContract(
        DEMO_NODE,
        `0x${'ab'.repeat(32)}`,
        '0x',
        { cru: 1, mru: 2n * GIB, sru: 20n * GIB, hru: 0 },
        1,
        null,
      ),
    ]),
    user,
  );
  const twin = (await view(api, 'Registry', 'twin_of_account', user.address)).unwrap().toNumber();
  const [id] = (await view(api, 'Capacity', 'contracts_of_twin', twin)).map((x) => x.toNumber());
  let charged = (await view(api, 'Capacity', 'contract', id)).unwrap().createdAt.toNumber();
  // Billing charges every 5 blocks on dev.
  for (const which of ['first', 'second']) {
    const until = charged;
    charged = await waitFor(
      `the contract's ${which} charge`,
      async () => {
        const now = (await view(api, 'Billing', 'contract_billing', id)).unwrap().chargedUntil.toNumber();
        return now > until && now;
      },
      90_000,
    );
  }
  return { id, twin };
}

/** The outcome the page reports for the transaction it just sent; fails on a failure. */
async function outcome(on = page) {
  const el = on.locator('#activity[data-outcome=done], #activity[data-outcome=failed]');
  await el.waitFor({ timeout: 60_000 });
  const text = await el.textContent();
  assert.equal(await el.getAttribute('data-outcome'), 'done', text);
  return text;
}

const shot = (name, on = page) => on.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });

async function open(query, on = page) {
  await on.goto(`${site}?rpc=${encodeURIComponent(proxy.url)}&${query}`);
  await on.waitForSelector('#connection[data-state=connected]', { timeout: 30_000 });
}

const newPage = async () => {
  const p = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/Brussels',
  });
  p.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  return p;
};

before(async () => {
  await cryptoWaitReady();
  await mkdir(OUT, { recursive: true });
  const keyring = new Keyring({ type: 'sr25519' });
  [alice, bob, ferdie] = ['//Alice', '//Bob', '//Ferdie'].map((uri) => keyring.addFromUri(uri));
  payout = keyring.addFromUri(mnemonicGenerate());
  user = keyring.addFromUri(mnemonicGenerate());
  const [devNode, dist] = await Promise.all([startDevNode('dashboard'), build({ quiet: true })]);
  node = devNode;
  ({ url: site, server: siteServer } = await serve({ dir: dist, port: 0 }));
  proxy = await relay(Number(new URL(node.url).port));
  api = connect(node.url, () => {});
  await api.isReady;
  // The demo farm pays a fresh account: what a claim mints there is all it ever received.
  await signAndWait(api.tx.registry.setFarmPayout(DEMO_FARM, payout.address), alice);
  // The demo node reports every block, as zos-bridge would.
  reporter = reportUptimeEvery(api, ferdie, DEMO_NODE, 6_000);
  userFlow = userWithContract();
  userFlow.catch(() => {});
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-dev-shm-usage',
    ],
  });
  page = await newPage();
});

after(async () => {
  reporter?.stop();
  await browser?.close();
  await api?.disconnect();
  await proxy?.down();
  siteServer?.close();
  node?.stop();
});

// The two long journeys wait for blocks, a period and billing passes: side by side, each in its
// own page.
describe('journeys', { concurrency: true }, () => {
  test('farmer: the demo node up with a projected reward, then a receipt; Claim as Alice mints exactly it to the payout account', async (t) => {
    const farmer = await newPage();
    await open(`view=farmer&farm=${DEMO_FARM}`, farmer);
    await farmer.selectOption('#signer', alice.address);
    const row = farmer.locator('#nodes tbody tr', { hasText: `Node ${DEMO_NODE}` });
    // Reports arrive every block: the status turns up without reloading the page.
    await row.locator('.badge', { hasText: /^up$/ }).waitFor({ timeout: 60_000 });
    const reward = row.locator('td[data-planck]');
    const projected = await waitFor(
      'a projected reward above zero',
      async () => {
        const planck = BigInt((await reward.getAttribute('data-planck')) ?? 0);
        return planck > 0n && planck;
      },
      60_000,
    );
    const period = (await view(api, 'Minting', 'period_so_far', DEMO_NODE)).unwrap();
    t.diagnostic(`projected ${projected} planck on the page; the chain now says ${period.projectedTft}`);
    assert.match(await row.textContent(), /\/ 4 cores/);

    await farmer.locator('#receipts').waitFor({ timeout: 180_000 });
    // No more reports: no new period closes, so the receipts stay as the page shows them.
    reporter.stop();
    await new Promise((r) => setTimeout(r, 7_000));
    assert.equal(reporter.errors.length, 0, reporter.errors.join('; '));
    const receipts = await view(api, 'Minting', 'unclaimed_receipts', DEMO_FARM);
    const expected = receipts.reduce((sum, r) => sum + r.tft.toBigInt(), 0n);
    assert.ok(expected > 0n, 'a receipt worth something');
    assert.ok(receipts.every((r) => r.payout.toString() === payout.address));
    await waitFor(
      "the page's total to match the chain's",
      async () =>
        (await farmer.locator('#unclaimed-total').getAttribute('data-planck')) === expected.toString(),
      20_000,
    );
    await shot('farmer', farmer);
    const before = (await api.query.system.account(payout.address)).data.free.toBigInt();
    assert.equal(before, 0n, 'the payout account never received anything');
    const issuance = (await api.query.balances.totalIssuance()).toBigInt();
    await farmer.click('#claim');
    assert.match(await outcome(farmer), new RegExp(`Claimed ${formatTft(expected).replace(/[.]/g, '\\.')}`));
    const after = (await api.query.system.account(payout.address)).data.free.toBigInt();
    assert.equal(after - before, expected, 'the payout account got exactly the receipts');
    const minted = (await api.query.balances.totalIssuance()).toBigInt() - issuance;
    // Issuance rises by the receipts, less the part of Alice's fee that was burned (at most the fee).
    assert.ok(minted <= expected && minted > expected - TFT, `issuance rose by ${minted}`);
    assert.equal((await view(api, 'Minting', 'unclaimed_receipts', DEMO_FARM)).length, 0);
    await farmer.locator('#no-receipts').waitFor({ timeout: 20_000 });
    t.diagnostic(`claimed ${expected} planck from ${receipts.length} receipt(s)`);
    await farmer.close();
  });

  test('user: a contract shows its cost, goes into grace when its payer is drained, then ends out of funds', async () => {
    const { id, twin } = await userFlow;
    const userPage = await newPage();
    await open(`view=user&address=${user.address}`, userPage);
    const row = userPage.locator('#contracts tbody tr', { hasText: `Contract ${id}` });
    await row.waitFor({ timeout: 30_000 });
    const quote = (
      await view(
        api,
        'Billing',
        'quote',
        {
          Node: {
            nodeId: DEMO_NODE,
            resources: { cru: 1, mru: 2n * GIB, sru: 20n * GIB, hru: 0 },
            publicIps: 1,
          },
        },
        twin,
      )
    ).unwrap();
    const text = await row.textContent();
    assert.ok(
      text.includes(formatTft(quote.tftPerHour.toBigInt())),
      `per hour ${formatTft(quote.tftPerHour.toBigInt())} in "${text}"`,
    );
    assert.ok(text.includes(formatTft(quote.tftPerMonth.toBigInt())), 'per month');
    await row.locator('.badge', { hasText: 'active' }).waitFor();
    // The user sends everything away: its next charge fails, and having paid before, it gets grace.
    await signAndWait(api.tx.balances.transferAll(bob.address, false), user);
    await row.locator('.badge', { hasText: 'grace' }).waitFor({ timeout: 90_000 });
    assert.match(await row.textContent(), /since block \d+; ends in/);
    assert.ok((await view(api, 'Capacity', 'contract', id)).unwrap().state.isGracePeriod, 'the chain agrees');
    await shot('user', userPage);
    // Its debt soon passes what it has paid: the contract ends, and the page says why.
    await userPage.locator('#ended tbody tr', { hasText: `Contract ${id}` }).waitFor({ timeout: 150_000 });
    assert.match(await userPage.locator('#ended').textContent(), /out of funds/);
    assert.ok((await view(api, 'Capacity', 'contract', id)).isNone, 'ended on chain');
    await userPage.close();
  });
});

test('the chain view shows the price, blocks, finality and the grid', async () => {
  await open('view=chain');
  const best = async () => Number((await page.locator('#best').textContent()).slice(1));
  const first = await best();
  await waitFor('a new block on the page', async () => (await best()) > first, 20_000);
  assert.match(await page.locator('#price').textContent(), /Billing uses\$0\.\d{3}/);
  assert.match(await page.locator('#network').textContent(), /Nodes1 \(\d up\)/);
  assert.match(await page.locator('#validators').textContent(), new RegExp(alice.address));
  await shot('chain');
});

test('bad input is named and changes nothing: unknown farm, not a farm id, bad checksum', async () => {
  await open('view=farmer&farm=999');
  await page
    .locator('#problem', { hasText: 'Farm 999 does not exist on this chain.' })
    .waitFor({ timeout: 20_000 });
  await page.fill('#farm-id', 'abc');
  await page.click('#farm-form button');
  await page.locator('#problem', { hasText: '"abc" is not a farm id' }).waitFor({ timeout: 20_000 });
  const bad = `${alice.address.slice(0, -1)}${alice.address.endsWith('Y') ? 'Z' : 'Y'}`;
  await open(`view=user&address=${bad}`);
  await page.locator('#problem', { hasText: 'its checksum is wrong' }).waitFor({ timeout: 20_000 });
  await page.selectOption('#signer', alice.address);
  await page.fill('#address', alice.address);
  await page.click('#address-form button');
  await page.locator('#commit-amount').fill('1.000000001');
  await page.click('#user form.inline button');
  await page
    .locator('#activity[data-outcome=failed]', { hasText: 'more than 7 decimals' })
    .waitFor({ timeout: 20_000 });
});

test('the node going away is said on the page, which reconnects when it is back', async () => {
  await open('view=chain');
  await page.locator('#best').waitFor({ timeout: 30_000 });
  await proxy.down();
  await page.locator('#connection[data-state=disconnected]').waitFor({ timeout: 20_000 });
  assert.match(await page.locator('#connection').textContent(), /reconnecting|retrying/);
  const stale = Number((await page.locator('#best').textContent()).slice(1));
  await new Promise((r) => setTimeout(r, 7_000));
  await proxy.up();
  await page.locator('#connection[data-state=connected]').waitFor({ timeout: 30_000 });
  await waitFor(
    'blocks after the reconnection',
    async () => Number((await page.locator('#best').textContent()).slice(1)) > stale + 1,
    30_000,
  );
});

test("every view passes axe-core's WCAG 2 A and AA checks", async () => {
  const axe = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  for (const [view, ready] of [
    ['chain', '#validators'],
    [`farmer&farm=${DEMO_FARM}`, '#nodes'],
    [`user&address=${user.address}`, '#user'],
  ]) {
    await open(`view=${view}`);
    await page.locator(ready).waitFor({ timeout: 30_000 });
    // Evaluated, not added as a <script>: the page's CSP allows no inline script.
    await page.evaluate(axe);
    const violations = await page.evaluate(async () =>
      (await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] })).violations.map(
        (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
      ),
    );
    assert.deepEqual(violations, [], `${view}: ${violations.join('\n')}`);
  }
});
