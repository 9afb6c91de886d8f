import { describe, expect, it } from 'vitest';
import { routeTicket, type RoutingInput } from '../../../../src/features/tickets/rules/routing.js';

// courtyard c3 → lane tj → zone pf
const ancestry = ['c3', 'tj', 'pf'];
const base: RoutingInput = { areaAncestry: ancestry, stewardsByArea: {}, overrideRole: null, committee: ['s-chair', 's-member'] };

describe('routeTicket', () => {
  it('goes to the steward of the ticket’s own area', () => {
    expect(routeTicket({ ...base, stewardsByArea: { c3: ['s-court'], tj: ['s-lane'], pf: ['s-zone'] } })).toEqual({ assigneeId: 's-court', via: 'steward', areaId: 'c3', alsoNotify: [] });
  });

  it('walks up the tree to the nearest steward', () => {
    expect(routeTicket({ ...base, stewardsByArea: { tj: ['s-lane'], pf: ['s-zone'] } })).toMatchObject({ assigneeId: 's-lane', areaId: 'tj' });
    expect(routeTicket({ ...base, stewardsByArea: { pf: ['s-zone'] } })).toMatchObject({ assigneeId: 's-zone', areaId: 'pf' });
  });

  it('ignores stewards of areas outside the ancestry (a sibling lane)', () => {
    expect(routeTicket({ ...base, stewardsByArea: { other: ['s-other'] } })).toMatchObject({ via: 'committee', assigneeId: 's-chair' });
  });

  it('with no steward anywhere, the committee’s first listed member owns it', () => {
    expect(routeTicket(base)).toEqual({ assigneeId: 's-chair', via: 'committee', areaId: null, alsoNotify: [] });
  });

  it('with no committee member either, the committee’s chat owns it — never unassigned', () => {
    expect(routeTicket({ ...base, committee: [] })).toEqual({ assigneeId: null, via: 'committee_chat', areaId: null, alsoNotify: [] });
  });

  it('with no area at all, the committee', () => {
    expect(routeTicket({ ...base, areaAncestry: [] })).toMatchObject({ via: 'committee' });
  });

  it('two stewards on one area: the first owns it, the other is told', () => {
    expect(routeTicket({ ...base, stewardsByArea: { tj: ['s-a', 's-b'] } })).toEqual({ assigneeId: 's-a', via: 'steward', areaId: 'tj', alsoNotify: ['s-b'] });
  });

  it('a category override comes first: public security to the nearest patrol group', () => {
    const input: RoutingInput = { ...base, overrideRole: 'patrol', stewardsByArea: { c3: ['s-court'] }, overrideHoldersByArea: { tj: ['p-group3'] }, overrideCommunityHolders: ['p-lead'] };
    expect(routeTicket(input)).toEqual({ assigneeId: 'p-group3', via: 'category_override', areaId: 'tj', alsoNotify: [] });
  });

  it('then the community-wide holder (the patrol lead)', () => {
    const input: RoutingInput = { ...base, overrideRole: 'patrol', stewardsByArea: { c3: ['s-court'] }, overrideCommunityHolders: ['p-lead'] };
    expect(routeTicket(input)).toEqual({ assigneeId: 'p-lead', via: 'category_override', areaId: null, alsoNotify: [] });
  });

  it('an override with nobody holding the role falls back to the steward', () => {
    expect(routeTicket({ ...base, overrideRole: 'patrol', stewardsByArea: { c3: ['s-court'] } })).toMatchObject({ via: 'steward', assigneeId: 's-court' });
  });

  it('never hands a complaint to its own reporter: a steward complaining goes up a level', () => {
    const input: RoutingInput = { ...base, stewardsByArea: { c3: ['s-court'], pf: ['s-zone'] }, exclude: ['s-court'] };
    expect(routeTicket(input)).toMatchObject({ assigneeId: 's-zone', areaId: 'pf' });
  });

  it('the excluded reporter is not even told as a co-steward', () => {
    expect(routeTicket({ ...base, stewardsByArea: { c3: ['s-a', 's-b'] }, exclude: ['s-a'] })).toEqual({ assigneeId: 's-b', via: 'steward', areaId: 'c3', alsoNotify: [] });
  });

  it('the patrol lead reporting: the next in line', () => {
    const input: RoutingInput = { ...base, overrideRole: 'patrol', overrideCommunityHolders: ['p-lead'], exclude: ['p-lead'] };
    expect(routeTicket(input)).toMatchObject({ via: 'committee', assigneeId: 's-chair' });
  });

  it('the only committee member reporting with no steward: the committee chat', () => {
    expect(routeTicket({ ...base, committee: ['s-chair'], exclude: ['s-chair'] })).toMatchObject({ via: 'committee_chat', assigneeId: null });
    expect(routeTicket({ ...base, exclude: ['s-chair'] })).toMatchObject({ via: 'committee', assigneeId: 's-member' });
  });
});
