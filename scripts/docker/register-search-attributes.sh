#!/bin/sh
# Creates the namespace and registers the invoice workflows' custom search attributes (the list
# in workflows/search-attributes.ts; a test keeps the two the same). Safe to run again.
set -e
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do sleep 2; done
temporal operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace default >/dev/null 2>&1 ||
  temporal operator namespace create --address "$TEMPORAL_ADDRESS" --namespace default --retention 72h
# The new namespace reaches the frontend's cache within 10 s.
until temporal operator search-attribute list --address "$TEMPORAL_ADDRESS" --namespace default >/dev/null 2>&1; do
  sleep 2
done
for pair in InvoiceStatus=Keyword CustomerId=Keyword AccountId=Keyword AmountDue=Int Currency=Keyword \
  InvoiceNumber=Keyword NextDeadline=Datetime; do
  name=${pair%%=*}
  type=${pair#*=}
  temporal operator search-attribute create --address "$TEMPORAL_ADDRESS" --namespace default \
    --name "$name" --type "$type" || true
done
