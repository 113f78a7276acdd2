// Descriptions for the schema elements whose Pothos definitions carry none: the shapes that
// repeat (connections, edges, typed errors, result unions, paging arguments) by rule, the rest
// from the glossary below. A definition's own description always wins; the test suite walks
// the schema and fails on any type, field, argument or enum value left without one.
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
} from 'graphql';

const GLOSSARY: Record<string, string> = {
  // Roots.
  Query: 'Reads: pools, borrows, the line, teams, history, reports, statements and who you are',
  Mutation: 'Changes: borrowing and returning seats, the line, budgets, pools, teams, shares and API tokens',
  Subscription: 'Live updates over WebSocket (graphql-ws) or Server-Sent Events',
  'Query.costSummary': "This billing period's spend over every pool: commitments plus overage",
  'Query.me': 'Who runs this operation: user, role and the auth mode',
  'Query.pool': 'One pool by its tool name; null if there is none',
  'Query.pools': 'Every pool (not retired), sorted by tool',
  'Query.version': 'The running server version',
  'Query.apiTokens(user)': "Only this user's tokens (admins; others see their own)",
  'Query.auditEvents(action)': 'Only events of this action',
  'Query.auditEvents(actor)': 'Only actions by this user',
  'Query.auditEvents(since)': 'Only events at or after this instant',
  'Query.auditEvents(until)': 'Only events before this instant',
  'Query.auditEvents(tool)': 'Only events about this pool',
  'Query.borrows(user)': "Only this user's borrows",
  'Query.events(tool)': "Only this pool's events",
  'Query.overageCharges(tool)': "Only this pool's charges",
  'Query.queue(tool)': 'The pool whose line to read',
  'Query.pool(tool)': 'The tool name of the pool',
  'Query.poolShares(tool)': 'The pool',
  'Query.queueTicket(id)': 'The ticket id a queued borrow answered with',
  'Query.statement(tool)': 'The pool',
  'Query.statements(tool)': 'Only this pool (default: every pool)',
  'Query.teamMembers(team)': "Only this team's members",
  'Query.teamShares(tool)': "Only this pool's shares",
  'Query.usage(minutes)': 'How far back, in minutes',
  'Query.usageReport(from)': 'Start of the window (inclusive)',
  'Query.usageReport(groupBy)': 'One row per pool, team, user or project',
  'Query.usageReport(tool)': 'Only this pool',
  'Mutation.borrowLicense': 'Borrow a seat of a pool; a typed failure says why not',
  'Mutation.returnLicense': 'Return a borrowed seat',
  'Mutation.updateBudget': "Change a pool's budget (admin)",
  'Mutation.createTeam': 'Create a team (admin)',
  'Mutation.createApiToken(role)': 'Its role (admins only; default: your own)',
  'Mutation.createApiToken(user)': 'Whose token (admins only; default: yours)',
  'Mutation.createPool(input)': 'The pool and its budget',
  'Mutation.createTeam(name)': 'A short identifier, like a pool name',
  'Mutation.deleteTeam(name)': 'The team to remove',
  'Mutation.reportFrontendError(input)': 'The error as the browser saw it',
  'Mutation.retirePool(tool)': 'The pool to retire (nobody may hold a seat of it)',
  'Mutation.revokeApiToken(id)': "The token's id (not its secret)",
  'Mutation.revokeBorrow(id)': 'The borrow to end',
  'Mutation.revokeBorrow(reason)': "Why: kept in the history, and told to the holder's next heartbeat",
  'Mutation.setPoolShares(shares)': 'Every share the pool has after the change (replaces them all)',
  'Mutation.setPoolShares(tool)': 'The pool',
  'Mutation.setTeamMembers(team)': 'The team',
  'Mutation.setTeamMembers(users)': 'Every member after the change (replaces them all; a user is in at most one team)',
  'Mutation.updateBudget(input)': 'The pool and its new budget',
  'Mutation.borrowLicense(tool)': 'The pool to borrow from',
  'Mutation.returnLicense(id)': 'The borrow to return',
  'Mutation.heartbeat(id)': 'The borrow whose lease to renew',
  'Mutation.cancelQueueTicket(id)': 'The ticket to take out of the line',
  'Subscription.licenseEvents(tool)': "Only this pool's events (default: every pool)",
  'Subscription.poolChanged(tool)': 'Only this pool (default: every pool)',
  'Subscription.queueTicket(id)': 'The ticket to follow',

  // Pools, borrows, leases, charges.
  'Pool.tool': 'The tool name that identifies the pool',
  'Pool.available': 'Seats not borrowed: total - borrowed (overage may still be refused)',
  'Pool.commitPrice': 'What the committed seats cost per billing period',
  'Pool.inCommit': 'Whether every borrowed seat is within the commitment (no overage now)',
  'Pool.overageMode': 'How overage is charged',
  'Pool.overagePricePerLicense': 'Price of one overage charge (a borrow, or a started seat-hour)',
  'Pool.totalCost': "Commitment plus this period's overage",
  'Borrow.id': "The borrow's id: return it, renew it (heartbeat) and find it in the history with this",
  'Borrow.tool': 'The pool the seat belongs to',
  'Borrow.user': 'Who holds the seat',
  'Borrow.borrowedAt': 'When the seat was taken',
  'Lease.id': 'The borrow',
  'Lease.tool': 'The pool',
  'Lease.user': 'Who holds the seat',
  OverageCharge: 'A charge for overage use: an overage borrow, or a started seat-hour of overage',
  'OverageCharge.amount': 'What was charged',
  'OverageCharge.borrowId': 'The borrow it was charged for',
  'OverageCharge.chargedAt': 'When it was charged',
  'OverageCharge.id': "The charge's id",
  'OverageCharge.tool': 'The pool',
  'OverageCharge.user': 'Who held the seat',
  CostSummary: "This billing period's spend over every pool",
  'CostSummary.commit': 'Sum of the commitments',
  'CostSummary.overage': 'Overage charged this period',
  'CostSummary.total': 'Commitments plus overage',
  OverageMode: 'How overage seats are charged',
  BudgetInput: "A pool's budget",
  'BudgetInput.tool': 'The pool',
  ReturnedLicense: 'A seat given back',
  'ReturnedLicense.borrow': 'The borrow that ended',
  'ReturnedLicense.pool': 'The pool after the return',
  'Revocation.borrow': 'The borrow that was ended',
  'Revocation.reason': 'Why an admin ended it',
  'Revocation.revokedAt': 'When',
  UsageSeries: "One pool's borrowed seats over time",
  'UsageSeries.points': 'One point per bucket, oldest first',
  'UsageSeries.tool': 'The pool',
  'UsageSeries.total': 'Seats in the pool',
  UsagePoint: 'Seats borrowed at one instant',
  'UsagePoint.at': 'The instant',
  'UsagePoint.borrowed': 'Seats borrowed then',

  // History.
  LicenseEvent: 'One entry of the license history (the activity feed)',
  'LicenseEvent.at': 'When it happened',
  'LicenseEvent.borrowId': 'The borrow it concerns, if any',
  'LicenseEvent.id': "The event's id",
  'LicenseEvent.tool': 'The pool',
  'LicenseEvent.total': 'Seats in the pool right after the event',
  'LicenseEvent.type': 'What happened',
  'LicenseEvent.user': 'Who borrowed, returned or was denied; null for pool changes',
  LicenseEventType: 'What a history entry records',
  'LicenseEventType.BORROWED': 'A seat was borrowed',
  'LicenseEventType.RETURNED': 'A seat was returned',
  'LicenseEventType.DENIED': 'A borrow was refused (reason says why)',
  'LicenseEventType.BUDGET_CHANGED': "The pool's budget changed",
  DenialReason: 'Why a borrow was refused',
  'DenialReason.UNKNOWN_TOOL': 'There is no such pool',

  // The line.
  'QueueTicket.host': 'The host the seat is for, if given',
  'QueueTicket.id': "The ticket's id: poll or subscribe to it, or cancel it",
  'QueueTicket.queuedAt': 'When it joined the line',
  'QueueTicket.state': 'Waiting, granted, expired or cancelled',
  'QueueTicket.tool': 'The pool',
  'QueueTicket.user': 'Who waits',
  TicketState: 'Where a ticket is in its life: waiting, granted its seat, or ended without one',

  // Teams and shares.
  Team: 'Users whose borrows count together against pool shares',
  'Team.createdAt': 'When it was created',
  'Team.members': 'Its users, by name',
  'Team.name': 'A short identifier',
  'Team.shares': 'Its shares of pools',
  'TeamShare.max': 'The most the team may hold; null: no cap',
  'TeamShare.reserved': 'Seats others cannot take while the team holds fewer',
  'TeamShare.team': 'The team',
  'TeamShare.tool': 'The pool',
  'TeamShareOfPool.tool': 'The pool',
  'PoolShare.max': 'The most the team may hold; null: no cap',
  'PoolShare.reserved': 'Seats others cannot take while the team holds fewer',
  'PoolShare.team': 'The team',
  PoolShareInput: "A team's share of a pool",
  'PoolShareInput.team': 'The team',
  'TeamMembership.team': 'The team',
  'TeamMembership.user': 'The member',
  TeamChanged: 'A team was created, deleted, or its members or shares changed',
  'TeamChanged.team': 'The team',
  MemberElsewhere: 'A user already in another team',
  'MemberElsewhere.team': 'The team the user is in',
  'MemberElsewhere.user': 'The user',

  // Reports and statements.
  UsageReport: 'Usage over a window, one row per group, one page at a time',
  'UsageReport.from': 'Start of the window (inclusive)',
  'UsageReport.to': 'End of the window (exclusive)',
  'UsageReport.groupBy': 'What a row groups',
  'UsageReport.rows': 'The rows of this page',
  'UsageReport.tool': 'The pool asked for, or null for every pool',
  'UsageReport.trueDenialMinutes': 'The grace that told retried denials from true ones',
  'UsageReportRow.denials': 'Borrows refused',
  'UsageReportRow.queueWaitP50Seconds': 'Median wait in the line before a seat, seconds; null without waits',
  'UsageReportRow.queueWaitP95Seconds': '95th percentile of the waits in the line, seconds; null without waits',
  'UsageReportRow.retriedDenials': 'Denials after which the same user got a seat within the grace',
  'UsageReportRow.revocations': 'Seats ended by an admin',
  'UsageReportRow.seatHours': 'Seat-hours held',
  'UsageReportRow.tool': 'The pool',
  ReportGroupBy: 'What one row of a usage report stands for',
  'ReportGroupBy.POOL': 'A pool',
  'ReportGroupBy.PROJECT': 'A project (what seats were borrowed for) within a pool',
  'ReportGroupBy.TEAM': "A team (the borrower's when the seat was taken) within a pool",
  'ReportGroupBy.USER': 'A user within a pool',
  'Statement.billingDay': 'Day of month (1-28) the billing periods start',
  'Statement.commitPrice': 'The commitment for the period',
  'Statement.frozenAt': 'When the closed period was frozen; null while it is open',
  'Statement.overage': 'Overage charged in the period',
  'Statement.periodEnd': 'End of the period (exclusive)',
  'Statement.periodStart': 'Start of the period (inclusive)',
  'Statement.seatHours': 'Seat-hours held in the period',
  'Statement.teams': "Each team's part of the period's cost",
  'Statement.tool': 'The pool',
  'Statement.total': 'Commitment plus overage',
  'StatementLine.overageCharges': 'Overage charges for its borrows',
  'StatementLine.seatHours': 'Seat-hours its members held',
  'StatementLine.team': 'The team (or no team)',
  'StatementLine.total': 'Its part of the total',

  // Auth.
  Role: 'What an identity may do',
  'Role.VIEWER': 'Reads everything, changes nothing',
  'Role.USER': 'Reads, and borrows, renews and returns its own seats',
  'Role.ADMIN': "Everything, including budgets, pools, teams, tokens and other users' seats",
  'Me.role': 'Your role',
  ApiToken: 'An API token (its secret is shown only once, when created)',
  'ApiToken.createdAt': 'When it was created',
  'ApiToken.createdBy': 'Who created it',
  'ApiToken.expiresAt': 'When it stops working; null: never',
  'ApiToken.id': "The token's id (not its secret)",
  'ApiToken.name': 'A name to recognise it by',
  'ApiToken.revokedAt': 'When it was revoked; null while valid',
  'ApiToken.role': 'The role it acts with',
  'ApiToken.user': 'Whose token it is',
  ApiTokenPage: 'A page of API tokens, newest first',
  'ApiTokenPage.nodes': 'The tokens of this page',
  CreatedApiToken: 'A new API token, with its secret',
  'CreatedApiToken.apiToken': 'The token',
  AuditAction: 'An admin action recorded in the audit trail',
  'AuditAction.BORROWED_FOR': 'Borrowed a seat for another user',
  'AuditAction.BUDGET_CHANGED': "Changed a pool's budget",
  'AuditAction.HEARTBEAT_FOR': "Renewed another user's lease",
  'AuditAction.POOL_CREATED': 'Created a pool',
  'AuditAction.POOL_RETIRED': 'Retired a pool',
  'AuditAction.QUEUE_LEFT_FOR': 'Took another user out of a line',
  'AuditAction.RETURNED_FOR': "Returned another user's seat",
  'AuditAction.SEAT_REVOKED': "Ended another user's borrow",
  'AuditAction.SHARES_CHANGED': "Changed a pool's team shares",
  'AuditAction.TEAM_CREATED': 'Created a team',
  'AuditAction.TEAM_DELETED': 'Deleted a team',
  'AuditAction.TEAM_MEMBERS_SET': "Replaced a team's members",
  'AuditAction.TOKEN_CREATED': 'Created an API token',
  'AuditAction.TOKEN_REVOKED': 'Revoked an API token',
  'AuditEvent.action': 'What was done',
  'AuditEvent.actor': 'Who did it',
  'AuditEvent.at': 'When',
  'AuditEvent.id': "The event's id",
  'AuditEvent.tool': 'The pool it concerned, if any',
  AuditEventPage: 'A page of the audit trail, newest first',
  'AuditEventPage.nextBefore': 'Pass as before to read the next page; null on the last one',
  'AuditEventPage.nodes': 'The events of this page',

  // Browser error reports.
  FrontendErrorInput: 'A browser error, as window.onerror or unhandledrejection saw it',
  'FrontendErrorInput.colno': 'Column in the source',
  'FrontendErrorInput.lineno': 'Line in the source',
  'FrontendErrorInput.message': "The error's message",
  'FrontendErrorInput.source': 'The script it came from',
  'FrontendErrorInput.stack': 'The stack trace',
  'FrontendErrorInput.url': 'The page it happened on',
  'FrontendErrorInput.userAgent': 'The browser',

  // Typed failures' fields beyond `message`.
  NoLicenseAvailable: 'No seat could be lent now',
  'NoLicenseAvailable.reason': 'Why not',
  'NoLicenseAvailable.tool': 'The pool',
  ToolNotFound: 'There is no such pool',
  'ToolNotFound.tool': 'The name asked for',
  BorrowNotFound: 'There is no such borrow (or it was already returned)',
  'BorrowNotFound.id': 'The id asked for',
  'BorrowRevoked.id': 'The borrow',
  'BorrowRevoked.reason': 'Why an admin ended it',
  'LeaseExpired.id': 'The borrow',
  'InvalidBudget.field': 'The field at fault',
  'InvalidInput.field': 'The field at fault',
  'MemberOfOtherTeam.members': 'The users already in another team, with that team',
  'PoolExists.retired': 'Whether the name belongs to a retired pool',
  'PoolExists.tool': 'The name',
  'PoolInUse.borrowed': 'Seats still held',
  'PoolInUse.queued': 'Tickets still waiting',
  'PoolInUse.tool': 'The pool',
  TeamExists: 'A team of that name exists',
  'TeamExists.team': 'The name',
  TeamNotFound: 'There is no such team',
  'TeamNotFound.team': 'The name asked for',
  'TicketGranted.borrowId': 'The borrow the ticket was granted',
  'TicketGranted.id': 'The ticket',
  TicketNotFound: 'There is no such ticket',
  'TicketNotFound.id': 'The id asked for',
  'AuditAction.OBSERVED_SOURCE_CREATED': 'An admin registered an observed license server',
  'AuditAction.OBSERVED_SOURCE_DELETED': 'An admin removed an observed license server (its history stays)',
  'AuditAction.OBSERVED_PRICE_SET': 'An admin set what an observed pool costs per billing period',
  'Mutation.setObservedPoolPrice(source)': 'The observed license server',
  'Mutation.setObservedPoolPrice(feature)': 'The feature (license) of that server, as its status output names it',
  'ObservedPrice.source': 'The observed license server',
  'ObservedPrice.feature': 'The feature (license) of that server',
  'ObservedPrice.price': 'What the pool costs per billing period; its statement spreads it over teams by observed seat-hours',
  'ObservedPrice.billingDay': 'The day of the month each billing period starts (1-28)',
  'ObservedPrice.updatedAt': 'When the price was last set',
  'Mutation.createObservedSource(intervalSeconds)': 'How often the command runs, in seconds',
  'Mutation.createObservedSource(name)': "The source's name: letters, digits, dot, underscore and hyphen",
  'Mutation.deleteObservedSource(name)': 'The source to remove',
  'Mutation.pushObservedSnapshot(output)': "The raw text the license server's status command printed",
  'Mutation.pushObservedSnapshot(source)': 'The source the output belongs to',
  'ObservedDaemon.error': 'Why the vendor daemon is down, as the server printed it; null when up',
  'ObservedDaemon.name': "The vendor daemon's name",
  'ObservedDaemon.up': 'Whether the vendor daemon is up',
  'ObservedDaemon.version': "The vendor daemon's version, when printed",
  ObservedEvent: 'A checkout, check-in or denial on an observed license server',
  'ObservedEvent.at': 'When it happened (from the debug log) or was seen (between snapshots)',
  'ObservedEvent.feature': 'The feature (license) concerned',
  'ObservedEvent.host': "The holder's host, when known",
  'ObservedEvent.id': 'The event id',
  'ObservedEvent.licenses': 'How many licenses it concerned',
  'ObservedEvent.reason': 'Why a denial was refused, as the server logged it; null otherwise',
  'ObservedEvent.source': 'The observed license server',
  'ObservedEvent.user': 'The holder or requester',
  'ObservedEvent.vendor': 'The vendor daemon, when known',
  ObservedHolder: 'Who holds licenses of an observed pool, as the server lists them',
  'ObservedHolder.borrowed': 'Whether the licenses are borrowed (checked out for offline use)',
  'ObservedHolder.display': "The holder's display, as printed",
  'ObservedHolder.host': "The holder's host",
  'ObservedHolder.licenses': 'How many licenses this checkout holds',
  'ObservedHolder.lingerSeconds': 'Linger time after check-in, in seconds; null without linger',
  'ObservedHolder.startedAt': 'When the checkout started',
  'ObservedHolder.user': "The holder's user name",
  'ObservedPool.feature': 'The feature (license) name',
  'ObservedPool.holders': 'Who holds its licenses now',
  'ObservedPool.inUse': "Licenses in use (the server's own total)",
  'ObservedPool.reserved': 'Licenses reserved for groups, users or hosts',
  'ObservedPool.source': 'The observed license server',
  'ObservedPool.updatedAt': 'When the last snapshot that changed it was taken',
  'ObservedPool.vendor': 'The vendor daemon serving it',
  'ObservedServer.host': "The license server's host (port@host)",
  'ObservedServer.master': 'Whether it is the master of a redundant (triad) set',
  'ObservedServer.up': 'Whether it answered',
  'ObservedServer.version': 'Its license server version, when printed',
  ObservedSnapshot: 'What one pushed or polled status output said',
  'ObservedSnapshot.events': 'Checkouts and check-ins inferred from it',
  'ObservedSnapshot.features': 'Features it listed',
  'ObservedSnapshot.inUse': 'Licenses in use over all its features',
  'ObservedSnapshot.serverUp': 'Whether the license server was up',
  'ObservedSnapshot.source': 'The observed license server',
  'ObservedSnapshot.takenAt': 'When it was taken',
  'ObservedSnapshot.unparsedLines': 'Lines the parser did not understand (counted, logged once)',
  'ObservedSource.createdAt': 'When it was registered',
  'ObservedSource.daemons': 'Its vendor daemons and their state',
  'ObservedSource.error': 'Why the last poll or snapshot failed; null when it succeeded',
  'ObservedSource.intervalSeconds': 'How often its command runs, in seconds',
  'ObservedSource.lastSnapshotAt': 'When its last snapshot was taken; null before the first',
  'ObservedSource.name': 'Its name',
  'ObservedSource.servers': 'Its license servers and their state',
  'Query.observedEvents(feature)': 'Only events of this feature',
  'Query.observedEvents(source)': 'Only events of this source',
  'Query.observedPools(source)': 'Only pools of this source',
  'Subscription.observedPoolChanged(source)': 'Only pools of this source',
  PageInfo: 'Where a page ends and whether more follow',
  'PageInfo.hasNextPage': 'Whether rows follow this page',
};

