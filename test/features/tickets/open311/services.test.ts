import { describe, expect, it } from 'vitest';
import {
  serviceDefinitionJson,
  serviceDefinitionXml,
  servicesFromCategories,
  servicesJson,
  servicesXml,
  type ServiceDefinition,
} from '../../../../src/features/tickets/open311/services.js';
import { DEFAULT_CATEGORIES } from '../../../../src/features/tickets/rules/categories.js';
import { leaves, readXml } from './xml-reader.js';

const SERVICE_FIELDS = ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'];
const texts = (code: string) => ({ name: `N ${code}`, description: `D ${code} <&>`, keywords: ['k1', code] });

describe('services list', () => {
  const services = servicesFromCategories(DEFAULT_CATEGORIES, texts, '民情');

  it('lists only the publicly listed categories', () => {
    expect(services.map((s) => s.code)).toEqual(['environment_sanitation', 'utilities_roads', 'public_security']);
  });

  it('JSON has exactly the GeoReport v2 service fields', () => {
    const json = servicesJson(services);
    for (const s of json) expect(Object.keys(s)).toEqual(SERVICE_FIELDS);
    expect(json[0]).toEqual({
      service_code: 'environment_sanitation',
      service_name: 'N environment_sanitation',
      description: 'D environment_sanitation <&>',
      metadata: false,
      type: 'realtime',
      keywords: 'k1,environment_sanitation',
      group: '民情',
    });
  });

  it('XML carries the same values, escaped and well-formed', () => {
    const doc = servicesXml(services);
    expect(doc).toContain('<description>D environment_sanitation &lt;&amp;&gt;</description>');
    const root = readXml(doc);
    expect(root.name).toBe('services');
    expect(root.children.map((c) => c.name)).toEqual(['service', 'service', 'service']);
    const json = servicesJson(services);
    root.children.forEach((service, i) => {
      expect(leaves(service)).toEqual(Object.entries(json[i]!).map(([k, v]) => [k, String(v)]));
    });
  });

  it('an empty list is an empty document, not an error', () => {
    expect(servicesJson([])).toEqual([]);
    expect(readXml(servicesXml([]))).toEqual({ name: 'services', children: [], text: '' });
  });
});

describe('service definition', () => {
  const definition: ServiceDefinition = {
    code: 'utilities_roads',
    attributes: [
      { variable: true, code: 'what', datatype: 'singlevaluelist', required: true, datatypeDescription: null, order: 2, description: 'What is out?', values: [{ key: 'water', name: '停水' }, { key: 'power', name: '停电' }] },
      { variable: false, code: 'hint', datatype: 'text', required: false, datatypeDescription: 'Emergencies: 110', order: 1, description: 'Read first' },
    ],
  };

  it('JSON lists attributes in order with the spec’s fields', () => {
    const json = serviceDefinitionJson(definition) as { service_code: string; attributes: Array<Record<string, unknown>> };
    expect(json.service_code).toBe('utilities_roads');
    expect(json.attributes.map((a) => a.code)).toEqual(['hint', 'what']);
    expect(Object.keys(json.attributes[0]!)).toEqual(['variable', 'code', 'datatype', 'required', 'datatype_description', 'order', 'description']);
    expect(json.attributes[1]!.values).toEqual([{ key: 'water', name: '停水' }, { key: 'power', name: '停电' }]);
  });

  it('XML nests attributes and their values', () => {
    const root = readXml(serviceDefinitionXml(definition));
    expect(root.name).toBe('service_definition');
    expect(root.children.map((c) => c.name)).toEqual(['service_code', 'attributes']);
    const [hint, what] = root.children[1]!.children;
    expect(leaves(hint!)).toEqual([
      ['variable', 'false'],
      ['code', 'hint'],
      ['datatype', 'text'],
      ['required', 'false'],
      ['datatype_description', 'Emergencies: 110'],
      ['order', '1'],
      ['description', 'Read first'],
    ]);
    const values = what!.children.find((c) => c.name === 'values')!;
    expect(values.children.map((v) => leaves(v))).toEqual([
      [['key', 'water'], ['name', '停水']],
      [['key', 'power'], ['name', '停电']],
    ]);
  });
});
