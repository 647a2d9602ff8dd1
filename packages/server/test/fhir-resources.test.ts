/**
 * Every mapper's output validates (R4 JSON schema, the `fhir` package, the
 * vital-signs profiles), for each coded vital kind, an entry marked in error,
 * a legacy uncoded vital and the sparse and full shapes of the other rows.
 */
import { VITAL_KINDS } from '@clinicsync/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { fhirProblems, loadFhirValidators } from './support/fhir-validators.ts';
import { toAppointment } from '../src/fhir/appointment-resource.ts';
import { capabilityStatement } from '../src/fhir/capability-statement.ts';
import { toMedicationStatement } from '../src/fhir/medication-statement-resource.ts';
import { toObservation } from '../src/fhir/observation-resource.ts';
import { toPatient } from '../src/fhir/patient-resource.ts';
import type { StoredFhirRow } from '../src/fhir/read-fhir-rows.ts';

const PATIENT = '6a1f4e0c-2d3b-4c5a-8e7f-9a0b1c2d3e4f';
const system = { version: 3, updated_at: '2026-03-02T09:10:00.000Z', updated_by: 'u', deleted: 0 };
const row = (fields: Record<string, unknown>): StoredFhirRow =>
  ({ id: '0d6f1a2e-8f4a-4a3e-9c1d-2b7e5f6a7b8c', ...system, ...fields }) as StoredFhirRow;

const sample = (kind: keyof typeof VITAL_KINDS) => {
  const spec = VITAL_KINDS[kind];
  return row({
    patient_id: PATIENT,
    kind,
    unit: spec.unit,
    value: spec.normal?.min ?? spec.hard.min + 1,
    value2: spec.second?.normal.min ?? null,
    recorded_at: '2026-03-02T09:05:00.000Z',
    entered_in_error: 0,
  });
};

describe('FHIR resources validate', () => {
  beforeAll(loadFhirValidators, 180_000);

  for (const kind of Object.keys(VITAL_KINDS) as (keyof typeof VITAL_KINDS)[]) {
    it(`Observation: ${kind}`, () => {
      const observation = toObservation(sample(kind)) as any;
      expect(fhirProblems(observation)).toEqual([]);
      expect(observation.code.coding[0].code).toBe(VITAL_KINDS[kind].loinc);
      expect(observation.meta.profile).toHaveLength(1);
    });
  }

  it('Observation: high and low values are flagged, an entry in error keeps its values with that status', () => {
    const fever = toObservation(row({ ...sample('body_temperature'), value: 39.4 })) as any;
    expect(fever.interpretation[0].coding[0].code).toBe('H');
    const wrong = toObservation(
      row({ ...sample('blood_pressure'), value: 150, value2: 95, entered_in_error: 1, error_reason: 'Wrong arm' }),
    ) as any;
    expect(fhirProblems(wrong)).toEqual([]);
    expect(wrong).toMatchObject({ status: 'entered-in-error', note: [{ text: 'Wrong arm' }] });
    expect(wrong.component[0].valueQuantity.value).toBe(150);
  });

  it('Observation: a legacy uncoded entry claims no code or profile and is still valid R4', () => {
    const legacy = toObservation(
      row({
        patient_id: PATIENT,
        kind: 'pain score',
        unit: 'points',
        value: 4,
        recorded_at: '2026-03-02T09:05:00.000Z',
      }),
    ) as any;
    expect(legacy.meta.profile).toBeUndefined();
    expect(legacy.code).toEqual({ text: 'pain score' });
    expect(fhirProblems(legacy)).toEqual([]);
  });

  it('a validator can fail: a blood pressure without its diastolic component is refused', () => {
    const broken = toObservation(sample('blood_pressure')) as any;
    broken.component = broken.component.slice(0, 1);
    expect(fhirProblems(broken).length).toBeGreaterThan(0);
    const noCategory = { ...(toObservation(sample('heart_rate')) as any), category: undefined };
    expect(fhirProblems(noCategory).length).toBeGreaterThan(0);
  });

  it('a validator can fail: an empty array, an empty object and a control character in a string are refused', () => {
    const patient = toPatient(
      row({ organization_id: 'f0e1d2c3-b4a5-4968-8776-655443322110', given_name: 'Tesfaye', family_name: 'Bekele' }),
    ) as any;
    expect(fhirProblems(patient)).toEqual([]);
    expect(fhirProblems({ ...patient, telecom: [] })).toEqual(['json: $.telecom is an empty array']);
    expect(fhirProblems({ ...patient, name: [{ ...patient.name[0], period: {} }] }).length).toBeGreaterThan(0);
    expect(fhirProblems({ ...patient, name: [{ family: 'Be\u0007kele' }] })).toContain(
      'json: $.name[0].family holds a control character',
    );
  });

  it('Patient, Appointment and MedicationStatement, sparse and full', () => {
    const patients = [
      row({ organization_id: 'f0e1d2c3-b4a5-4968-8776-655443322110', given_name: 'Tesfaye', family_name: 'Bekele' }),
      row({
        organization_id: 'f0e1d2c3-b4a5-4968-8776-655443322110',
        given_name: 'Amina Grace',
        family_name: "O'Brien",
        birth_date: '1990-04-12',
        sex: 'other',
        phone: '0911 234 567',
        address: 'Bole, Addis Ababa',
        identifier: 'RC-7-0042',
      }),
    ];
    for (const p of patients) expect(fhirProblems(toPatient(p) as any)).toEqual([]);
    const appointment = toAppointment(
      row({
        team_id: 't',
        patient_id: PATIENT,
        starts_at: '2026-03-02T09:00:00.000Z',
        duration_min: 30,
        status: 'noshow',
        kind: 'follow_up',
        reason: 'Review',
      }),
    );
    expect(fhirProblems(appointment as any)).toEqual([]);
    for (const status of ['active', 'stopped', 'completed']) {
      expect(
        fhirProblems(
          toMedicationStatement(row({ patient_id: PATIENT, code: 'metformin', dose: '500 mg', status })) as any,
        ),
      ).toEqual([]);
    }
    const inError = toMedicationStatement(
      row({
        patient_id: PATIENT,
        code: 'metformin',
        dose: '500 mg',
        route: 'oral',
        frequency: 'twice daily',
        status: 'active',
        entered_in_error: 1,
        error_reason: 'Duplicate',
      }),
    ) as any;
    expect(inError.status).toBe('entered-in-error');
    expect(fhirProblems(inError)).toEqual([]);
  });

  it('CapabilityStatement', () => {
    expect(
      fhirProblems(
        capabilityStatement({
          base: 'http://127.0.0.1:8787/v1/orgs/x/fhir/r4',
          date: '2026-03-02T09:00:00.000Z',
          softwareVersion: '0.1.0',
        }) as any,
      ),
    ).toEqual([]);
  });
});