/** What a type of a connection or edge holds, in words: BorrowConnection → "borrows". */
const NOUNS: Record<string, string> = {
  Borrow: 'borrows',
  LicenseEvent: 'history events',
  ObservedEvent: 'events of observed license servers',
  ObservedPool: 'observed pools',
  ObservedPrice: 'prices of observed pools',
  ObservedSource: 'observed license servers',
  OverageCharge: 'overage charges',
  QueueTicket: 'tickets in the line',
  TeamMembership: 'team memberships',
  TeamShare: 'team shares',
};

const ARGUMENTS: Record<string, string> = {
  after: 'A cursor (endCursor of the previous page): the rows after it',
  before: 'nextBefore of the previous page: the rows after it',
  first: 'Rows in the page',
  to: 'End of the window (exclusive)',
  minutes: 'How far back, in minutes',
};

function ruleFor(typeName: string, fieldName?: string): string | undefined {
  const connection = /^(\w+)Connection$/.exec(typeName);
  if (connection && NOUNS[connection[1]!]) {
    const noun = NOUNS[connection[1]!]!;
    if (fieldName === undefined) return `A page of ${noun}, with the cursors to read on`;
    if (fieldName === 'edges') return `This page's ${noun}, each with its cursor`;
    if (fieldName === 'nodes') return `This page's ${noun}`;
    if (fieldName === 'pageInfo') return 'Where this page ends and whether more follow';
  }
  const edge = /^(\w+)Edge$/.exec(typeName);
  if (edge && NOUNS[edge[1]!]) {
    if (fieldName === undefined) return `One of the ${NOUNS[edge[1]!]} with its cursor`;
    if (fieldName === 'cursor') return 'Pass as after to read the rows after this one';
    if (fieldName === 'node') return 'The row';
  }
  if (fieldName === 'message') return 'Why, in words for a person';
  return undefined;
}

