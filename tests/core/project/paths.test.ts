import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { relativeModelPath, resolveModelPath } from '../../../src-main/core/project/paths';

describe('model paths', () => {
  it('resolve relative paths from the project folder and keep absolute ones', () => {
    expect(resolveModelPath('/projects/harbour', 'models/x.onnx')).toBe(path.resolve('/projects/harbour/models/x.onnx'));
    expect(resolveModelPath('/projects/harbour', '../shared/y.onnx')).toBe(path.resolve('/projects/shared/y.onnx'));
    // An absolute path (a model given on the command line, or kept absolute by Save As) is not re-rooted.
    expect(resolveModelPath('/work/here', '/tmp/models/z.onnx')).toBe(path.resolve('/tmp/models/z.onnx'));
    expect(relativeModelPath('/projects/harbour', '/projects/harbour/models/x.onnx')).toBe('models/x.onnx');
  });
});
