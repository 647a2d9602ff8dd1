/**
 * Example values shown in the API reference. They are checked against the
 * protocol's schemas by `build-document.test.ts`, so an example can never
 * drift from the contract it illustrates.
 */

const USER = '6f1c2b0e-3d4a-4b5c-8d6e-7f8091a2b3c4';
const DEVICE = '5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716';
const ORG = '2b7e1516-28ae-4d2a-a6ab-f7158809cf4f';
const TEAM = '3c4d5e6f-7081-4293-a4b5-c6d7e8f90a1b';
const PATIENT = '9d8c7b6a-5f4e-4d3c-b2a1-0f9e8d7c6b5a';
const EVENTS = [
  '1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9',
  '2c3d4e5f-6071-4829-93a4-b5c6d7e8f90a',
  '3d4e5f60-7182-493a-a4b5-c6d7e8f90a1b',
  '4e5f6071-8293-4a4b-b5c6-d7e8f90a1b2c',
] as const;
const INVITATION = '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d';
const AT = '2026-03-02T09:15:00.000Z';
const LATER = '2026-03-02T09:30:00.000Z';
const AUTH_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI2ZjFjMmIwZSJ9.c2lnbmF0dXJl';
const REFRESH_TOKEN = 'r1_Qm9vdHN0cmFwUmVmcmVzaFRva2VuRXhhbXBsZQ';
const SYNC_TOKEN = 's1_U3luY1Rva2VuRXhhbXBsZU9ubHlGb3JEb2Nz';

export const EXAMPLE_IDS = { USER, DEVICE, ORG, TEAM, PATIENT } as const;

const user = { id: USER, email: 'amina.okafor@example.org', name: 'Amina Okafor' };

export const examples = {
  registerRequest: { email: 'amina.okafor@example.org', password: 'correct horse battery', name: 'Amina Okafor' },
  registerResponse: { userId: USER },
  signInRequest: {
    email: 'amina.okafor@example.org',
    password: 'correct horse battery',
    deviceId: DEVICE,
    deviceName: 'Front desk laptop',
  },
  signInResponse: {
    user,
    authToken: AUTH_TOKEN,
    authExpiresAt: LATER,
    refreshToken: REFRESH_TOKEN,
    syncToken: SYNC_TOKEN,
  },
  refreshRequest: { refreshToken: REFRESH_TOKEN },
  refreshResponse: { authToken: AUTH_TOKEN, authExpiresAt: LATER, refreshToken: 'r1_TmV4dFJlZnJlc2hUb2tlbkV4YW1wbGU' },
  ok: { ok: true },
  createInvitationRequest: { email: 'joseph.mwangi@example.org', role: 'clinician', teamId: TEAM },
  createInvitationResponse: { invitationId: INVITATION },
  orgInvitations: {
    invitations: [
      {
        invitationId: INVITATION,
        email: 'joseph.mwangi@example.org',
        role: 'clinician',
        teamId: TEAM,
        invitedBy: USER,
        createdAt: AT,
        expiresAt: '2026-03-16T09:15:00.000Z',
      },
    ],
  },
  myInvitations: {
    invitations: [
      {
        invitationId: INVITATION,
        organizationId: ORG,
        organizationName: 'Riverside Clinic',
        role: 'clinician',
        invitedByName: 'Amina Okafor',
        createdAt: AT,
        expiresAt: '2026-03-16T09:15:00.000Z',
      },
    ],
  },
  acceptInvitation: { organizationId: ORG, role: 'clinician' },
  me: { user, organizations: [{ id: ORG, name: 'Riverside Clinic', role: 'admin' }] },
  devices: {
    devices: [
      {
        deviceId: DEVICE,
        deviceName: 'Front desk laptop',
        createdAt: AT,
        lastPushAt: LATER,
        lastPullAt: LATER,
        syncTokenRevoked: false,
      },
    ],
  },
  pushRequest: {
    deviceId: DEVICE,
    schemaVersion: 1,
    appVersion: '1.4.0',
    outbox: { pending: 3, oldestPendingAt: AT, openConflicts: 1, deadLetters: 0 },
    events: [
      {
        eventId: EVENTS[0],
        table: 'patients',
        op: 'INSERT',
        recordId: PATIENT,
        baseVersion: 0,
        data: {
          organization_id: ORG,
          given_name: 'Grace',
          family_name: 'Nakato',
          birth_date: '1987-05-14',
          sex: 'female',
          phone: '+256 700 000000',
        },
        createdAt: AT,
      },
      {
        eventId: EVENTS[1],
        table: 'patients',
        op: 'UPDATE',
        recordId: PATIENT,
        baseVersion: 3,
        data: { phone: '+256 700 111111' },
        createdAt: AT,
      },
    ],
  },
  pushResponse: {
    results: [
      { eventId: EVENTS[0], status: 'applied', version: 1 },
      { eventId: EVENTS[1], status: 'duplicate', original: { status: 'applied', version: 4 } },
      {
        eventId: EVENTS[2],
        status: 'conflict',
        serverVersion: 7,
        serverRecord: {
          id: PATIENT,
          version: 7,
          organization_id: ORG,
          given_name: 'Grace',
          family_name: 'Nakato-Ssali',
          updated_at: AT,
          updated_by: USER,
          deleted: false,
        },
        fields: ['family_name'],
      },
      { eventId: EVENTS[3], status: 'rejected', code: 'forbidden', message: 'Receptionists may not record vitals.' },
    ],
    serverTime: LATER,
  },
  pullResponse: {
    changes: [
      {
        table: 'patients',
        recordId: PATIENT,
        op: 'UPSERT',
        version: 5,
        organizationId: ORG,
        data: {
          organization_id: ORG,
          given_name: 'Grace',
          family_name: 'Nakato',
          birth_date: '1987-05-14',
          sex: 'female',
          phone: '+256 700 111111',
          address: null,
          notes: null,
          updated_at: AT,
          updated_by: USER,
        },
      },
      { table: 'appointments', recordId: EVENTS[3], op: 'DELETE', version: 3, organizationId: ORG, data: null },
    ],
    cursor: 'v1.eyJvIjp7fX0.c2lnbmF0dXJl',
    hasMore: false,
    revokedOrganizations: [],
  },
  schema: {
    current: 1,
    minSupported: 1,
    tables: {
      patients: {
        columns: {
          organization_id: { type: 'uuid', required: true },
          given_name: { type: 'text', required: true, maxLength: 200 },
        },
        writeRoles: ['admin', 'clinician', 'receptionist'],
      },
    },
  },
  orgDevices: {
    devices: [
      {
        deviceId: DEVICE,
        deviceName: 'Front desk laptop',
        userId: USER,
        userName: 'Amina Okafor',
        pending: 12,
        oldestPendingAt: AT,
        openConflicts: 1,
        deadLetters: 0,
        lastPushAt: LATER,
        lastPullAt: LATER,
        schemaVersion: 1,
        appVersion: '1.4.0',
        syncTokenRevoked: false,
        health: 'warning',
        staleness: 'pending for 2 days',
      },
    ],
  },
  audit: {
    entries: [
      {
        at: LATER,
        userId: USER,
        deviceId: DEVICE,
        table: 'patients',
        recordId: PATIENT,
        op: 'UPDATE',
        version: 5,
        before: { phone: '+256 700 000000' },
        after: { phone: '+256 700 111111' },
        userName: 'Amina Okafor',
      },
    ],
    nextCursor: null,
  },
  health: { status: 'ok' },
} as const;
