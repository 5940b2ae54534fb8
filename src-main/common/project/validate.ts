/** Validation of a whole project document, schema plus references to the device library. */
import { describeValue, parseWith, type ValidationProblem } from '../validation';
import { projectSchema, type ProjectDocument } from './schema';

export type ProjectValidation = { ok: true; document: ProjectDocument } | { ok: false; problems: ValidationProblem[] };

/**
 * Validates a parsed (and migrated) project. `deviceTypes` are the library ids the project may use;
 * pass null to skip that check.
 *
 * @example validateProject(JSON.parse(text), ['raspberry-pi-4']) // { ok: false, problems: [{ path: 'devices[0].ramMB', ... }] }
 */
export function validateProject(data: unknown, deviceTypes: readonly string[] | null): ProjectValidation {
  const parsed = parseWith(projectSchema, data);
  if (!parsed.ok) return parsed;
  const problems = deviceTypes ? unknownDeviceTypes(parsed.value, deviceTypes) : [];
  return problems.length ? { ok: false, problems } : { ok: true, document: parsed.value };
}

function unknownDeviceTypes(document: ProjectDocument, deviceTypes: readonly string[]): ValidationProblem[] {
  const known = new Set(deviceTypes);
  const listing = [...deviceTypes].sort().join(', ');
  const problems: ValidationProblem[] = [];
  const report = (path: string, type: string) =>
    problems.push({ path, message: `unknown device type ${describeValue(type)}; the library has ${listing}` });
  document.devices.forEach((d, i) => known.has(d.type) || report(`devices[${i}].type`, d.type));
  document.budgets.forEach((b, i) => known.has(b.deviceType) || report(`budgets[${i}].deviceType`, b.deviceType));
  return problems;
}
