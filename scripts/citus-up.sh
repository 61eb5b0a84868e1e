#!/usr/bin/env bash
# Start ../shared/citus's cluster and wait until it is set up. A node that was not shut
# down cleanly (the machine stopped with the cluster running) replays its WAL on start;
# after a long test run that can take minutes, past pg_ctl's 60 s wait, and cluster.sh
# then fails although the server goes on starting. cluster.sh is idempotent (a running
# node is left alone), so it is run again until every node is up and set up, for at most
# about 15 minutes.
set -uo pipefail
cluster=../shared/citus/cluster.sh
for attempt in $(seq 1 40); do
  "$cluster" start && exit 0
  echo "citus: not up yet (attempt $attempt; a node may be replaying its WAL); retrying in 20 s" >&2
  sleep 20
done
echo "citus: the cluster did not come up" >&2
exit 1
