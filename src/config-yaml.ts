/**
 * Reading the config file's YAML with js-yaml (YAML 1.2's core schema). The `yaml` library, which
 * writes and reads the notes' front matter, is not used here: on a generated file of 2,500 series
 * its syntax tree took 0.7 s and left 100 MiB of resident memory in every shard process, against
 * 0.1 s and 28 MiB (docs/performance.md). Aliases (`teams: *common`) are shared values, any number of
 * them; the guard against alias bombs is measured exactly: the document with every alias written out
 * may hold at most maxExpandedNodes(text) values.
 */
import { CORE_SCHEMA, defineScalarTag, intCoreTag, loadAll, NOT_RESOLVED, YAMLException } from 'js-yaml';

/** Values the document may hold with its aliases written out: one per character of the file, at least 10,000. */
export function maxExpandedNodes(text: string): number {
  return Math.max(10_000, text.length);
}

/** What the YAML reader refused, or why the aliases were; the message is one line for a person. */
export class YamlProblem extends Error {
  override readonly name = 'YamlProblem';
}

/** The core schema's integers as bigint, so that an unquoted Discord id (above 2^53) keeps every digit. */
const bigIntegers = defineScalarTag('tag:yaml.org,2002:int', {
  implicit: true,
  implicitFirstChars: intCoreTag.implicitFirstChars,
  resolve: (source, isExplicit, tagName) => {
    const value = intCoreTag.resolve(source, isExplicit, tagName);
    if (value === NOT_RESOLVED) return NOT_RESOLVED;
    // Decimal digits are read exactly; 0x, 0o and 0b forms are small enough for the number.
    return /^[-+]?[0-9]+$/.test(source) ? BigInt(source.replace(/^\+/, '')) : BigInt(value);
  },
  identify: () => false,
});
const schema = CORE_SCHEMA.withTags(bigIntegers);

/** The document as plain data, or undefined when the file holds no document (empty, or comments only). */
export function readYaml(text: string): unknown {
  let documents: unknown[];
  try {
    documents = loadAll(text, { schema });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const alias = /^unidentified alias "(.*)"$/.exec(error.reason)?.[1];
    if (alias !== undefined) throw new YamlProblem(`uses the alias *${alias} before any &${alias}; define the anchor first`);
    const where = error.mark ? ` (line ${error.mark.line + 1}, column ${error.mark.column + 1})` : '';
    throw new YamlProblem(`is not valid YAML: ${error.reason}${where}`);
  }
  if (documents.length > 1) throw new YamlProblem(`holds ${documents.length} YAML documents (--- between them); a config file is one document`);
  const [document] = documents;
  const limit = maxExpandedNodes(text);
  if (expandedSize(document) > limit) {
    throw new YamlProblem(
      `would hold more than ${limit} values with its aliases (*name) written out (one per character of the file): an alias bomb, anchors nested in anchors; write the repeated values out or nest anchors less`,
    );
  }
  return document;
}

/** The value count of `root` with every shared value (an alias) written out; each shared value is counted once. */
function expandedSize(root: unknown): number {
  const sizes = new Map<object, number>();
  const counting = new Set<object>();
  const size = (value: unknown): number => {
    if (typeof value !== 'object' || value === null) return 1;
    const known = sizes.get(value);
    if (known !== undefined) return known;
    if (counting.has(value)) throw new YamlProblem('has an alias inside the value it names (a cycle); a configuration cannot be infinite');
    counting.add(value);
    let total = 1;
    for (const item of Object.values(value)) total += size(item);
    counting.delete(value);
    sizes.set(value, total);
    return total;
  };
  return size(root);
}
