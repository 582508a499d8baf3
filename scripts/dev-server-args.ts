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
export function dynamicConfigArgs(): string[] {
  return [
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value',
    'frontend.enableExecuteMultiOperation=true',
  ];
}
