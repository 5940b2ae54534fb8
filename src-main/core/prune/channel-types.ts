/**
 * The vocabulary of channel coupling, shared by the graph walk (`channel-graph.ts`) and the
 * per-operator rules (`channel-rules.ts`).
 *
 * An *atom* is one prunable channel as some producer (a convolution's output channel, a linear
 * layer's output feature) creates it. Operators that must lose the same channel together (both
 * operands of an Add, a depthwise convolution and its input) *tie* atoms; tied atoms form one
 * unit of pruning. Every tensor the walk understands has a channel map: the atom at each position
 * along its channel axis (a Flatten repeats each atom over the spatial positions it covers).
 */
import type { Model, Node } from '../onnx/ir';

/** The atom at each position along a tensor's channel axis; -1 where no prunable channel sits. */
export interface ChannelMap {
  axis: number;
  atoms: Int32Array;
}

/**
 * How a sliced tensor relates to the channel: a producer's own weights (a filter, a row of a
 * linear layer), a consumer's input weights, a normalisation's scale (BatchNorm's gamma) or other
 * parameters, a bias, a depthwise filter, or a constant operand of an element-wise op.
 */
export type SliceRole = 'producer' | 'consumer' | 'scale' | 'norm' | 'bias' | 'depthwise' | 'elementwise';

/** One initializer axis that loses a position whenever the atom there is pruned. */
export interface Slice {
  node: string;
  tensor: string;
  axis: number;
  role: SliceRole;
  atoms: Int32Array;
}

/** Attributes and constants that follow the surviving channel counts. */
export type ChannelEdit =
  /** A depthwise convolution: `group` becomes the number of input channels kept. */
  | { kind: 'group'; node: string; atoms: Int32Array }
  /** A Split on the channel axis: each output's size becomes its kept positions. */
  | { kind: 'split'; node: string; outputs: Int32Array[] }
  /** A flattening Reshape with an explicit feature count: that count becomes the kept positions. */
  | { kind: 'reshape'; node: string; shapeTensor: string; axis: number; atoms: Int32Array };

/** What a rule sees of the walk and can do to it. */
export interface RuleContext {
  node: Node;
  model: Model;
  /** The concrete shape of a tensor, or null when shape inference could not tell. */
  shape(tensor: string): number[] | null;
  /** The channel map of a tensor, or null when it has none (the network input, shape tensors). */
  map(tensor: string): ChannelMap | null;
  setMap(tensor: string, map: ChannelMap | null): void;
  /** `count` new atoms produced by this node. */
  newAtoms(count: number): Int32Array;
  /** Positions i of `a` and `b` must be pruned together. Maps of different lengths cannot be tied: both freeze. */
  tie(a: Int32Array, b: Int32Array): void;
  /** These atoms can never be pruned; `reason` is the sentence that says why, naming the node. */
  freeze(atoms: Int32Array, reason: string): void;
  isInitializer(tensor: string): boolean;
  /** Records that `tensor` (an initializer) loses position p of `axis` when `atoms[p]` is pruned. */
  slice(tensor: string, axis: number, atoms: Int32Array, role: SliceRole): void;
  edit(edit: ChannelEdit): void;
  /** Atoms of which at least one must survive (a Split output cannot become empty). */
  keepOne(atoms: Int32Array): void;
}

export type ChannelRule = (ctx: RuleContext) => void;
