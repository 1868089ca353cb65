// The dashboard's number formatting: exact integer inputs, explicit rounding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decimal,
  exactTft,
  formatBytes,
  formatDuration,
  formatIpv4,
  formatMicroUsd,
  formatPermille,
  formatPrice,
  formatTft,
  formatUsd,
  text,
  USD_UNITS_PER_DOLLAR,
  words,
} from '../src/format.js';

test('TFT shows four decimals at most, rounded half up, grouped, and exactly on demand', () => {
  assert.equal(formatTft(0n), '0 TFT');
  assert.equal(formatTft(10_000_000n), '1 TFT');
  assert.equal(formatTft(12_345_678_901_234n), '1,234,567.8901 TFT');
  assert.equal(formatTft(12_499n), '0.0012 TFT');
  assert.equal(formatTft(12_500n), '0.0013 TFT', 'half up');
  assert.equal(formatTft(499n), '< 0.0001 TFT', 'a non-zero amount never shows as 0');
  assert.equal(formatTft(500n), '0.0001 TFT');
  assert.equal(formatTft(-25_000_000n), '-2.5 TFT');
  assert.equal(exactTft(65_300_001n), '6.5300001 TFT');
  assert.equal(exactTft(1n), '0.0000001 TFT');
});

test('dollars: µUSD quotes and exact USD units keep three decimals below $10 and cents above', () => {
  assert.equal(formatMicroUsd(3_024_000n), '$3.024');
  assert.equal(formatMicroUsd(4_200n), '$0.004');
  assert.equal(formatMicroUsd(12_500_000n), '$12.50');
  assert.equal(formatUsd((USD_UNITS_PER_DOLLAR * 3n) / 2n), '$1.500');
  assert.equal(formatUsd(USD_UNITS_PER_DOLLAR * 1234n), '$1,234.00');
  assert.equal(formatPrice(80), '$0.080');
  assert.equal(formatPrice(1250), '$1.250');
});

test('sizes, durations, shares, names and addresses', () => {
  assert.equal(formatBytes(8n << 30n), '8 GiB');
  assert.equal(formatBytes(3n << 39n), '1.5 TiB');
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatDuration(40), '40 s');
  assert.equal(formatDuration(310), '5 min 10 s');
  assert.equal(formatDuration(3 * 86_400 + 4 * 3_600 + 59), '3 d 4 h');
  assert.equal(formatDuration(-5), '0 s');
  assert.equal(formatPermille(953), '95.3 %');
  assert.equal(formatPermille(1000), '100.0 %');
  assert.equal(text('0x616c6963652d6661726d'), 'alice-farm');
  assert.equal(text('0xff00'), '0xff00', 'not text: hex');
  assert.equal(formatIpv4('0xb9ce7a21', 24), '185.206.122.33/24');
  assert.equal(decimal(5n, 10n, 0), '1', 'half up at zero decimals');
  assert.equal(words('NotCertified'), 'not certified');
  assert.equal(words('OutOfFunds'), 'out of funds');
  assert.equal(words('Up'), 'up');
});

test('amounts typed by people: exact planck, or a named refusal', async () => {
  const { parseTft } = await import('../src/format.js');
  assert.equal(parseTft('1.5'), 15_000_000n);
  assert.equal(parseTft(' 20 TFT '), 200_000_000n);
  assert.equal(parseTft('1,000'), 10_000_000_000n);
  assert.equal(parseTft('0.0000001'), 1n);
  assert.throws(() => parseTft('0.00000001'), /more than 7 decimals/);
  assert.throws(() => parseTft('-1'), /not an amount/);
  assert.throws(() => parseTft('1e3'), /not an amount/);
  assert.throws(() => parseTft(''), /not an amount/);
});
