/**
 * Reading the config file's YAML. Aliases (`teams: *common`) are resolved here in one pass instead of
 * by the yaml library's `toJS`, which looks each alias's anchor up by scanning every anchor and alias
 * before it (10,000 series reusing three anchors took minutes) and refuses more than 100 uses in all
 * (a generated file of 120 series could not start). The guard against alias bombs is kept, measured
 * exactly: the document with every alias written out may hold at most MAX_EXPANDED_NODES(text) nodes.
 */
import { isAlias, isCollection, isPair, parseDocument, visit, type Node } from 'yaml';

/** Nodes the document may hold with its aliases written out: one per character of the file, at least 10,000. */
export function maxExpandedNodes(text: string): number {
  return Math.max(10_000, text.length);
}

/** What the yaml library refused, or why the aliases were; the message is one line for a person. */
export class YamlProblem extends Error {
  override readonly name = 'YamlProblem';
}

/** The document as plain data (integers as bigint, so that an unquoted Discord id keeps every digit). */
export function readYaml(text: string): unknown {
  const doc = parseDocument(text, { intAsBigInt: true, prettyErrors: true });
  const [error] = doc.errors;
  if (error) throw new YamlProblem(`is not valid YAML: ${error.message.split('\n')[0] ?? ''}`);

  // Pass 1, in document order: each alias names the last node before it with that anchor.
  const anchored = new Map<string, Node>();
  const targets = new Map<Node, Node>();
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        const target = anchored.get(node.source);
        if (!target) throw new YamlProblem(`uses the alias *${node.source} before any &${node.source}; define the anchor first`);
        targets.set(node, target);
      } else if (node.anchor !== undefined) {
        anchored.set(node.anchor, node);
      }
    },
  });
  if (targets.size === 0) return doc.toJS();

  const limit = maxExpandedNodes(text);
  if (expandedSize(doc.contents, targets) > limit) {
    throw new YamlProblem(
      `would hold more than ${limit} values with its aliases (*name) written out (one per character of the file): an alias bomb, anchors nested in anchors; write the repeated values out or nest anchors less`,
    );
  }
  // Pass 2: each alias replaced by the node it names (bounded by the check above), then plain data.
  visit(doc, { Alias: (_key, node) => targets.get(node) });
  return doc.toJS();
}

/** The node count of `root` with every alias written out; counts of aliased nodes are kept, so each is counted once. */
function expandedSize(root: unknown, targets: ReadonlyMap<Node, Node>): number {
  const sizes = new Map<unknown, number>();
  const counting = new Set<unknown>();
  const size = (node: unknown): number => {
    if (node === null || node === undefined) return 0;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (counting.has(node)) throw new YamlProblem('has an alias inside the value it names (a cycle); a configuration cannot be infinite');
    counting.add(node);
    let total = 1;
    if (isAlias(node)) total = size(targets.get(node));
    else if (isPair(node)) total = size(node.key) + size(node.value);
    else if (isCollection(node)) for (const item of node.items) total += size(item);
    counting.delete(node);
    sizes.set(node, total);
    return total;
  };
  return size(root);
}
