/**
 * Edits of the fleet's network as pure functions (old document in, new document out): each site's
 * LAN and the links between sites (docs/placement.md, "Locality and links").
 */
import { nextId } from '../../../src-main/common/project/ids';
import type { ProjectDocument, SiteLan, SiteLink } from '../../../src-main/common/project/schema';
import type { CellValue } from './cell-value';

export const networkFields = ['mbps', 'rttMs', 'jPerMB'] as const;
export type NetworkField = (typeof networkFields)[number];

const isEmpty = (value: CellValue) => value === null || value === '';

/** `fields` with `field` set to `value`, or without it when the value is empty. */
function withField<T extends object>(fields: T, field: NetworkField, value: CellValue): T {
  const next = { ...fields } as Record<string, unknown>;
  if (isEmpty(value)) delete next[field];
  else next[field] = value;
  return next as T;
}

/**
 * Sets one figure of a site's LAN; an emptied figure is removed, and a LAN with no figure left is
 * removed (not described: free, instant and unlimited). A LAN with a capacity but no RTT or
 * energy stays as typed, so validation names the missing field.
 *
 * @example setSiteLan(doc, 'site-harbour', 'mbps', 300) // sites[i].lan.mbps = 300
 */
export function setSiteLan(document: ProjectDocument, siteId: string, field: NetworkField, value: CellValue): ProjectDocument {
  return {
    ...document,
    sites: document.sites.map((site) => {
      if (site.id !== siteId) return site;
      const { lan, ...rest } = site;
      const next = withField(lan ?? ({} as SiteLan), field, value);
      return Object.keys(next).length ? { ...rest, lan: next } : rest;
    }),
  };
}

/** Site ids as an unordered pair, for finding the link between two sites. */
const pairKey = (a: string, b: string) => [a, b].sort().join('\u0000');

/**
 * Adds a link between the first two sites not joined yet (else the first two sites). Its round
 * trip and energy per MB are left for the planner to give (validation asks for them): a figure
 * Joule made up would silently decide where workloads go.
 */
export function addLink(document: ProjectDocument): ProjectDocument {
  const sites = document.sites.map((s) => s.id);
  if (sites.length < 2) return document;
  const joined = new Set((document.links ?? []).map((l) => pairKey(l.siteA, l.siteB)));
  let pair: [string, string] = [sites[0], sites[1]];
  search: for (let i = 0; i < sites.length; i++) {
    for (let j = i + 1; j < sites.length; j++) {
      if (!joined.has(pairKey(sites[i], sites[j]))) {
        pair = [sites[i], sites[j]];
        break search;
      }
    }
  }
  const links = document.links ?? [];
  // rttMs and jPerMB are required by the schema; absent, validation says "is missing (expected ...)".
  const link = { id: nextId('link', links.map((l) => l.id)), siteA: pair[0], siteB: pair[1] } as SiteLink;
  return { ...document, links: [...links, link] };
}

export const linkFields = ['siteA', 'siteB', ...networkFields] as const;
export type LinkField = (typeof linkFields)[number];

/** Sets one field of a link: an end (a site id) or a figure (empty removes it). */
export function setLinkField(document: ProjectDocument, linkId: string, field: LinkField, value: CellValue): ProjectDocument {
  if (!document.links) return document;
  return {
    ...document,
    links: document.links.map((link) => {
      if (link.id !== linkId) return link;
      if (field === 'siteA' || field === 'siteB') return { ...link, [field]: String(value ?? '') };
      return withField(link, field, value);
    }),
  };
}

/** Removes a link; the project keeps no empty `links` list. */
export function deleteLink(document: ProjectDocument, linkId: string): ProjectDocument {
  const links = (document.links ?? []).filter((l) => l.id !== linkId);
  const { links: _old, ...rest } = document;
  return links.length ? { ...rest, links } : rest;
}

