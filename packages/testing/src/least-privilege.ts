import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type postgres from "postgres";

const repoFile = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

/** One instance's Postgres role (named after its schema) and its password. */
export interface InstanceRole {
  readonly schema: string;
  readonly password: string;
}

/**
 * Runs the compose stack's Postgres bootstrap (`docker/postgres/init/01-instances.sql`) on
 * `sql` (a superuser connection to a private cluster) for `roles` instead of the compose
 * instances: the same statements, so each role owns exactly its schema and may create nothing
 * else — `CREATE` on `public` revoked from everyone, as the file does.
 */
export async function bootstrapInstanceRoles(
  sql: postgres.Sql,
  roles: readonly InstanceRole[],
): Promise<void> {
  const script = readFileSync(repoFile("docker/postgres/init/01-instances.sql"), "utf8");
  const values = roles
    .map(
      (role) =>
        `('${role.schema.replaceAll("'", "''")}', '${role.password.replaceAll("'", "''")}')`,
    )
    .join(", ");
  const instancesList = /\(VALUES[\s\S]*?\) AS instances\(name, password\)/;
  if (!instancesList.test(script)) {
    throw new Error("01-instances.sql no longer has the `(VALUES …) AS instances` list");
  }
  await sql.unsafe(
    script.replace(instancesList, `(VALUES ${values}) AS instances(name, password)`),
  );
}

/**
 * Makes a private cluster (trust authentication, from `startPrivatePostgres`) check passwords on
 * TCP for every role but `postgres`, as a production server does: rewrites its `pg_hba.conf`
 * and reloads it. The test's own superuser connections keep working.
 */
export async function requirePasswords(sql: postgres.Sql): Promise<void> {
  const [{ hba_file: hbaFile }] = (await sql`show hba_file`) as unknown as [{ hba_file: string }];
  await writeFile(
    hbaFile,
    [
      "local all all trust",
      "host all postgres 127.0.0.1/32 trust",
      "host all all 127.0.0.1/32 scram-sha-256",
      "",
    ].join("\n"),
  );
  await sql`select pg_reload_conf()`;
}

/** One ACL user of `docker/redis/users.acl`, re-targeted at a test instance. */
export interface AclUser {
  readonly user: string;
  readonly password: string;
  /** The `ACL SETUSER` arguments (the rules of the file's line, re-targeted). */
  readonly setUser: readonly string[];
}

/**
 * The rules `docker/redis/users.acl` gives compose instance `template` (e.g.
 * `market-data-sim-binance`), applied to `instance` with `namespace` and `password` — what the
 * README's "adding an instance" asks for: the same key patterns (its key families under its
 * namespace, its own discovery key, the registry index, read access to the simulators' entries
 * for an engine) and commands (`-@all +@read +@write +@keyspace -@dangerous -scan -randomkey`).
 */
export function aclUserLike(
  template: string,
  instance: string,
  namespace: string,
  password: string,
): AclUser {
  const line = readFileSync(repoFile("docker/redis/users.acl"), "utf8")
    .split("\n")
    .find((entry) => entry.startsWith(`user ${template} `));
  if (line === undefined) throw new Error(`docker/redis/users.acl has no user ${template}`);
  const templateNamespace = `${template.replaceAll("-", ":")}:`;
  const rules = line
    .split(" ")
    .slice(2)
    .map((rule) =>
      rule.startsWith(">")
        ? `>${password}`
        : rule.replace(`~${templateNamespace}`, `~${namespace}`).replace(template, instance),
    );
  return { user: instance, password, setUser: [instance, ...rules] };
}
