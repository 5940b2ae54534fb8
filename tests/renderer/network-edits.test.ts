import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ProjectDocument } from '../../src-main/common/project/schema';
import { validateProject } from '../../src-main/common/project/validate';
import { deleteSite } from '../../src-renderer/stores/project/edits';
import { addLink, deleteLink, setLinkField, setSiteLan } from '../../src-renderer/stores/project/network-edits';

const sample: ProjectDocument = JSON.parse(readFileSync(new URL('../../resources/sample/sample.joule', import.meta.url), 'utf8'));
const problems = (doc: ProjectDocument) => {
  const result = validateProject(doc, null);
  return result.ok ? [] : result.problems;
};
const bare: ProjectDocument = { ...sample, sites: sample.sites.map(({ lan: _lan, ...s }) => s), links: undefined };

describe('site LAN edits', () => {
  it('sets a figure, and asks for the ones a LAN needs', () => {
    const one = setSiteLan(bare, 'site-harbour', 'mbps', 300);
    expect(one.sites[0].lan).toEqual({ mbps: 300 });
    expect(problems(one)).toEqual([
      { path: 'sites[0].lan.rttMs', message: 'is missing (expected a number of milliseconds of at least 0)' },
      { path: 'sites[0].lan.jPerMB', message: 'is missing (expected a number of joules per megabyte of at least 0)' },
    ]);
    const full = setSiteLan(setSiteLan(one, 'site-harbour', 'rttMs', 1), 'site-harbour', 'jPerMB', 0.05);
    expect(full.sites[0].lan).toEqual({ mbps: 300, rttMs: 1, jPerMB: 0.05 });
    expect(problems(full)).toEqual([]);
    expect(full.sites[1]).toBe(bare.sites[1]);
  });

  it('keeps a figure that did not parse for validation to name, and removes an emptied LAN', () => {
    const typo = setSiteLan(sample, 'site-warehouse', 'rttMs', '2 ms');
    expect(problems(typo)).toEqual([{ path: 'sites[1].lan.rttMs', message: 'expected a number of milliseconds of at least 0, got "2 ms"' }]);
    const noCap = setSiteLan(sample, 'site-warehouse', 'mbps', null);
    expect(noCap.sites[1].lan).toEqual({ rttMs: 2, jPerMB: 0.2 });
    expect(problems(noCap)).toEqual([]);
    let gone = noCap;
    for (const f of ['rttMs', 'jPerMB'] as const) gone = setSiteLan(gone, 'site-warehouse', f, '');
    expect('lan' in gone.sites[1]).toBe(false);
    expect(problems(gone)).toEqual([]);
  });
});

describe('link edits', () => {
  it('adds a link between two sites not joined yet, its figures left to the planner', () => {
    const added = addLink(sample);
    expect(added.links?.at(-1)).toEqual({ id: 'link-1', siteA: 'site-harbour', siteB: 'site-solar-field' });
    expect(problems(added).map((p) => p.path)).toEqual(['links[2].rttMs', 'links[2].jPerMB']);
    const filled = setLinkField(setLinkField(setLinkField(added, 'link-1', 'rttMs', 40), 'link-1', 'jPerMB', 1.5), 'link-1', 'mbps', 20);
    expect(filled.links?.at(-1)).toEqual({ id: 'link-1', siteA: 'site-harbour', siteB: 'site-solar-field', rttMs: 40, jPerMB: 1.5, mbps: 20 });
    expect(problems(filled)).toEqual([]);
    expect(addLink({ ...sample, sites: sample.sites.slice(0, 1), links: undefined }).links).toBeUndefined();
  });

  it('lets the fleet rules name a link to the same site and a duplicate pair', () => {
    const self = setLinkField(sample, 'link-harbour-warehouse', 'siteB', 'site-harbour');
    expect(problems(self)).toEqual([{ path: 'links[0].siteB', message: 'is the same site as siteA; a site\'s own network is its "lan"' }]);
    const twin = setLinkField(sample, 'link-warehouse-solar', 'siteB', 'site-harbour');
    expect(problems(twin)).toEqual([{ path: 'links[1]', message: 'joins the same two sites as links[0]; give one link per pair of sites' }]);
  });

  it('removes links, and a deleted site takes its links along', () => {
    const one = deleteLink(sample, 'link-harbour-warehouse');
    expect(one.links?.map((l) => l.id)).toEqual(['link-warehouse-solar']);
    expect('links' in deleteLink(one, 'link-warehouse-solar')).toBe(false);
    const emptied = { ...sample, devices: sample.devices.filter((d) => d.siteId !== 'site-solar-field'), workloads: [], placement: { ...sample.placement, result: null } };
    const without = deleteSite(emptied, 'site-solar-field');
    expect(without.links?.map((l) => l.id)).toEqual(['link-harbour-warehouse']);
    expect(problems(without)).toEqual([]);
  });
});
