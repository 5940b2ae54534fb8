/**
 * Dependency groups over the IR (after Torch-Pruning's DepGraph, Fang et al., CVPR 2023): which
 * channels must be pruned together, and every tensor slice each one indexes.
 *
 * The walk visits the nodes in order and asks each operator's rule (`channel-rules.ts`) how it
 * couples channels. Tied atoms become one *channel*; the channels of producers that are tied
 * together (a residual stage's convolutions, an expansion and its depthwise convolution) form a
 * *group*. Channels that reach the graph outputs, and channels that pass an operator Joule has no
 * rule for, are frozen, and the group that holds them is left alone with a note naming the node.
 *
 * @example
 *   const graph = buildChannelGraph(model);
 *   graph.groups.filter((g) => g.prunable).map((g) => [g.producers[0], g.size]); // [['conv1', 32], ...]
 */
import type { Model } from '../onnx/ir';
import { inferValues } from '../onnx/shapes';
import { CHANNEL_RULES } from './channel-rules';
import type { ChannelEdit, ChannelMap, RuleContext, Slice, SliceRole } from './channel-types';
import { PruningError } from './errors';
import { UnionFind } from './union-find';

/** One tensor slice a group's channels index: `channelOf[p]` is the group's channel at position p, or -1. */
export interface GroupDependency {
  node: string;
  tensor: string;
  axis: number;
  role: SliceRole;
  channelOf: Int32Array;
}

/** Channels that must be pruned together, as data: the producers first, then every slice they index. */
export interface ChannelGroup {
  id: number;
  /** Nodes whose output channels are this group's channels (convolutions, linear layers), in graph order. */
  producers: string[];
  /** Number of channels. */
  size: number;
  prunable: boolean;
  /** Why the group stays, naming the node; null when it is prunable. */
  reason: string | null;
  dependencies: GroupDependency[];
  /** Node outputs that carry the group's channels (for activation statistics), with the op that made each. */
  activations: { tensor: string; op: string; axis: number; channelOf: Int32Array }[];
}

export interface ChannelGraph {
  model: Model;
  groups: ChannelGroup[];
  /** Group and channel of every atom (-1 for none). */
  atomGroup: Int32Array;
  atomChannel: Int32Array;
  slices: Slice[];
  edits: ChannelEdit[];
  /** Atom lists of which at least one must survive. */
  keepOne: Int32Array[];
}

export function buildChannelGraph(model: Model): ChannelGraph {
  let values;
  try {
    values = inferValues(model, { batch: 1 });
  } catch (error) {
    throw new PruningError(`Cannot prune a model whose shapes Joule cannot infer: ${(error as Error).message}`);
  }
  const atoms = new UnionFind();
  const atomNode: string[] = [];
  const frozen: { atom: number; reason: string }[] = [];
  const maps = new Map<string, ChannelMap | null>();
  const slices: Slice[] = [];
  const sliceIndex = new Map<string, Slice>();
  const edits: ChannelEdit[] = [];
  const keepOne: Int32Array[] = [];
  const produced: { tensor: string; op: string; map: ChannelMap }[] = [];
  const initializers = model.graph.initializers;

  for (const node of model.graph.nodes) {
    const context: RuleContext = {
      node,
      model,
      shape: (t) => (t ? (values.get(t)?.shape ?? null) : null),
      map: (t) => (t ? (maps.get(t) ?? null) : null),
      setMap(t, m) {
        maps.set(t, m);
        if (m) produced.push({ tensor: t, op: node.opType, map: m });
      },
      newAtoms(count) {
        const out = new Int32Array(count);
        for (let i = 0; i < count; i++) {
          out[i] = atoms.add();
          atomNode.push(node.name);
        }
        return out;
      },
      tie(a, b) {
        if (a.length !== b.length) {
          const reason = `${node.opType} '${node.name}' joins ${a.length} channels with ${b.length}, so they stay.`;
          context.freeze(a, reason);
          context.freeze(b, reason);
          return;
        }
        for (let i = 0; i < a.length; i++) if (a[i] >= 0 && b[i] >= 0) atoms.union(a[i], b[i]);
      },
      freeze(list, reason) {
        for (const atom of list) if (atom >= 0) frozen.push({ atom, reason });
      },
      isInitializer: (t) => !!t && initializers.has(t),
      slice(tensor, axis, list, role) {
        const key = `${tensor}\u0000${axis}`;
        const previous = sliceIndex.get(key);
        // A weight shared by two nodes must lose the same positions for both.
        if (previous) context.tie(previous.atoms, list);
        const slice = { node: node.name, tensor, axis, role, atoms: list };
        if (!previous) sliceIndex.set(key, slice);
        slices.push(slice);
      },
      edit: (e) => void edits.push(e),
      keepOne: (list) => void keepOne.push(list),
    };
    const rule = node.domain === '' || node.domain === 'ai.onnx' ? CHANNEL_RULES[node.opType] : undefined;
    if (rule) rule(context);
    else {
      for (const input of node.inputs) {
        const m = context.map(input);
        if (m) context.freeze(m.atoms, `Operator '${node.opType}' at node '${node.name}' has no pruning rule, so the channels reaching it stay.`);
      }
      for (const out of node.outputs) if (out) maps.set(out, null);
    }
  }
  for (const output of model.graph.outputs) {
    const m = maps.get(output.name);
    if (m) frozen.push(...[...m.atoms].filter((a) => a >= 0).map((atom) => ({ atom, reason: `These channels reach the network output '${output.name}', whose shape must not change.` })));
  }
  return groupAtoms(model, atoms, atomNode, frozen, slices, edits, keepOne, produced);
}

