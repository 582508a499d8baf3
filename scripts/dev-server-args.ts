// Flags every dev server of ours starts with, whether `npm start` or the test setup runs it.
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

const SEARCH_ATTRIBUTE_CLI_TYPES: Record<string, string> = {
  KEYWORD: 'Keyword',
  TEXT: 'Text',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

export function searchAttributeArgs(): string[] {
  return ALL_SEARCH_ATTRIBUTES.flatMap((key) => [
    '--search-attribute',
    `${key.name}=${SEARCH_ATTRIBUTE_CLI_TYPES[key.type]}`,
  ]);
}

// Updates and update-with-start are what every write goes through: switch them on explicitly.
// One partition per task queue, not the server's four: with one matching host and one worker,
// partitions only forward tasks and polls between themselves, and a first workflow task
// dispatched twice that way clears the workflow's context in the history service, aborting the
// update in flight (about one write in 300 stalled for seconds). Measured in bench/RESULTS.md.
export function dynamicConfigArgs(): string[] {
  return [
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value',
    'frontend.enableExecuteMultiOperation=true',
    '--dynamic-config-value',
    'matching.numTaskqueueReadPartitions=1',
    '--dynamic-config-value',
    'matching.numTaskqueueWritePartitions=1',
  ];
}
