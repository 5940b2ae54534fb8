/**
 * Shape rules for the recurrent layers LSTM, GRU and RNN: Y is [seq, directions, batch, hidden]
 * ([batch, seq, directions, hidden] with layout 1), the last hidden (and LSTM cell) state
 * [directions, batch, hidden] ([batch, directions, hidden] with layout 1).
 */
import { attrInt, attrString } from '../ir';
import type { ShapeRule } from '../shape-rule';

/** Gates per step: LSTM 4 (input, output, forget, cell), GRU 3, RNN 1. */
export const RECURRENT_GATES: Record<string, number> = { LSTM: 4, GRU: 3, RNN: 1 };

const recurrent: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  if (x.length !== 3) throw ctx.error(`needs a 3-d input [sequence, batch, features], got [${x.join(', ')}]`);
  const layout = attrInt(ctx.node, 'layout', 0);
  const [seq, batch] = layout === 1 ? [x[1], x[0]] : [x[0], x[1]];
  const dirs = attrString(ctx.node, 'direction', 'forward') === 'bidirectional' ? 2 : 1;
  const gates = RECURRENT_GATES[ctx.node.opType];
  const w = ctx.shape(1);
  const hidden = ctx.node.attributes.hidden_size ? attrInt(ctx.node, 'hidden_size') : w[1] / gates;
  if (w[0] !== dirs || w[1] !== gates * hidden) throw ctx.error(`has weights [${w.join(', ')}] for ${dirs} direction(s) of ${gates} x ${hidden} units`);
  const dtype = ctx.dtype(0);
  const y = layout === 1 ? [batch, seq, dirs, hidden] : [seq, dirs, batch, hidden];
  const state = layout === 1 ? [batch, dirs, hidden] : [dirs, batch, hidden];
  return ctx.node.outputs.map((_, i) => ({ dtype, shape: i === 0 ? y : state }));
};

export const recurrentRules: Record<string, ShapeRule> = { LSTM: recurrent, GRU: recurrent, RNN: recurrent };