type Described = { description?: string | null | undefined };
const set = (element: Described, text: string | undefined) => {
  if (!element.description && text) element.description = text;
};

/** Fills in the missing descriptions; returns the schema. */
export function describeSchema(schema: GraphQLSchema): GraphQLSchema {
  const mutation = schema.getMutationType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    set(type, GLOSSARY[type.name] ?? ruleFor(type.name));
    if (isUnionType(type) && /Result$/.test(type.name)) {
      const field = Object.values(mutation?.getFields() ?? {}).find((f) => String(f.type).replace(/!$/, '') === type.name);
      const members = type
        .getTypes()
        .map((t) => t.name)
        .join(', ');
      set(type, `What ${field ? `Mutation.${field.name}` : 'the mutation'} ends with: ${members}`);
    }
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values<GraphQLField<unknown, unknown> | GraphQLInputField>(type.getFields())) {
        set(field, GLOSSARY[`${type.name}.${field.name}`] ?? ruleFor(type.name, field.name));
        for (const arg of ('args' in field ? field.args : []) as GraphQLArgument[]) {
          set(arg, GLOSSARY[`${type.name}.${field.name}(${arg.name})`] ?? ARGUMENTS[arg.name]);
        }
      }
    }
    if (isEnumType(type)) for (const value of type.getValues()) set(value, GLOSSARY[`${type.name}.${value.name}`]);
  }
  return schema;
}

/** Every public element without a description, as Type, Type.field, Type.field(arg), Enum.VALUE. */
export function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (!type.description) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values<GraphQLField<unknown, unknown> | GraphQLInputField>(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of ('args' in field ? field.args : []) as GraphQLArgument[]) {
          if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    if (isEnumType(type)) for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
  }
  return missing;
}
