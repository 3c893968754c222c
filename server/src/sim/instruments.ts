/**
 * The simulated instruments and the parameters that shape their markets.
 *
 * Prices are integer ticks and quantities integer lots (docs/protocol.md): price = ticks × tickSize,
 * quantity = lots × lotSize. All simulator parameters below are in those units; the decimal strings are only
 * for display and travel to clients in `hello`.
 */
import type { InstrumentInfo } from '../../../src/protocol/messages.js';

export interface MarketParams {
  /** Initial mid price, in ticks. */
  initialMidTicks: number;
  /** Median size of a level at the touch, in lots. */
  touchQtyLots: number;
  /** Median size of an aggressive order, in lots. */
  tradeQtyLots: number;
  /** Standard deviation of the fair-value random walk per step, in ticks. */
  stepVolTicks: number;
  /** Typical size of a jump in fair value, in ticks. */
  jumpTicks: number;
  /** Prices that are a multiple of this many ticks attract more resting size ("round numbers"). */
  roundTicks: number;
}

export interface InstrumentSpec {
  info: InstrumentInfo;
  market: MarketParams;
}

/** BTC-USD: tick 0.1, lot 0.0001 BTC, mid ≈ 65,000. ETH-USD: tick 0.01, lot 0.001 ETH, mid ≈ 3,400. */
export const SIM_INSTRUMENTS: readonly InstrumentSpec[] = [
  {
    info: {
      id: 1,
      symbol: 'BTC-USD',
      venue: 'sim',
      tickSize: '0.1',
      lotSize: '0.0001',
      priceDecimals: 1,
      qtyDecimals: 4,
    },
    market: {
      initialMidTicks: 650_000,
      touchQtyLots: 2_500,
      tradeQtyLots: 1_200,
      stepVolTicks: 5,
      jumpTicks: 120,
      roundTicks: 100,
    },
  },
  {
    info: {
      id: 2,
      symbol: 'ETH-USD',
      venue: 'sim',
      tickSize: '0.01',
      lotSize: '0.001',
      priceDecimals: 2,
      qtyDecimals: 3,
    },
    market: {
      initialMidTicks: 340_000,
      touchQtyLots: 4_000,
      tradeQtyLots: 1_500,
      stepVolTicks: 3,
      jumpTicks: 60,
      roundTicks: 100,
    },
  },
];
