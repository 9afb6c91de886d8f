/** Which deadline jobs a ticket needs, and when the committee's moment is (pure). */
import { describe, expect, it } from 'vitest';
import { dueTimes } from '../../../../src/features/tickets/rules/deadlines.js';
import { findCategory } from '../../../../src/features/tickets/rules/categories.js';
import { ticketSettingsSchema } from '../../../../src/features/tickets/rules/settings.js';
import { escalationTicket, pendingDeadlineSteps, type DeadlineTicketRow } from '../../../../src/features/tickets/scheduling/deadline-steps.js';

const continuous = ticketSettingsSchema.parse({});
const withHours = ticketSettingsSchema.parse({
  businessHours: { weekdays: [1, 2, 3, 4, 5], windows: [{ opens: '08:30', closes: '17:30' }] },
});

function row(overrides: Partial<DeadlineTicketRow>): DeadlineTicketRow {
  return {
    status: 'new',
    category: 'public_security',
    major: false,
    firstRespondedAt: null,
    firstResponseDueAt: new Date('2026-03-02T10:00:00+08:00'),
    resolutionDueAt: new Date('2026-03-09T08:00:00+08:00'),
    escalationsDone: [],
    householdFlags: [],
    ...overrides,
  };
}

describe('escalationTicket', () => {
  it('puts the committee at twice the first-response time, as the rules compute it from filing', () => {
    for (const [settings, category, flags] of [
      [continuous, 'public_security', []],
      [continuous, 'utilities_roads', ['elderly']],
      [withHours, 'environment_sanitation', []],
      [withHours, 'other', ['disabled']],
    ] as const) {
      // Filed on a Friday afternoon: a business-hours clock runs over the weekend's pause.
      const filed = new Date('2026-03-06T16:00:00+08:00');
      const due = dueTimes({ category: findCategory(settings.categories, category), createdAt: filed, householdFlags: flags, businessHours: settings.businessHours, timezone: settings.timezone });
      const view = escalationTicket(row({ category, householdFlags: flags, firstResponseDueAt: due.firstResponseDue }), settings);
      expect({ category, at: view.committeeEscalationDue.toISOString() }).toEqual({ category, at: due.committeeEscalationDue.toISOString() });
    }
  });

  it('treats an unknown status as not open and ignores unknown steps', () => {
    const view = escalationTicket(row({ status: 'archived', escalationsDone: ['first_response_overdue', 'something_else'] }), continuous);
    expect(view.status).toBe('closed');
    expect(view.done).toEqual(['first_response_overdue']);
  });
});

describe('pendingDeadlineSteps', () => {
  const now = new Date('2026-03-02T09:00:00+08:00');

  it('has first response, committee and resolution for a fresh ticket, and major at once', () => {
    const view = escalationTicket(row({ major: true }), continuous);
    expect(pendingDeadlineSteps(view, now)).toEqual([
      { step: 'first_response', at: new Date('2026-03-02T10:00:00+08:00') },
      { step: 'committee', at: new Date('2026-03-02T12:00:00+08:00') },
      { step: 'resolution', at: new Date('2026-03-09T08:00:00+08:00') },
      { step: 'major', at: now },
    ]);
  });

  it('drops the first-response steps once answered, and steps already taken', () => {
    const answered = escalationTicket(row({ firstRespondedAt: now }), continuous);
    expect(pendingDeadlineSteps(answered, now).map((s) => s.step)).toEqual(['resolution']);
    const taken = escalationTicket(row({ escalationsDone: ['first_response_overdue', 'forum_agenda'], major: true }), continuous);
    expect(pendingDeadlineSteps(taken, now).map((s) => s.step)).toEqual(['committee']);
  });

  it('has nothing for a finished ticket, and no resolution step without a resolution deadline (praise)', () => {
    expect(pendingDeadlineSteps(escalationTicket(row({ status: 'resolved' }), continuous), now)).toEqual([]);
    expect(pendingDeadlineSteps(escalationTicket(row({ resolutionDueAt: null }), continuous), now).map((s) => s.step)).toEqual(['first_response', 'committee']);
  });
});
