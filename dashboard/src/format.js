// Numbers as people read them. Pure functions over the chain's integers (BigInt for planck and
// USD units): the chain's amounts are never converted to floating point; display rounding is
// explicit and the exact value stays available (`exactTft`) for a tooltip.

/** Planck per TFT (7 decimals). */
export const PLANCK_PER_TFT = 10_000_000n;
/** `Usd` units per dollar: a month of seconds × 10¹² (`primitives/src/money.rs`). */
export const USD_UNITS_PER_DOLLAR = 2_592_000n * 10n ** 12n;
/** µUSD per dollar (billing's prices and quotes). */
export const MICRO_USD_PER_DOLLAR = 1_000_000n;

const group = (whole) => whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * `value / unit` with `decimals` decimals, rounded half up, grouped by thousands, trailing
 * zeros of the fraction dropped unless `keepZeros`.
 */
export function decimal(value, unit, decimals, { keepZeros = false } = {}) {
  const v = BigInt(value);
  const negative = v < 0n;
  const abs = negative ? -v : v;
  const scale = 10n ** BigInt(decimals);
  const scaled = (abs * scale * 2n + unit) / (unit * 2n);
  const whole = scaled / scale;
  let fraction = (scaled % scale).toString().padStart(decimals, '0');
  if (!keepZeros) fraction = fraction.replace(/0+$/, '');
  const text = fraction ? `${group(whole)}.${fraction}` : group(whole);
  return negative && scaled !== 0n ? `-${text}` : text;
}

/**
 * A TFT amount from planck for reading: four decimals at most ("1,234.5679 TFT"), and a
 * non-zero amount too small to show is "< 0.0001 TFT", never "0".
 */
export function formatTft(planck) {
  const v = BigInt(planck);
  const text = decimal(v, PLANCK_PER_TFT, 4);
  if (v !== 0n && (text === '0' || text === '-0')) return v > 0n ? '< 0.0001 TFT' : '> -0.0001 TFT';
  return `${text} TFT`;
}

/** The exact amount, every planck: "1.2345678 TFT". */
export function exactTft(planck) {
  return `${decimal(planck, PLANCK_PER_TFT, 7)} TFT`;
}

/** A dollar amount in `unitsPerDollar` units: cents from $10, three decimals below. */
function formatDollars(units, unitsPerDollar) {
  const v = BigInt(units);
  const decimals = v >= 10n * unitsPerDollar || v <= -10n * unitsPerDollar ? 2 : 3;
  return `$${decimal(v, unitsPerDollar, decimals, { keepZeros: true })}`;
}

/** µUSD (billing's quotes): "$3.024", "$12.50". */
export const formatMicroUsd = (micro) => formatDollars(micro, MICRO_USD_PER_DOLLAR);

/** Exact `Usd` units (minting's projections). */
export const formatUsd = (units) => formatDollars(units, USD_UNITS_PER_DOLLAR);

/** A TFT price in mUSD: "$0.080". */
export const formatPrice = (musd) => `$${decimal(musd, 1000n, 3, { keepZeros: true })}`;

/** Per mille as a percentage with one decimal: 953 → "95.3 %". */
export const formatPermille = (permille) => `${decimal(permille, 10n, 1, { keepZeros: true })} %`;

const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Bytes in binary units, up to two decimals: "8 GiB", "1.5 TiB". */
export function formatBytes(bytes) {
  let v = BigInt(bytes);
  let unit = 1n;
  let i = 0;
  while (i < BINARY.length - 1 && v >= unit * 1024n) {
    unit *= 1024n;
    i += 1;
  }
  return `${decimal(v, unit, 2)} ${BINARY[i]}`;
}

/** A duration in seconds, its two largest units: "3 d 4 h", "5 min 10 s", "40 s". */
export function formatDuration(seconds) {
  let s = Math.max(0, Math.round(Number(seconds)));
  const parts = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['min', 60],
    ['s', 1],
  ]) {
    if (s >= size || (unit === 's' && parts.length === 0)) {
      parts.push(`${Math.floor(s / size)} ${unit}`);
      s %= size;
    }
  }
  return parts.slice(0, 2).join(' ');
}

/** A Unix time in seconds as a local date and time, in the reader's locale and time zone. */
export function formatTime(unixSeconds, locale = undefined) {
  return new Date(Number(unixSeconds) * 1000).toLocaleString(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/** Byte strings the chain stores as names (`0x616c…`): text when printable, hex otherwise. */
export function text(hexOrBytes) {
  const hex = typeof hexOrBytes === 'string' ? hexOrBytes : (hexOrBytes?.toHex?.() ?? '');
  if (!hex.startsWith('0x')) return hex;
  const bytes = Uint8Array.from(hex.slice(2).match(/../g) ?? [], (b) => parseInt(b, 16));
  try {
    const decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return /^[\p{L}\p{N}\p{P}\p{Zs}]*$/u.test(decoded) ? decoded : hex;
  } catch {
    return hex;
  }
}

/** An IPv4 address (4 bytes, as hex) with its prefix: "185.206.122.33/24". */
export function formatIpv4(hex, prefix) {
  const octets = (hex.slice(2).match(/../g) ?? []).map((b) => parseInt(b, 16));
  return prefix === undefined ? octets.join('.') : `${octets.join('.')}/${prefix}`;
}

/** A long address shortened for tables: "5Grwva…utQY". */
export const shortAddress = (address) =>
  address.length > 14 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;

/**
 * A TFT amount typed by a person ("1.5", "20 TFT") in planck. Refuses anything else, and an
 * eighth decimal: a planck is the smallest amount, nothing is rounded.
 */
export function parseTft(input) {
  const s = String(input ?? '')
    .trim()
    .replace(/\s*tft$/i, '')
    .replace(/,/g, '');
  const m = /^(\d{1,12})(?:\.(\d{1,7}))?$/.exec(s);
  if (!m) {
    if (/^\d+\.\d{8,}$/.test(s))
      throw new Error(`"${input}" has more than 7 decimals: 0.0000001 TFT is the smallest amount`);
    throw new Error(`"${input}" is not an amount of TFT (for example 1.5)`);
  }
  return BigInt(m[1]) * PLANCK_PER_TFT + BigInt((m[2] ?? '').padEnd(7, '0'));
}

/** A chain enum variant as words: "NotCertified" → "not certified", "OutOfFunds" → "out of funds". */
export const words = (variant) =>
  String(variant)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
