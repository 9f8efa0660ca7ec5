-- Per-instance schemas and least-privilege roles (DESIGN §3, §6). Idempotent: safe on a fresh
-- volume (the postgres image runs it once, from /docker-entrypoint-initdb.d) and when re-run by
-- hand (`psql -f`). Each role logs in, owns exactly its own schema, and may create nothing else:
-- no schema in the database, nothing in `public`. The passwords are development credentials that
-- match docker-compose.yml; production sets its own (ALTER ROLE … PASSWORD …).
--
-- Adding an instance: its SERVICE_INSTANCE_NAME `market-data-sim-kraken` derives the schema and
-- role `market_data_sim_kraken` (dashes to underscores); add one line to the list below.

REVOKE CREATE ON SCHEMA public FROM PUBLIC;

DO $bootstrap$
DECLARE
  instance record;
BEGIN
  FOR instance IN
    SELECT * FROM (VALUES
      ('market_data_sim_binance', 'market_data_sim_binance_dev'),
      ('market_data_sim_coinbase', 'market_data_sim_coinbase_dev'),
      ('trading_engine_lh', 'trading_engine_lh_dev')
    ) AS instances(name, password)
  LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = instance.name) THEN
      EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', instance.name, instance.password);
    ELSE
      EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', instance.name, instance.password);
    END IF;
    EXECUTE format('ALTER ROLE %I NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT', instance.name);
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', instance.name, instance.name);
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', instance.name, instance.name);
    EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', instance.name);
    EXECUTE format('REVOKE CREATE, TEMPORARY ON DATABASE %I FROM %I', current_database(), instance.name);
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), instance.name);
    EXECUTE format('ALTER ROLE %I SET search_path = %I', instance.name, instance.name);
  END LOOP;
END
$bootstrap$;
