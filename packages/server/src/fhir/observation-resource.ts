/**
 * A `vitals` row as a FHIR R4 Observation following the vital-signs profiles
 * (http://hl7.org/fhir/R4/observation-vitalsigns.html): category
 * `vital-signs`, the kind's LOINC code, the value as a UCUM quantity, the
 * adult normal range as `referenceRange`. A blood pressure is one panel
 * (85354-9) with systolic (8480-6) and diastolic (8462-4) components. An entry
 * marked entered-in-error keeps its values and carries that status.
 *
 * Codes, units and ranges come from the registry (`VITAL_KINDS`); only the
 * FHIR vocabulary (profile URLs, system URIs) lives here. A row from before
 * coded vitals that could not be mapped keeps its own words as `code.text`
 * and claims no profile.
 */
import { vitalKindSpec, type ValueRange, type VitalKind, type VitalKindSpec } from '@clinicsync/protocol';
import { compact, patientReference, resourceMeta, text } from './resource-meta.ts';
import type { FhirResource } from './fhir-json.ts';
import type { StoredFhirRow } from './read-fhir-rows.ts';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';

const VITAL_SIGNS_CATEGORY = [
  {
    coding: [
      {
        system: 'http://terminology.hl7.org/CodeSystem/observation-category',
        code: 'vital-signs',
        display: 'Vital Signs',
      },
    ],
    text: 'Vital Signs',
  },
];

const PROFILE_BASE = 'http://hl7.org/fhir/StructureDefinition/';
/** The R4 vital-signs profile of each kind; blood glucose has none of its own and claims the base profile. */
const PROFILES: Readonly<Record<VitalKind, string>> = {
  body_temperature: `${PROFILE_BASE}bodytemp`,
  heart_rate: `${PROFILE_BASE}heartrate`,
  respiratory_rate: `${PROFILE_BASE}resprate`,
  blood_pressure: `${PROFILE_BASE}bp`,
  oxygen_saturation: `${PROFILE_BASE}oxygensat`,
  body_weight: `${PROFILE_BASE}bodyweight`,
  body_height: `${PROFILE_BASE}bodyheight`,
  blood_glucose: `${PROFILE_BASE}vitalsigns`,
};

/**
 * Codes a profile requires beside the kind's own: the R4 oxygensat profile
 * fixes LOINC 2708-6, so a pulse-oximetry reading (59408-5) carries both.
 */
const EXTRA_CODINGS: Partial<Record<VitalKind, readonly { system: string; code: string; display: string }[]>> = {
  oxygen_saturation: [{ system: LOINC, code: '2708-6', display: 'Oxygen saturation in Arterial blood' }],
};

function quantity(value: number, spec: VitalKindSpec) {
  return { value, unit: spec.unitLabel, system: UCUM, code: spec.unit };
}

function referenceRange(normal: ValueRange | undefined, spec: VitalKindSpec) {
  if (!normal) return undefined;
  return [{ low: quantity(normal.min, spec), high: quantity(normal.max, spec), text: 'Adult normal range' }];
}

/** `H`/`L` of http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation when a value lies outside the normal range. */
function interpretation(value: number, normal: ValueRange | undefined) {
  if (!normal || (value >= normal.min && value <= normal.max)) return undefined;
  const high = value > normal.max;
  return [
    {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
          code: high ? 'H' : 'L',
          display: high ? 'High' : 'Low',
        },
      ],
    },
  ];
}

function loincConcept(loinc: string, display: string, label: string, extra: readonly object[] = []) {
  return { coding: [{ system: LOINC, code: loinc, display }, ...extra], text: label };
}

export function toObservation(row: StoredFhirRow): FhirResource {
  const enteredInError = Number(row.entered_in_error ?? 0) !== 0;
  const value = Number(row.value);
  const common = {
    resourceType: 'Observation',
    id: row.id,
    status: enteredInError ? 'entered-in-error' : 'final',
    category: VITAL_SIGNS_CATEGORY,
    subject: patientReference(row.patient_id),
    effectiveDateTime: String(row.recorded_at),
    note: enteredInError && text(row.error_reason) ? [{ text: text(row.error_reason) }] : undefined,
  };
  const spec = vitalKindSpec(row.kind);
  if (!spec) {
    // Recorded before coded vitals and not mappable with certainty: no code or profile is claimed for it.
    return compact({
      ...common,
      meta: resourceMeta(row),
      code: { text: String(row.kind) },
      valueQuantity: compact({ value, unit: text(row.unit) }),
    });
  }
  const kind = spec.code as VitalKind;
  if (spec.second && spec.firstLoinc) {
    const value2 = Number(row.value2);
    return compact({
      ...common,
      meta: resourceMeta(row, PROFILES[kind]),
      code: loincConcept(spec.loinc, spec.loincDisplay, spec.label),
      component: [
        compact({
          code: loincConcept(spec.firstLoinc.loinc, spec.firstLoinc.loincDisplay, spec.firstLoinc.label),
          valueQuantity: quantity(value, spec),
          interpretation: interpretation(value, spec.normal),
          referenceRange: referenceRange(spec.normal, spec),
        }),
        compact({
          code: loincConcept(spec.second.loinc, spec.second.loincDisplay, spec.second.label),
          valueQuantity: quantity(value2, spec),
          interpretation: interpretation(value2, spec.second.normal),
          referenceRange: referenceRange(spec.second.normal, spec),
        }),
      ],
    });
  }
  return compact({
    ...common,
    meta: resourceMeta(row, PROFILES[kind]),
    code: loincConcept(spec.loinc, spec.loincDisplay, spec.label, EXTRA_CODINGS[kind]),
    valueQuantity: quantity(value, spec),
    interpretation: interpretation(value, spec.normal),
    referenceRange: referenceRange(spec.normal, spec),
  });
}
