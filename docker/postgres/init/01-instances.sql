-- Per-instance schemas and least-privilege roles (docs/data-model.md#instance-identity,
-- docs/data-model.md#postgres-roles). Idempotent: safe on a fresh volume (the postgres image runs
-- it once, from /docker-entrypoint-initdb.d, in the application database) and when re-run by hand
-- (`psql -f`, connected to that database). Each role logs in to the application database only, owns
-- exactly its own schema, and may create nothing else: no schema, nothing in `public`, no temporary
-- table. The passwords are development credentials that match docker-compose.yml; production sets
-- its own (ALTER ROLE … PASSWORD …).
--
-- PUBLIC (every role, present and future) gets CONNECT and TEMPORARY on every database by
-- default; revoking them from one role changes nothing while PUBLIC keeps them. So they are
-- revoked from PUBLIC here — on the application database and on the `postgres` and `template1`
-- maintenance databases — and CONNECT is granted back to the instance roles on the application
-- database alone. (Superusers are not affected: they bypass privilege checks.)
--
-- Adding an instance: its SERVICE_INSTANCE_NAME `market-data-sim-kraken` derives the schema and
-- role `market_data_sim_kraken` (dashes to underscores); add one line to the list below.

REVOKE CREATE ON SCHEMA public FROM PUBLIC;

DO $bootstrap$
DECLARE
  instance record;
  database name;
BEGIN
  FOR database IN
    SELECT datname FROM pg_database
    WHERE datname IN (current_database(), 'postgres', 'template1')
  LOOP
    EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', database);
  END LOOP;
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
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM %I', current_database(), instance.name);
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), instance.name);
    EXECUTE format('ALTER ROLE %I SET search_path = %I', instance.name, instance.name);
  END LOOP;
END
$bootstrap$;
