/**
 * The rules of a placement problem file that one field cannot check alone: unique ids, names
 * that must exist (models, device types, sites, hosts), links between two known sites, and an
 * accelerator's relation to its host. Each problem is a JSON path and a sentence fragment.
 */
import { powerStateOf, type PowerState } from './power';

/** The parts of a problem these rules read (structural, so the schema can call them). */
interface ProblemShape {
  sites: { id: string }[];
  links: { id: string; a: string; b: string }[];
  nodes: {
    id: string;
    deviceType: string;
    site: string;
    energyBudgetJ?: number;
    powerState?: PowerState;
    wakeUpJ: number;
    host?: { nodeId: string };
  }[];
  models: { id: string }[];
  workloads: { id: string; model?: string; variants?: string[]; allowedDeviceTypes?: string[]; site?: string }[];
  cloud?: { id: string };
}

export interface ReferenceProblem {
  path: (string | number)[];
  message: string;
}

export function checkProblemReferences(p: ProblemShape): ReferenceProblem[] {
  const out: ReferenceProblem[] = [];
  const issue = (path: (string | number)[], message: string) => out.push({ path, message });
  const unique = (list: { id: string }[], field: string) => {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      if (seen.has(item.id)) issue([field, i, 'id'], `repeats the id ${JSON.stringify(item.id)}`);
      seen.add(item.id);
    });
    return seen;
  };
  const nodeIds = unique(p.nodes, 'nodes');
  const modelIds = unique(p.models, 'models');
  unique(p.workloads, 'workloads');
  unique(p.sites, 'sites');
  unique(p.links, 'links');
  if (p.cloud && nodeIds.has(p.cloud.id)) issue(['cloud', 'id'], `repeats the node id ${JSON.stringify(p.cloud.id)}`);
  const types = new Set(p.nodes.map((n) => n.deviceType));
  const sites = new Set([...p.sites.map((s) => s.id), ...p.nodes.map((n) => n.site)]);
  const unknownSite = (site: string) => `names the site ${JSON.stringify(site)}, which no node is at and "sites" does not list`;

  p.workloads.forEach((w, i) => {
    if ((w.model === undefined) === (w.variants === undefined)) issue(['workloads', i], 'needs exactly one of "model" or "variants"');
    if (w.model !== undefined && !modelIds.has(w.model)) issue(['workloads', i, 'model'], `names the model ${JSON.stringify(w.model)}, which is not in "models"`);
    w.variants?.forEach((m, k) => {
      if (!modelIds.has(m)) issue(['workloads', i, 'variants', k], `names the model ${JSON.stringify(m)}, which is not in "models"`);
    });
    w.allowedDeviceTypes?.forEach((t, k) => {
      if (!types.has(t)) issue(['workloads', i, 'allowedDeviceTypes', k], `names the device type ${JSON.stringify(t)}, which no node has`);
    });
    if (w.site !== undefined && !sites.has(w.site)) issue(['workloads', i, 'site'], unknownSite(w.site));
  });

  const pairs = new Map<string, number>();
  p.links.forEach((link, i) => {
    if (!sites.has(link.a)) issue(['links', i, 'a'], unknownSite(link.a));
    if (!sites.has(link.b)) issue(['links', i, 'b'], unknownSite(link.b));
    if (link.a === link.b) issue(['links', i, 'b'], `joins the site ${JSON.stringify(link.a)} to itself; a site's own network is its LAN`);
    const key = [link.a, link.b].sort().join('\u0000');
    const first = pairs.get(key);
    if (first !== undefined) issue(['links', i], `joins the same two sites as links[${first}]; give one link per pair`);
    else pairs.set(key, i);
  });

  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const hostedBy = new Map<string, number>();
  p.nodes.forEach((node, i) => {
    if (node.wakeUpJ > 0 && !node.host && powerStateOf(node) === 'always-on') {
      issue(['nodes', i, 'wakeUpJ'], 'is only spent by a node that may sleep, and this node is always on');
    }
    if (!node.host) return;
    const hostId = node.host.nodeId;
    const host = byId.get(hostId);
    if (!host) return issue(['nodes', i, 'host', 'nodeId'], `names the host node ${JSON.stringify(hostId)}, which is not in "nodes"`);
    if (hostId === node.id) return issue(['nodes', i, 'host', 'nodeId'], 'names the accelerator itself as its host');
    if (host.host) issue(['nodes', i, 'host', 'nodeId'], `names node ${JSON.stringify(hostId)}, which is an accelerator itself`);
    if (host.site !== node.site) issue(['nodes', i, 'host', 'nodeId'], `names node ${JSON.stringify(hostId)} at site ${JSON.stringify(host.site)}, but the accelerator is at ${JSON.stringify(node.site)}`);
    const other = hostedBy.get(hostId);
    if (other !== undefined) issue(['nodes', i, 'host', 'nodeId'], `names node ${JSON.stringify(hostId)}, which already hosts nodes[${other}]; a host carries one accelerator`);
    else hostedBy.set(hostId, i);
    for (const field of ['energyBudgetJ', 'powerState'] as const) {
      if (node[field] !== undefined) issue(['nodes', i, field], "must be left out on an accelerator: it draws from its host's supply and follows its host's power state");
    }
    if (node.wakeUpJ > 0) issue(['nodes', i, 'wakeUpJ'], "must be left out on an accelerator: it wakes with its host");
  });
  return out;
}
