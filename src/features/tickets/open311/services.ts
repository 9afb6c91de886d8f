/**
 * GeoReport v2 service discovery: the services list (`services.json|xml`) and one service's
 * definition (`services/{code}.json|xml`). A service is one publicly listed category.
 */
import type { TicketCategory } from '../rules/categories.js';
import { textElement, xmlDocument, type XmlNode } from './xml.js';

/** How requests of a service are accepted: ours return the ticket number at once. */
export type ServiceType = 'realtime' | 'batch' | 'blackbox';

export interface PublicService {
  code: string;
  name: string;
  description: string;
  /** True when the service has a definition with attributes to fill in. */
  metadata: boolean;
  type: ServiceType;
  keywords: readonly string[];
  group: string;
}

export type AttributeDatatype = 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';

export interface ServiceAttribute {
  /** false: informational only, nothing to enter. */
  variable: boolean;
  code: string;
  datatype: AttributeDatatype;
  required: boolean;
  datatypeDescription: string | null;
  order: number;
  description: string;
  values?: ReadonlyArray<{ key: string; name: string }>;
}

export interface ServiceDefinition {
  code: string;
  attributes: readonly ServiceAttribute[];
}

/** Texts of a category in the output language (from locales, or the community's own labels). */
export interface CategoryTexts {
  name: string;
  description: string;
  keywords: readonly string[];
}

/** The public services: one per category with `publicListing`, in the settings' order. */
export function servicesFromCategories(categories: readonly TicketCategory[], texts: (code: string) => CategoryTexts, group: string): PublicService[] {
  return categories
    .filter((c) => c.publicListing)
    .map((c) => {
      const t = texts(c.code);
      return { code: c.code, name: t.name, description: t.description, metadata: false, type: 'realtime', keywords: t.keywords, group };
    });
}

/** `services.json`. Keywords are one comma-separated string, as the spec shows them. */
export function servicesJson(services: readonly PublicService[]): Array<Record<string, string | boolean>> {
  return services.map((s) => ({
    service_code: s.code,
    service_name: s.name,
    description: s.description,
    metadata: s.metadata,
    type: s.type,
    keywords: s.keywords.join(','),
    group: s.group,
  }));
}

/** `services.xml`. */
export function servicesXml(services: readonly PublicService[]): string {
  return xmlDocument({
    name: 'services',
    children: servicesJson(services).map((s) => ({ name: 'service', children: Object.entries(s).map(([k, v]) => textElement(k, v)) })),
  });
}

/** `services/{code}.json`. */
export function serviceDefinitionJson(definition: ServiceDefinition): Record<string, unknown> {
  return {
    service_code: definition.code,
    attributes: [...definition.attributes].sort((a, b) => a.order - b.order).map(attributeFields),
  };
}

/** `services/{code}.xml`. */
export function serviceDefinitionXml(definition: ServiceDefinition): string {
  const attributes: XmlNode[] = [...definition.attributes]
    .sort((a, b) => a.order - b.order)
    .map((a) => {
      const { values, ...rest } = attributeFields(a);
      const children = Object.entries(rest).map(([k, v]) => textElement(k, v as string | number | boolean | null));
      if (values) {
        const items = values.map((v) => ({ name: 'value', children: [textElement('key', v.key), textElement('name', v.name)] }));
        children.push({ name: 'values', children: items });
      }
      return { name: 'attribute', children };
    });
  return xmlDocument({ name: 'service_definition', children: [textElement('service_code', definition.code), { name: 'attributes', children: attributes }] });
}

function attributeFields(a: ServiceAttribute) {
  return {
    variable: a.variable,
    code: a.code,
    datatype: a.datatype,
    required: a.required,
    datatype_description: a.datatypeDescription,
    order: a.order,
    description: a.description,
    ...(a.values ? { values: a.values.map((v) => ({ key: v.key, name: v.name })) } : {}),
  };
}
