import { qualifiedName, quoteIdentifier } from "@tse/instance-naming";
import type { Migration } from "@tse/postgres-kit";

/**
 * `engine_state`: the engine's own state that must survive a restart (an engaged circuit
 * breaker, changed risk limits, …), one JSON object per key. The key pattern and the object
 * check are those `validateEngineState` applies, so a row written by hand cannot hold what the
 * store would refuse. Idempotent (`if not exists`), like 0001.
 */
export const createEngineState: Migration = {
  version: 2,
  name: "create_engine_state",
  sql: (schema) => {
    const name = quoteIdentifier;
    return `
create table if not exists ${qualifiedName(schema, "engine_state")} (
  key text constraint ${name("engine_state_pkey")} primary key
    constraint ${name("engine_state_key_check")} check (key ~ '^[a-z][a-z0-9_]{0,62}$'),
  value jsonb not null
    constraint ${name("engine_state_value_check")} check (jsonb_typeof(value) = 'object'),
  updated_at timestamptz not null
);
`;
  },
};