/** Channels (tied atoms) and groups (channels of tied producers), and each group's dependencies. */
function groupAtoms(
  model: Model,
  atoms: UnionFind,
  atomNode: string[],
  frozen: { atom: number; reason: string }[],
  slices: Slice[],
  edits: ChannelEdit[],
  keepOne: Int32Array[],
  produced: { tensor: string; op: string; map: ChannelMap }[],
): ChannelGraph {
  const n = atoms.count;
  // Groups: every channel produced by one node belongs with that node's other channels.
  const groupsOf = new UnionFind();
  for (let i = 0; i < n; i++) groupsOf.add();
  for (let i = 1; i < n; i++) if (atomNode[i] === atomNode[i - 1]) groupsOf.union(atoms.find(i), atoms.find(i - 1));
  const groupIndex = new Map<number, number>();
  const channelIndex = new Map<number, number>();
  const atomGroup = new Int32Array(n).fill(-1);
  const atomChannel = new Int32Array(n).fill(-1);
  const groups: ChannelGroup[] = [];
  for (let i = 0; i < n; i++) {
    const channelRoot = atoms.find(i);
    const groupRoot = groupsOf.find(channelRoot);
    let g = groupIndex.get(groupRoot);
    if (g === undefined) {
      g = groups.length;
      groupIndex.set(groupRoot, g);
      groups.push({ id: g, producers: [], size: 0, prunable: true, reason: null, dependencies: [], activations: [] });
    }
    const group = groups[g];
    let c = channelIndex.get(channelRoot);
    if (c === undefined) {
      c = group.size++;
      channelIndex.set(channelRoot, c);
    }
    atomGroup[i] = g;
    atomChannel[i] = c;
    if (group.producers.at(-1) !== atomNode[i] && !group.producers.includes(atomNode[i])) group.producers.push(atomNode[i]);
  }
  for (const { atom, reason } of frozen) {
    const group = groups[atomGroup[atom]];
    if (group.prunable) {
      group.prunable = false;
      group.reason = reason;
    }
  }
  /** channelOf per group for an atom list: the group's channel at each position, -1 elsewhere. */
  const perGroup = (list: Int32Array) => {
    const byGroup = new Map<number, Int32Array>();
    list.forEach((atom, p) => {
      if (atom < 0) return;
      const g = atomGroup[atom];
      let channelOf = byGroup.get(g);
      if (!channelOf) {
        channelOf = new Int32Array(list.length).fill(-1);
        byGroup.set(g, channelOf);
      }
      channelOf[p] = atomChannel[atom];
    });
    return byGroup;
  };
  for (const slice of slices) {
    for (const [g, channelOf] of perGroup(slice.atoms)) groups[g].dependencies.push({ node: slice.node, tensor: slice.tensor, axis: slice.axis, role: slice.role, channelOf });
  }
  for (const { tensor, op, map } of produced) {
    for (const [g, channelOf] of perGroup(map.atoms)) groups[g].activations.push({ tensor, op, axis: map.axis, channelOf });
  }
  return { model, groups, atomGroup, atomChannel, slices, edits, keepOne };
}
