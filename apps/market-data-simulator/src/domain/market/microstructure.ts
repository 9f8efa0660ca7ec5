import type { SeededRandom } from "../random/seeded-random.js";

/** How a symbol trades around its mid price. */
export interface Microstructure {
  /** The price grid (> 0), e.g. 0.01. Prices are rounded to it on output only. */
  readonly tickSize: number;
  /** Quoted spread in basis points of the mid (≥ 0); at least one tick wide in any case. */
  readonly spreadBps: number;
  /** Expected traded quantity per day in base units (> 0); sets trade and quote sizes. */
  readonly baseVolumePerDay: number;
}

/** Best bid and offer with their sizes. */
export interface TopOfBook {
  readonly bid: number;
  readonly ask: number;
  readonly bidSize: number;
  readonly askSize: number;
}

/** A price level: `[price, quantity]`. */
export type BookLevel = readonly [price: number, quantity: number];

/** An L2 book: bids best (highest) first, asks best (lowest) first. */
export interface OrderBook {
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
}

/** One synthetic trade of the tape. */
export interface Trade {
  readonly price: number;
  readonly quantity: number;
  /** The aggressor: `buy` lifted the offer, `sell` hit the bid. */
  readonly side: "buy" | "sell";
}

/** Decimal places of a tick size (`0.01` → 2, `0.5` → 1, `5` → 0). */
export function tickDecimals(tickSize: number): number {
  const text = String(tickSize);
  const exponent = /e-(\d+)$/.exec(text);
  if (exponent !== null)
    return Number(exponent[1]) + (text.split("e")[0]?.split(".")[1]?.length ?? 0);
  return text.split(".")[1]?.length ?? 0;
}

/**
 * `price` on the tick grid: rounded down, up or to the nearest tick, printed with the tick's
 * decimals so `0.1 + 0.2` style noise never shows (`100.07`, not `100.07000000000001`).
 */
export function roundToTick(
  price: number,
  tickSize: number,
  mode: "down" | "up" | "nearest",
): number {
  const ticks = price / tickSize;
  // A hair of tolerance so a price already on the grid is not pushed a tick by float noise.
  const steps =
    mode === "down"
      ? Math.floor(ticks + 1e-9)
      : mode === "up"
        ? Math.ceil(ticks - 1e-9)
        : Math.round(ticks);
  return Number((steps * tickSize).toFixed(tickDecimals(tickSize)));
}

/** Mean quantity of one quote level: about a minute of expected volume. */
function levelSize(micro: Microstructure): number {
  return micro.baseVolumePerDay / 1_440;
}

/**
 * The quote around `mid`: bid rounded down and ask rounded up to the tick grid from a spread of
 * `spreadBps` (at most 10 000), never less than one tick, so `bid < ask` and `bid ≤ mid ≤ ask`
 * hold and the bid is at least one tick for any mid of two ticks or more (the price floor keeps
 * every mid at 100 ticks or more; below two ticks the bid is still one tick, above the mid).
 * Sizes are log-normal around a minute of volume.
 */
export function makeTopOfBook(mid: number, micro: Microstructure, random: SeededRandom): TopOfBook {
  const half = (mid * micro.spreadBps) / 20_000;
  const bid = Math.max(micro.tickSize, roundToTick(mid - half, micro.tickSize, "down"));
  let ask = roundToTick(mid + half, micro.tickSize, "up");
  if (ask <= bid) ask = roundToTick(bid + micro.tickSize, micro.tickSize, "nearest");
  const size = levelSize(micro);
  return {
    bid,
    ask,
    bidSize: roundQuantity(size * random.logNormal(-0.125, 0.5)),
    askSize: roundQuantity(size * random.logNormal(-0.125, 0.5)),
  };
}

/**
 * An L2 book of `depth` levels a side consistent with `top`: the first level of each side is
 * the quote itself (price and size), deeper levels step away by whole ticks (wider as the book
 * thins) with sizes growing with depth.
 */
export function makeOrderBook(
  top: TopOfBook,
  micro: Microstructure,
  depth: number,
  random: SeededRandom,
): OrderBook {
  const bids: BookLevel[] = [[top.bid, top.bidSize]];
  const asks: BookLevel[] = [[top.ask, top.askSize]];
  const size = levelSize(micro);
  let bidPrice = top.bid;
  let askPrice = top.ask;
  for (let level = 1; level < depth; level++) {
    const step = micro.tickSize * (1 + Math.floor(random.uniform() * (1 + level / 4)));
    bidPrice = roundToTick(bidPrice - step, micro.tickSize, "nearest");
    askPrice = roundToTick(askPrice + step, micro.tickSize, "nearest");
    const growth = 1 + level * 0.35;
    if (bidPrice > 0)
      bids.push([bidPrice, roundQuantity(size * growth * random.logNormal(-0.125, 0.5))]);
    asks.push([askPrice, roundQuantity(size * growth * random.logNormal(-0.125, 0.5))]);
  }
  return { bids, asks };
}

/**
 * The trades of one step of `dtSeconds` that moved the mid from `previousMid` to `mid`: a
 * Poisson number of trades (about one per 2 s of a normal day's volume), buys at the ask when
 * the price rose and sells at the bid when it fell (a flat step mixes both), log-normal
 * quantities whose expected total over a day is `baseVolumePerDay`.
 */
export function makeTrades(
  previousMid: number,
  mid: number,
  top: TopOfBook,
  micro: Microstructure,
  dtSeconds: number,
  random: SeededRandom,
): Trade[] {
  const tradesPerSecond = 0.5;
  const count = poisson(tradesPerSecond * dtSeconds, random);
  const meanQuantity = micro.baseVolumePerDay / (86_400 * tradesPerSecond);
  const trades: Trade[] = [];
  for (let i = 0; i < count; i++) {
    const buy =
      mid > previousMid
        ? random.uniform() < 0.8
        : mid < previousMid
          ? random.uniform() < 0.2
          : random.uniform() < 0.5;
    // E[lognormal(-s²/2, s)] = 1, so quantities average meanQuantity.
    const quantity = roundQuantity(meanQuantity * random.logNormal(-0.5, 1));
    if (quantity > 0)
      trades.push({ price: buy ? top.ask : top.bid, quantity, side: buy ? "buy" : "sell" });
  }
  return trades;
}

/**
 * `quantity` on the stores' scale of 8 decimals. Sums of quantities go through it too, so a
 * volume shows `20.31000001`, never the float noise of `20.310000010000003`.
 */
export function roundQuantity(quantity: number): number {
  return Math.round(quantity * 1e8) / 1e8;
}

/** A Poisson draw (Knuth's method for small means, a rounded normal for large ones). */
export function poisson(mean: number, random: SeededRandom): number {
  if (mean <= 0) return 0;
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.normal()));
  const limit = Math.exp(-mean);
  let count = 0;
  let product = random.uniform();
  while (product > limit) {
    count += 1;
    product *= random.uniform();
  }
  return count;
}
