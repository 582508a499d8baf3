#!/bin/sh
# docker-compose's temporal-schema service (temporalio/admin-tools): creates Temporal's two
# databases on our Postgres and sets up or updates their schemas with the schemas built into
# temporal-sql-tool, as scripts/temporal-cluster.ts does for `npm run cluster`. Safe to run again.
set -e
for pair in temporal:postgresql/v12/temporal temporal_visibility:postgresql/v12/visibility; do
  db=${pair%%:*}
  schema=${pair#*:}
  tool() {
    temporal-sql-tool --plugin postgres12 --endpoint "$TEMPORAL_POSTGRES_HOST" \
      --port "$TEMPORAL_POSTGRES_PORT" --user "$TEMPORAL_POSTGRES_USER" \
      --password "$TEMPORAL_POSTGRES_PASSWORD" --database "$db" "$@"
  }
  tool create-database || true # exists already
  if ! tool update-schema --schema-name "$schema"; then
    tool setup-schema --version 0.0
    tool update-schema --schema-name "$schema"
  fi
done
