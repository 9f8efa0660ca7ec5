/** Which instruments the market data feed has. */
export interface InstrumentCatalog {
  /**
   * Whether the feed has `instrument`, asking it when the known list is old or lacks it;
   * rejects with a `ConnectError` (Unavailable) when it cannot be asked.
   */
  has(instrument: string): Promise<boolean>;
}
